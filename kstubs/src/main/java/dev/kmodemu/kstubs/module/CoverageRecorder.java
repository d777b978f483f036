package dev.kmodemu.kstubs.module;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.emu.BlockCoverage;
import dev.kmodemu.kstubs.Coverage;
import dev.kmodemu.loader.DebugLine;
import dev.kmodemu.loader.Elf;
import dev.kmodemu.loader.ElfFile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Source coverage of module code: records the blocks executed in the module area (see
 * {@link BlockCoverage}) and, before a module's memory is freed (init sections after init, the
 * core at unload) or when asked, maps them through the module's DWARF line table to lines of its
 * source files, adding them to a {@link Coverage}.
 */
public final class CoverageRecorder {
    private final BlockCoverage blocks;
    private final Coverage coverage = new Coverage();
    /** Line tables by module image (parsed once per loaded module). */
    private final Map<ElfFile, Lines> tables = new IdentityHashMap<>();

    /** Starts recording module-area code of the machine {@code modules} runs on. */
    public CoverageRecorder(dev.kmodemu.kstubs.KernelContext k) {
        var area = k.machine().moduleArea();
        blocks = k.machine().cpu().coverage(area.start(), area.end());
    }

    /** The coverage recorded so far, without the blocks not yet harvested. */
    Coverage coverage() {
        return coverage;
    }

    /** Maps the blocks run in {@code region} of module {@code m} to its source lines, and forgets them. */
    void harvest(Module m, AddressSpace.Region region) {
        if (region == null) {
            return;
        }
        List<BlockCoverage.Block> run = blocks.harvest(region.base(), region.end());
        Lines lines = tables.computeIfAbsent(m.info.elf(), e -> Lines.of(m.name, e));
        if (lines.note != null) {
            if (!run.isEmpty()) {
                coverage.withoutLines(lines.note);
            }
            return;
        }
        // Where each code section of the module is now, if it lies in this region.
        Map<Integer, Long> base = new HashMap<>();
        for (ElfFile.Section s : m.info.sections()) {
            if ((s.flags() & Elf.SHF_EXECINSTR) != 0 && (m.info.flags(s.index()) & Elf.SHF_ALLOC) != 0
                    && m.layout.placed(s.index())) {
                long a = m.image.sectionAddress(s.index());
                if (region.contains(a)) {
                    base.put(s.index(), a);
                }
            }
        }
        Map<Long, Long> lineMax = new HashMap<>();
        for (Range r : lines.ranges) {
            if (base.containsKey(r.section)) {
                lineMax.putIfAbsent(key(r.file, r.line), 0L);
            }
        }
        Map<Long, Long> blockAt = new HashMap<>();
        for (BlockCoverage.Block b : run) {
            blockAt.put(b.address(), b.count());
            for (Map.Entry<Integer, Long> e : base.entrySet()) {
                long off = b.address() - e.getValue();
                long size = m.info.section(e.getKey()).size();
                if (off < 0 || off >= size) {
                    continue;
                }
                lines.forEach(e.getKey(), off, off + Math.max(b.size(), 1),
                        r -> lineMax.merge(key(r.file, r.line), b.count(), Math::max));
            }
        }
        lineMax.forEach((k, c) -> coverage.line(lines.files.get((int) (k >>> 32)), (int) (long) k, c));
        for (Func f : lines.functions) {
            Long at = base.get(f.section);
            if (at != null) {
                coverage.function(lines.files.get(f.file), f.name, f.line, blockAt.getOrDefault(at + f.offset, 0L));
            }
        }
    }

    private static long key(int file, int line) {
        return (long) file << 32 | (line & 0xffffffffL);
    }

    /** A row's address range in a section, and its line. */
    private record Range(int section, long start, long end, int file, int line) {
    }

    private record Func(String name, int section, long offset, int file, int line) {
    }

    /** A module's line table restricted to its own source files, as sorted ranges per section. */
    private static final class Lines {
        final List<String> files = new ArrayList<>();
        final List<Range> ranges = new ArrayList<>();
        final List<Func> functions = new ArrayList<>();
        Map<Integer, Range[]> bySection = new HashMap<>();
        Map<Integer, Long> longest = new HashMap<>();
        String note;

        static Lines of(String module, ElfFile elf) {
            Lines l = new Lines();
            List<DebugLine.Unit> units;
            try {
                units = DebugLine.read(elf);
            } catch (DebugLine.Malformed e) {
                l.note = module + ": " + e.getMessage();
                return l;
            }
            if (units.isEmpty()) {
                l.note = module + ": no .debug_line (built without debug information)";
                return l;
            }
            Map<String, Integer> fileIndex = new HashMap<>();
            for (DebugLine.Unit u : units) {
                String dir = u.primaryFile() == null || u.primaryFile().endsWith(".mod.c") ? null
                        : u.primaryFile().substring(0, u.primaryFile().lastIndexOf('/') + 1);
                int[] map = new int[u.files().size()];
                for (int i = 0; i < map.length; i++) {
                    String f = u.files().get(i);
                    map[i] = dir == null || f == null || !normalize(f).startsWith(dir) ? -1
                            : fileIndex.computeIfAbsent(normalize(f), n -> {
                                l.files.add(n);
                                return l.files.size() - 1;
                            });
                }
                for (DebugLine.Sequence s : u.sequences()) {
                    List<DebugLine.Row> rows = s.rows();
                    for (int i = 0; i < rows.size(); i++) {
                        DebugLine.Row r = rows.get(i);
                        long end = s.end();
                        for (int j = i + 1; j < rows.size(); j++) {
                            if (rows.get(j).offset() > r.offset()) {
                                end = rows.get(j).offset();
                                break;
                            }
                        }
                        int f = map[r.file()];
                        if (f >= 0 && end > r.offset()) {
                            l.ranges.add(new Range(s.section(), r.offset(), end, f, r.line()));
                        }
                    }
                }
            }
            Map<Integer, List<Range>> sec = new HashMap<>();
            for (Range r : l.ranges) {
                sec.computeIfAbsent(r.section, x -> new ArrayList<>()).add(r);
                l.longest.merge(r.section, r.end - r.start, Math::max);
            }
            sec.forEach((s, rs) -> {
                Range[] a = rs.toArray(new Range[0]);
                Arrays.sort(a, Comparator.comparingLong(Range::start));
                l.bySection.put(s, a);
            });
            l.functions(elf);
            return l;
        }

        /** The module's functions ({@code STT_FUNC}, not the compiler's {@code .cold}/{@code .part} pieces). */
        private void functions(ElfFile elf) {
            for (ElfFile.Section s : elf.sections()) {
                if (s.type() != Elf.SHT_SYMTAB) {
                    continue;
                }
                for (ElfFile.Symbol sym : elf.symbols(s)) {
                    if (sym.type() != Elf.STT_FUNC || sym.name().isEmpty() || sym.name().contains(".")) {
                        continue;
                    }
                    Range[] rs = bySection.get(sym.shndx());
                    if (rs == null) {
                        continue;
                    }
                    for (Range r : rs) {
                        if (r.start <= sym.value() && sym.value() < r.end) {
                            addFunction(new Func(sym.name(), sym.shndx(), sym.value(), r.file, r.line));
                            break;
                        }
                    }
                }
            }
        }

        /**
         * One function per address: {@code module_init()} and {@code module_exit()} make
         * {@code init_module} and {@code cleanup_module} aliases of the module's own functions,
         * whose names are kept.
         */
        private void addFunction(Func f) {
            for (int i = 0; i < functions.size(); i++) {
                Func o = functions.get(i);
                if (o.section == f.section && o.offset == f.offset) {
                    if (o.name.equals("init_module") || o.name.equals("cleanup_module")) {
                        functions.set(i, f);
                    }
                    return;
                }
            }
            functions.add(f);
        }

        /** Calls {@code f} for each range of {@code section} meeting {@code [start, end)}. */
        void forEach(int section, long start, long end, java.util.function.Consumer<Range> f) {
            Range[] a = bySection.get(section);
            if (a == null) {
                return;
            }
            long from = start - longest.get(section);
            int lo = 0;
            int hi = a.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (a[mid].start < from) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            for (int i = lo; i < a.length && a[i].start < end; i++) {
                if (a[i].end > start) {
                    f.accept(a[i]);
                }
            }
        }

        private static String normalize(String path) {
            return java.nio.file.Path.of(path).normalize().toString();
        }
    }
}
