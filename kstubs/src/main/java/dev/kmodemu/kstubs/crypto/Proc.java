package dev.kmodemu.kstubs.crypto;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.lib.Lists;

import java.nio.charset.StandardCharsets;

/**
 * crypto/proc.c: /proc/crypto, every algorithm on {@code crypto_alg_list} (newest first) as
 * {@code c_show()} prints it: the common lines, then its type's own lines.
 */
public final class Proc {
    private Proc() {
    }

    /** {@code crypto_init_proc()}. */
    public static void boot(KernelContext k) {
        k.vfs().register("/proc/crypto", () -> text(k).getBytes(StandardCharsets.UTF_8));
    }

    /** The content of /proc/crypto. */
    static String text(KernelContext k) {
        StringBuilder sb = new StringBuilder();
        for (long e : Lists.entries(k, Api.list(k))) {
            show(k, sb, Alg.fromList(k, e));
        }
        return sb.toString();
    }

    /** {@code module_name()}: "kernel" for the kernel's own algorithms. */
    private static String moduleName(KernelContext k, long module) {
        return module == 0 ? "kernel" : k.string(module + k.off("module_name"), k.off("MODULE_NAME_LEN"));
    }

    /** {@code c_show()}. */
    private static void show(KernelContext k, StringBuilder sb, long alg) {
        int flags = Alg.flags(k, alg);
        sb.append("name         : ").append(Alg.name(k, alg)).append('\n');
        sb.append("driver       : ").append(Alg.driver(k, alg)).append('\n');
        sb.append("module       : ").append(moduleName(k, Alg.module(k, alg))).append('\n');
        sb.append("priority     : ").append(Alg.priority(k, alg)).append('\n');
        sb.append("refcnt       : ").append(Integer.toUnsignedString(Alg.refcnt(k, alg))).append('\n');
        sb.append("selftest     : ").append((flags & Alg.flag(k, "TESTED")) != 0 ? "passed" : "unknown").append('\n');
        sb.append("internal     : ").append((flags & Alg.flag(k, "INTERNAL")) != 0 ? "yes" : "no").append('\n');
        Frontend fe = Frontend.of(k, Alg.cratype(k, alg));
        if (fe != null) {
            fe.show(k, sb, alg);
        } else {
            int type = flags & Alg.flag(k, "TYPE_MASK");
            if (type == Alg.flag(k, "TYPE_CIPHER")) {
                sb.append("type         : cipher\n");
                sb.append("blocksize    : ").append(Integer.toUnsignedString(Alg.blocksize(k, alg))).append('\n');
                sb.append("min keysize  : ").append(Integer.toUnsignedString(k.mem().read32(Alg.cipherAt(k, alg, "min_keysize"))))
                        .append('\n');
                sb.append("max keysize  : ").append(Integer.toUnsignedString(k.mem().read32(Alg.cipherAt(k, alg, "max_keysize"))))
                        .append('\n');
            } else if (type == Alg.flag(k, "TYPE_COMPRESS")) {
                sb.append("type         : compression\n");
            } else {
                sb.append("type         : unknown\n");
            }
        }
        sb.append('\n');
    }
}
