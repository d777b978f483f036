package dev.kmodemu.cli;

import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kmodemu symbols}: what serves each kernel symbol, and a module's imports. */
class SymbolsTest {
    @Test
    void listsHowEachSymbolIsServed() {
        CliTest.Run r = CliTest.kmodemu("symbols", "static_key_*able", "__SCT__cond_resched", "jiffies_64",
                "current_task", "do_one_initcall", "__x86_return_thunk", "freezer_active");
        assertEquals(0, r.status(), r.err());
        String out = r.out();
        assertTrue(out.startsWith("ADDRESS          HOW        EXPORT            SECTION       SYMBOL"), out);
        assertTrue(out.matches("(?s).*\\n[0-9a-f]{16} java       EXPORT_SYMBOL_GPL -             static_key_enable  +"
                + "kernel\\.JumpLabel\\.staticKeyEnable\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n[0-9a-f]{16} code       EXPORT_SYMBOL     -             __SCT__cond_resched +-\\n.*"),
                out);
        assertTrue(out.matches("(?s).*\\n[0-9a-f]{16} alias      EXPORT_SYMBOL     -             jiffies_64 +jiffies\\n.*"),
                out);
        assertTrue(out.matches("(?s).*\\n0000000000000038 percpu     EXPORT_SYMBOL     -             current_task +-\\n.*"),
                out);
        assertTrue(out.matches("(?s).*\\n[0-9a-f]{16} frame      -                 -             do_one_initcall +-\\n.*"),
                out);
        assertTrue(out.matches("(?s).*\\n[0-9a-f]{16} data       EXPORT_SYMBOL     data          freezer_active +"
                + "kernel\\.Freezer\\.\\w+\\n.*"), out);
        assertTrue(out.contains("\n8 symbols: 2 java, 2 code, 1 frame, 1 data, 1 percpu, 1 alias\n"
                + "7 of them exported by vmlinux (2 GPL-only): 0.1% of its 10503 exports;"), out);
    }

    @Test
    void summaryCoversTheWholeImage() {
        CliTest.Run r = CliTest.kmodemu("symbols", "--json", "--how", "java");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("\"how\" : \"java\""), r.out());
        assertTrue(r.out().contains("\"vmlinux_exports\" : 10503"), r.out());
        assertTrue(!r.out().contains("\"how\" : \"data\""), "filtered by --how");
    }

    @Test
    void importsOfAModule() {
        CliTest.Run r = CliTest.kmodemu("symbols", "--imports",
                TestMods.path("jumplabel", "jumplabel_user").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().matches("(?s).*\\n  jumplabel_false +missing\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\n  freezer_active +data kernel\\.Freezer\\.\\w+\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\n  _printk +java printk\\.Printk\\.\\w+\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\n  \\d+ imports, \\d+ served, 1 missing .*"), r.out());
        CliTest.Run bad = CliTest.kmodemu("symbols", "--imports", "/nonexistent.ko");
        assertEquals(1, bad.status());
        assertTrue(bad.err().startsWith("kmodemu symbols: /nonexistent.ko: "), bad.err());
    }
}
