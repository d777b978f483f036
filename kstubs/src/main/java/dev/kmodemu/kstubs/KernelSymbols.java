package dev.kmodemu.kstubs;

import dev.kmodemu.firmware.Machine;
import dev.kmodemu.firmware.Profile;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code kmodemu symbols} lists: every symbol of the booted kernel image with how kmodemu
 * serves it, taken from the machine's own record of how each was defined and from the stub
 * bindings ({@link KernelSymbol} and {@link KernelData} methods), plus whether and how vmlinux
 * exports it ({@code Module.symvers} of the profile).
 */
public final class KernelSymbols {
    private KernelSymbols() {
    }

    /**
     * One symbol. {@code how} is {@code java} (a trampoline into a Java method), {@code java-sized}
     * (a Java method at a function laid out with Debian's size for call traces), {@code code}
     * (machine code kmodemu writes: thunks, paravirt natives, static call trampolines),
     * {@code frame} (a function present only so call traces pass through it), {@code data},
     * {@code percpu} or {@code alias}. {@code implementation} is the Java method (or the data
     * initialiser) as {@code Class.method}, or the alias target, or "". {@code export} is
     * {@code EXPORT_SYMBOL}, {@code EXPORT_SYMBOL_GPL} or "" (not exported: reachable through
     * pointers the kernel hands out, or kmodemu-internal).
     */
    public record Symbol(String name, long address, long size, String how, String section, String implementation,
            String export) {
    }

    /** Every symbol of {@code k}'s image, in definition order. */
    public static List<Symbol> of(KernelContext k) {
        Map<String, Method> functions = Binder.methods(StubClasses.ALL);
        Map<String, Method> data = new HashMap<>();
        for (Object b : Binder.bindings(StubClasses.ALL)) {
            if (b instanceof Binder.Data d) {
                data.put(d.spec().value(), d.method());
            }
        }
        Map<String, Profile.Export> exports = k.profile().exports();
        List<Symbol> out = new ArrayList<>();
        for (Machine.ServedSymbol s : k.machine().servedSymbols()) {
            String how = s.how().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            Method m = switch (s.how()) {
                case JAVA, JAVA_SIZED -> functions.get(s.name());
                case DATA, PERCPU -> data.get(s.name());
                default -> null;
            };
            String impl = m != null ? m.getDeclaringClass().getName().replace("dev.kmodemu.kstubs.", "") + "."
                    + m.getName() : s.how() == Machine.Served.ALIAS ? s.detail() : "";
            Profile.Export e = exports.get(s.name());
            String export = e == null ? "" : e.gplOnly() ? "EXPORT_SYMBOL_GPL" : "EXPORT_SYMBOL";
            out.add(new Symbol(s.name(), s.address(), s.size(), how,
                    s.how() == Machine.Served.DATA ? s.detail() : "", impl, export));
        }
        return out;
    }

    /** The number of vmlinux exports ({@code Module.symvers}). */
    public static int vmlinuxExports(KernelContext k) {
        return k.profile().exports().size();
    }
}
