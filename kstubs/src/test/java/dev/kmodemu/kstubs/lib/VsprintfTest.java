package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.emu.PageFault;
import dev.kmodemu.emu.PhysicalMemory;
import dev.kmodemu.kstubs.VaList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Vsprintf} against the output of the real 6.1 kernel: the golden lines come from
 * testmods/printkfmt/expected/default.json ({@code modules[0].insmod_dmesg[N]}, cited per test as
 * "golden N"), the format strings and arguments from testmods/printkfmt/printkfmt.c (with the
 * {@code pr_fmt} prefix "printkfmt: " and without the trailing newline, which printk strips). The
 * remaining tests pin corner cases of lib/vsprintf.c, with expectations derived from its code
 * where the kernel differs from ISO C.
 */
class VsprintfTest {
    static final long BASE = 0xffff888000100000L;
    static final long TEXT = 0xffffffffc0a00000L;
    static final long INIT = 0xffffffffc0a10000L;
    static final long DATA = 0xffffffffc0a20000L;
    static final String P = "printkfmt: ";

    PhysicalMemory ram;
    AddressSpace as;
    long brk = BASE;
    final Map<Long, VaList> guestVaLists = new HashMap<>();
    final Env env = new Env();

    /** A fake kernel: this module's three symbols, a fixed "hash", va_lists registered by address. */
    final class Env implements Vsprintf.Env {
        @Override
        public AddressSpace memory() {
            return as;
        }

        @Override
        public String symbolize(long address, boolean withOffset) {
            Object[][] syms = {
                {"printkfmt_helper", TEXT, 0x13L},
                {"printkfmt_init", INIT, 0x1000L},
                {"printkfmt_counter", DATA, 0xffffffffffffe000L},
            };
            for (Object[] s : syms) {
                long start = (Long) s[1];
                long size = (Long) s[2];
                long span = Long.compareUnsigned(size, 0x1000) < 0 ? size : 0x1000;
                if (Long.compareUnsigned(address - start, span) < 0) {
                    if (!withOffset) {
                        return s[0] + " [printkfmt]";
                    }
                    return s[0] + "+0x" + Long.toHexString(address - start) + "/0x" + Long.toHexString(size)
                            + " [printkfmt]";
                }
            }
            return "0x" + Long.toHexString(address);
        }

        @Override
        public long hashPointer(long pointer) {
            return 0x1234567890abcdefL ^ (pointer & 0xff);
        }

        @Override
        public VaList guestVaList(long vaListPointer) {
            VaList v = guestVaLists.get(vaListPointer);
            if (v == null) {
                throw new AssertionError("no va_list at 0x" + Long.toHexString(vaListPointer));
            }
            return v;
        }
    }

    @BeforeEach
    void setUp() {
        ram = new PhysicalMemory(16 << 20);
        as = new AddressSpace(ram);
        as.map(BASE, 0x10000, AddressSpace.RW, "test");
    }

    @AfterEach
    void tearDown() {
        ram.close();
    }

    // ------------------------------------------------------------------ helpers

    /** Copies {@code b} into guest memory (16-byte aligned) and returns its address. */
    long put(byte[] b) {
        long at = brk;
        as.write(at, b);
        brk = (at + b.length + 15) & -16L;
        return at;
    }

    long bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return put(b);
    }

    /** A NUL-terminated string in guest memory. */
    long cstr(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        return put(z);
    }

    long u64(long... v) {
        ByteBuffer bb = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            bb.putLong(x);
        }
        return put(bb.array());
    }

    long u32(int v) {
        return put(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    /** An {@code int} vararg slot: the upper half is garbage, as the ABI allows. */
    static long i32(int v) {
        return 0x5a5a5a5a00000000L | (v & 0xffffffffL);
    }

    static VaList args(long... v) {
        int[] i = {0};
        return () -> {
            if (i[0] >= v.length) {
                throw new NoSuchElementException("vsnprintf read more arguments than given");
            }
            return v[i[0]++];
        };
    }

    String fmt(String format, long... a) {
        byte[] out = Vsprintf.format(env, format.getBytes(StandardCharsets.ISO_8859_1), args(a));
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    // ------------------------------------------------------------------ golden lines: integers

    @Test
    void goldenBasic() {
        // golden 3
        assertEquals("printkfmt: basic: -42|123456789|3000000000|abcdef|ABCDEF|10|Z|str|%",
                fmt(P + "basic: %d|%i|%u|%x|%X|%o|%c|%s|%%", i32(-42), i32(123456789), i32((int) 3000000000L),
                        i32(0xabcdef), i32(0xabcdef), i32(8), i32('Z'), cstr("str")));
    }

    @Test
    void goldenWidth() {
        // golden 4
        assertEquals("printkfmt: width: [   42] [42   ] [00042] [+42] [ 42] [  +42] [+42  |] [12345]",
                fmt(P + "width: [%5d] [%-5d] [%05d] [%+d] [% d] [%+5d] [%-+5d|] [%2d]",
                        i32(42), i32(42), i32(42), i32(42), i32(42), i32(42), i32(42), i32(12345)));
    }

    @Test
    void goldenNegative() {
        // golden 5
        long n = i32(-42);
        assertEquals("printkfmt: neg: [  -42] [-42  ] [-0042] [-42] [-42] [ffffffd6] [4294967254] [37777777726]",
                fmt(P + "neg: [%5d] [%-5d] [%05d] [%+d] [% d] [%x] [%u] [%o]", n, n, n, n, n, n, n, n));
    }

    @Test
    void goldenHash() {
        // golden 6
        assertEquals("printkfmt: hash: [0xff] [0XFF] [010] [0x0000ff] [       010] [0x0] [0]",
                fmt(P + "hash: [%#x] [%#X] [%#o] [%#08x] [%#10o] [%#x] [%#o]",
                        i32(255), i32(255), i32(8), i32(255), i32(8), i32(0), i32(0)));
    }

    @Test
    void goldenPrecision() {
        // golden 7: note %.0d of 0 prints "0" in the kernel (ISO C prints nothing)
        assertEquals("printkfmt: prec: [007] [     007] [007     |] [0] [000ab] [0x000ab]",
                fmt(P + "prec: [%.3d] [%8.3d] [%-8.3d|] [%.0d] [%.5x] [%#.5x]",
                        i32(7), i32(7), i32(7), i32(0), i32(0xab), i32(0xab)));
    }

    @Test
    void goldenStar() {
        // golden 8
        assertEquals("printkfmt: star: [    42] [42    ] [0042] [    0042] [42    ]",
                fmt(P + "star: [%*d] [%-*d] [%.*d] [%*.*d] [%*d]",
                        i32(6), i32(42), i32(6), i32(42), i32(4), i32(42), i32(8), i32(4), i32(42),
                        i32(-6), i32(42)));
    }

    @Test
    void goldenLengthModifiers() {
        // golden 9
        assertEquals("printkfmt: len: hh=44,44,ff h=4464,4464,ffff",
                fmt(P + "len: hh=%hhd,%hhu,%hhx h=%hd,%hu,%hx",
                        i32(300), i32(300), i32(-1), i32(70000), i32(70000), i32(-1)));
        // golden 10
        assertEquals("printkfmt: len: l=-9223372036854775808,9223372036854775808,ffffffffffffffff"
                        + " ll=-9223372036854775808,18446744073709551615,ffffffffffffffff",
                fmt(P + "len: l=%ld,%lu,%lx ll=%lld,%llu,%llx",
                        Long.MIN_VALUE, Long.MIN_VALUE, -1L, Long.MIN_VALUE, -1L, -1L));
        // golden 11
        assertEquals("printkfmt: len: z=4096,-4096,1000 t=-17,ffffffffffffffef",
                fmt(P + "len: z=%zu,%zd,%zx t=%td,%tx", 4096, -4096, 4096, -17, -17));
        // golden 12
        assertEquals("printkfmt: limits: INT_MIN=-2147483648 INT_MAX=2147483647 UINT_MAX=4294967295"
                        + " LONG_MAX=9223372036854775807",
                fmt(P + "limits: INT_MIN=%d INT_MAX=%d UINT_MAX=%u LONG_MAX=%ld",
                        i32(Integer.MIN_VALUE), i32(Integer.MAX_VALUE), i32(-1), Long.MAX_VALUE));
    }

    @Test
    void goldenStringsAndChars() {
        // golden 13
        assertEquals("printkfmt: strings: [(null)] [abc] [left      |] [     right] [] [   xy] [  ab] [ab    |]",
                fmt(P + "strings: [%s] [%.3s] [%-10s|] [%10s] [%.0s] [%5.2s] [%*s] [%-*.*s|]",
                        0L, cstr("abcdef"), cstr("left"), cstr("right"), cstr("gone"), cstr("xyz"),
                        i32(4), cstr("ab"), i32(6), i32(2), cstr("abcdef")));
        // golden 14
        assertEquals("printkfmt: chars: [a] [  b] [c  |] [xyz]",
                fmt(P + "chars: [%c] [%3c] [%-3c|] [%c%c%c]",
                        i32('a'), i32('b'), i32('c'), i32('x'), i32('y'), i32('z')));
    }

    @Test
    void goldenPlainLines() {
        // golden 18, 59
        assertEquals("printkfmt: helper(4)=11", fmt(P + "helper(4)=%d", i32(11)));
        assertEquals("printkfmt: printed once (i=0)", fmt(P + "printed once (i=%d)", i32(0)));
        // golden 48 and 49: the pieces of pr_cont() continuations
        assertEquals("printkfmt: cont: start piece1 piece2=2 end",
                fmt(P + "cont: start") + fmt(" piece1") + fmt(" piece2=%d", i32(2)) + fmt(" end"));
        assertEquals("printkfmt: cont at warn level: 0 1 2",
                fmt(P + "cont at warn level:") + fmt(" %d", 0) + fmt(" %d", 1) + fmt(" %d", 2));
    }

    @Test
    void goldenLongLines() {
        // longbuf: snprintf(longbuf + i, 11, "#%08d|", i) for i = 0, 10, ..., 1190
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i + 10 <= 1200; i += 10) {
            sb.append(fmt("#%08d|", i32(i)));
        }
        String longbuf = sb.toString();
        assertEquals("#00000960|", longbuf.substring(960, 970));
        // golden 66: printk(KERN_INFO "%s", longbuf) with longbuf[970] = '\0'
        String s970 = longbuf.substring(0, 970);
        long buf = cstr(s970);
        assertEquals(970, fmt("%s", buf).length());
        assertTrue(fmt("%s", buf).endsWith("|#00000960|"));
        // golden 64: printk cuts the 990-byte record to 989 characters; vsnprintf returns all of it
        String line = fmt(P + "long970: %s", buf);
        assertEquals(P.length() + 9 + 970, line.length());
        assertTrue(line.startsWith(P + "long970: #00000000|#00000010|"));
        assertTrue(line.endsWith("|#00000950|#00000960|"));
    }

    // ------------------------------------------------------------------ golden lines: %p extensions

    @Test
    void goldenSymbols() {
        // golden 2
        assertEquals("printkfmt: init: printkfmt_init+0x0/0x1000 [printkfmt] | printkfmt_init [printkfmt]",
                fmt(P + "init: %pS | %ps", INIT, INIT));
        // golden 15
        assertEquals("printkfmt: symbols: printkfmt_helper+0x0/0x13 [printkfmt] | printkfmt_helper [printkfmt]"
                        + " | printkfmt_helper+0x0/0x13 [printkfmt]",
                fmt(P + "symbols: %pS | %ps | %pSR", TEXT, TEXT, TEXT));
        // golden 16: %pB looks up address - 1 and adds the 1 back to the offset
        assertEquals("printkfmt: symbols: printkfmt_helper+0x3/0x13 [printkfmt] | printkfmt_helper+0x5/0x13"
                        + " [printkfmt] | printkfmt_helper [printkfmt]",
                fmt(P + "symbols: %pS | %pB | %ps", TEXT + 3, TEXT + 5, TEXT + 3));
        // golden 17
        assertEquals("printkfmt: data symbol: printkfmt_counter+0x0/0xffffffffffffe000 [printkfmt]"
                        + " | printkfmt_counter [printkfmt]",
                fmt(P + "data symbol: %pS | %ps", DATA, DATA));
    }

    @Test
    void goldenMacAndIp() {
        long mac = bytes(0x00, 0x1b, 0x21, 0x3c, 0x4d, 0x5e);
        long ip4 = bytes(192, 168, 1, 10);
        long ip4host = u32(0xc0a8010a);
        long ip6 = bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01);
        long ip6map = bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1);
        // golden 19
        assertEquals("printkfmt: mac: 00:1b:21:3c:4d:5e | 5e:4d:3c:21:1b:00 | 001b213c4d5e | 5e4d3c211b00"
                        + " | 00-1b-21-3c-4d-5e",
                fmt(P + "mac: %pM | %pMR | %pm | %pmR | %pMF", mac, mac, mac, mac, mac));
        // golden 20
        assertEquals("printkfmt: ip4: 192.168.1.10 | 192.168.001.010 | 192.168.1.10 | 192.168.1.10"
                        + " | 192.168.1.10 | 10.1.168.192",
                fmt(P + "ip4: %pI4 | %pi4 | %pI4h | %pI4n | %pI4b | %pI4l", ip4, ip4, ip4host, ip4, ip4, ip4));
        // golden 21
        assertEquals("printkfmt: ip6: 2001:0db8:0000:0000:0000:0000:0000:0001 | 2001:db8::1"
                        + " | 20010db8000000000000000000000001",
                fmt(P + "ip6: %pI6 | %pI6c | %pi6", ip6, ip6, ip6));
        // golden 22
        assertEquals("printkfmt: ip6 mapped: 0000:0000:0000:0000:0000:ffff:0a00:0001 | ::ffff:10.0.0.1",
                fmt(P + "ip6 mapped: %pI6 | %pI6c", ip6map, ip6map));
        // golden 23: sockaddr_in {AF_INET, htons(8080), 10.0.0.1}, sockaddr_in6 {AF_INET6, htons(443), ip6}
        long sin = bytes(2, 0, 0x1f, 0x90, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0);
        long sin6 = bytes(10, 0, 0x01, 0xbb, 0, 0, 0, 0,
                0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0, 0, 0);
        assertEquals("printkfmt: sockaddr: 10.0.0.1 | 10.0.0.1:8080 | 10.0.0.1:8080 | 2001:db8::1"
                        + " | [2001:db8::1]:443",
                fmt(P + "sockaddr: %pIS | %pISp | %pISpc | %pISc | %pISpc", sin, sin, sin, sin6, sin6));
    }

    @Test
    void goldenHexUuidErr() {
        long hexbuf = bytes(0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x7f, 0x80);
        // golden 24
        assertEquals("printkfmt: hex: [de ad be ef 00 01] [de:ad:be:ef:00:01] [de-ad-be-ef-00-01]"
                        + " [deadbeef00017f80] [de] [de ad be]",
                fmt(P + "hex: [%*ph] [%*phC] [%*phD] [%*phN] [%ph] [%3ph]",
                        i32(6), hexbuf, i32(6), hexbuf, i32(6), hexbuf, i32(8), hexbuf, hexbuf, hexbuf));
        long uuid = bytes(0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
                0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef);
        // golden 25
        assertEquals("printkfmt: uuid: 12345678-9abc-def0-0123-456789abcdef | 12345678-9ABC-DEF0-0123-456789ABCDEF"
                        + " | 78563412-bc9a-f0de-0123-456789abcdef | 78563412-BC9A-F0DE-0123-456789ABCDEF"
                        + " | 12345678-9abc-def0-0123-456789abcdef",
                fmt(P + "uuid: %pUb | %pUB | %pUl | %pUL | %pU", uuid, uuid, uuid, uuid, uuid));
        // golden 26
        assertEquals("printkfmt: errptr: -ENOMEM | -EINVAL | -EPROBE_DEFER | -ENOENT | -4095 | -EPERM",
                fmt(P + "errptr: %pe | %pe | %pe | %pe | %pe | %pe", -12, -22, -517, -2, -4095, -1));
    }

    @Test
    void goldenEscape() {
        byte[] esc = "a\tb\nc\\d\u0001\u007f z\"".getBytes(StandardCharsets.ISO_8859_1);
        long e = cstr(new String(esc, StandardCharsets.ISO_8859_1));
        long n = i32(esc.length);
        // golden 27 and 28: %*pEc leaves the newline alone, so printk splits the record in two lines
        assertEquals("printkfmt: escape: [a\\tb\\nc\\d\\001\\177 z\"]"
                        + " [\\141\\t\\142\\n\\143\\\\\\144\\001\\177\\040\\172\\\"]"
                        + " [a\\x09b\\x0ac\\d\\x01\\x7f z\"]"
                        + " [\\141\\011\\142\\012\\143\\134\\144\\001\\177\\040\\172\\042] [a\tb"
                        + "\n"
                        + "c\\\\d\u0001\u007f z\\\"] [a]",
                fmt(P + "escape: [%*pE] [%*pEa] [%*pEhp] [%*pEo] [%*pEc] [%pE]", n, e, n, e, n, e, n, e, n, e, e));
    }

    @Test
    void goldenAddrBitmapFlags() {
        long phys = u64(0x12345000L);
        long dma = u64(0xfedc0000L);
        // golden 29
        assertEquals("printkfmt: addr: 0x0000000012345000 | 0x0000000012345000 | 0x00000000fedc0000",
                fmt(P + "addr: %pa | %pap | %pad", phys, phys, dma));
        // golden 30: bits 0-2, 8 and 33-36 of a 40-bit bitmap
        long bits = u64(0x7L | 0x100L | (0xfL << 33));
        assertEquals("printkfmt: bitmap: [1e,00000107] [0-2,8,33-36] [107]",
                fmt(P + "bitmap: [%*pb] [%*pbl] [%*pb]", i32(40), bits, i32(40), bits, i32(12), bits));
        // golden 31: PG_locked | PG_uptodate | PG_dirty | PG_lru
        long pflags = u64(0x1d);
        assertEquals("printkfmt: flags: 0x1d(locked|uptodate|dirty|lru|node=0|zone=0|lastcpupid=0x0)",
                fmt(P + "flags: %pGp", pflags));
        // golden 32: GFP_KERNEL, GFP_ATOMIC | __GFP_ZERO, VM_READ | VM_WRITE | VM_SHARED
        long gfp = u32(0xcc0);
        long gfp2 = u32(0xa20 | 0x100);
        long vm = u64(0xb);
        assertEquals("printkfmt: flags: GFP_KERNEL | GFP_ATOMIC|__GFP_ZERO | read|write|shared",
                fmt(P + "flags: %pGg | %pGg | %pGv", gfp, gfp2, vm));
        // golden 33
        assertEquals("printkfmt: fourcc: YUYV little-endian (0x56595559)",
                fmt(P + "fourcc: %p4cc", u32(0x56595559)));
        // golden 34
        assertEquals("printkfmt: kstr: kernel string", fmt(P + "kstr: %pks", cstr("kernel string")));
    }

    @Test
    void goldenVaFormat() {
        // golden 35 and 36: vwrap() passes a struct va_format {fmt, &args} to "%pV"
        long vaOne = BASE + 0x8000;
        long vaNone = BASE + 0x8100;
        guestVaLists.put(vaOne, args(i32(1), cstr("two"), i32(3)));
        guestVaLists.put(vaNone, args());
        long vafOne = u64(cstr("%d-%s-%x"), vaOne);
        long vafNone = u64(cstr("no args"), vaNone);
        assertEquals("printkfmt: vwrap[one]: 1-two-3|",
                fmt(P + "vwrap[%s]: %pV|", cstr("one"), vafOne));
        assertEquals("printkfmt: vwrap[none]: no args|",
                fmt(P + "vwrap[%s]: %pV|", cstr("none"), vafNone));
    }

    // ------------------------------------------------------------------ corner cases: numbers

    @Test
    void flagsWidthPrecision() {
        assertEquals("x    |", fmt("%-5c|", i32('x')));
        assertEquals("    x|", fmt("%5c|", i32('x')));
        assertEquals("-0042", fmt("%05d", i32(-42)));
        assertEquals("+42  42 +0", fmt("%+d % d %+d", i32(42), i32(42), i32(0)));
        assertEquals("-42", fmt("% d", i32(-42)));
        assertEquals("42   |", fmt("%-05d|", i32(42)));
        assertEquals("42", fmt("%+u", i32(42)));
        assertEquals("0XAB 0xab", fmt("%#X %#x", i32(0xab), i32(0xab)));
        // the kernel puts the octal prefix before the precision zeros ("%#.3o" -> 0010; glibc: 010)
        assertEquals("0010 000", fmt("%#.3o %#.3o", i32(8), i32(0)));
        // ZEROPAD still applies with a precision (glibc: "     007")
        assertEquals("00000007", fmt("%08.3d", i32(7)));
        assertEquals("0", fmt("%.0d", i32(0)));
        assertEquals("0", fmt("%.0x", i32(0)));
        // "%.d": the kernel leaves the precision at -1
        assertEquals("0", fmt("%.d", i32(0)));
        // a negative precision from '*' is 0, not "omitted"
        assertEquals("0|42", fmt("%.*d|%.*d", i32(-3), i32(0), i32(-3), i32(42)));
        assertEquals("42    |", fmt("%*d|", i32(-6), i32(42)));
        assertEquals("100", fmt("%2d", i32(100)));
        assertEquals("0x00ff", fmt("%#06x", i32(255)));
        assertEquals("  0x0ff", fmt("%#7.3x", i32(255)));
    }

    @Test
    void specBitFields() {
        // struct printf_spec: field_width is a signed 24-bit field, precision a signed 16-bit one
        assertEquals(" 5|", fmt("%16777218d|", i32(5)));
        assertEquals("005", fmt("%.65539d", i32(5)));
        // set_precision() clamps what does not fit to PRECISION_MAX
        assertEquals(32767, fmt("%.*d", i32(40000), i32(5)).length());
    }

    @Test
    void lengthModifiers() {
        assertEquals("ffffffffffffffff", fmt("%llx", -1L));
        assertEquals("FFFFFFFFFFFFFFFF", fmt("%LX", -1L));
        assertEquals("-4096 18446744073709547520", fmt("%zd %zu", -4096L, -4096L));
        assertEquals("0 255 -1 -128", fmt("%hhu %hhu %hhd %hhd", i32(256), i32(-1), i32(255), i32(128)));
        assertEquals("-1 65535 -32768", fmt("%hd %hu %hd", i32(0xffff), i32(-1), i32(0x8000)));
        assertEquals("4294967295 -1", fmt("%u %d", 0xffffffffL, 0xffffffffL));
        assertEquals("-2147483648", fmt("%i", 0x80000000L));
        assertEquals("-17 18446744073709551599", fmt("%td %tu", -17L, -17L));
        assertEquals("a", fmt("%lc", i32('a')));
        assertEquals("77777", fmt("%ho", i32(0x7fff)));
    }

    @Test
    void percentAndInvalid() {
        assertEquals("100%", fmt("100%%"));
        assertEquals("%", fmt("%5%"));
        // an unknown conversion WARNs and ends the output: the arguments would be out of sync
        assertEquals("a", fmt("a%yb%d", i32(1)));
        assertEquals("abc", fmt("abc%"));
        assertEquals("x=", fmt("x=%n!", BASE));
        assertEquals("j ", fmt("j %jd", 1L));
        assertEquals("Z ", fmt("Z %Zd", 1L));
        assertEquals("ll ", fmt("ll %LLd", 1L));
        assertEquals("", fmt(""));
    }

    @Test
    void charsAndBytes() {
        assertArrayEquals(new byte[] {'a', 0, 'b'},
                Vsprintf.format(env, "a%cb".getBytes(StandardCharsets.US_ASCII), args(i32(0x100))));
        // the format stops at an embedded NUL
        assertArrayEquals(new byte[] {'a'},
                Vsprintf.format(env, new byte[] {'a', 0, '%', 'd'}, args()));
        // raw high bytes pass through in text and %s
        long s = put(new byte[] {(byte) 0xe9, (byte) 0xff, 0});
        assertArrayEquals(new byte[] {(byte) 0xc3, '[', (byte) 0xe9, (byte) 0xff, ']'},
                Vsprintf.format(env, new byte[] {(byte) 0xc3, '[', '%', 's', ']'}, args(s)));
        assertEquals("[  \u00ff]", fmt("[%3c]", i32(0xff)));
    }

    // ------------------------------------------------------------------ corner cases: strings

    @Test
    void strings() {
        long abc = cstr("abcdef");
        assertEquals("    ab", fmt("%*.*s", i32(6), i32(2), abc));
        assertEquals("ab    |", fmt("%-*.*s|", i32(6), i32(2), abc));
        assertEquals("abcdef", fmt("%2s", abc));
        assertEquals("    (null)|(nu|(null)    ", fmt("%10s|%.3s|%-10s", 0L, 0L, 0L));
        assertEquals("(efault)|(efault)|(efault)", fmt("%s|%s|%s", 0x10L, 0xfffL, -22L));
        assertEquals("abcdef", fmt("%s", abc));
        // "%.0s" does not touch memory at all
        assertEquals("[]", fmt("[%.0s]", 0x7777000000000000L));
        assertThrows(PageFault.class, () -> fmt("%s", 0x7777000000000000L));
    }

    // ------------------------------------------------------------------ corner cases: pointers

    @Test
    void plainPointers() {
        long ptr = BASE + 0x42;
        // ptr_to_id(): the low 32 bits of the hash, zero padded to 16 digits
        assertEquals("0000000090abcdad", fmt("%p", ptr));
        assertEquals("0000000090abcdad", fmt("%pK", ptr));
        assertEquals("  90abcdad|90abcdad  ", fmt("%10p|%-10p", ptr, ptr));
        // NULL and error pointers are printed as they are
        assertEquals("0000000000000000 ffffffffffffffea", fmt("%p %p", 0L, -22L));
        assertEquals("ffff888000100042", fmt("%px", ptr));
        // every alphanumeric character after %p belongs to it
        assertEquals("0000000090abcdad!", fmt("%pZZ9z!", ptr));
        assertEquals("0000000090abcdad", fmt("%pe", ptr));
        assertEquals("   -ENOMEM|-520|-4095", fmt("%10pe|%pe|%pe", -12L, -520L, -4095L));
        assertEquals("(%pA?)", fmt("%pA", ptr));
    }

    @Test
    void pointerChecks() {
        assertEquals("(null)|(efault)|(efault)", fmt("%pM|%pM|%pI4", 0L, 0xfffL, -5L));
        assertEquals("    (null)", fmt("%10pUb", 0L));
        assertEquals("(einval)|(%pi?)|(%pI?)", fmt("%pISp|%pi|%pI5", bytes(1, 0, 0, 0), BASE + 0x100, BASE));
        assertEquals("(einval)", fmt("%pkx", BASE));
        assertEquals("(%p4?)", fmt("%p4x", 0L));
        assertEquals("(%pG?)|(%pN?)|(%pt?)", fmt("%pGx|%pNx|%ptx", BASE, BASE, BASE));
        assertEquals("(%pO?)|(%pOF?)|(%pf?)", fmt("%pO|%pOF|%pf", BASE, BASE, BASE));
    }

    @Test
    void symbolVariants() {
        assertEquals("printkfmt_helper+0x0/0x13 [printkfmt]|printkfmt_helper+0x1/0x13 [printkfmt]",
                fmt("%pSb|%pSRb", TEXT, TEXT + 1));
        // %pB of a function's first byte reports the end of whatever precedes it
        assertEquals("0xffffffffc0a00000|printkfmt_helper+0x13/0x13 [printkfmt]",
                fmt("%pB|%pBb", TEXT, TEXT + 0x13));
        assertEquals("0x0|      0x10", fmt("%ps|%10pS", 0L, 0x10L));
    }

    @Test
    void hexAndBitmapEdges() {
        long buf = bytes(1, 2, 3, 4);
        assertEquals("[]", fmt("[%*ph]", i32(0), buf));
        assertEquals("01", fmt("%phN", buf));
        byte[] big = new byte[80];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        String hex = fmt("%*phN", i32(100), put(big));
        assertEquals(128, hex.length());
        assertTrue(hex.endsWith("3e3f"));
        long bits = u64(0, 0x8000000000000001L, 0xffL);
        assertEquals("[]|[]", fmt("[%pb]|[%pbl]", bits, bits));
        assertEquals("ff,80000000,00000001,00000000,00000000", fmt("%*pb", i32(136), bits));
        assertEquals("64,127-135", fmt("%*pbl", i32(136), bits));
        assertEquals("1", fmt("%*pb", i32(1), u64(1)));
    }

    @Test
    void escapes() {
        long s = bytes(0, 7, 27, 'a', 0x80, 0xe9);
        assertEquals("\\0\\a\\e\\141\\200\\351", fmt("%*pEa", i32(6), s));
        assertEquals("\\0\\a\\ea\\200\u00e9", fmt("%*pE", i32(6), s));
        assertEquals("\\x00\\x07\\x1b\\x61\\x80\\xe9", fmt("%*pEh", i32(6), s));
        assertEquals("\\0\u0007\u001ba\u0080\u00e9", fmt("%*pEn", i32(6), s));
        assertEquals("[]", fmt("[%*pE]", i32(0), 0L));
        long ws = bytes('\r', 0x0b, '\f', ' ');
        assertEquals("\\r\\v\\f ", fmt("%*pEs", i32(4), ws));
    }

    @Test
    void macIpSockaddrWidths() {
        long mac = bytes(0, 1, 2, 3, 4, 5);
        assertEquals("   00:01:02:03:04:05|000102030405   |", fmt("%20pM|%-15pm|", mac, mac));
        assertEquals("000102030405", fmt("%pmF", mac));
        long isatap = bytes(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0x5e, 0xfe, 192, 168, 1, 1);
        assertEquals("fe80::5efe:192.168.1.1", fmt("%pI6c", isatap));
        long zero = bytes(new int[16]);
        assertEquals("::", fmt("%pI6c", zero));
        long single = bytes(0x20, 0x01, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
        assertEquals("2001:0:1::1", fmt("%pI6c", single));
        long ip4 = bytes(10, 1, 2, 3);
        assertEquals("010.001.002.003", fmt("%pi4", ip4));
        // sockaddr_in6 with flowinfo 0x12345 (network order) and scope 3; "%pi" skips the colons
        long sin6 = bytes(10, 0, 0, 80, 0xf0, 0x01, 0x23, 0x45,
                0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 3, 0, 0, 0);
        assertEquals("[2001:db8::1]:80/74565%3", fmt("%pISpfsc", sin6));
        assertEquals("[20010db8000000000000000000000001]:80", fmt("%piSp", sin6));
        long sin = bytes(2, 0, 0, 80, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0);
        assertEquals("004.003.002.001:80", fmt("%piSpl", sin));
        // the port goes through number() with the conversion's own spec
        assertEquals("1.2.3.4:   80", fmt("%5pISp", sin));
    }

    @Test
    void uuidFourccNetdev() {
        assertEquals("ABCD big-endian (0xc4434241)", fmt("%p4cc", u32(0xc4434241)));
        assertEquals("A... little-endian (0x001f0a41)", fmt("%p4cc", u32(0x001f0a41)));
        assertEquals("0x00000000deadbeef", fmt("%pNF", u64(0xdeadbeefL)));
    }

    @Test
    void flagsEdges() {
        assertEquals("0x0(node=0|zone=0|lastcpupid=0x0)", fmt("%pGp", u64(0)));
        long f = 1L | (1L << 24) | (3L << 51) | (5L << 54) | (0x1234L << 30) | (1L << 29);
        assertEquals("0x" + Long.toHexString(f) + "(locked|arch_2|node=5|zone=3|lastcpupid=0x1234)",
                fmt("%pGp", u64(f)));
        assertEquals("", fmt("%pGg", u32(0)));
        assertEquals("GFP_KERNEL|__GFP_ZERO|0x4000000", fmt("%pGg", u32(0xcc0 | 0x100 | 0x4000000)));
        assertEquals("GFP_TRANSHUGE", fmt("%pGg", u32(0x1c24ca)));
        assertEquals("uffd_minor|pat|mergeable|0x8000000000", fmt("%pGv", u64(0x2000000000L | 0x1000000L
                | 0x80000000L | 0x8000000000L)));
    }

    @Test
    void resources() {
        long mem = u64(0x1000, 0x1fff, cstr("bar"), 0x200 | 0x100000 | 0x2000);
        assertEquals("[mem 0x00001000-0x00001fff 64bit pref]", fmt("%pR", mem));
        assertEquals("[mem 0x00001000-0x00001fff flags 0x102200]", fmt("%pr", mem));
        long io = u64(0x3f8, 0x3ff, 0, 0x100);
        assertEquals("[io  0x03f8-0x03ff]", fmt("%pR", io));
        long irq = u64(9, 9, 0, 0x400);
        assertEquals("[irq 9]|[irq 9 flags 0x400]", fmt("%pR|%pr", irq, irq));
        long unset = u64(0, 0xfff, 0, 0x200 | 0x20000000);
        assertEquals("[mem size 0x00001000]", fmt("%pR", unset));
        long bus = u64(0, 0xff, 0, 0x1000 | 0x200000);
        assertEquals("[bus 00-ff window]", fmt("%pR", bus));
        long unknown = u64(5, 6, 0, 0x10000000);
        assertEquals("[??? 0x00000005-0x00000006 flags 0x10000000]", fmt("%pR", unknown));
    }

    @Test
    void timeAndDate() {
        assertEquals("1970-01-01T00:00:00", fmt("%ptT", u64(0)));
        assertEquals("2023-11-14 22:13:20", fmt("%ptTs", u64(1700000000L)));
        assertEquals("1969-12-31|23:59:59", fmt("%ptTd|%ptTt", u64(-1), u64(-1)));
        assertEquals("2000-02-29T00:00:00", fmt("%ptT", u64(951782400L)));
        assertEquals("0001-01-01T00:00:00", fmt("%ptT", u64(-62135596800L)));
        assertEquals("9999-12-31T23:59:59", fmt("%ptT", u64(253402300799L)));
        // struct rtc_time {sec, min, hour, mday, mon, year, ...}: year since 1900, month from 0
        long tm = put(ByteBuffer.allocate(36).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(5).putInt(4).putInt(3).putInt(2).putInt(0).putInt(124).array());
        assertEquals("2024-01-02T03:04:05|0124-00-02 03:04:05", fmt("%ptR|%ptRrs", tm, tm));
    }

    @Test
    void dentriesFilesDisks() {
        // struct dentry: d_parent at 24, d_name.name at 40
        long root = BASE + 0x4000;
        long usr = BASE + 0x4100;
        long bin = BASE + 0x4200;
        as.write64(root + 24, root);
        as.write64(root + 40, cstr("/"));
        as.write64(usr + 24, root);
        as.write64(usr + 40, cstr("usr"));
        as.write64(bin + 24, usr);
        as.write64(bin + 40, cstr("bin"));
        assertEquals("bin|usr/bin|/usr/bin|/usr/bin|/", fmt("%pd|%pd2|%pd3|%pd4|%pd", bin, bin, bin, bin, root));
        assertEquals("   bin|us|(null)", fmt("%6pd|%.2pd2|%pd", bin, bin, 0L));
        // struct file: f_path.dentry at 24
        long file = BASE + 0x4300;
        as.write64(file + 24, bin);
        assertEquals("usr/bin", fmt("%pD2", file));
        // struct block_device: bd_partno (u8) at 848, bd_disk at 856; gendisk.disk_name at 12
        long sda = BASE + 0x5000;
        as.write(sda + 12, "sda\0".getBytes(StandardCharsets.US_ASCII));
        long nvme = BASE + 0x5100;
        as.write(nvme + 12, "nvme0n1\0".getBytes(StandardCharsets.US_ASCII));
        long bdev1 = BASE + 0x6000;
        as.write64(bdev1 + 856, sda);
        as.write8(bdev1 + 848, 1);
        long bdev2 = BASE + 0x6400;
        as.write64(bdev2 + 856, nvme);
        as.write8(bdev2 + 848, 2);
        long whole = BASE + 0x6800;
        as.write64(whole + 856, sda);
        assertEquals("sda1|nvme0n1p2|sda", fmt("%pg|%pg|%pg", bdev1, bdev2, whole));
        // struct clk {core}, struct clk_core {name}
        long core = u64(cstr("osc24m"));
        long clk = u64(core);
        assertEquals("osc24m|osc24m", fmt("%pC|%pCn", clk, clk));
    }

    @Test
    void nestedVaFormat() {
        long va = BASE + 0x9000;
        long innerVa = BASE + 0x9100;
        guestVaLists.put(innerVa, args(i32(7)));
        long inner = u64(cstr("<%03d>"), innerVa);
        guestVaLists.put(va, args(inner, cstr("s")));
        long outer = u64(cstr("[%pV|%s]"), va);
        // the alphanumerics after %pV are swallowed too: "y" goes, "-z" stays
        assertEquals("x[<007>|s]-z", fmt("x%pVy-z", outer));
        assertEquals("(null)", fmt("%pV", 0L));
    }
}
