package dev.kmodemu.kstubs.lib;

import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.printk.KernelLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Hexdump} called through the CPU. "golden N" marks lines the real 6.1 kernel logged for
 * testmods/printkfmt (expected/default.json, {@code modules[0].insmod_dmesg[N]}; the calls are in
 * printkfmt.c: {@code uuidb} is 12 34 56 78 9a bc de f0 01 23 45 67 89 ab cd ef); the rest follows
 * lib/hexdump.c.
 */
class HexdumpTest {
    static GuestKernel g;
    static final byte[] UUIDB = {
        0x12, 0x34, 0x56, 0x78, (byte) 0x9a, (byte) 0xbc, (byte) 0xde, (byte) 0xf0,
        0x01, 0x23, 0x45, 0x67, (byte) 0x89, (byte) 0xab, (byte) 0xcd, (byte) 0xef,
    };

    @BeforeAll
    static void boot() {
        g = new GuestKernel();
    }

    @AfterAll
    static void shutdown() {
        g.close();
    }

    private static List<KernelLog.Record> printHexDump(String level, String prefix, int type, int rowsize,
            int groupsize, long buf, long len, boolean ascii) {
        long seq = g.logSeq();
        g.call("print_hex_dump", g.str(level), g.str(prefix), type, rowsize, groupsize, buf, len, ascii ? 1 : 0);
        return g.logSince(seq);
    }

    @Test
    void printHexDumpGolden() {
        long buf = g.bytes(UUIDB);
        List<KernelLog.Record> r = printHexDump("\u00016", "hd: ", Hexdump.DUMP_PREFIX_OFFSET, 16, 1, buf, 16, true);
        assertEquals(1, r.size());
        assertEquals(6, r.get(0).level());
        // golden 60
        assertEquals("hd: 00000000: 12 34 56 78 9a bc de f0 01 23 45 67 89 ab cd ef  .4Vx.....#Eg....",
                r.get(0).message());
        // golden 61: rowsize 8 is not 16 or 32, so it is 16
        r = printHexDump("\u00016", "hd4: ", 0, 8, 4, buf, 16, false);
        assertEquals(1, r.size());
        assertEquals("hd4: 78563412 f0debc9a 67452301 efcdab89", r.get(0).message());
    }

    @Test
    void printHexDumpRowsAndLevels() {
        byte[] data = new byte[40];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (0x41 + i);
        }
        long buf = g.bytes(data);
        List<KernelLog.Record> r = printHexDump("\u00013", "", Hexdump.DUMP_PREFIX_OFFSET, 32, 2, buf, 40, true);
        assertEquals(2, r.size());
        assertEquals(3, r.get(0).level());
        assertEquals("00000000: 4241 4443 4645 4847 4a49 4c4b 4e4d 504f 5251 5453 5655 5857 5a59 5c5b 5e5d 605f"
                + "  ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`", r.get(0).message());
        // 8 bytes left: groups of 2 still divide them
        String hex = "6261 6463 6665 6867";
        assertEquals("00000020: " + hex + " ".repeat(32 * 2 + 32 / 2 + 1 - hex.length()) + "abcdefgh",
                r.get(1).message());
        // an odd tail falls back to single bytes
        r = printHexDump("\u00014", "x ", 0, 16, 4, buf, 19, false);
        assertEquals(2, r.size());
        assertEquals(4, r.get(0).level());
        assertEquals("x 44434241 48474645 4c4b4a49 504f4e4d", r.get(0).message());
        assertEquals("x 51 52 53", r.get(1).message());
        // DUMP_PREFIX_ADDRESS prints %p: the hashed address (ptr_to_id() keeps its low 32 bits)
        long hashed = dev.kmodemu.kstubs.printk.Printk.env(g.c).hashPointer(buf) & 0xffffffffL;
        r = printHexDump("\u00016", "", Hexdump.DUMP_PREFIX_ADDRESS, 16, 1, buf, 1, false);
        assertEquals(String.format("%016x: 41", hashed), r.get(0).message());
        assertEquals(0, printHexDump("\u00016", "", 0, 16, 1, buf, 0, true).size());
    }

    private static Hexdump.Line dump(byte[] data, long len, int rowsize, int groupsize, long linebuflen,
            boolean ascii) {
        return Hexdump.hexDumpToBuffer(data, len, rowsize, groupsize, linebuflen, ascii);
    }

    @Test
    void hexDumpToBufferThroughTheCpu() {
        long buf = g.bytes(UUIDB);
        long line = g.buf(200, 'X');
        int ret = g.icall("hex_dump_to_buffer", buf, 16, 16, 8, line, 200, 1);
        assertEquals("f0debc9a78563412 efcdab8967452301  .4Vx.....#Eg....", g.string(line));
        assertEquals(ret, g.string(line).length());
        // truncated: the return value is the length a big enough buffer would have held
        line = g.buf(16, 'X');
        ret = g.icall("hex_dump_to_buffer", buf, 4, 16, 1, line, 8, 0);
        assertEquals(11, ret);
        assertEquals("12 34 5\0XXXXXXXX", g.raw(line, 16));
    }

    @Test
    void hexDumpToBufferOverflows() {
        // groups: snprintf stores what fits, the return value is the full length
        Hexdump.Line l = dump(UUIDB, 16, 16, 4, 12, false);
        assertEquals(4 * 9 - 1, l.ret());
        assertEquals("78563412 f0", new String(l.text()));
        l = dump(UUIDB, 16, 16, 4, 12, true);
        assertEquals(16 * 2 + 16 / 4 + 1 + 16, l.ret());
        // no buffer at all
        l = dump(UUIDB, 16, 16, 1, 0, true);
        assertEquals(16 * 2 + 16 + 1 + 16, l.ret());
        assertEquals(0, l.stored().length);
        // room for the hex but not for the ASCII column
        l = dump(UUIDB, 2, 16, 1, 10, true);
        assertEquals(16 * 2 + 16 + 1 + 2, l.ret());
        assertEquals("12 34    ", new String(l.text()));
        l = dump(UUIDB, 0, 16, 1, 10, true);
        assertEquals(0, l.ret());
        assertEquals(1, l.stored().length);
    }

    @Test
    void hexDumpToBufferAsciiColumn() {
        byte[] data = {0x20, 0x7e, 0x7f, (byte) 0xa0, (byte) 0xe9, 0x00, 0x41};
        Hexdump.Line l = dump(data, data.length, 32, 3, 200, true);
        String expect = "20 7e 7f a0 e9 00 41";
        expect += " ".repeat(32 * 2 + 32 + 1 - expect.length()) + " ~....A";
        assertEquals(expect, new String(l.text()));
        assertEquals(expect.length(), l.ret());
    }

    @Test
    void hexToBin() {
        String digits = "0123456789abcdefABCDEF";
        int[] want = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 10, 11, 12, 13, 14, 15};
        for (int i = 0; i < digits.length(); i++) {
            assertEquals(want[i], g.icall("hex_to_bin", digits.charAt(i)));
        }
        for (int c : new int[] {'/', ':', '@', 'G', '`', 'g', 0, 0xc1, 0xe1, 0xff, ' '}) {
            assertEquals(-1, g.icall("hex_to_bin", c), "hex_to_bin(" + c + ")");
        }
        // unsigned char: only the low byte counts
        assertEquals(10, g.icall("hex_to_bin", 0x100 + 'a'));
    }

    @Test
    void hex2binAndBin2hex() {
        long dst = g.buf(4, 'X');
        assertEquals(0, g.icall("hex2bin", dst, g.str("deadBEEF"), 4));
        assertEquals(0xefbeadde, g.c.mem().read32(dst));
        dst = g.buf(4, 0);
        assertEquals(-Errno.EINVAL, g.icall("hex2bin", dst, g.str("01zz45"), 3));
        // the bytes before the bad digit are stored
        assertEquals(1, g.c.mem().read8(dst));
        assertEquals(0, g.c.mem().read8(dst + 1));
        long out = g.buf(12, 'X');
        assertEquals(out + 8, g.call("bin2hex", out, g.bytes(UUIDB), 4));
        assertEquals("12345678XXXX", g.raw(out, 12));
    }

    @Test
    void hexAscTables() {
        assertEquals("0123456789abcdef", g.string(g.c.sym("hex_asc")));
        assertEquals("0123456789ABCDEF", g.string(g.c.sym("hex_asc_upper")));
    }
}
