package dev.kmodemu.emu;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayDeque;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One emulated x86-64 CPU: a Unicorn 2.1 engine in 64-bit mode with a virtual TLB served by an
 * {@link AddressSpace}. Not thread-safe, except {@link #requestStop()}, which a watchdog thread
 * may call at any time.
 */
public final class Cpu implements AutoCloseable {
    /** The CPU model: Broadwell, whose features Unicorn's TCG executes (no AVX). */
    public static final int MODEL = Unicorn.UC_CPU_X86_BROADWELL;

    private final AddressSpace mem;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment uc;
    private final MemorySegment scratch;
    private final MemorySegment batchIds;
    private final MemorySegment batchVals;
    private final MemorySegment batchPtrs;
    private final ArrayDeque<MemorySegment> freeContexts = new ArrayDeque<>();
    private MemorySegment codeHook;
    /**
     * The native block hook's data: blocks left before the budget stops the guest, and the edge
     * coverage state (see {@link BlockCounter}).
     */
    private final MemorySegment blockData;
    private volatile boolean stopRequested;
    private boolean closed;

    // Filled by hooks during a run.
    private long faultPage;
    private Access faultAccess;
    private boolean faultPresent;
    private boolean faulted;
    private int vector = -1;
    private TraceListener trace;
    /** Whether guest code ever ran (so that translated code may exist). */
    private boolean ran;
    private BlockCoverage coverage;

    /**
     * Answers the guest's {@code in} instructions (also {@code ins}): the value read from I/O port
     * {@code port}, {@code size} bytes wide; -1 (all ones) when nothing is behind the port.
     */
    @FunctionalInterface
    public interface IoPorts {
        long in(int port, int size);
    }

    /**
     * Without {@link #ioPorts(IoPorts)}: every port reads all ones, as on a PC an I/O read that no
     * device decodes (Unicorn alone would read 0).
     */
    private volatile IoPorts ioPorts;

    /** Receives every executed instruction while tracing is on. */
    @FunctionalInterface
    public interface TraceListener {
        void instruction(long address, int size);
    }

    public Cpu(AddressSpace mem) {
        int[] v = Unicorn.version();
        if (v[0] < 2 || (v[0] == 2 && v[1] < 1)) {
            throw new UnsatisfiedLinkError("kmodemu: Unicorn " + v[0] + "." + v[1] + " at " + Unicorn.LIBRARY
                    + " is too old; kmodemu needs 2.1 or newer (run ./kmodemu once to fetch it)");
        }
        this.mem = mem;
        scratch = arena.allocate(64, 16);
        batchIds = arena.allocate(JAVA_INT, 32);
        batchVals = arena.allocate(JAVA_LONG, 32);
        batchPtrs = arena.allocate(ADDRESS, 32);
        blockData = arena.allocate(BlockCounter.DATA_SIZE, 16);
        blockData.set(JAVA_LONG, BlockCounter.LEFT, Long.MAX_VALUE);
        for (int i = 0; i < 32; i++) {
            batchPtrs.setAtIndex(ADDRESS, i, batchVals.asSlice(i * 8L, 8));
        }
        try {
            MemorySegment p = arena.allocate(ADDRESS);
            Unicorn.check((int) Unicorn.uc_open.invokeExact(Unicorn.UC_ARCH_X86, Unicorn.UC_MODE_64, p), "uc_open");
            uc = p.get(ADDRESS, 0);
            Unicorn.check((int) Unicorn.uc_ctl1.invokeExact(uc, Unicorn.UC_CTL_CPU_MODEL_SET, (long) MODEL),
                    "uc_ctl_set_cpu_model");
            Unicorn.check((int) Unicorn.uc_ctl1.invokeExact(uc, Unicorn.UC_CTL_TLB_TYPE_SET, Unicorn.UC_TLB_VIRTUAL),
                    "uc_ctl_tlb_mode(UC_TLB_VIRTUAL)");
            // Exits mode with no exits: uc_emu_start's "until" address is ignored, so no address
            // ever stops the guest by accident (Unicorn bakes "until" into translated blocks).
            Unicorn.check((int) Unicorn.uc_ctl1.invokeExact(uc, Unicorn.UC_CTL_USE_EXITS_SET, 1L),
                    "uc_ctl_exits_enable");
            PhysicalMemory ram = mem.ram();
            Unicorn.check((int) Unicorn.uc_mem_map_ptr.invokeExact(uc, PhysicalMemory.BASE, ram.size(),
                    Unicorn.UC_PROT_ALL, ram.pool()), "uc_mem_map_ptr(guest RAM)");
            MethodHandles.Lookup l = MethodHandles.lookup();
            Linker linker = Linker.nativeLinker();
            MethodHandle tlb = l.findVirtual(Cpu.class, "tlbFill", MethodType.methodType(boolean.class,
                    MemorySegment.class, long.class, int.class, MemorySegment.class, MemorySegment.class))
                    .bindTo(this);
            addHook(Unicorn.UC_HOOK_TLB_FILL, linker.upcallStub(tlb, FunctionDescriptor.of(JAVA_BOOLEAN,
                    ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS), arena), 1, 0);
            MethodHandle intr = l.findVirtual(Cpu.class, "interrupt", MethodType.methodType(void.class,
                    MemorySegment.class, int.class, MemorySegment.class)).bindTo(this);
            addHook(Unicorn.UC_HOOK_INTR, linker.upcallStub(intr, FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT,
                    ADDRESS), arena), 1, 0);
            MethodHandle in = l.findVirtual(Cpu.class, "in", MethodType.methodType(int.class, MemorySegment.class,
                    int.class, int.class, MemorySegment.class)).bindTo(this);
            MemorySegment ih = arena.allocate(JAVA_LONG);
            Unicorn.check((int) Unicorn.uc_hook_add_insn.invokeExact(uc, ih, Unicorn.UC_HOOK_INSN,
                    linker.upcallStub(in, FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), arena),
                    MemorySegment.NULL, 1L, 0L, Unicorn.UC_X86_INS_IN), "uc_hook_add(UC_X86_INS_IN)");
            MemorySegment hh = arena.allocate(JAVA_LONG);
            Unicorn.check((int) Unicorn.uc_hook_add.invokeExact(uc, hh, Unicorn.UC_HOOK_BLOCK, BlockCounter.callback(),
                    blockData, 1L, 0L), "uc_hook_add(UC_HOOK_BLOCK)");
        } catch (UnicornException | UnsatisfiedLinkError e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw new IllegalStateException(t);
        }
        mem.attach(this);
        set(Reg.EFLAGS, 0x202);
    }

    private long addHook(int type, MemorySegment cb, long begin, long end) throws Throwable {
        MemorySegment hh = arena.allocate(JAVA_LONG);
        Unicorn.check((int) Unicorn.uc_hook_add.invokeExact(uc, hh, type, cb, MemorySegment.NULL, begin, end),
                "uc_hook_add(" + type + ")");
        return hh.get(JAVA_LONG, 0);
    }

    public AddressSpace memory() {
        return mem;
    }

    // ---------------------------------------------------------------- hooks (upcalls: never throw)

    private boolean tlbFill(MemorySegment engine, long vaddr, int type, MemorySegment entry, MemorySegment user) {
        try {
            Access access = Access.ofUnicorn(type);
            long pa = mem.translate(vaddr, access);
            if (pa == -1) {
                faulted = true;
                faultPage = vaddr;
                faultAccess = access;
                faultPresent = mem.permsAt(vaddr) != 0;
                return false;
            }
            int perms = mem.permsAt(vaddr);
            PhysicalMemory.Tracker t = mem.ram().tracker();
            if (t != null && (perms & Unicorn.UC_PROT_WRITE) != 0 && !t.isDirtyPhys(pa)) {
                // Copy on first write: the page stays read-only in the TLB until the guest writes it.
                if (access == Access.WRITE) {
                    t.markPhys(pa & -PhysicalMemory.PAGE, PhysicalMemory.PAGE);
                } else {
                    perms &= ~Unicorn.UC_PROT_WRITE;
                }
            }
            MemorySegment e = entry.reinterpret(16);
            e.set(JAVA_LONG, 0, pa & -PhysicalMemory.PAGE);
            e.set(JAVA_INT, 8, perms);
            return true;
        } catch (Throwable t) {
            faulted = true;
            faultPage = vaddr;
            faultAccess = Access.READ;
            return false;
        }
    }

    private void interrupt(MemorySegment engine, int intno, MemorySegment user) {
        vector = intno;
        try {
            int unused = (int) Unicorn.uc_emu_stop.invokeExact(uc);
        } catch (Throwable ignored) {
            // nothing sensible to do inside an upcall
        }
    }

    /** {@code uint32_t cb(uc_engine *uc, uint32_t port, int size, void *user_data)}. */
    private int in(MemorySegment engine, int port, int size, MemorySegment user) {
        long v = -1;
        IoPorts p = ioPorts;
        if (p != null) {
            try {
                v = p.in(port & 0xffff, size);
            } catch (Throwable ignored) {
                // a handler must not take the JVM down: the port reads as if nothing were there
            }
        }
        return (int) (size >= 4 ? v : v & ((1L << (8 * size)) - 1));
    }

    /** Answers the guest's port reads from now on (null: all ones for every port). */
    public void ioPorts(IoPorts handler) {
        ioPorts = handler;
    }

    private void code(MemorySegment engine, long address, int size, MemorySegment user) {
        TraceListener t = trace;
        if (t != null) {
            try {
                t.instruction(address, size);
            } catch (Throwable ignored) {
                // a listener must not take the JVM down
            }
        }
    }

    /** Calls {@code listener} for every instruction executed from now on; null turns tracing off. */
    public void trace(TraceListener listener) {
        trace = listener;
        if (listener != null && codeHook == null) {
            try {
                MethodHandle h = MethodHandles.lookup().findVirtual(Cpu.class, "code", MethodType.methodType(
                        void.class, MemorySegment.class, long.class, int.class, MemorySegment.class)).bindTo(this);
                codeHook = Linker.nativeLinker().upcallStub(h, FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_INT,
                        ADDRESS), arena);
                addHook(Unicorn.UC_HOOK_CODE, codeHook, 1, 0);
                invalidateAllCode();
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Checks every guest load and store against {@code shadow} from now on (see {@link Shadow}):
     * its native callback hooks every address (the TLB only ever maps RAM, so every access it sees
     * is in RAM; a hook bounded to RAM's range would make Unicorn invalidate translated code page by
     * page over the range), and code translated before (if any: flushing Unicorn's translation
     * cache takes a few hundred milliseconds) is dropped so that it is compiled again without the
     * TLB fast path. Once per CPU, best before the first {@link #run}.
     */
    public void checkShadow(Shadow shadow) {
        checkOpen();
        if (shadow.ram() != mem.ram()) {
            throw new IllegalArgumentException("shadow of another RAM");
        }
        try {
            MemorySegment hh = arena.allocate(JAVA_LONG);
            Unicorn.check((int) Unicorn.uc_hook_add.invokeExact(uc, hh,
                    Unicorn.UC_HOOK_MEM_READ | Unicorn.UC_HOOK_MEM_WRITE, shadow.callbackCode(), shadow.hookData(),
                    1L, 0L), "uc_hook_add(shadow check)");
        } catch (UnicornException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (ran) {
            invalidateAllCode();
        }
    }

    /**
     * Starts recording which blocks of {@code [begin, end)} run (see {@link BlockCoverage}). The
     * first call installs the hook; later calls return the same recorder. Code of the range that
     * was translated before does not get the hook: call this before it first runs, or drop it
     * with {@link #invalidateCode} (not {@link #invalidateAllCode}: Unicorn 2.1's full flush
     * touches its whole code buffer, measured at about 400 MB of memory and seconds of system time).
     */
    public BlockCoverage coverage(long begin, long end) {
        checkOpen();
        if (coverage == null) {
            BlockCoverage c = new BlockCoverage(begin, end);
            try {
                MemorySegment hh = arena.allocate(JAVA_LONG);
                Unicorn.check((int) Unicorn.uc_hook_add.invokeExact(uc, hh, Unicorn.UC_HOOK_BLOCK,
                        BlockCoverage.callback(), c.userData(), begin, end - 1), "uc_hook_add(UC_HOOK_BLOCK, coverage)");
            } catch (UnicornException e) {
                c.close();
                throw e;
            } catch (Throwable t) {
                c.close();
                throw new IllegalStateException(t);
            }
            coverage = c;
        }
        return coverage;
    }

    /** The coverage recorder, or null if coverage is off. */
    public BlockCoverage coverage() {
        return coverage;
    }

    // ---------------------------------------------------------------- running

    /**
     * Runs from {@code rip} until the guest executes {@code hlt}, faults, or is stopped.
     */
    public Stop run(long rip) {
        checkOpen();
        ran = true;
        faulted = false;
        vector = -1;
        if (stopRequested) {
            stopRequested = false;
            return new Stop(Stop.Kind.STOPPED, rip, null, -1, 0);
        }
        int err;
        try {
            err = (int) Unicorn.uc_emu_start.invokeExact(uc, rip, 0L, 0L, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        long at = get(Reg.RIP);
        if (stopRequested) {
            stopRequested = false;
            return new Stop(Stop.Kind.STOPPED, at, null, -1, err);
        }
        if (err == Unicorn.UC_ERR_OK) {
            if (blockData.get(JAVA_LONG, BlockCounter.LEFT) < 0) {
                return new Stop(Stop.Kind.BUDGET, at, null, -1, err);
            }
            if (vector >= 0) {
                return new Stop(Stop.Kind.EXCEPTION, at, null, vector, err);
            }
            return new Stop(Stop.Kind.HLT, at, null, -1, err);
        }
        if (faulted) {
            return new Stop(Stop.Kind.PAGE_FAULT, at, new PageFault(faultPage, faultAccess, faultPresent),
                    Stop.VECTOR_PF, err);
        }
        return switch (err) {
            case Unicorn.UC_ERR_INSN_INVALID -> new Stop(Stop.Kind.INVALID_OPCODE, at, null, Stop.VECTOR_UD, err);
            case Unicorn.UC_ERR_READ_UNMAPPED, Unicorn.UC_ERR_READ_PROT ->
                    new Stop(Stop.Kind.PAGE_FAULT, at, new PageFault(0, Access.READ, false), Stop.VECTOR_PF, err);
            case Unicorn.UC_ERR_WRITE_UNMAPPED, Unicorn.UC_ERR_WRITE_PROT ->
                    new Stop(Stop.Kind.PAGE_FAULT, at, new PageFault(0, Access.WRITE, false), Stop.VECTOR_PF, err);
            case Unicorn.UC_ERR_FETCH_UNMAPPED, Unicorn.UC_ERR_FETCH_PROT ->
                    new Stop(Stop.Kind.PAGE_FAULT, at, new PageFault(at, Access.FETCH, false), Stop.VECTOR_PF, err);
            case Unicorn.UC_ERR_EXCEPTION -> new Stop(Stop.Kind.EXCEPTION, at, null, vector, err);
            default -> new Stop(Stop.Kind.ERROR, at, null, -1, err);
        };
    }

    /**
     * The instruction budget: {@link #run} returns {@link Stop.Kind#BUDGET} once the guest has
     * entered {@code blocks} more translation blocks (straight-line runs of instructions, a few
     * each; a tight loop is one per iteration). {@link Long#MAX_VALUE} means no limit.
     */
    public void blockBudget(long blocks) {
        blockData.set(JAVA_LONG, BlockCounter.LEFT, blocks);
    }

    /** Blocks left of the budget (negative once it ran out). */
    public long blocksLeft() {
        return blockData.get(JAVA_LONG, BlockCounter.LEFT);
    }

    /**
     * Records edge coverage of the code in {@code [base, base+len)} into {@code map} (its size a
     * power of two), AFL-style: each edge between two blocks of the range adds one to a map byte
     * (saturating at 255, never wrapping to 0). {@code map} null (or {@code len} 0) turns coverage
     * off. The hook is native code: no Java call per block.
     */
    public void coverage(long base, long len, MemorySegment map) {
        if (map == null || len == 0) {
            blockData.set(JAVA_LONG, BlockCounter.LEN, 0);
            blockData.set(JAVA_LONG, BlockCounter.MAP, 0);
            return;
        }
        long size = map.byteSize();
        if (Long.bitCount(size) != 1) {
            throw new IllegalArgumentException("coverage map size must be a power of two: " + size);
        }
        blockData.set(JAVA_LONG, BlockCounter.MAP, map.address());
        blockData.set(JAVA_LONG, BlockCounter.MASK, size - 1);
        blockData.set(JAVA_LONG, BlockCounter.BASE, base);
        blockData.set(JAVA_LONG, BlockCounter.LEN, len);
        blockData.set(JAVA_LONG, BlockCounter.PREV, 0);
    }

    /** Starts a new coverage trace: the next covered block has no predecessor. */
    public void resetCoverageEdge() {
        blockData.set(JAVA_LONG, BlockCounter.PREV, 0);
    }

    /** Asks a running (or the next) {@link #run} to return {@link Stop.Kind#STOPPED}. Thread-safe. */
    public void requestStop() {
        stopRequested = true;
        try {
            if (!closed) {
                int unused = (int) Unicorn.uc_emu_stop.invokeExact(uc);
            }
        } catch (Throwable ignored) {
            // the flag alone stops the next run
        }
    }

    /** Drops translated code for {@code [begin, end)}: needed after host writes to code that ran. */
    public void invalidateCode(long begin, long end) {
        checkOpen();
        try {
            Unicorn.check((int) Unicorn.uc_ctl2.invokeExact(uc, Unicorn.UC_CTL_TB_REMOVE_CACHE_SET, begin, end),
                    "uc_ctl_remove_cache(0x" + Long.toHexString(begin) + ", 0x" + Long.toHexString(end) + ")");
        } catch (UnicornException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Drops all translated code. */
    public void invalidateAllCode() {
        ctl0(Unicorn.UC_CTL_TB_FLUSH_SET, "uc_ctl_flush_tb");
    }

    /** Empties the TLB, so that changed mappings and permissions take effect. */
    public void flushTlb() {
        ctl0(Unicorn.UC_CTL_TLB_FLUSH_SET, "uc_ctl_flush_tlb");
    }

    private void ctl0(int ctl, String name) {
        checkOpen();
        try {
            Unicorn.check((int) Unicorn.uc_ctl0.invokeExact(uc, ctl), name);
        } catch (UnicornException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    // ---------------------------------------------------------------- registers

    public long get(Reg r) {
        try {
            Unicorn.check((int) Unicorn.uc_reg_read.invokeExact(uc, r.id, scratch), "uc_reg_read(" + r + ")");
        } catch (UnicornException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return scratch.get(JAVA_LONG, 0) & r.mask;
    }

    public void set(Reg r, long value) {
        scratch.set(JAVA_LONG, 0, value);
        try {
            Unicorn.check((int) Unicorn.uc_reg_write.invokeExact(uc, r.id, scratch), "uc_reg_write(" + r + ")");
        } catch (UnicornException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Reads several registers with one native call. */
    public void get(Reg[] regs, long[] out) {
        int n = regs.length;
        for (int i = 0; i < n; i++) {
            batchIds.setAtIndex(JAVA_INT, i, regs[i].id);
        }
        try {
            Unicorn.check((int) Unicorn.uc_reg_read_batch.invokeExact(uc, batchIds, batchPtrs, n), "uc_reg_read_batch");
        } catch (UnicornException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        for (int i = 0; i < n; i++) {
            out[i] = batchVals.getAtIndex(JAVA_LONG, i) & regs[i].mask;
        }
    }

    /** Writes several registers with one native call. */
    public void set(Reg[] regs, long[] values) {
        int n = regs.length;
        for (int i = 0; i < n; i++) {
            batchIds.setAtIndex(JAVA_INT, i, regs[i].id);
            batchVals.setAtIndex(JAVA_LONG, i, values[i]);
        }
        try {
            Unicorn.check((int) Unicorn.uc_reg_write_batch.invokeExact(uc, batchIds, batchPtrs, n),
                    "uc_reg_write_batch");
        } catch (UnicornException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    // ---------------------------------------------------------------- contexts

    /** Saves the CPU registers; give the result back to {@link #restore} exactly once. */
    public MemorySegment save() {
        MemorySegment ctx = freeContexts.poll();
        try {
            if (ctx == null) {
                MemorySegment p = arena.allocate(ADDRESS);
                Unicorn.check((int) Unicorn.uc_context_alloc.invokeExact(uc, p), "uc_context_alloc");
                ctx = p.get(ADDRESS, 0);
            }
            Unicorn.check((int) Unicorn.uc_context_save.invokeExact(uc, ctx), "uc_context_save");
        } catch (UnicornException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return ctx;
    }

    /**
     * Saves the CPU registers into a context of their own, kept until {@link #freeContext}: a
     * snapshot restored any number of times with {@link #restoreContext}.
     */
    public MemorySegment saveContext() {
        try {
            MemorySegment p = arena.allocate(ADDRESS);
            Unicorn.check((int) Unicorn.uc_context_alloc.invokeExact(uc, p), "uc_context_alloc");
            MemorySegment ctx = p.get(ADDRESS, 0);
            Unicorn.check((int) Unicorn.uc_context_save.invokeExact(uc, ctx), "uc_context_save");
            return ctx;
        } catch (UnicornException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Restores registers saved with {@link #saveContext}; the context stays valid. */
    public void restoreContext(MemorySegment ctx) {
        checkOpen();
        try {
            Unicorn.check((int) Unicorn.uc_context_restore.invokeExact(uc, ctx), "uc_context_restore");
        } catch (UnicornException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Frees a context from {@link #saveContext}. */
    public void freeContext(MemorySegment ctx) {
        if (closed) {
            return;
        }
        try {
            int unused = (int) Unicorn.uc_context_free.invokeExact(ctx);
        } catch (Throwable ignored) {
            // nothing to do
        }
    }

    /** Restores registers saved with {@link #save}. */
    public void restore(MemorySegment ctx) {
        restoreContext(ctx);
        freeContexts.push(ctx);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("kmodemu: the CPU has been closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (MemorySegment ctx : freeContexts) {
                int unused = (int) Unicorn.uc_context_free.invokeExact(ctx);
            }
            int unused = (int) Unicorn.uc_close.invokeExact(uc);
        } catch (Throwable ignored) {
            // closing twice or after a failed open
        }
        if (coverage != null) {
            coverage.close();
        }
        arena.close();
    }
}
