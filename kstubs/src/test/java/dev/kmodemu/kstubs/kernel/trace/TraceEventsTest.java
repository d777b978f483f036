package dev.kmodemu.kstubs.kernel.trace;

import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelException;
import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trace events of a module (kernel/trace/trace_events.c, tracepoint.c, jump_label.c): listed
 * in tracefs while the module is loaded, enabled through their {@code enable} files (the probe is
 * hooked to the tracepoint and the module's static branches patched), recorded into the buffer
 * and printed by the module's own output functions in {@code /sys/kernel/tracing/trace}.
 */
class TraceEventsTest {
    static final String EV = "/sys/kernel/tracing/events/traceevt/";
    Kernel k;

    @BeforeEach
    void boot() {
        k = Kernel.boot();
    }

    @AfterEach
    void close() {
        k.close();
    }

    @Test
    void eventsAreListedWhileTheModuleIsLoaded() {
        assertEquals("", k.read("/sys/kernel/tracing/available_events"));
        k.insmod("traceevt.ko", TestMods.ko("traceevt"), "");
        assertEquals("traceevt:traceevt_tick\ntraceevt:traceevt_done\n", k.read("/sys/kernel/tracing/available_events"));
        assertEquals("0\n", k.read(EV + "traceevt_tick/enable"));
        assertEquals("21\n", k.read(EV + "traceevt_tick/id"));
        assertEquals("20\n", k.read(EV + "traceevt_done/id"));
        String format = k.read(EV + "traceevt_tick/format");
        assertTrue(format.startsWith("name: traceevt_tick\nID: 21\nformat:\n"
                + "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"), format);
        assertTrue(format.contains("\n\tfield:int count;\toffset:8;\tsize:4;\tsigned:1;\n"
                + "\tfield:__data_loc char[] who;\toffset:12;\tsize:4;\tsigned:1;\n"
                + "\tfield:unsigned long flags;\toffset:16;\tsize:8;\tsigned:0;\n"
                + "\tfield:int mode;\toffset:24;\tsize:4;\tsigned:1;\n"
                + "\tfield:u8 bytes[4];\toffset:28;\tsize:4;\tsigned:0;\n\nprint fmt: \"count=%d who=%s"), format);
        k.rmmod("traceevt");
        assertEquals("", k.read("/sys/kernel/tracing/available_events"));
        assertEquals(java.util.List.of(), k.list("/sys/kernel/tracing/events"));
    }

    @Test
    void enabledEventsAreRecordedAndPrinted() {
        k.insmod("traceevt.ko", TestMods.ko("traceevt"), "");
        k.write(EV + "traceevt_tick/enable", "1\n");
        assertEquals("1\n", k.read(EV + "traceevt_tick/enable"));
        k.write("/proc/traceevt", "3");
        assertTrue(k.dmesg().contains("traceevt: tick enabled=1 done enabled=0\n"), k.dmesg());
        String trace = k.read("/sys/kernel/tracing/trace");
        assertTrue(trace.startsWith("# tracer: nop\n#\n# entries-in-buffer/entries-written: 3/3   #P:1\n"), trace);
        assertTrue(trace.contains("#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"), trace);
        assertTrue(trace.contains("[000] .....     0.000000: traceevt_tick: count=2 who=even flags=A|B mode=done"
                + " bytes=02 03 ab cd\n"), trace);
        assertFalse(trace.contains("traceevt_done"), "not enabled");
        k.write(EV + "traceevt_tick/enable", "0");
        k.write("/proc/traceevt", "1");
        assertTrue(k.dmesg().contains("traceevt: tick enabled=0 done enabled=0\n"), k.dmesg());
        k.write("/sys/kernel/tracing/trace", "");
        assertTrue(k.read("/sys/kernel/tracing/trace").contains("entries-in-buffer/entries-written: 0/0 "));
        KernelException e = assertThrows(KernelException.class, () -> k.write(EV + "traceevt_tick/enable", "2"));
        assertEquals(Errno.EINVAL, e.errno());
    }

    @Test
    void unloadingWithTheEventEnabledUnhooksIt() {
        k.insmod("traceevt.ko", TestMods.ko("traceevt"), "");
        k.write(EV + "traceevt_done/enable", "1");
        k.rmmod("traceevt");
        assertFalse(k.dmesg().contains("WARNING"), k.dmesg());
        k.insmod("traceevt.ko", TestMods.ko("traceevt"), "");
        assertEquals("0\n", k.read(EV + "traceevt_done/enable"));
        assertEquals("22\n", k.read(EV + "traceevt_done/id"), "ids are not reused before 65535");
    }
}
