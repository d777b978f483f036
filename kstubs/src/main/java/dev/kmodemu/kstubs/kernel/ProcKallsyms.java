package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.firmware.Kallsyms;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.module.Module;
import dev.kmodemu.loader.ModuleImage;

import java.util.List;

/**
 * {@code /proc/kallsyms} (kernel/kallsyms.c {@code s_show()} over the kernel's table, then
 * kernel/module/kallsyms.c {@code module_get_kallsym()} over every formed module, newest
 * first). A module symbol's letter is upper case when the module exports it with
 * {@code EXPORT_SYMBOL}, lower case otherwise; readers are root, so addresses are shown.
 */
public final class ProcKallsyms {
    private ProcKallsyms() {
    }

    public static String text(KernelContext k) {
        StringBuilder sb = new StringBuilder(64 * 1024);
        for (Kallsyms.Sym s : k.machine().kallsyms().kernelSymbols()) {
            if (!s.name().isEmpty()) {
                sb.append(String.format("%016x", s.address())).append(' ').append(s.type()).append(' ')
                        .append(s.name()).append('\n');
            }
        }
        for (Module m : k.modules().list()) {
            if (m.state() == Module.State.UNFORMED) {
                continue;
            }
            List<ModuleImage.KSym> table = m.kallsymsTable();
            for (ModuleImage.KSym s : table) {
                if (s.name().isEmpty()) {
                    continue;
                }
                char t = m.isExported(s.name(), s.value()) ? Character.toUpperCase(s.type())
                        : Character.toLowerCase(s.type());
                sb.append(String.format("%016x", s.value())).append(' ').append(t).append(' ').append(s.name())
                        .append("\t[").append(m.name()).append("]\n");
            }
        }
        return sb.toString();
    }
}
