package dev.kmodemu.firmware;

import dev.kmodemu.emu.AddressSpace;

/**
 * How kernel code reached a call into guest code, for the stack a call trace walks: the return
 * addresses of the kernel functions in between ({@link Machine#site}), innermost first, and for
 * the outermost call of a system call the user registers its entry saved.
 *
 * @param sites return addresses, innermost (the callee returns there) first
 * @param user the system call's user context, or null (the stack ends at kmodemu's host)
 */
public record CallPath(long[] sites, UserRegs user) {
    /** The user context of a system call, as {@code entry_SYSCALL_64} saves it in {@code pt_regs}. */
    public record UserRegs(int nr, long[] args, long ip, long sp, long flags) {
        /** rax holds {@code -ENOSYS} until the call returns; rcx and r11 the user rip and rflags. */
        static final long ENOSYS = -38;

        void write(AddressSpace mem, Profile p, long at) {
            mem.fill(at, p.value("pt_regs_sizeof"), (byte) 0);
            String[] argRegs = {"di", "si", "dx", "r10", "r8", "r9"};
            for (int i = 0; i < Math.min(args.length, 6); i++) {
                mem.write64(at + p.offset("pt_regs_" + argRegs[i]), args[i]);
            }
            mem.write64(at + p.offset("pt_regs_ax"), ENOSYS);
            mem.write64(at + p.offset("pt_regs_orig_ax"), nr);
            mem.write64(at + p.offset("pt_regs_cx"), ip);
            mem.write64(at + p.offset("pt_regs_r11"), flags);
            mem.write64(at + p.offset("pt_regs_ip"), ip);
            mem.write64(at + p.offset("pt_regs_cs"), p.value("USER_CS"));
            mem.write64(at + p.offset("pt_regs_flags"), flags);
            mem.write64(at + p.offset("pt_regs_sp"), sp);
            mem.write64(at + p.offset("pt_regs_ss"), p.value("USER_DS"));
        }
    }
}
