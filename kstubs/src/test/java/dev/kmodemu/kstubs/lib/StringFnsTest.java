package dev.kmodemu.kstubs.lib;

import dev.kmodemu.firmware.GuestFault;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.printk.KernelLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link StringFns} called through the CPU. Expectations marked "golden N" are what the real 6.1
 * kernel computed in testmods/kmallocstr (expected/default.json, {@code modules[0].insmod_dmesg[N]},
 * calls from kmallocstr.c's {@code test_string()}); the others follow lib/string.c,
 * lib/string_helpers.c and arch/x86/lib line by line.
 */
class StringFnsTest {
    static GuestKernel g;

    @BeforeAll
    static void boot() {
        g = new GuestKernel();
    }

    @AfterAll
    static void shutdown() {
        g.close();
    }

    // ---------------------------------------------------------------- strscpy and friends

    @Test
    void strscpyGolden() {
        long buf = g.buf(8, 'X');
        // golden 27: strscpy(8, "short"): ret=5 buf=[short]
        assertEquals(5, g.call("strscpy", buf, g.str("short"), 8));
        assertEquals("short", g.string(buf));
        // golden 28: strscpy(8, "hello world"): ret=-7 buf=[hello w]
        assertEquals(-Errno.E2BIG, g.call("strscpy", buf, g.str("hello world"), 8));
        assertEquals("hello w", g.string(buf));
        // golden 29: strscpy(8, "1234567"): ret=7 buf=[1234567]
        assertEquals(7, g.call("strscpy", buf, g.str("1234567"), 8));
        assertEquals("1234567", g.string(buf));
    }

    @Test
    void strscpyCopiesWordsAndClearsTheRestOfTheWordHoldingTheNul() {
        long buf = g.buf(16, 'X');
        assertEquals(2, g.call("strscpy", buf, g.str("ab"), 16));
        // word-at-a-time: "ab\0" plus five cleared bytes, the second word untouched
        assertEquals("ab\0\0\0\0\0\0XXXXXXXX", g.raw(buf, 16));
        buf = g.buf(16, 'X');
        assertEquals(2, g.call("strscpy", buf, g.str("ab"), 7));
        // fewer than 8 bytes: byte by byte, only the NUL is stored
        assertEquals("ab\0XXXXXXXXXXXXX", g.raw(buf, 16));
    }

    @Test
    void strscpyTruncationAndZeroSize() {
        long buf = g.buf(16, 'X');
        assertEquals(-Errno.E2BIG, g.call("strscpy", buf, g.str("hello world"), 10));
        assertEquals("hello wor\0XXXXXX", g.raw(buf, 16));
        assertEquals(8, g.call("strscpy", buf, g.str("realloc!"), 10));
        assertEquals("realloc!", g.string(buf));
        buf = g.buf(4, 'X');
        assertEquals(-Errno.E2BIG, g.call("strscpy", buf, g.str("abc"), 0));
        assertEquals("XXXX", g.raw(buf, 4));
        assertEquals(-Errno.E2BIG, g.call("strscpy", buf, g.str("abc"), 1L << 31));
        assertEquals(-Errno.E2BIG, g.call("strscpy", buf, g.str("a"), 1));
        assertEquals("\0XXX", g.raw(buf, 4));
    }

    @Test
    void strscpyPad() {
        long buf = g.buf(12, 'X');
        assertEquals(3, g.call("strscpy_pad", buf, g.str("abc"), 12));
        assertEquals("abc\0\0\0\0\0\0\0\0\0", g.raw(buf, 12));
        buf = g.buf(6, 'X');
        assertEquals(-Errno.E2BIG, g.call("strscpy_pad", buf, g.str("abcdefg"), 5));
        assertEquals("abcd\0X", g.raw(buf, 6));
    }

    @Test
    void strlcpyReturnsTheSourceLength() {
        long buf = g.buf(8, 'X');
        assertEquals(11, g.call("strlcpy", buf, g.str("hello world"), 5));
        assertEquals("hell\0XXX", g.raw(buf, 8));
        assertEquals(3, g.call("strlcpy", buf, g.str("abc"), 8));
        assertEquals("abc\0\0XXX", g.raw(buf, 8));
        buf = g.buf(4, 'X');
        assertEquals(3, g.call("strlcpy", buf, g.str("abc"), 0));
        assertEquals("XXXX", g.raw(buf, 4));
    }

    @Test
    void strncpyPadsButDoesNotTerminate() {
        long buf = g.buf(8, 'X');
        assertEquals(buf, g.call("strncpy", buf, g.str("ab"), 6));
        assertEquals("ab\0\0\0\0XX", g.raw(buf, 8));
        buf = g.buf(8, 'X');
        g.call("strncpy", buf, g.str("abcdefgh"), 4);
        assertEquals("abcdXXXX", g.raw(buf, 8));
    }

    @Test
    void strcpyStpcpyStrcat() {
        long buf = g.buf(16, 'X');
        assertEquals(buf, g.call("strcpy", buf, g.str("abc")));
        assertEquals("abc\0X", g.raw(buf, 5));
        assertEquals(buf + 3, g.call("stpcpy", buf, g.str("xyz")));
        assertEquals(buf, g.call("strcat", buf, g.str("12")));
        assertEquals("xyz12\0X", g.raw(buf, 7));
    }

    @Test
    void strncatCopiesAtMostCountBytesThenANul() {
        long buf = g.buf(16, 'X');
        g.call("strcpy", buf, g.str("ab"));
        assertEquals(buf, g.call("strncat", buf, g.str("cdef"), 2));
        assertEquals("abcd\0X", g.raw(buf, 6));
        g.call("strncat", buf, g.str("e"), 5);
        assertEquals("abcde\0X", g.raw(buf, 7));
        g.call("strncat", buf, g.str("zzz"), 0);
        assertEquals("abcde\0X", g.raw(buf, 7));
    }

    @Test
    void strlcat() {
        long buf = g.buf(8, 'X');
        g.call("strcpy", buf, g.str("abc"));
        assertEquals(9, g.call("strlcat", buf, g.str("defghi"), 8));
        assertEquals("abcdefg\0", g.raw(buf, 8));
        buf = g.buf(8, 'X');
        g.call("strcpy", buf, g.str("ab"));
        assertEquals(4, g.call("strlcat", buf, g.str("cd"), 8));
        assertEquals("abcd\0", g.raw(buf, 5));
    }

    @Test
    void strlcatBugsWhenTheDestinationIsAlreadyFull() {
        try (GuestKernel k = new GuestKernel()) {
            long buf = k.buf(8, 'X');
            k.call("strcpy", buf, k.str("abcd"));
            long seq = k.logSeq();
            GuestFault f = assertThrows(GuestFault.class, () -> k.call("strlcat", buf, k.str("x"), 4));
            assertEquals(GuestFault.Kind.INVALID_OPCODE, f.kind());
            assertEquals("strlcat", f.stub());
            List<KernelLog.Record> log = k.logSince(seq);
            assertEquals("------------[ cut here ]------------", log.get(0).message());
            assertEquals(2, log.get(1).level());
            assertEquals("kernel BUG at lib/string.c:337!", log.get(1).message());
        }
    }

    @Test
    void memcpyAndPad() {
        long buf = g.buf(8, 'X');
        g.call("memcpy_and_pad", buf, 6, g.str("abc"), 3, '-');
        assertEquals("abc---XX", g.raw(buf, 8));
        g.call("memcpy_and_pad", buf, 2, g.str("xyz"), 3, '-');
        assertEquals("xyc---XX", g.raw(buf, 8));
    }

    // ---------------------------------------------------------------- memcpy, memmove, memset

    @Test
    void memFunctionsGolden() {
        long mv = g.buf(16, 'Q');
        assertEquals(mv, g.call("memset", mv, 0, 16));
        g.call("memset", mv, 'x', 5);
        // golden 37: memset: [xxxxx]
        assertEquals("xxxxx", g.string(mv));
        assertEquals(mv, g.call("memcpy", mv, g.str("abcdefgh"), 9));
        // golden 38: memcpy: [abcdefgh]
        assertEquals("abcdefgh", g.string(mv));
        assertEquals(mv + 2, g.call("memmove", mv + 2, mv, 6));
        // golden 39: memmove(+2): [ababcdef]
        assertEquals("ababcdef", g.string(mv));
        g.call("memmove", mv, mv + 3, 6);
        // golden 40: memmove(-3): [bcdef]
        assertEquals("bcdef", g.string(mv));
    }

    @Test
    void underscoreAliasesAndLargeSizes() {
        int n = 3 * 4096 + 123;
        long a = g.c.slab().kmalloc(n, 0);
        long b = g.c.slab().kmalloc(n, 0);
        assertEquals(a, g.call("__memset", a, 0x5a, n));
        assertEquals(b, g.call("__memcpy", b, a, n));
        assertEquals(0, g.icall("memcmp", a, b, n));
        g.c.mem().write8(b + n - 1, 0x5b);
        assertEquals(-1, g.icall("memcmp", a, b, n));
        assertEquals(b + n - 1, g.call("memchr_inv", b, 0x5a, n));
        assertEquals(0, g.call("memchr_inv", a, 0x15a, n));
        assertEquals(b + 1, g.call("__memmove", b + 1, b, 4));
        assertEquals(a, g.call("memset", a, 1, 0));
        assertEquals(0x5a, g.c.mem().read8(a));
    }

    // ---------------------------------------------------------------- comparisons

    @Test
    void comparisonsGolden() {
        long abc = g.str("abc");
        long abd = g.str("abd");
        long ab = g.str("ab");
        long az = g.str("az");
        // golden 31: strcmp(abc,abd)=-1 strcmp(abd,abc)=1 strcmp(abc,abc)=0 strcmp(ab,abc)=-1
        assertEquals(-1, g.icall("strcmp", abc, abd));
        assertEquals(1, g.icall("strcmp", abd, abc));
        assertEquals(0, g.icall("strcmp", abc, abc));
        assertEquals(-1, g.icall("strcmp", ab, abc));
        // golden 32: strncmp(abc,abd,2)=0 strncmp(abc,abd,3)=-1
        assertEquals(0, g.icall("strncmp", abc, abd, 2));
        assertEquals(-1, g.icall("strncmp", abc, abd, 3));
        // golden 33: memcmp(abc,abd,3)=-1 memcmp(abd,abc,3)=1 memcmp(abc,abc,3)=0
        assertEquals(-1, g.icall("memcmp", abc, abd, 3));
        assertEquals(1, g.icall("memcmp", abd, abc, 3));
        assertEquals(0, g.icall("memcmp", abc, abc, 3));
        // golden 34: strcmp(ab,az)=-1 strncmp(az,ab,2)=1 memcmp(ab,az,2)=-24 memcmp(az,ab,2)=24
        assertEquals(-1, g.icall("strcmp", ab, az));
        assertEquals(1, g.icall("strncmp", az, ab, 2));
        assertEquals(-24, g.icall("memcmp", ab, az, 2));
        assertEquals(24, g.icall("memcmp", az, ab, 2));
    }

    @Test
    void comparisonsAreUnsigned() {
        assertEquals(1, g.icall("strcmp", g.str("\u00ff"), g.str("a")));
        assertEquals(0xff - 'a', g.icall("memcmp", g.str("\u00ff"), g.str("a"), 1));
        assertEquals(0, g.icall("strncmp", g.str("abc"), g.str("xyz"), 0));
        assertEquals(0, g.icall("memcmp", 0, 0, 0));
        assertEquals(0xff - 'a', g.icall("bcmp", g.str("\u00ff"), g.str("a"), 1));
    }

    @Test
    void caseInsensitiveComparisonsReturnByteDifferences() {
        assertEquals(0, g.icall("strcasecmp", g.str("Hello"), g.str("hELLO")));
        assertEquals('c' - 'd', g.icall("strcasecmp", g.str("ABC"), g.str("abd")));
        assertEquals('a', g.icall("strcasecmp", g.str("a"), g.str("")));
        // tolower() knows Latin-1: 0xc0 and 0xe0 are the same letter
        assertEquals(0, g.icall("strcasecmp", g.str("\u00c0"), g.str("\u00e0")));
        assertEquals(0, g.icall("strncasecmp", g.str("abc"), g.str("ABD"), 2));
        assertEquals('c' - 'd', g.icall("strncasecmp", g.str("abc"), g.str("ABD"), 3));
        // a NUL ends the comparison with the raw (not lowered) bytes
        assertEquals(-'D', g.icall("strncasecmp", g.str("abc"), g.str("ABCD"), 10));
        assertEquals(0, g.icall("strncasecmp", g.str("a"), g.str("b"), 0));
    }

    @Test
    void sysfsStreq() {
        assertEquals(1, g.call("sysfs_streq", g.str("abc"), g.str("abc\n")) & 0xff);
        assertEquals(1, g.call("sysfs_streq", g.str("abc\n"), g.str("abc")) & 0xff);
        assertEquals(1, g.call("sysfs_streq", g.str("abc\n"), g.str("abc\n")) & 0xff);
        assertEquals(0, g.call("sysfs_streq", g.str("abc"), g.str("abcd")) & 0xff);
        assertEquals(0, g.call("sysfs_streq", g.str("abc\n\n"), g.str("abc")) & 0xff);
        assertEquals(1, g.call("sysfs_streq", g.str(""), g.str("\n")) & 0xff);
    }

    @Test
    void matchString() {
        long arr = g.longs(g.str("off"), g.str("on"), g.str("auto"), 0, g.str("never"));
        assertEquals(1, g.icall("match_string", arr, -1, g.str("on")));
        assertEquals(-Errno.EINVAL, g.icall("match_string", arr, -1, g.str("on\n")));
        assertEquals(1, g.icall("__sysfs_match_string", arr, -1, g.str("on\n")));
        // the search ends at n or at the first NULL entry
        assertEquals(-Errno.EINVAL, g.icall("match_string", arr, 2, g.str("auto")));
        assertEquals(-Errno.EINVAL, g.icall("match_string", arr, 5, g.str("never")));
    }

    // ---------------------------------------------------------------- searching

    @Test
    void searchingGolden() {
        long h = g.str("hello world");
        // golden 30: strlen=11 strnlen(5)=5 strnlen(50)=11
        assertEquals(11, g.call("strlen", h));
        assertEquals(5, g.call("strnlen", h, 5));
        assertEquals(11, g.call("strnlen", h, 50));
        // golden 35: memchr('o')=4 memchr('z')=-1 strchr('o')=4 strrchr('o')=7 strchr('\0')=11
        assertEquals(h + 4, g.call("memchr", h, 'o', 11));
        assertEquals(0, g.call("memchr", h, 'z', 11));
        assertEquals(h + 4, g.call("strchr", h, 'o'));
        assertEquals(h + 7, g.call("strrchr", h, 'o'));
        assertEquals(h + 11, g.call("strchr", h, 0));
        // golden 36: strstr("wor")=6 strstr("xyz")=-1 strstr("")=0 strrchr(path,'/')+1=[tool]
        assertEquals(h + 6, g.call("strstr", h, g.str("wor")));
        assertEquals(0, g.call("strstr", h, g.str("xyz")));
        assertEquals(h, g.call("strstr", h, g.str("")));
        assertEquals("tool", g.string(g.call("strrchr", g.str("/usr/local/bin/tool"), '/') + 1));
    }

    @Test
    void characterSearches() {
        long s = g.str("abcabc");
        assertEquals(s, g.call("strchr", s, 0x100 + 'a'));
        assertEquals(0, g.call("strchr", s, 'z'));
        assertEquals(s + 6, g.call("strchrnul", s, 'z'));
        assertEquals(s + 2, g.call("strchrnul", s, 'c'));
        assertEquals(s + 6, g.call("strrchr", s, 0));
        assertEquals(0, g.call("strrchr", s, 'z'));
        assertEquals(s + 2, g.call("strnchr", s, 3, 'c'));
        assertEquals(0, g.call("strnchr", s, 2, 'c'));
        assertEquals(s + 6, g.call("strnchr", s, 10, 0));
        assertEquals(0, g.call("strnchr", s, 10, 'z'));
        assertEquals(s + 1, g.call("memscan", s, 'b', 6));
        assertEquals(s + 4, g.call("memscan", s, 'z', 4));
        assertEquals(0, g.call("memchr", s, 'a', 0));
        assertEquals(s + 3, g.call("memchr", s + 1, 0x100 + 'a', 5));
    }

    @Test
    void strnstrComparesOnlyWithinLen() {
        long h = g.str("hello world");
        assertEquals(0, g.call("strnstr", h, g.str("wor"), 8));
        assertEquals(h + 6, g.call("strnstr", h, g.str("wor"), 9));
        assertEquals(h, g.call("strnstr", h, g.str(""), 0));
        assertEquals(0, g.call("strnstr", h, g.str("hello"), 4));
    }

    @Test
    void spansAndBreaks() {
        long s = g.str("aabbcxd");
        assertEquals(4, g.call("strspn", s, g.str("ab")));
        assertEquals(0, g.call("strspn", s, g.str("")));
        assertEquals(4, g.call("strcspn", s, g.str("xc")));
        assertEquals(7, g.call("strcspn", s, g.str("")));
        assertEquals(s + 4, g.call("strpbrk", s, g.str("xc")));
        assertEquals(0, g.call("strpbrk", s, g.str("yz")));
        // an empty string never reads the set
        assertEquals(0, g.call("strspn", g.str(""), 0));
    }

    @Test
    void strsepReturnsEmptyTokens() {
        long s = g.str("a,,b;c");
        long sp = g.longs(s);
        assertEquals(s, g.call("strsep", sp, g.str(",;")));
        assertEquals("a", g.string(s));
        assertEquals(s + 2, g.c.mem().read64(sp));
        assertEquals(s + 2, g.call("strsep", sp, g.str(",;")));
        assertEquals("", g.string(s + 2));
        assertEquals(s + 3, g.call("strsep", sp, g.str(",;")));
        assertEquals("b", g.string(s + 3));
        assertEquals(s + 5, g.call("strsep", sp, g.str(",;")));
        assertEquals(0, g.c.mem().read64(sp));
        assertEquals(0, g.call("strsep", sp, g.str(",;")));
    }

    // ---------------------------------------------------------------- string_helpers.c

    @Test
    void skipSpacesAndStrim() {
        long s = g.str(" \t\n\u00a0x y");
        assertEquals(s + 4, g.call("skip_spaces", s));
        long t = g.str("  hi there \n\t");
        assertEquals(t + 2, g.call("strim", t));
        assertEquals("hi there", g.string(t + 2));
        long blank = g.str("   ");
        assertEquals(blank, g.call("strim", blank));
        assertEquals("", g.string(blank));
        long empty = g.str("");
        assertEquals(empty, g.call("strim", empty));
    }

    @Test
    void strreplaceReturnsTheEnd() {
        long s = g.str("a-b-c");
        assertEquals(s + 5, g.call("strreplace", s, '-', '_'));
        assertEquals("a_b_c", g.string(s));
    }

    @Test
    void fortifyPanic() {
        try (GuestKernel k = new GuestKernel()) {
            long seq = k.logSeq();
            GuestFault f = assertThrows(GuestFault.class, () -> k.call("fortify_panic", k.str("strcpy")));
            assertEquals("kernel BUG at lib/string_helpers.c:1027", f.getMessage());
            List<KernelLog.Record> log = k.logSince(seq);
            assertEquals(0, log.get(0).level());
            assertEquals("detected buffer overflow in strcpy", log.get(0).message());
            assertEquals("kernel BUG at lib/string_helpers.c:1027!", log.get(2).message());
        }
    }

    @Test
    void placeholdersDoNothing() {
        g.call("__read_overflow2_field", 1, 2);
        g.call("__write_overflow_field", 1, 2);
    }

    // ---------------------------------------------------------------- faults

    @Test
    void badPointersFaultInTheFunction() {
        try (GuestKernel k = new GuestKernel()) {
            GuestFault f = assertThrows(GuestFault.class, () -> k.call("strlen", 0));
            assertEquals(GuestFault.Kind.PAGE_FAULT, f.kind());
            assertEquals(0, f.address());
            assertThrows(GuestFault.class, () -> k.call("memset", 0x1000, 0, 8));
            // nothing is read when there is nothing to compare
            assertEquals(0, k.call("memcpy", 0, 0, 0));
        }
    }
}
