package dev.kmodemu.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelSymbols;
import dev.kmodemu.loader.Elf;
import dev.kmodemu.loader.ElfFile;
import dev.kmodemu.loader.ModuleFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code kmodemu symbols}: every kernel symbol kmodemu's kernel image serves and how (a Java
 * method, machine code, a data object, a per-cpu variable, an alias, a call-trace frame), whether
 * vmlinux exports it, and a count summary; with {@code --imports}, the undefined symbols of
 * modules and what serves each.
 */
@Command(name = "symbols", description = "List the kernel symbols kmodemu serves and how, with a summary.")
final class Symbols implements Callable<Integer> {
    @Parameters(paramLabel = "PATTERN", arity = "0..*",
            description = "Only symbols matching these shell patterns (* and ?).")
    List<String> patterns = new ArrayList<>();

    @Option(names = "--how", paramLabel = "KIND", description = "Only symbols served this way: java, java-sized, code, "
            + "frame, data, percpu, alias.")
    String how;

    @Option(names = "--exported", description = "Only symbols vmlinux exports.")
    boolean exported;

    @Option(names = "--imports", paramLabel = "MODULE.ko", arity = "1..*",
            description = "List the symbols these modules import from the kernel instead, each with how kmodemu serves it "
                    + "or \"missing\".")
    List<Path> imports = new ArrayList<>();

    @Option(names = "--json", description = "One JSON object: the symbols and the summary.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        List<KernelSymbols.Symbol> all;
        int vmlinuxExports;
        try (Kernel k = Kernel.boot()) {
            all = k.symbols();
            vmlinuxExports = dev.kmodemu.kstubs.KernelSymbols.vmlinuxExports(k.context());
        }
        if (!imports.isEmpty()) {
            return imports(all);
        }
        List<Pattern> pats = patterns.stream().map(Symbols::glob).toList();
        List<KernelSymbols.Symbol> shown = all.stream()
                .filter(s -> how == null || s.how().equals(how))
                .filter(s -> !exported || !s.export().isEmpty())
                .filter(s -> pats.isEmpty() || pats.stream().anyMatch(p -> p.matcher(s.name()).matches()))
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .toList();
        if (json) {
            ObjectMapper m = new ObjectMapper();
            ObjectNode root = m.createObjectNode();
            ArrayNode arr = root.putArray("symbols");
            for (KernelSymbols.Symbol s : shown) {
                ObjectNode o = arr.addObject();
                o.put("name", s.name());
                o.put("address", String.format("%016x", s.address()));
                o.put("size", s.size());
                o.put("how", s.how());
                o.put("section", s.section().isEmpty() ? null : s.section());
                o.put("implementation", s.implementation().isEmpty() ? null : s.implementation());
                o.put("export", s.export().isEmpty() ? null : s.export());
            }
            ObjectNode sum = root.putObject("summary");
            counts(shown).forEach(sum::put);
            sum.put("exported", shown.stream().filter(s -> !s.export().isEmpty()).count());
            sum.put("vmlinux_exports", vmlinuxExports);
            System.out.println(m.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            return 0;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-16s %-10s %-17s %-13s %-40s %s%n", "ADDRESS", "HOW", "EXPORT", "SECTION", "SYMBOL",
                "IMPLEMENTATION"));
        for (KernelSymbols.Symbol s : shown) {
            sb.append(String.format("%016x %-10s %-17s %-13s %-40s %s%n", s.address(), s.how(),
                    s.export().isEmpty() ? "-" : s.export(), s.section().isEmpty() ? "-" : s.section(), s.name(),
                    s.implementation().isEmpty() ? "-" : s.implementation()));
        }
        sb.append(summary(shown, vmlinuxExports));
        System.out.print(sb.toString().replaceAll("(?m)[ \t]+$", ""));
        return 0;
    }

    /** How many symbols each way of serving covers, in {@code Machine.Served} order. */
    private static Map<String, Long> counts(List<KernelSymbols.Symbol> syms) {
        Map<String, Long> c = new LinkedHashMap<>();
        for (String h : List.of("java", "java-sized", "code", "frame", "data", "percpu", "alias")) {
            long n = syms.stream().filter(s -> s.how().equals(h)).count();
            if (n > 0) {
                c.put(h, n);
            }
        }
        return c;
    }

    static String summary(List<KernelSymbols.Symbol> syms, int vmlinuxExports) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%n%d symbols:", syms.size()));
        String sep = " ";
        for (var e : counts(syms).entrySet()) {
            sb.append(sep).append(e.getValue()).append(' ').append(e.getKey());
            sep = ", ";
        }
        long ex = syms.stream().filter(s -> !s.export().isEmpty()).count();
        long gpl = syms.stream().filter(s -> s.export().equals("EXPORT_SYMBOL_GPL")).count();
        sb.append(String.format("%n%d of them exported by vmlinux (%d GPL-only): %.1f%% of its %d exports;"
                + " the rest are reached through pointers the kernel hands out or are kmodemu's own%n", ex, gpl,
                100.0 * ex / vmlinuxExports, vmlinuxExports));
        sb.append("no symbol runs the real kernel's machine code: \"code\" is machine code kmodemu writes (thunks, "
                + "paravirt natives, static call trampolines)\n");
        return sb.toString();
    }

    /** {@code --imports}: each module's undefined symbols, how kmodemu serves them, and a count. */
    private int imports(List<KernelSymbols.Symbol> all) {
        Map<String, KernelSymbols.Symbol> byName = new TreeMap<>();
        for (KernelSymbols.Symbol s : all) {
            byName.put(s.name(), s);
        }
        int status = 0;
        for (Path p : imports) {
            Set<String> undef = new LinkedHashSet<>();
            try {
                ElfFile elf = ElfFile.parse(Files.readAllBytes(p));
                ElfFile.Section symtab = elf.sections().stream().filter(x -> x.type() == Elf.SHT_SYMTAB).findFirst()
                        .orElse(null);
                if (symtab == null) {
                    System.err.println("kmodemu symbols: " + p + ": no symbol table");
                    status = 1;
                    continue;
                }
                for (ElfFile.Symbol s : elf.symbols(symtab)) {
                    if (s.shndx() == Elf.SHN_UNDEF && !s.name().isEmpty()) {
                        undef.add(s.name());
                    }
                }
            } catch (IOException | ModuleFormatException e) {
                System.err.println("kmodemu symbols: " + p + ": " + e.getMessage());
                status = 1;
                continue;
            }
            int missing = 0;
            System.out.println(p + ":");
            for (String name : undef) {
                KernelSymbols.Symbol s = byName.get(name);
                if (s == null) {
                    missing++;
                }
                System.out.printf("  %-40s %s%n", name, s == null ? "missing"
                        : (s.how() + (s.implementation().isEmpty() ? "" : " " + s.implementation())));
            }
            System.out.printf("  %d imports, %d served, %d missing (symbols of other modules count as missing)%n",
                    undef.size(), undef.size() - missing, missing);
        }
        return status;
    }

    /** A shell pattern ({@code *}, {@code ?}) as a regular expression. */
    private static Pattern glob(String g) {
        StringBuilder re = new StringBuilder();
        for (char c : g.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
