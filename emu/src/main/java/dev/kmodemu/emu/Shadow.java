package dev.kmodemu.emu;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Shadow memory in the encoding of generic KASAN (mm/kasan/kasan.h): one byte per 8-byte granule
 * of guest-physical RAM, 0 if the whole granule may be accessed, 1..7 if only that many leading
 * bytes may, a negative value (0xfc redzone, 0xfa freed, ...) if none may. The guest cannot be
 * compiled with KASAN's instrumentation, so the check runs where Unicorn sees the access: a
 * {@code UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE} callback over the whole of RAM, in native code, that
 * reads the shadow of the access's first and last byte and returns at once when both are 0; only
 * a bad access calls the Java {@link Listener} (with the registers still those of the faulting
 * instruction: Unicorn syncs RIP before each access while a memory hook exists).
 *
 * <p>Why a memory hook and not page protection: KASAN's granularity is 8 bytes (a one-byte
 * overflow of a 40-byte kmalloc object must be caught, and the object shares its page with
 * others), and page protection would need a page (plus a guard page) per object, 100 times the
 * memory, with a TLB refill per object. The price of the hook is that while it exists every guest
 * load and store goes through Unicorn's slow path (the TLB fast path is compiled out) and the hook
 * loop: measured on a guest loop of one load and one store per iteration, 5 to 15 ns per
 * iteration without the hook and 70 to 120 ns with it, some 30 to 50 ns per access
 * ({@code BENCHMARKS.md}). Shadow bytes live in an anonymous mapping of an eighth of RAM's size
 * (reserved, not committed: only the shadow of memory KASAN poisons is ever touched).
 *
 * <p>The callback ({@code Cpu}'s) is 76 bytes:
 * <pre>
 *   void cb(uc_engine *uc, uc_mem_type type, uint64_t paddr, int size, int64_t value, struct *s)
 *                                                   // rdi uc, esi type, rdx paddr, ecx size, r9 s
 *       mov   %ecx,%ecx               89 c9         size, zero-extended
 *       mov   (%r9),%rax              49 8b 01      s-&gt;shadow - BASE/8
 *       lea   -1(%rdx,%rcx),%r10      4c 8d 54 0a ff   last byte
 *       mov   %rdx,%r11               49 89 d3
 *       shr   $3,%r11                 49 c1 eb 03   first granule
 *       movsbl (%rax,%r11),%edi       42 0f be 3c 18   its shadow
 *       shr   $3,%r10                 49 c1 ea 03   last granule
 *       movsbl (%rax,%r10),%r8d       46 0f be 04 10   its shadow
 *       mov   %edi,%eax               89 f8
 *       or    %r8d,%eax               44 09 c0
 *       jne   1f                      75 01
 *       ret                           c3            both 0: fine
 *   1:  lea   -1(%rdx,%rcx),%eax      8d 44 0a ff
 *       and   $7,%eax                 83 e0 07      last byte's offset in its granule
 *       cmp   %r10,%r11               4d 39 d3
 *       jne   2f                      75 06
 *       cmp   %edi,%eax               39 f8         one granule: fine if offset &lt; shadow
 *       jl    3f                      7c 14
 *       jmp   4f                      eb 09
 *   2:  test  %edi,%edi               85 ff         two: the first must be all accessible
 *       jne   4f                      75 05
 *       cmp   %r8d,%eax               44 39 c0      and the last cover the last byte
 *       jl    3f                      7c 09
 *   4:  mov   %rdx,%rdi               48 89 d7      report(paddr, type, size)
 *       mov   %ecx,%edx               89 ca
 *       jmp   *8(%r9)                 41 ff 61 08   tail call into the Java upcall
 *   3:  ret                           c3
 * </pre>
 */
public final class Shadow implements AutoCloseable, StateSnapshot.Participant {
    /** Told about an access the shadow forbids, from inside the hook. Must not throw. */
    @FunctionalInterface
    public interface Listener {
        void badAccess(long paddr, int size, boolean write);
    }

    private static final byte[] CODE = NativeCode.bytes(
            0x89, 0xc9,
            0x49, 0x8b, 0x01,
            0x4c, 0x8d, 0x54, 0x0a, 0xff,
            0x49, 0x89, 0xd3,
            0x49, 0xc1, 0xeb, 0x03,
            0x42, 0x0f, 0xbe, 0x3c, 0x18,
            0x49, 0xc1, 0xea, 0x03,
            0x46, 0x0f, 0xbe, 0x04, 0x10,
            0x89, 0xf8,
            0x44, 0x09, 0xc0,
            0x75, 0x01,
            0xc3,
            0x8d, 0x44, 0x0a, 0xff,
            0x83, 0xe0, 0x07,
            0x4d, 0x39, 0xd3,
            0x75, 0x06,
            0x39, 0xf8,
            0x7c, 0x14,
            0xeb, 0x09,
            0x85, 0xff,
            0x75, 0x05,
            0x44, 0x39, 0xc0,
            0x7c, 0x09,
            0x48, 0x89, 0xd7,
            0x89, 0xca,
            0x41, 0xff, 0x61, 0x08,
            0xc3);

    private static MemorySegment callback;

    private static synchronized MemorySegment callback() {
        if (callback == null) {
            callback = NativeCode.map("shadow-check", CODE);
        }
        return callback;
    }

    private final PhysicalMemory ram;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment bytes;
    private final MemorySegment hookData;
    private volatile Listener listener;

    /** Shadow for all of {@code ram}, every granule accessible. */
    public Shadow(PhysicalMemory ram) {
        this.ram = ram;
        MemorySegment m = PhysicalMemory.anonymous(ram.size() / 8);
        bytes = m;
        hookData = arena.allocate(16, 8);
        try {
            MethodHandle h = MethodHandles.lookup().findVirtual(Shadow.class, "report",
                    MethodType.methodType(void.class, long.class, int.class, int.class)).bindTo(this);
            MemorySegment up = Linker.nativeLinker().upcallStub(h,
                    FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_INT, JAVA_INT), arena);
            hookData.set(JAVA_LONG, 0, bytes.address() - (PhysicalMemory.BASE >>> 3));
            hookData.set(ADDRESS, 8, up);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        ram.shadow(this);
    }

    /** The native callback and its user data, for {@code uc_hook_add}. */
    MemorySegment callbackCode() {
        return callback();
    }

    MemorySegment hookData() {
        return hookData;
    }

    PhysicalMemory ram() {
        return ram;
    }

    /** Who hears of bad accesses; null: nobody (they are ignored). */
    public void listener(Listener l) {
        listener = l;
    }

    private void report(long paddr, int type, int size) {
        Listener l = listener;
        if (l == null) {
            return;
        }
        try {
            l.badAccess(paddr, size, type == Unicorn.UC_MEM_WRITE);
        } catch (Throwable ignored) {
            // an upcall must not throw: the JVM would abort
        }
    }

    private long index(long paddr) {
        long i = (paddr - PhysicalMemory.BASE) >>> 3;
        if (paddr < PhysicalMemory.BASE || i >= bytes.byteSize()) {
            throw new IllegalArgumentException("no shadow for physical address 0x" + Long.toHexString(paddr));
        }
        return i;
    }

    /** The shadow byte of the granule holding {@code paddr}. */
    public byte get(long paddr) {
        return bytes.get(JAVA_BYTE, index(paddr));
    }

    /** Sets the shadow of the {@code granules} granules from the one holding {@code paddr}. */
    public void fill(long paddr, long granules, byte value) {
        if (granules > 0) {
            long i = index(paddr);
            if (snapshot != null) {
                snapshot.willWrite(i, i + granules - 1);
            }
            bytes.asSlice(i, granules).fill(value);
        }
    }

    /** Sets the shadow byte of the granule holding {@code paddr}. */
    public void set(long paddr, byte value) {
        long i = index(paddr);
        if (snapshot != null) {
            snapshot.willWrite(i, i);
        }
        bytes.set(JAVA_BYTE, i, value);
    }

    // ---------------------------------------------------------------- snapshots

    /** Shadow bytes saved and restored per page of shadow. */
    private static final int SAVE_PAGE = 4096;
    private Saved snapshot;

    /**
     * A snapshot of the shadow: the first write to a page of shadow after the snapshot (or after a
     * restore) saves the page as it was at the snapshot (once: the copy serves every later
     * restore) and marks it dirty; a restore copies the dirty pages back. The shadow is written
     * only from Java (the hook reads it), so every write passes {@link #fill} or {@link #set}.
     */
    private final class Saved {
        private final Map<Integer, byte[]> saved = new HashMap<>();
        private final BitSet dirty = new BitSet();

        void willWrite(long first, long last) {
            for (int p = (int) (first / SAVE_PAGE); p <= (int) (last / SAVE_PAGE); p++) {
                if (!dirty.get(p)) {
                    dirty.set(p);
                    saved.computeIfAbsent(p, q -> bytes.asSlice((long) q * SAVE_PAGE, SAVE_PAGE).toArray(JAVA_BYTE));
                }
            }
        }

        void restore() {
            for (int p = dirty.nextSetBit(0); p >= 0; p = dirty.nextSetBit(p + 1)) {
                MemorySegment.copy(MemorySegment.ofArray(saved.get(p)), 0, bytes, (long) p * SAVE_PAGE, SAVE_PAGE);
            }
            dirty.clear();
        }
    }

    /** A new snapshot of the shadow as it is now; the action brings it back. */
    @Override
    public Runnable capture() {
        Saved s = new Saved();
        snapshot = s;
        return () -> {
            if (snapshot == s) {
                s.restore();
            }
        };
    }

    /** The capture action restores all of the shadow; its fields hold no other state. */
    @Override
    public boolean walkFields() {
        return false;
    }

    @Override
    public void close() {
        ram.shadow(null);
        arena.close();
        PhysicalMemory.unmapAnonymous(bytes);
    }
}
