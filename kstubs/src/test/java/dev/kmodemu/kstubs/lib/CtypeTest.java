package dev.kmodemu.kstubs.lib;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Ctype}: the {@code _ctype[]} table of lib/ctype.c in kernel rodata, and the macros. */
class CtypeTest {
    @Test
    void ctypeIsInKernelRodata() {
        try (GuestKernel g = new GuestKernel()) {
            long at = g.c.sym("_ctype");
            byte[] t = g.c.mem().read(at, 256);
            assertArrayEquals(Ctype.table(), t);
            assertTrue(dev.kmodemu.kstubs.mm.Util.isKernelRodata(at));
        }
    }

    @Test
    void tableEntries() {
        byte[] t = Ctype.table();
        assertEquals(Ctype.C, t[0]);
        assertEquals(Ctype.C | Ctype.S, t['\t']);
        assertEquals(Ctype.C | Ctype.S, t[0x0d]);
        assertEquals(Ctype.S | Ctype.SP, t[' '] & 0xff);
        assertEquals(Ctype.D, t['7']);
        assertEquals(Ctype.U | Ctype.X, t['F']);
        assertEquals(Ctype.U, t['G']);
        assertEquals(Ctype.L | Ctype.X, t['a']);
        assertEquals(Ctype.P, t['~']);
        assertEquals(Ctype.C, t[0x7f]);
        assertEquals(0, t[0x80]);
        assertEquals(Ctype.S | Ctype.SP, t[0xa0] & 0xff);
        assertEquals(Ctype.U, t[0xc0]);
        assertEquals(Ctype.P, t[0xd7]);
        assertEquals(Ctype.L, t[0xdf]);
        assertEquals(Ctype.P, t[0xf7]);
        assertEquals(Ctype.L, t[0xff]);
    }

    @Test
    void macros() {
        assertFalse(Ctype.isspace(0));
        assertTrue(Ctype.isspace(0xa0));
        assertTrue(Ctype.isspace((byte) 0xa0));
        assertEquals('a', Ctype.tolower('A'));
        assertEquals(0xe0, Ctype.tolower(0xc0));
        assertEquals(0xd7, Ctype.tolower(0xd7));
        assertEquals(0xdf, Ctype.toupper(0xff));
        assertTrue(Ctype.isprint(' '));
        assertFalse(Ctype.isgraph(' '));
        assertTrue(Ctype.isxdigit('f'));
        assertFalse(Ctype.isxdigit('g'));
        assertFalse(Ctype.isdigit(0xb2));
    }
}
