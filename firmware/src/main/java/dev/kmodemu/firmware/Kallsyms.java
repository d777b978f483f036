package dev.kmodemu.firmware;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Address → symbol for the kernel image and loaded modules, as {@code kallsyms_lookup()} answers
 * it: the closest preceding symbol, the offset into it and its size, and the module's name.
 * Modules register a {@link ModuleSymbols} whose lookup follows {@code find_kallsyms_symbol()}.
 */
public final class Kallsyms {
    /** One kernel symbol; {@code type} is the nm letter ('T' text, 'D' data, 'R' rodata...). */
    public record Sym(String name, long address, long size, char type) {
    }

    /** The answer to a lookup; {@code module} is null for the kernel image. */
    public record Lookup(String name, long offset, long size, String module) {
    }

    /** A loaded module's symbol table. */
    public interface ModuleSymbols {
        /** The symbol containing {@code address}, or null if the address is not in this module. */
        Lookup lookup(long address);

        /** The address of a symbol of this module, or 0. */
        long address(String name);
    }

    @dev.kmodemu.emu.StateSnapshot.Exclude("the kernel image's symbols: complete at boot")
    private final TreeMap<Long, Sym> byAddress = new TreeMap<>(Long::compareUnsigned);
    @dev.kmodemu.emu.StateSnapshot.Exclude("the kernel image's symbols: complete at boot")
    private final Map<String, Sym> byName = new HashMap<>();
    private final List<ModuleSymbols> modules = new ArrayList<>();
    /** Every kernel symbol, aliases included, in definition order. */
    @dev.kmodemu.emu.StateSnapshot.Exclude("the kernel image's symbols: complete at boot")
    private final List<Sym> all = new ArrayList<>();
    private long textStart;
    private long textEnd;

    void setText(long start, long end) {
        textStart = start;
        textEnd = end;
    }

    void add(Sym s) {
        all.add(s);
        byName.putIfAbsent(s.name(), s);
        byAddress.putIfAbsent(s.address(), s);
    }

    public void addModule(ModuleSymbols m) {
        modules.add(m);
    }

    public void removeModule(ModuleSymbols m) {
        modules.remove(m);
    }

    /**
     * The kernel image's symbols in the order of its kallsyms table (scripts/kallsyms.c
     * {@code compare_symbols()}): by address, then fewer leading underscores, then definition order.
     */
    public List<Sym> kernelSymbols() {
        List<Sym> out = new ArrayList<>(all);
        out.sort(java.util.Comparator.comparing(Sym::address, Long::compareUnsigned)
                .thenComparingInt(x -> underscores(x.name())));
        return out;
    }

    private static int underscores(String n) {
        int i = 0;
        while (i < n.length() && n.charAt(i) == '_') {
            i++;
        }
        return i;
    }

    /** A kernel image symbol by name, or null. */
    public Sym kernelSymbol(String name) {
        return byName.get(name);
    }

    /** Looks up {@code address} in the kernel image, then in every module; null if unknown. */
    public Lookup lookup(long address) {
        if (Long.compareUnsigned(address - textStart, textEnd - textStart) < 0 || byAddress.containsKey(address)) {
            Map.Entry<Long, Sym> e = byAddress.floorEntry(address);
            if (e != null) {
                Sym s = e.getValue();
                long size = s.size();
                Map.Entry<Long, Sym> next = byAddress.higherEntry(s.address());
                if (size == 0 && next != null) {
                    size = next.getKey() - s.address();
                }
                if (Long.compareUnsigned(address - s.address(), Math.max(size, 1)) < 0) {
                    return new Lookup(s.name(), address - s.address(), size, null);
                }
            }
        }
        for (ModuleSymbols m : modules) {
            Lookup l = m.lookup(address);
            if (l != null) {
                return l;
            }
        }
        Map.Entry<Long, Sym> e = byAddress.floorEntry(address);
        if (e != null && e.getValue().size() > 0
                && Long.compareUnsigned(address - e.getKey(), e.getValue().size()) < 0) {
            return new Lookup(e.getValue().name(), address - e.getKey(), e.getValue().size(), null);
        }
        return null;
    }

    /**
     * {@code %pB} ({@code sprint_backtrace()}), as call traces print return addresses: the symbol
     * of {@code address - 1} (a call at the end of a function returns past it) with the offset of
     * {@code address}; an unknown address as {@code 0x...}.
     */
    public String backtrace(long address) {
        Lookup l = lookup(address - 1);
        if (l == null) {
            return "0x" + Long.toHexString(address);
        }
        return l.name() + "+0x" + Long.toHexString(l.offset() + 1) + "/0x" + Long.toHexString(l.size())
                + (l.module() == null ? "" : " [" + l.module() + "]");
    }

    /**
     * {@code %pS}-style text: {@code name+0xoff/0xsize [module]}, or {@code 0x...} if unknown.
     *
     * @param withOffset false gives {@code %ps}-style text: the bare name
     */
    public String symbolize(long address, boolean withOffset) {
        Lookup l = lookup(address);
        if (l == null) {
            return "0x" + Long.toHexString(address);
        }
        StringBuilder sb = new StringBuilder(l.name());
        if (withOffset) {
            sb.append("+0x").append(Long.toHexString(l.offset())).append("/0x").append(Long.toHexString(l.size()));
        }
        if (l.module() != null) {
            sb.append(" [").append(l.module()).append(']');
        }
        return sb.toString();
    }
}
