package dev.kmodemu.emu;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Unicorn 2.1 bound with {@code java.lang.foreign}: one {@code static final MethodHandle} per C
 * function, called with {@code invokeExact}. Constants are the values of Unicorn 2.1.1's headers.
 *
 * <p>The library is found, in order, at the path in system property {@code kmodemu.unicorn}, in
 * environment variable {@code KMODEMU_UNICORN}, in kmodemu's cache
 * ({@code $XDG_CACHE_HOME/kmodemu/unicorn/libunicorn.so.2}, where {@code scripts/setup} unpacks
 * Debian 13's libunicorn2t64 on Debian 12), and last as the system's {@code libunicorn.so.2}.
 * Versions before 2.1 are refused: they cannot run kernel code at high-half addresses with a
 * virtual TLB.
 */
public final class Unicorn {
    private Unicorn() {
    }

    // uc_arch, uc_mode
    public static final int UC_ARCH_X86 = 4;
    public static final int UC_MODE_64 = 8;

    // uc_err
    public static final int UC_ERR_OK = 0;
    public static final int UC_ERR_READ_UNMAPPED = 6;
    public static final int UC_ERR_WRITE_UNMAPPED = 7;
    public static final int UC_ERR_FETCH_UNMAPPED = 8;
    public static final int UC_ERR_INSN_INVALID = 10;
    public static final int UC_ERR_WRITE_PROT = 12;
    public static final int UC_ERR_READ_PROT = 13;
    public static final int UC_ERR_FETCH_PROT = 14;
    public static final int UC_ERR_EXCEPTION = 21;

    // uc_hook_type
    public static final int UC_HOOK_INTR = 1;
    public static final int UC_HOOK_INSN = 1 << 1;
    public static final int UC_HOOK_CODE = 1 << 2;
    public static final int UC_HOOK_BLOCK = 1 << 3;
    public static final int UC_HOOK_MEM_READ = 1 << 10;
    public static final int UC_HOOK_MEM_WRITE = 1 << 11;
    public static final int UC_HOOK_MEM_INVALID = 1008;
    public static final int UC_HOOK_INSN_INVALID = 1 << 14;
    public static final int UC_HOOK_TLB_FILL = 1 << 17;

    // uc_mem_type
    public static final int UC_MEM_READ = 16;
    public static final int UC_MEM_WRITE = 17;
    public static final int UC_MEM_FETCH = 18;

    // uc_prot
    public static final int UC_PROT_NONE = 0;
    public static final int UC_PROT_READ = 1;
    public static final int UC_PROT_WRITE = 2;
    public static final int UC_PROT_EXEC = 4;
    public static final int UC_PROT_ALL = 7;

    // uc_control_type, encoded as UC_CTL(type, nr, rw) = type | nr << 26 | rw << 30
    private static final int CTL_WRITE = 1 << 30;
    public static final int UC_CTL_USE_EXITS_SET = 4 | 1 << 26 | CTL_WRITE;
    public static final int UC_CTL_CPU_MODEL_SET = 7 | 1 << 26 | CTL_WRITE;
    public static final int UC_CTL_TB_REMOVE_CACHE_SET = 9 | 2 << 26 | CTL_WRITE;
    public static final int UC_CTL_TB_FLUSH_SET = 10 | CTL_WRITE;
    public static final int UC_CTL_TLB_FLUSH_SET = 11 | CTL_WRITE;
    public static final int UC_CTL_TLB_TYPE_SET = 12 | 1 << 26 | CTL_WRITE;
    public static final long UC_TLB_VIRTUAL = 1;

    // uc_cpu_x86
    public static final int UC_CPU_X86_BROADWELL = 20;

    // x86 instruction ids for UC_HOOK_INSN
    public static final int UC_X86_INS_CPUID = 113;
    public static final int UC_X86_INS_IN = 218;
    public static final int UC_X86_INS_RDTSC = 608;
    public static final int UC_X86_INS_SYSCALL = 699;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIB;
    /** Where the library was loaded from, for messages. */
    public static final String LIBRARY;

    static {
        String[] found = locate();
        LIBRARY = found[0];
        LIB = SymbolLookup.libraryLookup(found[1], Arena.global());
    }

    private static MethodHandle fn(String name, FunctionDescriptor d, Linker.Option... opts) {
        MemorySegment sym = LIB.find(name).orElseThrow(
                () -> new UnsatisfiedLinkError(LIBRARY + " has no symbol " + name));
        return LINKER.downcallHandle(sym, d, opts);
    }

    /**
     * For the register and context copies called on every stub call and context switch: short
     * native functions that never call back into Java (Unicorn copies to or from its CPU state),
     * so the downcall skips the thread-state transition (JDK 22's critical downcalls).
     */
    private static final Linker.Option CRITICAL = Linker.Option.critical(false);

    public static final MethodHandle uc_version = fn("uc_version",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    public static final MethodHandle uc_open = fn("uc_open",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    public static final MethodHandle uc_close = fn("uc_close",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    public static final MethodHandle uc_strerror = fn("uc_strerror",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
    public static final MethodHandle uc_mem_map_ptr = fn("uc_mem_map_ptr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS));
    public static final MethodHandle uc_mem_unmap = fn("uc_mem_unmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    public static final MethodHandle uc_emu_start = fn("uc_emu_start",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    public static final MethodHandle uc_emu_stop = fn("uc_emu_stop",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    public static final MethodHandle uc_reg_read = fn("uc_reg_read",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), CRITICAL);
    public static final MethodHandle uc_reg_write = fn("uc_reg_write",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), CRITICAL);
    public static final MethodHandle uc_reg_read_batch = fn("uc_reg_read_batch",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT), CRITICAL);
    public static final MethodHandle uc_reg_write_batch = fn("uc_reg_write_batch",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT), CRITICAL);
    /** uc_hook_add(uc, hh, type, cb, user_data, begin, end, ...): variadic after {@code end}. */
    public static final MethodHandle uc_hook_add = fn("uc_hook_add",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(7));
    /** uc_hook_add with one extra int argument (the instruction id of UC_HOOK_INSN). */
    public static final MethodHandle uc_hook_add_insn = fn("uc_hook_add",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG,
                    JAVA_INT),
            Linker.Option.firstVariadicArg(7));
    public static final MethodHandle uc_hook_del = fn("uc_hook_del",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    /** uc_ctl(uc, control): no arguments. */
    public static final MethodHandle uc_ctl0 = fn("uc_ctl",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(2));
    /** uc_ctl(uc, control, arg): one 64-bit argument. */
    public static final MethodHandle uc_ctl1 = fn("uc_ctl",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG), Linker.Option.firstVariadicArg(2));
    /** uc_ctl(uc, control, arg, arg): two 64-bit arguments. */
    public static final MethodHandle uc_ctl2 = fn("uc_ctl",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(2));
    public static final MethodHandle uc_context_alloc = fn("uc_context_alloc",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    public static final MethodHandle uc_context_save = fn("uc_context_save",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), CRITICAL);
    public static final MethodHandle uc_context_restore = fn("uc_context_restore",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), CRITICAL);
    public static final MethodHandle uc_context_free = fn("uc_context_free",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));

    /** Unicorn's message for an error code. */
    public static String strerror(int err) {
        try {
            MemorySegment s = (MemorySegment) uc_strerror.invokeExact(err);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "uc_err " + err;
        }
    }

    /** Throws a {@link UnicornException} naming {@code call} when {@code err} is not UC_ERR_OK. */
    public static void check(int err, String call) {
        if (err != UC_ERR_OK) {
            throw new UnicornException(call, err, strerror(err));
        }
    }

    /** The loaded library's version as {major, minor}. */
    public static int[] version() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment major = a.allocate(JAVA_INT);
            MemorySegment minor = a.allocate(JAVA_INT);
            int unused = (int) uc_version.invokeExact(major, minor);
            return new int[] {major.get(JAVA_INT, 0), minor.get(JAVA_INT, 0)};
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Returns {description, path-or-name to dlopen}. */
    private static String[] locate() {
        List<String> candidates = new ArrayList<>();
        String prop = System.getProperty("kmodemu.unicorn");
        if (prop != null && !prop.isBlank()) {
            candidates.add(prop);
        }
        String env = System.getenv("KMODEMU_UNICORN");
        if (env != null && !env.isBlank()) {
            candidates.add(env);
        }
        candidates.add(cacheDir().resolve("unicorn/libunicorn.so.2").toString());
        for (String c : candidates) {
            if (Files.isReadable(Path.of(c))) {
                return new String[] {c, c};
            }
        }
        for (String dir : new String[] {"/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"}) {
            Path p = Path.of(dir, "libunicorn.so.2");
            if (Files.isReadable(p)) {
                return new String[] {p.toString(), p.toString()};
            }
        }
        throw new UnsatisfiedLinkError("kmodemu: Unicorn 2.1 (libunicorn.so.2) not found; run ./kmodemu once"
                + " (it fetches Debian 13's libunicorn2t64), or set KMODEMU_UNICORN to its path");
    }

    /** kmodemu's cache directory: $KMODEMU_CACHE, else $XDG_CACHE_HOME/kmodemu, else ~/.cache/kmodemu. */
    public static Path cacheDir() {
        String own = System.getenv("KMODEMU_CACHE");
        if (own != null && !own.isBlank()) {
            return Path.of(own);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "kmodemu");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "kmodemu");
    }
}
