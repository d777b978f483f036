package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.kstubs.Checks;
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
 * Interrupts raised from the Java API run the handlers irqtest requested, in hard-interrupt
 * context (kernel/irq/handle.c); disabled lines keep them pending; a handler left behind by a
 * module that is gone panics the kernel as an oops in interrupt context does.
 */
class IrqTest {
    Kernel k;

    @BeforeEach
    void boot() {
        // Leftover handlers are left registered, as Debian's kernel leaves them (no leftover check).
        k = Kernel.boot(Kernel.Options.defaults().withChecks(Checks.ALL.withLeftovers(false)));
    }

    @AfterEach
    void close() {
        k.close();
    }

    @Test
    void handlersRunInInterruptContext() {
        k.insmod("irqtest.ko", TestMods.ko("irqtest"), "irqs=5,1 shared=1");
        assertTrue(k.raiseIrq(5));
        assertTrue(k.dmesg().contains("irq 5: run 1, in_hardirq 1, in_interrupt 1, irqs_disabled 1, dev_id ours\n"),
                k.dmesg());
        assertTrue(k.raiseIrq(1), "shared with the kernel's i8042 handler");
        assertEquals("2\n", k.read("/proc/irqtest"));
        assertFalse(k.raiseIrq(7), "nobody requested line 7");
        KernelException e = assertThrows(KernelException.class, () -> k.raiseIrq(16));
        assertEquals(Errno.EINVAL, e.errno());
        k.rmmod("irqtest");
        assertTrue(k.dmesg().contains("free_irq(5): irqtest\n"));
        assertFalse(k.raiseIrq(5), "freed");
    }

    @Test
    void aDisabledLineKeepsTheInterruptPending() {
        k.insmod("irqtest.ko", TestMods.ko("irqtest"), "irqs=10");
        k.write("/proc/irqtest", "disable 10");
        assertFalse(k.raiseIrq(10));
        assertEquals("0\n", k.read("/proc/irqtest"));
        k.write("/proc/irqtest", "enable 10");
        assertEquals("1\n", k.read("/proc/irqtest"), "enable_irq() resends it");
        k.write("/proc/irqtest", "enable 10");
        assertTrue(k.dmesg().contains("Unbalanced enable for IRQ 10\n"), k.dmesg());
    }

    @Test
    void aHandlerInFreedMemoryPanicsTheKernel() {
        k.insmod("irqtest.ko", TestMods.ko("irqtest"), "irqs=5 keep=1");
        k.rmmod("irqtest");
        KernelException e = assertThrows(KernelException.class, () -> k.raiseIrq(5));
        assertTrue(e.killed());
        assertTrue(k.panicked());
        String log = k.dmesg();
        assertTrue(log.contains("BUG: unable to handle page fault for address: "), log);
        assertTrue(log.contains("Kernel panic - not syncing: Fatal exception in interrupt\n"), log);
        assertFalse(log.contains("note: "), "the kernel panics before any task exits");
    }
}
