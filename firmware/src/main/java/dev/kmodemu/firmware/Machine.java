package dev.kmodemu.firmware;

import dev.kmodemu.emu.Access;
import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.emu.Cpu;
import dev.kmodemu.emu.FaultAddress;
import dev.kmodemu.emu.PageFault;
import dev.kmodemu.emu.PhysicalMemory;
import dev.kmodemu.emu.Reg;
import dev.kmodemu.emu.StateSnapshot;
import dev.kmodemu.emu.Stop;
import dev.kmodemu.emu.Watchdog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated kernel image a module boots into: the address map of an x86-64 Linux 6.1 kernel
 * (kernel image and modules in the top 2 GiB, direct map at {@code page_offset_base}, vmalloc
 * area), the kernel's text with the thunks as real code and a trampoline per Java-implemented
 * function, data symbols with real storage, the per-cpu area at GS base, stacks with guard pages,
 * and kallsyms. It calls guest code and dispatches the guest's calls into Java {@link Stub}s;
 * it implements no kernel service itself.
 */
public final class Machine implements AutoCloseable, StateSnapshot.Participant {
    /** {@code _stext}: the kernel image's text. */
    public static final long TEXT = 0xffffffff81000000L;
    public static final long TEXT_SIZE = 0x800000;
    /** Read-only data of the kernel image ({@code __start_rodata}). */
    public static final long RODATA = 0xffffffff82000000L;
    /** {@code __start_ro_after_init}: writable until boot ends, read-only afterwards. */
    public static final long RO_AFTER_INIT = 0xffffffff82c00000L;
    /** {@code _sdata}: data and bss. */
    public static final long DATA = 0xffffffff83000000L;
    public static final long DATA_SIZE = 0x800000;
    public static final long RODATA_SIZE = 0x800000;
    public static final long RO_AFTER_INIT_SIZE = 0x100000;
    /** Physical address of the per-cpu area of CPU 0 in the direct map (a 2 GiB machine). */
    static final long PERCPU_PHYS = 0x7fc00000L;
    static final long PERCPU_SIZE = 0x200000;
    /** Where in the direct map the heap (kmalloc and page allocations) lives. */
    static final long HEAP_PHYS = 0x1000000L;
    static final long HEAP_SIZE = 0x70000000L;
    /** The pseudo-physical memory the direct map spans: page frames 0 up to this, a 2 GiB machine. */
    public static final long DIRECT_MAP_SIZE = 1L << 31;
    /** Bytes per trampoline: {@code hlt} and int3 padding. */
    static final int TRAMPOLINE = 16;

    /** Sections for {@link #defineData}. */
    public enum Section { RODATA, RO_AFTER_INIT, DATA, PERCPU }

    /** Sees every call of guest code into a Java stub, for call tracing. */
    public interface CallTracer {
        /** The stub is about to run; {@code f} holds the arguments. */
        void enter(CallFrame f);

        /** The stub returned {@code ret}. */
        void exit(CallFrame f, long ret);

        /** The stub did not return (a fault, a killed task, a panic). */
        void abort(CallFrame f);
    }

    /** How the kernel image serves a symbol it defines (what {@code kmodemu symbols} lists). */
    public enum Served {
        /** A trampoline into a Java method ({@link #defineFunction}). */
        JAVA,
        /** A Java method at a function laid out with Debian's size for call traces. */
        JAVA_SIZED,
        /** Machine code kmodemu writes into kernel text ({@link #defineCode}): thunks, natives. */
        CODE,
        /** A function laid out only so call traces pass through it ({@link KernelFunctions}). */
        FRAME,
        /** Storage in the kernel image's data, read-only data or ro_after_init. */
        DATA,
        /** A per-cpu variable (an offset from the per-cpu base at GS). */
        PERCPU,
        /** Another name for a symbol ({@link #defineAlias}). */
        ALIAS
    }

    /** One symbol of the kernel image: where, how big, how it is served, and a detail (section, alias target). */
    public record ServedSymbol(String name, long address, long size, Served how, String detail) {
    }

    /** Handles a CPU trap (e.g. a WARN's {@code ud2}): returns the RIP to resume at, or -1. */
    @FunctionalInterface
    public interface TrapHandler {
        long handle(Machine m, Stop stop);
    }

    @StateSnapshot.Exclude("the JVM-wide ABI profile: immutable")
    private final Profile profile;
    private final PhysicalMemory ram;
    private final AddressSpace mem;
    @StateSnapshot.Exclude("the CPU's registers are saved as a Unicorn context by capture()")
    private final Cpu cpu;
    private final Kallsyms kallsyms = new Kallsyms();
    @StateSnapshot.Exclude("boot-time table, complete at finishBoot(): capture() checks nothing is added later")
    private final Map<String, Long> symbols = new HashMap<>();
    @StateSnapshot.Exclude("boot-time table, complete at finishBoot(): capture() checks nothing is added later")
    private final Map<String, ServedSymbol> served = new java.util.LinkedHashMap<>();
    @StateSnapshot.Exclude("boot-time table, complete at finishBoot(): capture() checks nothing is added later")
    private final List<Stub> stubs = new ArrayList<>();
    @StateSnapshot.Exclude("boot-time table, complete at finishBoot(): capture() checks nothing is added later")
    private final List<String> stubNames = new ArrayList<>();
    /** Stub index by entry address (trampolines and sized kernel functions). */
    @StateSnapshot.Exclude("boot-time table, complete at finishBoot(): capture() checks nothing is added later")
    private final Map<Long, Integer> stubAt = new HashMap<>();
    /** The {@link KernelFunctions} laid out in kernel text, by name. */
    @StateSnapshot.Exclude("boot-time table, complete at finishBoot(): capture() checks nothing is added later")
    private final Map<String, Long> functions = new HashMap<>();
    /** kmodemu's ORC data for its kernel text: the rightmost entry at or below an address covers it. */
    @StateSnapshot.Exclude("boot-time table, complete at finishBoot(): capture() checks nothing is added later")
    private final java.util.TreeMap<Long, Orc.Entry> kernelOrc = new java.util.TreeMap<>(Long::compareUnsigned);
    private final Unwinder unwinder;
    private int trampolines;
    /** Stub index of each trampoline. */
    @StateSnapshot.Exclude("boot-time table, complete at finishBoot(): capture() checks nothing is added later")
    private int[] trampolineStub = new int[1024];
    private final long pageOffsetBase;
    private final long vmallocBase;
    private final long vmemmapBase;
    /**
     * {@code phys_base}: where the kernel image lies in pseudo-physical memory, minus its offset
     * from {@code __START_KERNEL_map}. It puts the image right above the heap ({@code __pa_symbol()}
     * of {@code _stext} is {@code HEAP_PHYS + HEAP_SIZE}), so that frames of the image (the zero
     * page) are distinct from the heap's.
     */
    private final long physBase;
    private final VirtualArea modules;
    private final VirtualArea vmalloc;
    private final VirtualArea heap;
    private final long percpuBase;
    private final long returnToHost;
    private long textCursor = TEXT;
    private final long stubsBase;
    private long rodataCursor = RODATA;
    private long roAfterInitCursor = RO_AFTER_INIT;
    private long dataCursor = DATA;
    private long percpuCursor;
    private boolean booted;
    /**
     * An execution context: one thread of guest execution with its own nesting of host→guest
     * calls (a task, a kernel thread). Only one runs at a time; {@link #switchTo} saves the CPU
     * registers of the running one and restores those of the next.
     */
    public static final class Context {
        int depth;
        final List<CallFrame> frames = new ArrayList<>();
        /** Where each nested call returns to (a stub's trampoline, a kernel frame's site). */
        long[] returnSites = new long[8];
        java.lang.foreign.MemorySegment saved;
        Watchdog.Armed dog;
        boolean dogPaused;
    }

    private Context ctx = new Context();
    /**
     * Changes whenever kernel frames may have been laid or the running stack switched (every call
     * into guest code, every context switch): stack walks cached under one value stay valid.
     */
    private long stackEpoch;
    private long budgetNanos = 10_000_000_000L;
    private long budgetBlocks = Long.MAX_VALUE;
    private TrapHandler trapHandler;
    private CallTracer tracer;
    private boolean closed;

    /** Boots an empty kernel image with {@code ramBytes} of guest RAM. */
    public Machine(long ramBytes) {
        profile = Profile.get();
        pageOffsetBase = profile.value("PAGE_OFFSET_BASE_L4");
        vmallocBase = profile.value("VMALLOC_BASE_L4");
        vmemmapBase = profile.value("VMEMMAP_BASE_L4");
        physBase = HEAP_PHYS + HEAP_SIZE - (TEXT - profile.value("START_KERNEL_map"));
        ram = new PhysicalMemory(ramBytes);
        mem = new AddressSpace(ram);
        Cpu c;
        try {
            c = new Cpu(mem);
        } catch (RuntimeException | LinkageError e) {
            ram.close();
            throw e;
        }
        cpu = c;
        mem.map(TEXT, TEXT_SIZE, AddressSpace.RX, "kernel text");
        mem.map(RODATA, RODATA_SIZE, AddressSpace.R, "kernel rodata");
        mem.map(RO_AFTER_INIT, RO_AFTER_INIT_SIZE, AddressSpace.RW, "kernel ro_after_init");
        mem.map(DATA, DATA_SIZE, AddressSpace.RW, "kernel data");
        percpuBase = pageOffsetBase + PERCPU_PHYS;
        mem.map(percpuBase, PERCPU_SIZE, AddressSpace.RW, "per-cpu area");
        modules = new VirtualArea("module area", profile.value("MODULES_VADDR"), profile.value("MODULES_END"), mem);
        // Debian's kernel JITs BPF at boot into a 2 MiB bpf_prog_pack from module_alloc(), so its
        // first module loads at MODULES_VADDR + 2 MiB + a guard page; modules load there here too.
        modules.reserve(2L << 20);
        vmalloc = new VirtualArea("vmalloc area", vmallocBase, vmallocBase + (32L << 40), mem);
        heap = new VirtualArea("direct map", pageOffsetBase + HEAP_PHYS, pageOffsetBase + HEAP_PHYS + HEAP_SIZE, mem);
        // The memory map (SPARSEMEM_VMEMMAP: struct page of frame N at vmemmap_base + N *
        // sizeof(struct page)) for every frame of the direct map, mapped once: its backing is an
        // untouched stretch of the host reservation until pages are allocated and their struct
        // pages written, so it costs neither boot time nor host memory up front.
        mem.map(vmemmapBase, (DIRECT_MAP_SIZE / AddressSpace.PAGE) * profile.value("page_sizeof"), AddressSpace.RW,
                "vmemmap");
        // The direct map's view of the kernel image (what page_address(virt_to_page(&var)) of a
        // kernel variable, the zero page say, gives): the same memory, never executable there.
        long image = pageOffsetBase + physBase - profile.value("START_KERNEL_map");
        mem.alias(image + TEXT, TEXT, TEXT_SIZE, AddressSpace.R, "direct map of kernel text");
        mem.alias(image + RODATA, RODATA, RODATA_SIZE, AddressSpace.R, "direct map of kernel rodata");
        mem.alias(image + RO_AFTER_INIT, RO_AFTER_INIT, RO_AFTER_INIT_SIZE, AddressSpace.R,
                "direct map of kernel ro_after_init");
        mem.alias(image + DATA, DATA, DATA_SIZE, AddressSpace.RW, "direct map of kernel data");
        kallsyms.setText(TEXT, TEXT + TEXT_SIZE);

        // Where calls from the host without a kernel call path return to: the hlt after a nop, so
        // that the return address (the hlt) minus one has the ORC end-of-stack entry.
        returnToHost = defineCode("kmodemu_return_to_host", new byte[] {(byte) 0x90, (byte) 0xf4}) + 1;
        kernelOrc.put(returnToHost - 1, new Orc.Entry(0, 0, Orc.REG_UNDEFINED, Orc.REG_UNDEFINED, Orc.TYPE_CALL, true));
        defineThunks();
        defineKernelFunctions();
        // Trampolines start 1 MiB in; code defined later (static call trampolines...) goes below.
        stubsBase = TEXT + CODE_SIZE;
        definePerCpuBasics();
        defineLayoutVariables();
        unwinder = new Unwinder(this);
    }

    // ---------------------------------------------------------------- image building

    private static long align(long v, long a) {
        return (v + a - 1) & -a;
    }

    /** Kernel text below the trampolines, for code written as code. */
    static final long CODE_SIZE = 0x100000;

    /** Where the next {@link #defineCode} will place its code (for position-dependent bytes). */
    public long nextCodeAddress() {
        return align(textCursor, 16);
    }

    /** Places machine code in kernel text under {@code name} (boot only); returns its address. */
    public long defineCode(String name, byte[] code) {
        long at = nextCodeAddress();
        if (at + code.length > TEXT + CODE_SIZE) {
            throw new IllegalStateException("kernel code area full at " + name);
        }
        mem.poke(at, code);
        textCursor = at + code.length;
        register(name, at, align(code.length, 16), 'T');
        served(name, at, code.length, Served.CODE, "");
        // entered by a call, pushes nothing: the return address is at the stack pointer
        kernelOrc.put(at, Orc.Entry.call(8));
        return at;
    }

    /**
     * Lays out the {@link KernelFunctions}: {@code int3} bytes with a {@code hlt} at each call's
     * return address, and ORC entries for a call at the entry and a fixed frame in the body. A
     * call that ends its function (a noreturn call such as {@code __stack_chk_fail}'s to panic)
     * returns just past the function's size: the byte there is laid out too, as padding before the
     * next function ({@code %pB} shows the address as {@code name+size/size}).
     */
    private void defineKernelFunctions() {
        for (KernelFunctions.Fn f : KernelFunctions.ALL) {
            long at = nextCodeAddress();
            int len = f.size();
            for (int off : f.calls().values()) {
                len = Math.max(len, off + 1);
            }
            if (at + len > TEXT + CODE_SIZE) {
                throw new IllegalStateException("kernel code area full at " + f.name());
            }
            byte[] code = new byte[len];
            java.util.Arrays.fill(code, (byte) 0xcc);
            for (int off : f.calls().values()) {
                code[off] = (byte) 0xf4;
            }
            mem.poke(at, code);
            textCursor = at + code.length;
            register(f.name(), at, f.size(), 'T');
            served(f.name(), at, f.size(), Served.FRAME, "");
            functions.put(f.name(), at);
            kernelOrc.put(at, Orc.Entry.call(8));
            kernelOrc.put(at + 1, switch (f.kind()) {
                case USER_REGS -> new Orc.Entry(0, 0, Orc.REG_SP, Orc.REG_UNDEFINED, Orc.TYPE_REGS, false);
                case END_OF_STACK -> new Orc.Entry(0, 0, Orc.REG_UNDEFINED, Orc.REG_UNDEFINED, Orc.TYPE_CALL, true);
                case CALL -> Orc.Entry.call(f.frame() + 8);
            });
        }
    }

    /**
     * The return address of {@code function}'s call to {@code callee} ({@link KernelFunctions#GUEST}
     * for a call into guest code through a pointer).
     */
    public long site(String function, String callee) {
        KernelFunctions.Fn f = KernelFunctions.get(function);
        Integer off = f == null ? null : f.calls().get(callee);
        if (off == null) {
            throw new IllegalArgumentException("kmodemu: no call site " + function + " -> " + callee);
        }
        return functions.get(function) + off;
    }

    /** The address of the {@code WARN()} at {@code where} in {@code function}, or its entry if unknown. */
    public long warnSite(String function, String where) {
        KernelFunctions.Fn f = KernelFunctions.get(function);
        Integer off = f == null ? null : f.warns().get(where);
        long at = symbol(function);
        return at == -1 || off == null ? at : at + off;
    }

    /** The kernel's return and retpoline thunks and {@code __fentry__}, as real code. */
    private void defineThunks() {
        // __x86_return_thunk: "ret; int3" (what apply_returns() leaves on CPUs without RETHUNK).
        defineCode("__x86_return_thunk", new byte[] {(byte) 0xc3, (byte) 0xcc});
        // __x86_indirect_thunk_<reg>: "jmp *%reg; int3" (retpolines disabled by alternatives).
        String[] regs = {"rax", "rcx", "rdx", "rbx", null, "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12",
            "r13", "r14", "r15"};
        for (int i = 0; i < regs.length; i++) {
            if (regs[i] == null) {
                continue;
            }
            byte[] code = i < 8 ? new byte[] {(byte) 0xff, (byte) (0xe0 + i), (byte) 0xcc}
                    : new byte[] {0x41, (byte) 0xff, (byte) (0xe0 + i - 8), (byte) 0xcc};
            defineCode("__x86_indirect_thunk_" + regs[i], code);
        }
        // __fentry__: ftrace's call sites are NOPed at load; an unpatched call just returns.
        defineCode("__fentry__", new byte[] {(byte) 0xc3, (byte) 0xcc});
    }

    /** Per-cpu variables every kernel has: their addresses are offsets from GS base. */
    private void definePerCpuBasics() {
        long fixed = definePercpu("fixed_percpu_data", 48, 64);
        if (fixed != 0) {
            throw new IllegalStateException("fixed_percpu_data must be at per-cpu offset 0");
        }
        // Stack protector canary at %gs:0x28, deterministic so runs replay exactly.
        mem.write64(percpuBase + profile.offset("fixed_percpu_data_stack_canary"), 0x7e1c0a5bd2f34c00L);
        long thisCpuOff = definePercpu("this_cpu_off", 8, 8);
        mem.write64(percpuBase + thisCpuOff, percpuBase);
        definePercpu("current_task", 8, 8);
        long preempt = definePercpu("__preempt_count", 4, 4);
        mem.write32(percpuBase + preempt, (int) profile.value("PREEMPT_ENABLED"));
        definePercpu("cpu_number", 4, 4);
        cpu.set(Reg.GS_BASE, percpuBase);
    }

    /** {@code page_offset_base} and friends: variables the kernel's inline helpers read. */
    private void defineLayoutVariables() {
        mem.write64(defineData("page_offset_base", Section.RO_AFTER_INIT, 8, 8), pageOffsetBase);
        mem.write64(defineData("vmalloc_base", Section.RO_AFTER_INIT, 8, 8), vmallocBase);
        mem.write64(defineData("vmemmap_base", Section.RO_AFTER_INIT, 8, 8), vmemmapBase);
        mem.write64(defineData("phys_base", Section.DATA, 8, 8), physBase);
        long pcpuOffsets = defineData("__per_cpu_offset", Section.RO_AFTER_INIT, 8L * 8192, 64);
        mem.write64(pcpuOffsets, percpuBase);
        mem.write32(defineData("nr_cpu_ids", Section.RO_AFTER_INIT, 4, 4), 1);
    }

    /**
     * Defines a data symbol with {@code size} bytes of zeroed storage in {@code section}; returns
     * its address (for {@link Section#PERCPU}, its per-cpu offset).
     */
    public long defineData(String name, Section section, long size, long alignment) {
        long a = Math.max(alignment, 1);
        long at;
        char type;
        switch (section) {
            case RODATA -> {
                at = align(rodataCursor, a);
                rodataCursor = at + Math.max(size, 1);
                check(rodataCursor, RODATA + RODATA_SIZE, name);
                type = 'R';
            }
            case RO_AFTER_INIT -> {
                if (booted) {
                    throw new IllegalStateException("ro_after_init symbol " + name + " defined after boot");
                }
                at = align(roAfterInitCursor, a);
                roAfterInitCursor = at + Math.max(size, 1);
                check(roAfterInitCursor, RO_AFTER_INIT + RO_AFTER_INIT_SIZE, name);
                type = 'D';
            }
            case DATA -> {
                at = align(dataCursor, a);
                dataCursor = at + Math.max(size, 1);
                check(dataCursor, DATA + DATA_SIZE, name);
                type = 'D';
            }
            case PERCPU -> {
                return definePercpu(name, size, a);
            }
            default -> throw new IllegalArgumentException(section.name());
        }
        register(name, at, size, type);
        served(name, at, size, Served.DATA, section.name().toLowerCase(java.util.Locale.ROOT));
        return at;
    }

    private static void check(long cursor, long limit, String name) {
        if (Long.compareUnsigned(cursor, limit) > 0) {
            throw new IllegalStateException("kernel image section full at " + name);
        }
    }

    private long definePercpu(String name, long size, long alignment) {
        long at = align(percpuCursor, alignment);
        percpuCursor = at + Math.max(size, 1);
        check(percpuCursor, PERCPU_SIZE, name);
        // scripts/kallsyms makes per-cpu symbols absolute, listed as 'A'
        register(name, at, size, 'A');
        served(name, at, size, Served.PERCPU, "");
        return at;
    }

    /** PERCPU_MODULE_RESERVE: the reserved first chunk part modules' per-cpu data comes from. */
    public static final long PERCPU_MODULE_RESERVE = 8 << 10;

    /**
     * A first-fit allocator over a range of per-cpu offsets (the first chunk's reserved part for
     * modules, or its dynamic part for {@code alloc_percpu()}); memory handed out is zeroed.
     */
    private final class PercpuChunk {
        final long start;
        final long end;
        final java.util.TreeMap<Long, Long> used = new java.util.TreeMap<>();

        PercpuChunk(long start, long end) {
            this.start = start;
            this.end = end;
        }

        long alloc(long size, long alignment) {
            long a = Math.max(alignment, 1);
            long at = start;
            for (var e : used.entrySet()) {
                if (align(at, a) + size <= e.getKey()) {
                    break;
                }
                at = e.getKey() + e.getValue();
            }
            at = align(at, a);
            if (size <= 0 || at + size > end) {
                return -1;
            }
            used.put(at, size);
            mem.poke(percpuBase + at, new byte[(int) size]);
            return at;
        }

        boolean free(long offset) {
            return used.remove(offset) != null;
        }
    }

    private PercpuChunk moduleChunk;
    private PercpuChunk dynamicChunk;

    /** Lays out the reserved and dynamic parts of the first chunk after the static per-cpu data. */
    private void percpuChunks() {
        if (moduleChunk == null) {
            long reserve = align(percpuCursor, 4096);
            moduleChunk = new PercpuChunk(reserve, reserve + PERCPU_MODULE_RESERVE);
            dynamicChunk = new PercpuChunk(reserve + PERCPU_MODULE_RESERVE, PERCPU_SIZE);
            percpuCursor = PERCPU_SIZE;
        }
    }

    /**
     * {@code __alloc_reserved_percpu()}: {@code size} zeroed bytes of per-cpu storage for a
     * module; returns the per-cpu offset, or -1 when the reserve has no room.
     */
    public long allocModulePercpu(long size, long alignment) {
        percpuChunks();
        return moduleChunk.alloc(size, alignment);
    }

    /** {@code free_percpu()} of a module's per-cpu storage. */
    public void freeModulePercpu(long offset) {
        percpuChunks();
        moduleChunk.free(offset);
    }

    /**
     * {@code pcpu_alloc()} from the dynamic part of the first chunk: {@code size} zeroed bytes;
     * returns the per-cpu offset (what a {@code __percpu} pointer holds), or -1 if full.
     */
    public long allocPercpu(long size, long alignment) {
        percpuChunks();
        return dynamicChunk.alloc(size, alignment);
    }

    /** Frees a dynamic per-cpu allocation; false if {@code offset} is not one. */
    public boolean freePercpu(long offset) {
        percpuChunks();
        return dynamicChunk.free(offset);
    }

    /** The address of per-cpu offset {@code off} on the (only) CPU. */
    public long percpuAddress(long off) {
        return percpuBase + off;
    }

    /**
     * Gives {@code name} a trampoline in kernel text that runs {@code stub}; returns its address.
     * A trampoline is {@code hlt} (the call: dispatch to Java), {@code hlt} (where guest code the
     * stub calls returns to), then {@code int3}; a {@link KernelFunctions} function keeps its size
     * and call sites and gets the two {@code hlt}s at its entry.
     */
    public long defineFunction(String name, Stub stub) {
        Long sized = functions.get(name);
        long at;
        if (sized != null) {
            at = sized;
            mem.poke(at, new byte[] {(byte) 0xf4, (byte) 0xf4});
            served(name, at, KernelFunctions.get(name).size(), Served.JAVA_SIZED, "");
        } else {
            at = stubsBase + (long) trampolines * TRAMPOLINE;
            if (Long.compareUnsigned(at + TRAMPOLINE, TEXT + TEXT_SIZE) > 0) {
                throw new IllegalStateException("kernel text full at " + name);
            }
            byte[] code = new byte[TRAMPOLINE];
            java.util.Arrays.fill(code, (byte) 0xcc);
            code[0] = (byte) 0xf4;
            code[1] = (byte) 0xf4;
            mem.poke(at, code);
            if (trampolines == trampolineStub.length) {
                trampolineStub = java.util.Arrays.copyOf(trampolineStub, trampolines * 2);
            }
            trampolineStub[trampolines++] = stubs.size();
            register(name, at, TRAMPOLINE, 'T');
            served(name, at, TRAMPOLINE, Served.JAVA, "");
            kernelOrc.put(at, Orc.Entry.call(8));
        }
        if (stubAt.putIfAbsent(at, stubs.size()) != null) {
            throw new IllegalStateException("kernel symbol " + name + " defined twice");
        }
        stubs.add(stub);
        stubNames.add(name);
        return at;
    }

    /** Makes {@code alias} another name for the existing symbol {@code target} (like jiffies_64). */
    public void defineAlias(String alias, String target) {
        Long at = symbols.get(target);
        if (at == null) {
            throw new IllegalArgumentException("no kernel symbol " + target);
        }
        if (symbols.putIfAbsent(alias, at) != null) {
            throw new IllegalStateException("kernel symbol " + alias + " defined twice");
        }
        Kallsyms.Sym t = kallsyms.kernelSymbol(target);
        kallsyms.add(new Kallsyms.Sym(alias, at, t == null ? 0 : t.size(), t == null ? 'D' : t.type()));
        served(alias, at, t == null ? 0 : t.size(), Served.ALIAS, target);
    }

    private void served(String name, long at, long size, Served how, String detail) {
        served.put(name, new ServedSymbol(name, at, size, how, detail));
    }

    /** Every symbol of the kernel image, in the order it was defined. */
    public List<ServedSymbol> servedSymbols() {
        return List.copyOf(served.values());
    }

    private void register(String name, long at, long size, char type) {
        if (symbols.putIfAbsent(name, at) != null) {
            throw new IllegalStateException("kernel symbol " + name + " defined twice");
        }
        kallsyms.add(new Kallsyms.Sym(name, at, size, type));
    }

    /**
     * Ends boot: ro_after_init becomes read-only, as {@code mark_rodata_ro()} does.
     */
    public void finishBoot() {
        mem.protect(RO_AFTER_INIT, RO_AFTER_INIT_SIZE, AddressSpace.R);
        booted = true;
    }

    // ---------------------------------------------------------------- snapshots

    /**
     * Part of a {@link StateSnapshot} of the whole kernel: saves the CPU registers (a Unicorn
     * context) and starts tracking guest memory ({@link PhysicalMemory#track()}); the returned
     * action copies back every page written since, drops the TLB (so that clean pages are mapped
     * read-only again until their first write) and restores the registers; {@link #restored()}
     * then drops translated code of executable pages that were copied back. Only a machine with no guest code running can be
     * snapshotted; the kernel image's tables must not grow afterwards.
     */
    @Override
    public Runnable capture() {
        if (ctx.depth != 0) {
            throw new IllegalStateException("kmodemu: cannot snapshot while guest code runs");
        }
        MemorySegmentHolder regs = new MemorySegmentHolder(cpu.saveContext());
        PhysicalMemory.Tracker tracker = ram.track();
        cpu.flushTlb();
        int nSymbols = symbols.size();
        int nStubs = stubs.size();
        int nOrc = kernelOrc.size();
        snapshotContexts.add(regs);
        return () -> {
            if (symbols.size() != nSymbols || stubs.size() != nStubs || kernelOrc.size() != nOrc) {
                throw new IllegalStateException("kmodemu: kernel symbols were defined after the snapshot");
            }
            tracker.restore();
            cpu.flushTlb();
            cpu.restoreContext(regs.ctx());
        };
    }

    /** Once the address space has its old regions again: stale translations of restored code go. */
    @Override
    public void restored() {
        mem.invalidateRestoredCode();
    }

    private record MemorySegmentHolder(java.lang.foreign.MemorySegment ctx) {
    }

    /** Unicorn contexts of snapshots, freed with the machine. */
    @StateSnapshot.Exclude("native contexts of snapshots, freed at close")
    private final List<MemorySegmentHolder> snapshotContexts = new ArrayList<>();

    /** Pages written since the last snapshot restore (the next restore copies them back). */
    public int dirtyPages() {
        PhysicalMemory.Tracker t = ram.tracker();
        return t == null ? 0 : t.dirtyPages();
    }

    // ---------------------------------------------------------------- accessors

    public Profile profile() {
        return profile;
    }

    public AddressSpace memory() {
        return mem;
    }

    public Cpu cpu() {
        return cpu;
    }

    public Kallsyms kallsyms() {
        return kallsyms;
    }

    /** Address of a kernel image symbol (per-cpu symbols: their offset), or -1. */
    public long symbol(String name) {
        Long a = symbols.get(name);
        return a == null ? -1 : a;
    }

    /** True if {@code name} is defined in the kernel image. */
    public boolean hasSymbol(String name) {
        return symbols.containsKey(name);
    }

    /** The guest address of per-cpu variable {@code name} on CPU 0. */
    public long percpu(String name) {
        Long off = symbols.get(name);
        if (off == null) {
            throw new IllegalArgumentException("no per-cpu variable " + name);
        }
        return percpuBase + off;
    }

    public long pageOffsetBase() {
        return pageOffsetBase;
    }

    public long vmemmapBase() {
        return vmemmapBase;
    }

    /** {@code phys_base}: {@code __pa_symbol(x)} is {@code x - __START_KERNEL_map + phys_base}. */
    public long physBase() {
        return physBase;
    }

    /** The module area ({@code MODULES_VADDR}..{@code MODULES_END}). */
    public VirtualArea moduleArea() {
        return modules;
    }

    /** The vmalloc area. */
    public VirtualArea vmallocArea() {
        return vmalloc;
    }

    /** Direct-map memory for the page and slab allocators. */
    public VirtualArea heapArea() {
        return heap;
    }

    /** The index of the stub whose entry is {@code at}, or -1: trampolines by arithmetic, others by map. */
    private int stubIndex(long at) {
        long off = at - stubsBase;
        if (Long.compareUnsigned(off, (long) trampolines * TRAMPOLINE) < 0) {
            return off % TRAMPOLINE == 0 ? trampolineStub[(int) (off / TRAMPOLINE)] : -1;
        }
        Integer i = stubAt.get(at);
        return i == null ? -1 : i;
    }

    /** The Java stub whose entry is {@code address}, or null. */
    public String stubName(long address) {
        Integer i = stubAt.get(address);
        return i == null ? null : stubNames.get(i);
    }

    /**
     * Sets the wall-time budget of each top-level call into guest code; 0 for none (then only the
     * block budget stops runaway code, and runs are deterministic).
     */
    public void budget(long nanos) {
        budgetNanos = nanos;
    }

    /**
     * Sets the instruction budget of each top-level call into guest code, in translation blocks
     * ({@link Cpu#blockBudget}); {@link Long#MAX_VALUE} for none.
     */
    public void blockBudget(long blocks) {
        budgetBlocks = blocks;
    }

    /** The unwinder over this machine's stacks, kernel text and loaded modules. */
    public Unwinder unwinder() {
        return unwinder;
    }

    /** {@code core_kernel_text()}: the kernel text in use (code and trampolines). */
    public boolean isCoreKernelText(long address) {
        return Long.compareUnsigned(address - TEXT, textCursor - TEXT) < 0
                || Long.compareUnsigned(address - stubsBase, (long) trampolines * TRAMPOLINE) < 0;
    }

    /** True inside the kernel image's text mapping. */
    boolean isKernelTextArea(long address) {
        return Long.compareUnsigned(address - TEXT, TEXT_SIZE) < 0;
    }

    /** kmodemu's ORC entry for a kernel text address. */
    Orc.Entry kernelOrc(long ip) {
        var e = kernelOrc.floorEntry(ip);
        return e == null ? null : e.getValue();
    }

    public void trapHandler(TrapHandler h) {
        trapHandler = h;
    }

    private volatile boolean interrupted;

    /**
     * Stops the guest code running now, from any thread, as if its time budget ran out (a
     * {@link GuestFault.Kind#LOCKUP}); if none runs, the next guest code to run stops at once.
     */
    public void interrupt() {
        interrupted = true;
        cpu.requestStop();
    }

    /** Sets (or with null removes) the tracer of stub calls. */
    public void callTracer(CallTracer t) {
        tracer = t;
    }

    /** See {@link #stackEpoch}. */
    long stackEpoch() {
        return stackEpoch;
    }

    /** How deep host→guest calls are nested now (0 when no guest code runs). */
    public int depth() {
        return ctx.depth;
    }

    /** A new execution context (for a kernel thread); it starts with whatever call it makes first. */
    public Context newContext() {
        return new Context();
    }

    /** The context running now. */
    public Context context() {
        return ctx;
    }

    /**
     * Makes {@code to} the running context: the CPU registers of the current one are saved (its
     * wall-time budget paused) and those {@code to} had when it was switched out are restored
     * (its budget starts afresh). A context that never ran keeps the registers as they are.
     */
    public void switchTo(Context to) {
        stackEpoch++;
        if (to == ctx) {
            return;
        }
        if (ctx.dog != null) {
            ctx.dog.close();
            ctx.dog = null;
            ctx.dogPaused = true;
        }
        ctx.saved = cpu.save();
        if (to.saved != null) {
            cpu.restore(to.saved);
            to.saved = null;
        }
        if (to.dogPaused) {
            to.dogPaused = false;
            to.dog = budgetNanos > 0 ? Watchdog.arm(cpu, budgetNanos) : null;
        }
        ctx = to;
    }

    // ---------------------------------------------------------------- calls

    /** A kernel stack: THREAD_SIZE bytes in the vmalloc area between guard pages. */
    public record Stack(AddressSpace.Region region, long top) {
    }

    /** Allocates a kernel stack (a vmap stack with guard pages, as CONFIG_VMAP_STACK gives). */
    public Stack newStack(String what) {
        long size = profile.value("THREAD_SIZE");
        // The allocator leaves a guard page after; align so one precedes it too.
        AddressSpace.Region r = vmalloc.allocate(size, 2 * size, AddressSpace.RW, what);
        if (r == null) {
            throw new IllegalStateException("kmodemu: vmalloc area exhausted");
        }
        return new Stack(r, r.end());
    }

    public void freeStack(Stack s) {
        vmalloc.free(s.region().base());
    }

    /**
     * Calls the guest function at {@code fn} with integer arguments on {@code stack} (ignored for
     * nested calls, which continue on the current guest stack) and returns rax. Stub calls made
     * by the guest are dispatched in between.
     *
     * @throws GuestFault if the guest faults, runs out of its time budget, or a stub fails
     */
    public long call(Stack stack, long fn, long... args) {
        return callWithFlags(stack, null, -1, fn, args);
    }

    /**
     * As {@link #call}, with RFLAGS set to {@code eflags} on entry (e.g. without IF, as an
     * interrupt handler runs); -1 for what {@link #call} uses: interrupts on at the top level, the
     * caller's flags for a nested call (a kernel function calling through a pointer).
     */
    public long callWithFlags(Stack stack, long eflags, long fn, long... args) {
        return callWithFlags(stack, null, eflags, fn, args);
    }

    /**
     * Calls the guest function at {@code fn} as the kernel does from {@code path}: the return
     * addresses of its kernel frames are laid out on the stack (for a top-level call, under the
     * user {@code pt_regs} of the system call, at the top of {@code stack}; for a call from a Java
     * stub, under that stub's frame) so that an unwinder walks from the guest code through them,
     * and the callee returns to the innermost one. {@code path} null: a top-level call returns to
     * {@code kmodemu_return_to_host}, a nested one to the running stub's trampoline.
     *
     * @throws GuestFault if the guest faults, runs out of its budget, or a stub fails
     */
    public long call(Stack stack, CallPath path, long fn, long... args) {
        return callWithFlags(stack, path, -1, fn, args);
    }

    /** {@link #call(Stack, CallPath, long, long...)} with RFLAGS {@code eflags} on entry (-1: as call). */
    public long callWithFlags(Stack stack, CallPath path, long eflags, long fn, long... args) {
        if (closed) {
            throw new IllegalStateException("kmodemu: the kernel has been shut down");
        }
        // A nested call comes from a stub being dispatched: the interrupted guest code expects the
        // stub to clobber the caller-saved registers, callee-saved ones are preserved by the callee,
        // and the dispatcher rewrites rax and rsp afterwards; only rsp needs restoring here.
        Context c = ctx;
        stackEpoch++;
        boolean nested = c.depth > 0;
        long outerRsp = nested ? cpu.get(Reg.RSP) : 0;
        long rsp;
        long returnSite;
        if (nested) {
            CallFrame running = c.frames.get(c.depth - 1);
            long[] sites = path == null || path.sites().length == 0 ? new long[] {running.address + 1} : path.sites();
            try {
                rsp = layFrames(running.regs[6] + 8, sites, args);
            } catch (PageFault pf) {
                // The stack is full: the kernel function calling back would fault pushing its frame.
                throw new GuestFault(GuestFault.Kind.PAGE_FAULT, running.address, pf.address(), pf.access(),
                        pf.present(), Stop.VECTOR_PF, registers(), cpu.get(Reg.EFLAGS), running.symbol,
                        pf.getMessage());
            }
            returnSite = sites[0];
        } else if (path == null || (path.sites().length == 0 && path.user() == null)) {
            rsp = stack.top() & -16L;
            int onStack = Math.max(0, args.length - 6);
            if ((onStack & 1) != 0) {
                rsp -= 8;
            }
            for (int i = args.length - 1; i >= 6; i--) {
                rsp -= 8;
                mem.write64(rsp, args[i]);
            }
            rsp -= 8;
            mem.write64(rsp, returnToHost);
            returnSite = returnToHost;
        } else {
            rsp = layFrames(layOuter(stack, path), path.sites(), args);
            returnSite = path.sites().length == 0 ? returnToHost : path.sites()[0];
        }
        long[] vals = new long[8];
        for (int i = 0; i < Math.min(6, args.length); i++) {
            vals[i] = args[i];
        }
        vals[6] = rsp;
        vals[7] = eflags != -1 ? eflags : nested ? cpu.get(Reg.EFLAGS) : 0x202;
        cpu.set(CALL_REGS, vals);
        if (c.frames.size() <= c.depth) {
            c.frames.add(new CallFrame(this));
        }
        CallFrame frame = c.frames.get(c.depth);
        c.depth++;
        if (!nested && budgetNanos > 0) {
            c.dog = Watchdog.arm(cpu, budgetNanos);
        }
        if (c.returnSites.length < c.depth) {
            c.returnSites = java.util.Arrays.copyOf(c.returnSites, c.depth * 2);
        }
        c.returnSites[c.depth - 1] = returnSite;
        if (!nested) {
            cpu.blockBudget(budgetBlocks);
        }
        try {
            long rip = fn;
            while (true) {
                Stop s = cpu.run(rip);
                if (s.kind() == Stop.Kind.HLT) {
                    long at = s.rip() - 1;
                    if (at == returnSite) {
                        return cpu.get(Reg.RAX);
                    }
                    int stub = stubIndex(at);
                    if (stub >= 0) {
                        rip = dispatch(frame, stub, at);
                        continue;
                    }
                    throw fault(GuestFault.Kind.EMULATOR, s, null, "hlt executed at 0x" + Long.toHexString(at));
                }
                if (s.kind() == Stop.Kind.BUDGET) {
                    throw fault(GuestFault.Kind.LOCKUP, s, null, "instruction budget exhausted");
                }
                if (s.kind() == Stop.Kind.STOPPED && c.dog != null && c.dog.fired()) {
                    throw fault(GuestFault.Kind.LOCKUP, s, null, "time budget exhausted");
                }
                if (s.kind() == Stop.Kind.STOPPED && interrupted) {
                    interrupted = false;
                    throw fault(GuestFault.Kind.LOCKUP, s, null, "interrupted");
                }
                if (s.kind() == Stop.Kind.STOPPED) {
                    rip = s.rip();
                    continue;
                }
                if (trapHandler != null) {
                    long resume = trapHandler.handle(this, s);
                    if (resume != -1) {
                        rip = resume;
                        continue;
                    }
                }
                throw fault(kindOf(s), s, null, s.toString());
            }
        } finally {
            if (!nested && c.dog != null) {
                c.dog.close();
                c.dog = null;
            }
            if (!nested && !closed) {
                cpu.blockBudget(Long.MAX_VALUE);
            }
            c.depth--;
            if (nested && !closed) {
                cpu.set(Reg.RSP, outerRsp);
            }
        }
    }

    /**
     * The outer part of a top-level call's stack: the user {@code pt_regs} at the top of
     * {@code stack} (or {@code kmodemu_return_to_host} as the outermost return address when the
     * path has none); returns the CFA for the outermost site of {@code path}.
     */
    private long layOuter(Stack stack, CallPath path) {
        long top = stack.top();
        if (path.user() == null) {
            mem.write64(top - 8, returnToHost);
            return top;
        }
        long p = top - profile.value("pt_regs_sizeof");
        path.user().write(mem, profile, p);
        return p;
    }

    /**
     * Writes the return addresses {@code sites} (innermost first) so that the outermost site's
     * function has its CFA (the stack pointer before it was called) at {@code cfa}, each frame
     * as large as kmodemu's ORC data for that site says, zeroed; puts the stack arguments of
     * {@code args} (beyond the sixth) where the callee expects them; returns the callee's rsp at
     * entry (pointing at the innermost return address).
     */
    private long layFrames(long cfa, long[] sites, long[] args) {
        long calleeCfa = cfa;
        long frameTop = cfa;
        for (int i = sites.length - 1; i >= 0; i--) {
            Orc.Entry e = kernelOrc(sites[i] - 1);
            calleeCfa = cfa - e.spOffset();
            frameTop = e.type() == Orc.TYPE_REGS ? calleeCfa : cfa - 8;
            if (Long.compareUnsigned(frameTop, calleeCfa) > 0) {
                mem.fill(calleeCfa, frameTop - calleeCfa, (byte) 0);
            }
            mem.write64(calleeCfa - 8, sites[i]);
            cfa = calleeCfa;
        }
        int onStack = Math.max(0, args.length - 6);
        if (onStack * 8L > frameTop - calleeCfa) {
            // The innermost kernel frame has no room for them: they go below it, and a trace from
            // this call would see that frame with the wrong size (no stub needs this today).
            long ret = mem.read64(calleeCfa - 8);
            calleeCfa -= onStack * 8L;
            mem.write64(calleeCfa - 8, ret);
        }
        for (int i = 6; i < args.length; i++) {
            mem.write64(calleeCfa + 8L * (i - 6), args[i]);
        }
        return calleeCfa - 8;
    }

    /**
     * For a report made by Java code (a WARN, dump_stack, a lockup in a stub): lays the return
     * addresses {@code sites} (innermost first) of the kernel functions the Java code stands for
     * under the frame of the stub running now, or, outside any stub, under the frames of
     * {@code outer} (the system call the current task is in) on {@code stack}. Returns the stack
     * address of the innermost return address: the frame a trace starts from.
     */
    public long layReportFrames(Stack stack, CallPath outer, long... sites) {
        stackEpoch++;
        long cfa;
        if (ctx.depth > 0) {
            cfa = ctx.frames.get(ctx.depth - 1).regs[6] + 8;
        } else if (outer == null) {
            mem.write64(stack.top() - 8, returnToHost);
            cfa = stack.top();
        } else {
            cfa = layFrames(layOuter(stack, outer), outer.sites(), new long[0]) + 8;
        }
        return layFrames(cfa, sites, new long[0]);
    }

    /**
     * The registers of a report at kernel address {@code ip} (a WARN's {@code ud2}) whose
     * function's return address is at {@code slot}: the stack pointer as that function's ORC data
     * says, the other registers as the CPU has them.
     */
    public Unwinder.Regs regsAt(long ip, long slot) {
        Orc.Entry e = unwinder.orcFind(ip);
        long sp = e == null ? slot : slot + 8 - e.spOffset();
        long[] r = registers();
        r[7] = sp;
        return new Unwinder.Regs(ip, sp, r[6], r);
    }

    private long dispatch(CallFrame frame, int index, long at) {
        cpu.get(CallFrame.REGS, frame.regs);
        frame.outCount = 0;
        frame.symbol = stubNames.get(index);
        frame.address = at;
        long ret;
        long retAddr = mem.read64(frame.regs[6]);
        CallTracer t = tracer;
        if (t != null) {
            t.enter(frame);
        }
        boolean done = false;
        try {
            ret = stubs.get(index).call(frame);
            done = true;
        } catch (PageFault pf) {
            // A Java stub touched a bad pointer: the kernel function would have oopsed here.
            throw new GuestFault(GuestFault.Kind.PAGE_FAULT, at, pf.address(), pf.access(), pf.present(),
                    Stop.VECTOR_PF, registers(), cpu.get(Reg.EFLAGS), frame.symbol, pf.getMessage());
        } finally {
            if (t != null && !done) {
                t.abort(frame);
            }
        }
        if (t != null) {
            t.exit(frame, ret);
        }
        cpu.set(RESULT_REGS, new long[] {ret, frame.regs[6] + 8});
        for (int i = 0; i < frame.outCount; i++) {
            cpu.set(frame.outRegs[i], frame.outVals[i]);
        }
        return retAddr;
    }

    private static final Reg[] RESULT_REGS = {Reg.RAX, Reg.RSP};
    private static final Reg[] CALL_REGS = {Reg.RDI, Reg.RSI, Reg.RDX, Reg.RCX, Reg.R8, Reg.R9, Reg.RSP, Reg.EFLAGS};

    /**
     * A page fault in kernel code implemented in Java outside any stub call (the module loader
     * reading a module's tables): reported at {@code function}'s address when it has one.
     */
    public GuestFault pageFaultInKernel(PageFault pf, String function) {
        long rip = symbol(function);
        return new GuestFault(GuestFault.Kind.PAGE_FAULT, rip == -1 ? 0 : rip, pf.address(), pf.access(),
                pf.present(), Stop.VECTOR_PF, registers(), cpu.get(Reg.EFLAGS), function, pf.getMessage());
    }

    /**
     * A fault raised by the Java-implemented function running now (e.g. its BUG()): reported at
     * that function's address, with the CPU registers of the call.
     */
    public GuestFault faultInStub(GuestFault.Kind kind, String detail) {
        CallFrame f = ctx.depth > 0 ? ctx.frames.get(ctx.depth - 1) : null;
        long rip = f == null ? 0 : f.address;
        return new GuestFault(kind, rip, 0, null, false, kind == GuestFault.Kind.INVALID_OPCODE ? Stop.VECTOR_UD : -1,
                registers(), cpu.get(Reg.EFLAGS), f == null ? null : f.symbol, detail);
    }

    /**
     * A fault raised by the Java-implemented function running now at kernel address {@code rip}
     * with registers {@code registers} (a BUG in a function it tail-calls, laid out in kernel text).
     */
    public GuestFault faultAt(GuestFault.Kind kind, long rip, long[] registers, String detail) {
        CallFrame f = ctx.depth > 0 ? ctx.frames.get(ctx.depth - 1) : null;
        return new GuestFault(kind, rip, 0, null, false, kind == GuestFault.Kind.INVALID_OPCODE ? Stop.VECTOR_UD : -1,
                registers, cpu.get(Reg.EFLAGS), f == null ? null : f.symbol, detail);
    }

    private static GuestFault.Kind kindOf(Stop s) {
        return switch (s.kind()) {
            case PAGE_FAULT -> GuestFault.Kind.PAGE_FAULT;
            case INVALID_OPCODE -> GuestFault.Kind.INVALID_OPCODE;
            case EXCEPTION -> switch (s.vector()) {
                case Stop.VECTOR_DE -> GuestFault.Kind.DIVIDE_ERROR;
                case Stop.VECTOR_BP -> GuestFault.Kind.BREAKPOINT;
                case Stop.VECTOR_GP -> GuestFault.Kind.GENERAL_PROTECTION;
                case Stop.VECTOR_UD -> GuestFault.Kind.INVALID_OPCODE;
                default -> GuestFault.Kind.OTHER_EXCEPTION;
            };
            default -> GuestFault.Kind.EMULATOR;
        };
    }

    private long[] registers() {
        long[] r = new long[Reg.GPRS.length];
        cpu.get(Reg.GPRS, r);
        return r;
    }

    private GuestFault fault(GuestFault.Kind kind, Stop s, String stub, String detail) {
        long addr = 0;
        Access access = null;
        boolean present = false;
        if (s.kind() == Stop.Kind.PAGE_FAULT) {
            addr = FaultAddress.refine(cpu, s);
            access = s.fault().access();
            present = s.fault().present();
        }
        return new GuestFault(kind, s.rip(), addr, access, present, s.vector(), registers(), cpu.get(Reg.EFLAGS),
                stub, detail);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (MemorySegmentHolder h : snapshotContexts) {
            cpu.freeContext(h.ctx());
        }
        cpu.close();
        ram.close();
    }
}
