package dev.kmodemu.kstubs.lib;

import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.VaList;
import dev.kmodemu.kstubs.lib.StringFns.GuestBytes;
import dev.kmodemu.kstubs.printk.Printk;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * lib/hexdump.c: {@code hex_asc[]}/{@code hex_asc_upper[]}, hex digit conversion, and the
 * {@code hex_dump_to_buffer()} line format {@code print_hex_dump()} logs (a row size other than 16
 * or 32 becomes 16, a group size other than 1, 2, 4 or 8, or one that does not divide the line,
 * becomes 1; groups of 2, 4 and 8 are little-endian numbers).
 */
public final class Hexdump {
    private Hexdump() {
    }

    static final byte[] HEX_ASC = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final byte[] HEX_ASC_UPPER = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    /** {@code DUMP_PREFIX_ADDRESS}. */
    public static final int DUMP_PREFIX_ADDRESS = 1;
    /** {@code DUMP_PREFIX_OFFSET}. */
    public static final int DUMP_PREFIX_OFFSET = 2;

    /** {@code const char hex_asc[] = "0123456789abcdef"} */
    @KernelData(value = "hex_asc", section = Machine.Section.RODATA, size = 17, align = 16)
    static void hexAsc(KernelContext k, long at) {
        k.mem().poke(at, Arrays.copyOf(HEX_ASC, 17));
    }

    /** {@code const char hex_asc_upper[] = "0123456789ABCDEF"} */
    @KernelData(value = "hex_asc_upper", section = Machine.Section.RODATA, size = 17, align = 16)
    static void hexAscUpper(KernelContext k, long at) {
        k.mem().poke(at, Arrays.copyOf(HEX_ASC_UPPER, 17));
    }

    /** {@code hex_to_bin()}, with the kernel's branch-free arithmetic: 0..15, or -1. */
    public static int hexToBin(int ch) {
        ch &= 0xff;
        int cu = ch & 0xdf;
        return -1
                + ((ch - '0' + 1) & ((ch - '9' - 1) & ('0' - 1 - ch)) >>> 8)
                + ((cu - 'A' + 11) & ((cu - 'F' - 1) & ('A' - 1 - cu)) >>> 8);
    }

    /** int hex_to_bin(unsigned char ch) */
    @KernelSymbol("hex_to_bin")
    static int hexToBinSym(KernelContext k, int ch) {
        return hexToBin(ch);
    }

    /**
     * int hex2bin(u8 *dst, const char *src, size_t count)
     *
     * <p>Returns 0, or -EINVAL at the first bad digit (the bytes before it are stored).
     */
    @KernelSymbol("hex2bin")
    static int hex2bin(KernelContext k, long dst, long src, long count) {
        GuestBytes s = StringFns.bytes(k, src);
        long i = 0;
        long written = 0;
        byte[] out = new byte[256];
        int n = 0;
        int ret = 0;
        while (count-- != 0) {
            int hi = hexToBin(s.at(i++));
            if (hi < 0) {
                ret = -Errno.EINVAL;
                break;
            }
            int lo = hexToBin(s.at(i++));
            if (lo < 0) {
                ret = -Errno.EINVAL;
                break;
            }
            out[n++] = (byte) ((hi << 4) | lo);
            if (n == out.length) {
                k.mem().write(dst + written, out);
                written += n;
                n = 0;
            }
        }
        k.mem().write(dst + written, out, 0, n);
        return ret;
    }

    /**
     * char *bin2hex(char *dst, const void *src, size_t count)
     *
     * <p>Returns the end of the output.
     */
    @KernelSymbol("bin2hex")
    static long bin2hex(KernelContext k, long dst, long src, long count) {
        long done = 0;
        while (done != count) {
            long va = src + done;
            long chunk = 4096 - (va & 4095);
            if (Long.compareUnsigned(chunk, count - done) > 0) {
                chunk = count - done;
            }
            byte[] in = k.mem().read(va, (int) chunk);
            byte[] out = new byte[in.length * 2];
            for (int i = 0; i < in.length; i++) {
                out[2 * i] = HEX_ASC[(in[i] & 0xf0) >> 4];
                out[2 * i + 1] = HEX_ASC[in[i] & 0x0f];
            }
            k.mem().write(dst + 2 * done, out);
            done += chunk;
        }
        return dst + 2 * count;
    }

    /** What {@code hex_dump_to_buffer()} stored in {@code linebuf} (a prefix) and returned. */
    public record Line(byte[] stored, int ret) {
        /** The line as {@code %s} prints it: the stored bytes up to the first NUL. */
        public byte[] text() {
            int i = 0;
            while (i < stored.length && stored[i] != 0) {
                i++;
            }
            return Arrays.copyOf(stored, i);
        }
    }

    /** The {@code linebuf} of {@code hex_dump_to_buffer()}: a size_t length, bytes stored from the start. */
    private static final class LineBuf {
        final long size;
        byte[] b = new byte[64];
        int stored;

        LineBuf(long size) {
            this.size = size;
        }

        void put(long at, int c) {
            int i = (int) at;
            if (i >= b.length) {
                b = Arrays.copyOf(b, Math.max(i + 1, b.length * 2));
            }
            b[i] = (byte) c;
            stored = Math.max(stored, i + 1);
        }

        /** snprintf(linebuf + lx, size - lx, ...) of {@code text}; returns its length. */
        int snprintf(long lx, byte[] text) {
            long room = size - lx;
            if (room != 0) {
                long n = Math.min(text.length, room - 1);
                for (int i = 0; i < n; i++) {
                    put(lx + i, text[i]);
                }
                put(lx + n, 0);
            }
            return text.length;
        }

        /** {@code linebuflen < lx + 2}, as size_t arithmetic. */
        boolean full(long lx) {
            return Long.compareUnsigned(size, lx + 2) < 0;
        }
    }

    /**
     * hex_dump_to_buffer() of {@code buf} ({@code len} bytes; only the first row is read) into a
     * {@code linebuflen}-byte buffer.
     */
    public static Line hexDumpToBuffer(byte[] buf, long len, int rowsize, int groupsize, long linebuflen,
            boolean ascii) {
        if (rowsize != 16 && rowsize != 32) {
            rowsize = 16;
        }
        if (Long.compareUnsigned(len, rowsize) > 0) {
            len = rowsize;
        }
        if (groupsize <= 0 || (groupsize & (groupsize - 1)) != 0 || groupsize > 8) {
            groupsize = 1;
        }
        if (len % groupsize != 0) {
            groupsize = 1;
        }
        int ngroups = (int) (len / groupsize);
        int asciiColumn = rowsize * 2 + rowsize / groupsize + 1;
        LineBuf lb = new LineBuf(linebuflen);
        long lx = 0;
        boolean overflow = false;
        boolean overflow2 = false;
        if (linebuflen == 0) {
            overflow = true;
        } else if (len != 0) {
            if (groupsize > 1) {
                String f = "%0" + groupsize * 2 + "x";
                for (int j = 0; j < ngroups; j++) {
                    long v = 0;
                    for (int i = groupsize - 1; i >= 0; i--) {
                        v = (v << 8) | (buf[j * groupsize + i] & 0xff);
                    }
                    byte[] text = ((j != 0 ? " " : "") + String.format(f, v)).getBytes(StandardCharsets.US_ASCII);
                    int ret = lb.snprintf(lx, text);
                    if (Long.compareUnsigned(ret, linebuflen - lx) >= 0) {
                        overflow = true;
                        break;
                    }
                    lx += ret;
                }
            } else {
                int j;
                for (j = 0; j < len && !overflow2; j++) {
                    int ch = buf[j] & 0xff;
                    if (lb.full(lx)) {
                        overflow2 = true;
                        break;
                    }
                    lb.put(lx++, HEX_ASC[(ch & 0xf0) >> 4]);
                    if (lb.full(lx)) {
                        overflow2 = true;
                        break;
                    }
                    lb.put(lx++, HEX_ASC[ch & 0x0f]);
                    if (lb.full(lx)) {
                        overflow2 = true;
                        break;
                    }
                    lb.put(lx++, ' ');
                }
                if (!overflow2 && j != 0) {
                    lx--;
                }
            }
            if (!overflow && !overflow2 && ascii) {
                while (lx < asciiColumn && !overflow2) {
                    if (lb.full(lx)) {
                        overflow2 = true;
                        break;
                    }
                    lb.put(lx++, ' ');
                }
                for (int j = 0; j < len && !overflow2; j++) {
                    if (lb.full(lx)) {
                        overflow2 = true;
                        break;
                    }
                    int ch = buf[j] & 0xff;
                    lb.put(lx++, Ctype.isascii(ch) && Ctype.isprint(ch) ? ch : '.');
                }
            }
        }
        if (overflow2) {
            lb.put(lx, 0);
            overflow = true;
        }
        if (overflow) {
            int ret = ascii ? (int) (asciiColumn + len) : (groupsize * 2 + 1) * ngroups - 1;
            return new Line(Arrays.copyOf(lb.b, lb.stored), ret);
        }
        lb.put(lx, 0);
        return new Line(Arrays.copyOf(lb.b, lb.stored), (int) lx);
    }

    /**
     * int hex_dump_to_buffer(const void *buf, size_t len, int rowsize, int groupsize, char *linebuf,
     * size_t linebuflen, bool ascii)
     */
    @KernelSymbol("hex_dump_to_buffer")
    static int hexDumpToBufferSym(KernelContext k, long buf, long len, int rowsize, int groupsize, long linebuf,
            long linebuflen, boolean ascii) {
        int row = rowsize != 16 && rowsize != 32 ? 16 : rowsize;
        long n = Long.compareUnsigned(len, row) > 0 ? row : len;
        Line l = hexDumpToBuffer(linebuflen == 0 ? new byte[0] : k.mem().read(buf, (int) n), len, rowsize,
                groupsize, linebuflen, ascii);
        k.mem().write(linebuf, l.stored());
        return l.ret();
    }

    /**
     * void print_hex_dump(const char *level, const char *prefix_str, int prefix_type, int rowsize,
     * int groupsize, const void *buf, size_t len, bool ascii)
     *
     * <p>Each row is one {@code printk("%s%s%.8x: %s\n", level, prefix_str, i, linebuf)} (or
     * {@code %p} of the row's address, or no offset), so the log level comes from the
     * {@code KERN_*} string {@code level}.
     */
    @KernelSymbol("print_hex_dump")
    static void printHexDump(KernelContext k, long level, long prefixStr, int prefixType, int rowsize,
            int groupsize, long buf, long len, boolean ascii) {
        int remaining = (int) len;
        if (rowsize != 16 && rowsize != 32) {
            rowsize = 16;
        }
        final int linebufSize = 32 * 3 + 2 + 32 + 1;
        for (int i = 0; Long.compareUnsigned(i, len) < 0; i += rowsize) {
            int linelen = Math.min(remaining, rowsize);
            remaining -= rowsize;
            long n = Long.compareUnsigned(linelen, rowsize) > 0 ? rowsize : linelen;
            Line l = hexDumpToBuffer(k.mem().read(buf + i, (int) n), linelen, rowsize, groupsize, linebufSize,
                    ascii);
            long at = buf + i;
            int offset = i;
            VaList args = switch (prefixType) {
                case DUMP_PREFIX_ADDRESS -> values(level, prefixStr, at);
                case DUMP_PREFIX_OFFSET -> values(level, prefixStr, offset);
                default -> values(level, prefixStr);
            };
            String fmt = switch (prefixType) {
                case DUMP_PREFIX_ADDRESS -> "%s%s%p: ";
                case DUMP_PREFIX_OFFSET -> "%s%s%.8x: ";
                default -> "%s%s";
            };
            byte[] head = Vsprintf.format(Printk.env(k), fmt.getBytes(StandardCharsets.US_ASCII), args);
            byte[] line = l.text();
            byte[] text = Arrays.copyOf(head, head.length + line.length + 1);
            System.arraycopy(line, 0, text, head.length, line.length);
            text[text.length - 1] = '\n';
            k.printkFormatted(text);
        }
    }

    private static VaList values(long... v) {
        int[] i = {0};
        return () -> v[i[0]++];
    }
}
