package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

import java.nio.charset.StandardCharsets;

/**
 * kernel/sysctl.c: the {@code proc_handler}s of sysctl tables, called with a kernel buffer as
 * {@code proc_sys_call_handler()} passes it. Reads print the vector's values separated by tabs
 * and end in a newline; writes take whitespace-separated numbers (base 0: hex with 0x, octal
 * with 0), each stored as soon as it is parsed and checked; writes at a non-zero position are
 * ignored ({@code sysctl_writes_strict} = 1).
 */
public final class Sysctl {
    /** {@code TMPBUFLEN}: a number takes at most 21 characters. */
    private static final int TMPBUFLEN = 22;

    private Sysctl() {
    }

    /** One value of a vector: write checks and stores (false: -EINVAL), read gives {neg, magnitude}. */
    private interface Conv {
        boolean write(long at, boolean neg, long lval);

        long[] read(long at);
    }

    private static long field(KernelContext k, long table, String f) {
        return k.mem().read64(table + k.off("ctl_table_" + f));
    }

    private static boolean isspace(int c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /**
     * {@code __do_proc_dointvec()} and {@code __do_proc_doulongvec_minmax()}: the vector at
     * {@code data} of {@code table->maxlen / size} elements.
     */
    private static int vector(KernelContext k, long table, long data, int write, long buffer, long lenp, long ppos,
            int size, Conv conv) {
        AddressSpace m = k.mem();
        long len = m.read64(lenp);
        long pos = m.read64(ppos);
        int maxlen = m.read32(table + k.off("ctl_table_maxlen"));
        if (data == 0 || maxlen == 0 || len == 0 || (pos != 0 && write == 0)) {
            m.write64(lenp, 0);
            return 0;
        }
        int vleft = maxlen / size;
        long left = len;
        int err = 0;
        boolean first = true;
        if (write != 0) {
            if (pos != 0) {
                m.write64(ppos, pos + len);
                return 0;
            }
            left = Math.min(left, k.off("PAGE_SIZE") - 1);
            byte[] b = m.read(buffer, (int) left);
            int p = 0;
            for (long i = data; left > 0 && vleft-- > 0; i += size, first = false) {
                while (left > 0 && isspace(b[p])) {
                    p++;
                    left--;
                }
                if (left == 0) {
                    break;
                }
                long[] r = getLong(b, p, left);
                if (r == null) {
                    err = -Errno.EINVAL;
                    break;
                }
                if (!conv.write(i, r[1] != 0, r[0])) {
                    err = -Errno.EINVAL;
                    break;
                }
                p += (int) r[2];
                left -= r[2];
            }
            if (err == 0) {
                while (left > 0 && isspace(b[p])) {
                    p++;
                    left--;
                }
            }
            if (first) {
                return err != 0 ? err : -Errno.EINVAL;
            }
        } else {
            StringBuilder sb = new StringBuilder();
            for (long i = data; vleft-- > 0; i += size) {
                long[] v = conv.read(i);
                if (v == null) {
                    err = -Errno.EINVAL;
                    break;
                }
                if (sb.length() > 0) {
                    sb.append('\t');
                }
                sb.append(v[0] != 0 ? "-" : "").append(Long.toUnsignedString(v[1]));
                first = false;
            }
            if (!first && err == 0) {
                sb.append('\n');
            }
            byte[] out = sb.toString().getBytes(StandardCharsets.US_ASCII);
            int n = (int) Math.min(out.length, left);
            m.write(buffer, java.util.Arrays.copyOf(out, n));
            left -= n;
        }
        m.write64(lenp, len - left);
        m.write64(ppos, pos + (len - left));
        return err;
    }

    /**
     * {@code proc_get_long()}: {value, negative, characters used} of the number at {@code p}, or
     * null for -EINVAL (no digit, overflow, 21 characters, or not followed by whitespace).
     */
    private static long[] getLong(byte[] b, int p, long size) {
        int len = (int) Math.min(size, TMPBUFLEN - 1);
        int end = p + len;
        int q = p;
        boolean neg = false;
        if (b[q] == '-' && size > 1) {
            neg = true;
            q++;
        }
        if (q >= end || !Character.isDigit(b[q])) {
            return null;
        }
        int base = 10;
        if (b[q] == '0') {
            if (q + 2 < end && (b[q + 1] | 0x20) == 'x' && Character.digit(b[q + 2], 16) >= 0) {
                base = 16;
                q += 2;
            } else {
                base = 8;
            }
        }
        java.math.BigInteger v = java.math.BigInteger.ZERO;
        while (q < end && Character.digit(b[q], base) >= 0) {
            v = v.multiply(java.math.BigInteger.valueOf(base)).add(java.math.BigInteger.valueOf(Character.digit(b[q], base)));
            q++;
        }
        if (v.bitLength() > 64) {
            return null;
        }
        int used = q - p;
        if (used == TMPBUFLEN - 1) {
            return null;
        }
        if (used < size && b[q] != ' ' && b[q] != '\t' && b[q] != '\n') {
            return null;
        }
        return new long[] {v.longValue(), neg ? 1 : 0, used};
    }

    /** {@code do_proc_dointvec_conv()}'s write side: the value must fit an int. */
    private static Long toInt(boolean neg, long lval) {
        if (neg) {
            return Long.compareUnsigned(lval, (long) Integer.MAX_VALUE + 1) > 0 ? null : -lval;
        }
        return Long.compareUnsigned(lval, Integer.MAX_VALUE) > 0 ? null : lval;
    }

    private static long[] readInt(KernelContext k, long at) {
        int v = k.mem().read32(at);
        return v < 0 ? new long[] {1, -(long) v} : new long[] {0, v};
    }

    private static Conv intConv(KernelContext k, long table, boolean minmax) {
        long min = minmax ? field(k, table, "extra1") : 0;
        long max = minmax ? field(k, table, "extra2") : 0;
        return new Conv() {
            @Override
            public boolean write(long at, boolean neg, long lval) {
                Long v = toInt(neg, lval);
                if (v == null || (min != 0 && k.mem().read32(min) > v) || (max != 0 && k.mem().read32(max) < v)) {
                    return false;
                }
                k.mem().write32(at, (int) (long) v);
                return true;
            }

            @Override
            public long[] read(long at) {
                return readInt(k, at);
            }
        };
    }

    private static int ints(KernelContext k, long table, int write, long buffer, long lenp, long ppos, Conv conv) {
        return vector(k, table, field(k, table, "data"), write, buffer, lenp, ppos, 4, conv);
    }

    /** int proc_dointvec(struct ctl_table *table, int write, void *buffer, size_t *lenp, loff_t *ppos) */
    @KernelSymbol("proc_dointvec")
    static int procDointvec(KernelContext k, long table, int write, long buffer, long lenp, long ppos) {
        return ints(k, table, write, buffer, lenp, ppos, intConv(k, table, false));
    }

    /** int proc_dointvec_minmax(...): each value within *extra1..*extra2 (either may be NULL). */
    @KernelSymbol("proc_dointvec_minmax")
    static int procDointvecMinmax(KernelContext k, long table, int write, long buffer, long lenp, long ppos) {
        return ints(k, table, write, buffer, lenp, ppos, intConv(k, table, true));
    }

    /** int proc_dointvec_jiffies(...): seconds shown, jiffies stored. */
    @KernelSymbol("proc_dointvec_jiffies")
    static int procDointvecJiffies(KernelContext k, long table, int write, long buffer, long lenp, long ppos) {
        int hz = k.off("HZ");
        return ints(k, table, write, buffer, lenp, ppos, new Conv() {
            @Override
            public boolean write(long at, boolean neg, long lval) {
                if (Long.compareUnsigned(lval, Integer.MAX_VALUE / hz) > 0) {
                    return false;
                }
                k.mem().write32(at, (int) ((neg ? -lval : lval) * hz));
                return true;
            }

            @Override
            public long[] read(long at) {
                long[] v = readInt(k, at);
                return new long[] {v[0], v[1] / hz};
            }
        });
    }

    /** int proc_dointvec_ms_jiffies(...): milliseconds shown, jiffies stored (rounded up). */
    @KernelSymbol("proc_dointvec_ms_jiffies")
    static int procDointvecMsJiffies(KernelContext k, long table, int write, long buffer, long lenp, long ppos) {
        int hz = k.off("HZ");
        return ints(k, table, write, buffer, lenp, ppos, new Conv() {
            @Override
            public boolean write(long at, boolean neg, long lval) {
                long ms = neg ? -lval : lval;
                long jif = ms < 0 ? Long.MAX_VALUE : (ms * hz + 999) / 1000;
                if (jif > Integer.MAX_VALUE) {
                    return false;
                }
                k.mem().write32(at, (int) jif);
                return true;
            }

            @Override
            public long[] read(long at) {
                long[] v = readInt(k, at);
                return new long[] {v[0], v[1] * 1000 / hz};
            }
        });
    }

    private static int ulongs(KernelContext k, long table, int write, long buffer, long lenp, long ppos, long mul,
            long div) {
        long min = field(k, table, "extra1");
        long max = field(k, table, "extra2");
        return vector(k, table, field(k, table, "data"), write, buffer, lenp, ppos, 8, new Conv() {
            @Override
            public boolean write(long at, boolean neg, long lval) {
                if (neg) {
                    return false;
                }
                long val = Long.divideUnsigned(mul * lval, div);
                if ((min != 0 && Long.compareUnsigned(val, k.mem().read64(min)) < 0)
                        || (max != 0 && Long.compareUnsigned(val, k.mem().read64(max)) > 0)) {
                    return false;
                }
                k.mem().write64(at, val);
                return true;
            }

            @Override
            public long[] read(long at) {
                return new long[] {0, Long.divideUnsigned(div * k.mem().read64(at), mul)};
            }
        });
    }

    /** int proc_doulongvec_minmax(...) */
    @KernelSymbol("proc_doulongvec_minmax")
    static int procDoulongvecMinmax(KernelContext k, long table, int write, long buffer, long lenp, long ppos) {
        return ulongs(k, table, write, buffer, lenp, ppos, 1, 1);
    }

    /** int proc_doulongvec_ms_jiffies_minmax(...): milliseconds shown, jiffies stored (truncated). */
    @KernelSymbol("proc_doulongvec_ms_jiffies_minmax")
    static int procDoulongvecMsJiffiesMinmax(KernelContext k, long table, int write, long buffer, long lenp,
            long ppos) {
        return ulongs(k, table, write, buffer, lenp, ppos, k.off("HZ"), 1000);
    }

    /**
     * int proc_dostring(...): the string up to maxlen-1 bytes, a write ending at its first newline
     * or NUL; a read ends in a newline.
     */
    @KernelSymbol("proc_dostring")
    static int procDostring(KernelContext k, long table, int write, long buffer, long lenp, long ppos) {
        AddressSpace m = k.mem();
        long data = field(k, table, "data");
        int maxlen = m.read32(table + k.off("ctl_table_maxlen"));
        long lenv = m.read64(lenp);
        long pos = m.read64(ppos);
        if (data == 0 || maxlen == 0 || lenv == 0) {
            m.write64(lenp, 0);
            return 0;
        }
        if (write != 0) {
            int len = Math.min(m.readCString(data, maxlen).length(), maxlen - 1);
            if (pos > len) {
                return 0;
            }
            len = (int) pos;
            m.write64(ppos, pos + lenv);
            byte[] b = m.read(buffer, (int) Math.min(lenv, maxlen));
            for (int i = 0; i < lenv && len < maxlen - 1; i++) {
                byte c = i < b.length ? b[i] : 0;
                if (c == 0 || c == '\n') {
                    break;
                }
                m.write8(data + len++, c);
            }
            m.write8(data + len, 0);
        } else {
            byte[] s = m.readCBytes(data, maxlen);
            int len = Math.min(s.length, maxlen);
            if (pos > len) {
                m.write64(lenp, 0);
                return 0;
            }
            len -= (int) pos;
            len = (int) Math.min(len, lenv);
            if (len > 0) {
                m.write(buffer, java.util.Arrays.copyOfRange(s, (int) pos, (int) pos + len));
            }
            if (len < lenv) {
                m.write8(buffer + len, '\n');
                len++;
            }
            m.write64(lenp, len);
            m.write64(ppos, pos + len);
        }
        return 0;
    }
}
