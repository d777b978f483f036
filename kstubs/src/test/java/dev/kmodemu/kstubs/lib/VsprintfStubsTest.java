package dev.kmodemu.kstubs.lib;

import dev.kmodemu.firmware.Machine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * {@link VsprintfStubs} called through the CPU. "golden N" marks what the real 6.1 kernel computed
 * in testmods/kmallocstr (expected/default.json, {@code modules[0].insmod_dmesg[N]}); the sscanf
 * expectations follow {@code vsscanf()} in lib/vsprintf.c.
 */
class VsprintfStubsTest {
    static GuestKernel g;

    @BeforeAll
    static void boot() {
        g = new GuestKernel();
    }

    @AfterAll
    static void shutdown() {
        g.close();
    }

    // ---------------------------------------------------------------- printf family

    @Test
    void snprintfGolden() {
        long buf = g.buf(8, 'X');
        // golden 21: snprintf(8, "hello world"): ret=11 buf=[hello w]
        assertEquals(11, g.icall("snprintf", buf, 8, g.str("%s"), g.str("hello world")));
        assertEquals("hello w\0", g.raw(buf, 8));
        // golden 22: snprintf(8, 123): ret=3 buf=[123]
        assertEquals(3, g.icall("snprintf", buf, 8, g.str("%d"), 123));
        assertEquals("123", g.string(buf));
        // golden 23: snprintf(NULL, 0): ret=14
        assertEquals(14, g.icall("snprintf", 0, 0, g.str("%s=%d"), g.str("length"), 1234567));
        // golden 24: scnprintf(8, "hello world"): ret=7 buf=[hello w]
        assertEquals(7, g.icall("scnprintf", buf, 8, g.str("%s"), g.str("hello world")));
        assertEquals("hello w", g.string(buf));
        // golden 25: scnprintf(0): ret=0
        assertEquals(0, g.icall("scnprintf", buf, 0, g.str("%s"), g.str("x")));
        // golden 26: sprintf: ret=13 buf=[sprintf|-1|ff]
        long big = g.buf(64, 'X');
        assertEquals(13, g.icall("sprintf", big, g.str("%s|%d|%x"), g.str("sprintf"), -1, 255));
        assertEquals("sprintf|-1|ff", g.string(big));
    }

    @Test
    void sizesAtTheEdges() {
        long buf = g.buf(4, 'X');
        assertEquals(3, g.icall("snprintf", buf, 1, g.str("abc")));
        assertEquals("\0XXX", g.raw(buf, 4));
        assertEquals(3, g.icall("snprintf", buf, 0, g.str("abc")));
        assertEquals("\0XXX", g.raw(buf, 4));
        assertEquals(0, g.icall("scnprintf", buf, 1, g.str("abc")));
        assertEquals(2, g.icall("scnprintf", buf, 3, g.str("abc")));
        assertEquals("ab\0X", g.raw(buf, 4));
        // size > INT_MAX: WARN_ON_ONCE and 0, nothing stored
        assertEquals(0, g.icall("snprintf", buf, 1L << 31, g.str("zz")));
        assertEquals("ab\0X", g.raw(buf, 4));
        // more than six arguments: the rest come from the stack
        long big = g.buf(64, 0);
        assertEquals(13, g.icall("sprintf", big, g.str("%d%d%d%d%d%d%d%d%s"), 1, 2, 3, 4, 5, 6, 7, 8,
                g.str("tail!")));
        assertEquals("12345678tail!", g.string(big));
    }

    @Test
    void vaListVariants() {
        long buf = g.buf(16, 'X');
        assertEquals(9, g.icall("vsnprintf", buf, 6, g.str("%s-%d"), g.vaList(g.str("abc"), 12345)));
        assertEquals("abc-1\0", g.raw(buf, 6));
        assertEquals(5, g.icall("vscnprintf", buf, 6, g.str("%s-%d"), g.vaList(g.str("abc"), 12345)));
        assertEquals(9, g.icall("vsprintf", buf, g.str("%s-%d"), g.vaList(g.str("abc"), 12345)));
        assertEquals("abc-12345", g.string(buf));
        // the va_list advances as va_arg does
        long ap = g.vaList(7, 8);
        g.icall("vsnprintf", buf, 16, g.str("%d"), ap);
        assertEquals(8, g.c.mem().read64(g.c.mem().read64(ap + 8)));
    }

    @Test
    void kasprintfGolden() {
        // golden 18: kasprintf: [kasprintf-42-0beef] len=18
        long p = g.call("kasprintf", 0xcc0, g.str("%s-%d-%05x"), g.str("kasprintf"), 42, 0xbeef);
        assertEquals("kasprintf-42-0beef", g.string(p));
        assertEquals(32, g.c.slab().ksize(p));
        long q = g.call("kvasprintf", 0xcc0, g.str("<%s>"), g.vaList(g.str("v")));
        assertEquals("<v>", g.string(q));
        assertEquals(8, g.c.slab().ksize(q));
    }

    @Test
    void kvasprintfConstDuplicatesOrKeepsRodata() {
        long fmt = g.str("no conversions");
        long p = g.call("kvasprintf_const", 0xcc0, fmt, g.vaList());
        assertNotEquals(fmt, p);
        assertEquals("no conversions", g.string(p));
        // "%s" of a string in the kernel's rodata: that string itself
        long rodata = g.c.sym("hex_asc");
        assertEquals(rodata, g.call("kvasprintf_const", 0xcc0, g.str("%s"), g.vaList(rodata)));
        assertEquals(true, Long.compareUnsigned(rodata, Machine.RODATA) >= 0);
        long s = g.str("module string");
        long d = g.call("kvasprintf_const", 0xcc0, g.str("%s"), g.vaList(s));
        assertNotEquals(s, d);
        assertEquals("module string", g.string(d));
        assertEquals("x=5", g.string(g.call("kvasprintf_const", 0xcc0, g.str("x=%d"), g.vaList(5))));
    }

    // ---------------------------------------------------------------- sscanf

    private int sscanf(String in, String fmt, long... ptrs) {
        return g.icall("sscanf", concat(g.str(in), g.str(fmt), ptrs));
    }

    private static long[] concat(long a, long b, long[] rest) {
        long[] all = new long[rest.length + 2];
        all[0] = a;
        all[1] = b;
        System.arraycopy(rest, 0, all, 2, rest.length);
        return all;
    }

    private long slot() {
        return g.longs(0x1111111111111111L);
    }

    private static int i32(long p) {
        return g.c.mem().read32(p);
    }

    @Test
    void sscanfBasicConversions() {
        long i = slot();
        long s = g.buf(16, 'X');
        long x = slot();
        assertEquals(3, sscanf("12 abc 0x1f", "%d %s %x", i, s, x));
        assertEquals(12, i32(i));
        assertEquals("abc", g.string(s));
        assertEquals(31, i32(x));
        // int conversions store 4 bytes
        assertEquals(0x11111111, g.c.mem().read32(i + 4));
        long u = slot();
        assertEquals(1, sscanf("  4294967295", "%u", u));
        assertEquals(-1, i32(u));
        long o = slot();
        assertEquals(1, sscanf("777", "%o", o));
        assertEquals(511, i32(o));
        assertEquals(0, sscanf("8", "%o", o));
        assertEquals(1, sscanf("-17", "%d", i));
        assertEquals(-17, i32(i));
    }

    @Test
    void sscanfBaseDetection() {
        long v = slot();
        assertEquals(1, sscanf("0x10", "%i", v));
        assertEquals(16, i32(v));
        assertEquals(1, sscanf("010", "%i", v));
        assertEquals(8, i32(v));
        assertEquals(1, sscanf("-5", "%i", v));
        assertEquals(-5, i32(v));
        // %i needs a decimal digit first: "x" and "-x" stop it
        assertEquals(0, sscanf("ab", "%i", v));
        // %u does not take a sign
        assertEquals(0, sscanf("-5", "%u", v));
        assertEquals(1, sscanf("ff", "%x", v));
        assertEquals(255, i32(v));
    }

    @Test
    void sscanfWidths() {
        long a = slot();
        long b = slot();
        assertEquals(2, sscanf("12345", "%2d%3d", a, b));
        assertEquals(12, i32(a));
        assertEquals(345, i32(b));
        long s = g.buf(16, 'X');
        assertEquals(1, sscanf("abcdef", "%3s", s));
        assertEquals("abc", g.string(s));
        // "-" with a width of 1 cannot be a number
        assertEquals(0, sscanf("-5", "%1d", a));
        assertEquals(1, sscanf("-56", "%2d", a));
        assertEquals(-5, i32(a));
        // a width of 0 ends the scan
        assertEquals(0, sscanf("5", "%0d", a));
        // the prefix counts against the width: "0x" alone converts nothing but is consumed
        assertEquals(2, sscanf("0x1f", "%2x%x", a, b));
        assertEquals(0, i32(a));
        assertEquals(0x1f, i32(b));
    }

    @Test
    void sscanfQualifiers() {
        long v = g.longs(-1L);
        assertEquals(1, sscanf("300", "%hhu", v));
        assertEquals(44, g.c.mem().read8(v) & 0xff);
        assertEquals(-1, g.c.mem().read8(v + 1));
        v = g.longs(-1L);
        assertEquals(1, sscanf("-2", "%hd", v));
        assertEquals(-2, g.c.mem().read16(v));
        assertEquals(-1, g.c.mem().read16(v + 2));
        v = g.longs(0);
        assertEquals(1, sscanf("-9000000000", "%ld", v));
        assertEquals(-9000000000L, g.c.mem().read64(v));
        assertEquals(1, sscanf("ffffffffffffffff", "%llx", v));
        assertEquals(-1L, g.c.mem().read64(v));
        assertEquals(1, sscanf("123456789012", "%Lu", v));
        assertEquals(123456789012L, g.c.mem().read64(v));
        assertEquals(1, sscanf("4096", "%zu", v));
        assertEquals(4096, g.c.mem().read64(v));
        // "LL" is not a qualifier: the second L is an invalid conversion
        assertEquals(0, sscanf("1", "%LLd", v));
    }

    @Test
    void sscanfCharsAndSets() {
        long c1 = g.buf(4, 'X');
        long c2 = g.buf(4, 'X');
        assertEquals(2, sscanf("abc", "%c%2c", c1, c2));
        assertEquals("aXXX", g.raw(c1, 4));
        // %c does not terminate
        assertEquals("bcXX", g.raw(c2, 4));
        long b1 = g.buf(8, 'X');
        long b2 = g.buf(8, 'X');
        long b3 = g.buf(8, 'X');
        assertEquals(3, sscanf("00:0a:95", "%2[^:]:%2[^:]:%2[^:]", b1, b2, b3));
        assertEquals("00", g.string(b1));
        assertEquals("0a", g.string(b2));
        assertEquals("95", g.string(b3));
        assertEquals(1, sscanf("aabbcc", "%9[ab]", b1));
        assertEquals("aabb", g.string(b1));
        // a width is required, a set must be non-empty and match at least one byte
        assertEquals(0, sscanf("abc", "%[abc]", b1));
        assertEquals(0, sscanf("abc", "%5[]abc]", b1));
        assertEquals(0, sscanf("xyz", "%5[abc]", b1));
    }

    @Test
    void sscanfLiteralsSkipsAndCounts() {
        long d = slot();
        long n = slot();
        long s = g.buf(16, 'X');
        assertEquals(2, sscanf("abc 12", "%s %d%n", s, d, n));
        assertEquals(6, i32(n));
        assertEquals(0, sscanf("a=5", "b=%d", d));
        assertEquals(0, sscanf("a = 5", "a=%d", d));
        assertEquals(1, sscanf("a = 5", "a = %d", d));
        assertEquals(5, i32(d));
        // white space in the format matches none too
        assertEquals(1, sscanf("a=6", "a = %d", d));
        assertEquals(6, i32(d));
        assertEquals(1, sscanf("skip 7", "%*s %d", d));
        assertEquals(7, i32(d));
        assertEquals(1, sscanf("50%", "%d%%", d));
        assertEquals(50, i32(d));
        assertEquals(0, sscanf("", "%d", d));
        // %n needs no input left
        assertEquals(1, sscanf("9", "%d%n", d, n));
        assertEquals(1, i32(n));
        // %s after only white space stores an empty string and counts
        assertEquals(1, sscanf("  ", "%s", s));
        assertEquals("", g.string(s));
    }

    @Test
    void vsscanfWithAGuestVaList() {
        long a = slot();
        long b = slot();
        assertEquals(2, g.icall("vsscanf", g.str("7,8"), g.str("%d,%d"), g.vaList(a, b)));
        assertEquals(7, i32(a));
        assertEquals(8, i32(b));
    }
}
