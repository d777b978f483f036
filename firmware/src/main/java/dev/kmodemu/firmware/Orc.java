package dev.kmodemu.firmware;

import dev.kmodemu.emu.AddressSpace;

/**
 * ORC unwind data (arch/x86/include/asm/orc_types.h): for a code address, where the caller's stack
 * pointer (and rbp) are, and whether the frame is a call frame or saved registers. Modules carry
 * it in {@code .orc_unwind_ip} (32-bit self-relative addresses) and {@code .orc_unwind} (6-byte
 * {@code struct orc_entry}); {@link Table#load} sorts them as {@code unwind_module_init()} does.
 */
public final class Orc {
    private Orc() {
    }

    /** {@code ORC_REG_*}: the base register of the previous frame's sp or bp. */
    public static final int REG_UNDEFINED = 0;
    public static final int REG_PREV_SP = 1;
    public static final int REG_DX = 2;
    public static final int REG_DI = 3;
    public static final int REG_BP = 4;
    public static final int REG_SP = 5;
    public static final int REG_R10 = 6;
    public static final int REG_R13 = 7;
    public static final int REG_BP_INDIRECT = 8;
    public static final int REG_SP_INDIRECT = 9;

    /** {@code UNWIND_HINT_TYPE_*} (include/linux/objtool.h). */
    public static final int TYPE_CALL = 0;
    public static final int TYPE_REGS = 1;
    public static final int TYPE_REGS_PARTIAL = 2;

    /** {@code sizeof(struct orc_entry)}. */
    public static final int ENTRY_SIZE = 6;

    /** One {@code struct orc_entry}: s16 sp_offset, s16 bp_offset, then sp_reg:4 bp_reg:4 type:2 end:1. */
    public record Entry(int spOffset, int bpOffset, int spReg, int bpReg, int type, boolean end) {
        /** Decodes the 6 little-endian bytes at {@code at} of {@code b}. */
        static Entry decode(byte[] b, int at) {
            int sp = (short) ((b[at] & 0xff) | (b[at + 1] << 8));
            int bp = (short) ((b[at + 2] & 0xff) | (b[at + 3] << 8));
            int bits = (b[at + 4] & 0xff) | (b[at + 5] & 0xff) << 8;
            return new Entry(sp, bp, bits & 0xf, bits >> 4 & 0xf, bits >> 8 & 3, (bits >> 10 & 1) != 0);
        }

        /** A call frame whose return address lies {@code cfa - 8} bytes above sp; rbp unchanged. */
        public static Entry call(int cfaOffset) {
            return new Entry(cfaOffset, 0, REG_SP, REG_UNDEFINED, TYPE_CALL, false);
        }
    }

    /**
     * {@code null_orc_entry}: the hard-wired entry for ip 0 (a call through a NULL function
     * pointer), whose caller's return address is at sp.
     */
    public static final Entry NULL_ENTRY = Entry.call(8);

    /** {@code orc_fp_entry}: the frame-pointer guess for code without ORC data. */
    public static final Entry FP_ENTRY = new Entry(16, -16, REG_BP, REG_PREV_SP, TYPE_CALL, false);

    /** A sorted ORC table: the rightmost entry at or below an ip covers it ({@code __orc_find()}). */
    public static final class Table {
        private final long[] ips;
        private final Entry[] entries;

        Table(long[] ips, Entry[] entries) {
            this.ips = ips;
            this.entries = entries;
        }

        /**
         * {@code unwind_module_init()}: sorts a module's {@code .orc_unwind_ip} / {@code .orc_unwind}
         * pair in guest memory by address (a "weak" section terminator, sp_reg UNDEFINED without
         * end, before a real entry at the same address) and returns the table.
         */
        public static Table load(AddressSpace mem, long ipTable, long ipSize, long orcTable, long orcSize) {
            int n = (int) (ipSize / 4);
            if (n == 0 || ipSize % 4 != 0 || orcSize % ENTRY_SIZE != 0 || n != orcSize / ENTRY_SIZE) {
                return new Table(new long[0], new Entry[0]);
            }
            byte[] rel = mem.peek(ipTable, n * 4);
            byte[] raw = mem.peek(orcTable, n * ENTRY_SIZE);
            Integer[] order = new Integer[n];
            long[] ip = new long[n];
            Entry[] e = new Entry[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
                int off = (rel[i * 4] & 0xff) | (rel[i * 4 + 1] & 0xff) << 8 | (rel[i * 4 + 2] & 0xff) << 16
                        | rel[i * 4 + 3] << 24;
                ip[i] = ipTable + i * 4L + off;
                e[i] = Entry.decode(raw, i * ENTRY_SIZE);
            }
            java.util.Arrays.sort(order, (a, b) -> {
                int c = Long.compareUnsigned(ip[a], ip[b]);
                if (c != 0) {
                    return c;
                }
                return weak(e[a]) == weak(e[b]) ? 0 : weak(e[a]) ? -1 : 1;
            });
            long[] sortedIp = new long[n];
            Entry[] sorted = new Entry[n];
            byte[] newRel = new byte[n * 4];
            byte[] newRaw = new byte[n * ENTRY_SIZE];
            for (int i = 0; i < n; i++) {
                int j = order[i];
                sortedIp[i] = ip[j];
                sorted[i] = e[j];
                int off = (int) (ip[j] - (ipTable + i * 4L));
                for (int k = 0; k < 4; k++) {
                    newRel[i * 4 + k] = (byte) (off >> (8 * k));
                }
                System.arraycopy(raw, j * ENTRY_SIZE, newRaw, i * ENTRY_SIZE, ENTRY_SIZE);
            }
            mem.poke(ipTable, newRel);
            mem.poke(orcTable, newRaw);
            return new Table(sortedIp, sorted);
        }

        private static boolean weak(Entry e) {
            return e.spReg() == REG_UNDEFINED && !e.end();
        }

        /** {@code __orc_find()}: the entry covering {@code ip}, or null if the table is empty. */
        public Entry find(long ip) {
            if (ips.length == 0) {
                return null;
            }
            int lo = 0;
            int hi = ips.length - 1;
            int found = 0;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (Long.compareUnsigned(ips[mid], ip) <= 0) {
                    found = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return entries[found];
        }

        public int size() {
            return ips.length;
        }
    }
}
