package dev.kmodemu.kstubs;

import dev.kmodemu.emu.AddressSpace;

/**
 * A guest {@code va_list}: the SysV x86-64 {@code struct __va_list_tag} {@code {u32 gp_offset;
 * u32 fp_offset; void *overflow_arg_area; void *reg_save_area;}} in guest memory. Reading
 * advances it, as {@code va_arg} does, so a caller's va_list stays consistent.
 */
public final class GuestVaList implements VaList {
    private final AddressSpace mem;
    private final long tag;

    public GuestVaList(AddressSpace mem, long tag) {
        this.mem = mem;
        this.tag = tag;
    }

    @Override
    public long next() {
        int gp = mem.read32(tag);
        if (gp < 48) {
            long v = mem.read64(mem.read64(tag + 16) + gp);
            mem.write32(tag, gp + 8);
            return v;
        }
        long area = mem.read64(tag + 8);
        long v = mem.read64(area);
        mem.write64(tag + 8, area + 8);
        return v;
    }
}
