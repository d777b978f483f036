package dev.kmodemu.kstubs.mm;

import dev.kmodemu.emu.Access;
import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Profile;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.arch.Pgprot;
import dev.kmodemu.kstubs.fs.Files;
import dev.kmodemu.kstubs.lib.Usercopy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * mm/mmap.c: the user address space and its mappings. kmodemu's processes share one address
 * space (one {@code mm_struct}, which every process's {@code current->mm} names); each mapping is a
 * {@code vm_area_struct} in guest memory that the file's {@code mmap} operation sees and changes
 * as on the real kernel, and its pages are the page-table entries of {@link Memory} (user pages
 * mapped onto the kernel pages they show, the same bytes). Mappings made by module code with
 * {@code vm_mmap()} belong to the process that made them and go when it exits, as
 * {@code exit_mmap()} removes them; those of the Java API belong to the Java program and stay
 * until unmapped.
 */
public final class Mmap {
    private Mmap() {
    }

    /** The owner of mappings made through the Java API: they stay until unmapped. */
    public static final Object JAVA = "the Java program";

    /** {@code sysctl_max_map_count}'s default ({@code DEFAULT_MAX_MAP_COUNT}). */
    static final int MAX_MAP_COUNT = 65530;
    /** {@code mmap_min_addr}'s default ({@code CONFIG_DEFAULT_MMAP_MIN_ADDR} on Debian). */
    static final long MMAP_MIN_ADDR = 65536;
    /** {@code mmap_base()} without randomisation: {@code TASK_SIZE} less the 128 MiB minimum gap. */
    static final long GAP_MIN = 128L << 20;

    /** A mapping: its {@code vm_area_struct}, range, owner, and page-table entries by user page. */
    public static final class Vma {
        final long vma;
        long start;
        long end;
        final Object owner;
        final TreeMap<Long, Memory.Pte> ptes = new TreeMap<>(Long::compareUnsigned);

        Vma(long vma, long start, long end, Object owner) {
            this.vma = vma;
            this.start = start;
            this.end = end;
            this.owner = owner;
        }

        /** The guest {@code struct vm_area_struct *}. */
        public long address() {
            return vma;
        }

        public long start() {
            return start;
        }

        public long end() {
            return end;
        }

        boolean contains(long va) {
            return Long.compareUnsigned(va - start, end - start) < 0;
        }
    }

    private static final class State {
        long mm;
        final TreeMap<Long, Vma> vmas = new TreeMap<>(Long::compareUnsigned);
        /** The mapping whose file's {@code mmap} operation is running (not in the tree yet). */
        Vma pending;
    }

    private static State state(KernelContext k) {
        return k.state(Mmap.class, State::new);
    }

    private static long get(KernelContext k, long vma, String field) {
        return k.mem().read64(vma + k.off("vm_area_struct_" + field));
    }

    private static void put(KernelContext k, long vma, String field, long v) {
        k.mem().write64(vma + k.off("vm_area_struct_" + field), v);
    }

    static long flags(KernelContext k, Vma v) {
        return get(k, v.vma, "vm_flags");
    }

    static void setFlags(KernelContext k, Vma v, long flags) {
        put(k, v.vma, "vm_flags", flags);
    }

    static long pageProt(KernelContext k, Vma v) {
        return get(k, v.vma, "vm_page_prot");
    }

    static long pgoff(KernelContext k, Vma v) {
        return get(k, v.vma, "vm_pgoff");
    }

    static long file(KernelContext k, Vma v) {
        return get(k, v.vma, "vm_file");
    }

    /** The vma's {@code vm_ops->field}, or 0 (no operations, or not that one). */
    static long op(KernelContext k, Vma v, String field) {
        long ops = get(k, v.vma, "vm_ops");
        return ops == 0 ? 0 : k.mem().read64(ops + k.off("vm_operations_struct_" + field));
    }

    private static long taskSize(KernelContext k) {
        return Usercopy.taskSizeMax(k);
    }

    /**
     * The {@code mm_struct} of the user address space, made on first use: an unlocked
     * {@code mmap_lock}, one user and one reference, {@code mmap_base} and {@code task_size}.
     */
    public static long mm(KernelContext k) {
        State s = state(k);
        if (s.mm == 0) {
            AddressSpace m = k.mem();
            long mm = k.slab().kmalloc(k.off("mm_struct_sizeof"), Gfp.KERNEL | Gfp.ZERO);
            long waitList = mm + k.off("mm_struct_mmap_lock") + k.off("rw_semaphore_wait_list");
            m.write64(waitList, waitList);
            m.write64(waitList + 8, waitList);
            m.write32(mm + k.off("mm_struct_mm_users"), 1);
            m.write32(mm + k.off("mm_struct_mm_count"), 1);
            m.write64(mm + k.off("mm_struct_mmap_base"), mmapBase(k));
            m.write64(mm + k.off("mm_struct_task_size"), taskSize(k));
            s.mm = mm;
        }
        return s.mm;
    }

    private static long mmapBase(KernelContext k) {
        return (taskSize(k) - GAP_MIN) & -AddressSpace.PAGE;
    }

    /** The mapping holding {@code va}, or null ({@code vma_lookup()}). */
    public static Vma find(KernelContext k, long va) {
        Map.Entry<Long, Vma> e = state(k).vmas.floorEntry(va);
        return e != null && e.getValue().contains(va) ? e.getValue() : null;
    }

    /** The mapping being set up by mmap if its {@code vm_area_struct} is {@code vma}, else null. */
    static Vma pending(KernelContext k, long vma) {
        Vma v = state(k).pending;
        return v != null && v.vma == vma ? v : null;
    }

    /** Every mapping, lowest first. */
    public static List<Vma> vmas(KernelContext k) {
        return new ArrayList<>(state(k).vmas.values());
    }

    // ---------------------------------------------------------------- get_unmapped_area

    /** True if {@code [addr, addr+len)} touches no mapping and no other user memory. */
    private static boolean free(KernelContext k, long addr, long len) {
        Map.Entry<Long, Vma> e = state(k).vmas.lowerEntry(addr + len);
        if (e != null && Long.compareUnsigned(e.getValue().end, addr) > 0) {
            return false;
        }
        for (long p = addr; Long.compareUnsigned(p, addr + len) < 0; p += AddressSpace.PAGE) {
            if (k.mem().find(p) != null) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code arch_get_unmapped_area_topdown()}: a free hint as it is, else the highest gap below
     * {@code mmap_base} that holds {@code len} bytes; -ENOMEM if none or too long.
     */
    static long getUnmappedArea(KernelContext k, long addr, long len, long flags) {
        long taskSize = taskSize(k);
        if (Long.compareUnsigned(len, taskSize - MMAP_MIN_ADDR) > 0) {
            return -Errno.ENOMEM;
        }
        if ((flags & k.profile().value("MAP_FIXED")) != 0) {
            return (addr & (AddressSpace.PAGE - 1)) != 0 ? -Errno.EINVAL : addr;
        }
        if (addr != 0) {
            addr &= -AddressSpace.PAGE;
            if (Long.compareUnsigned(addr, taskSize - len) <= 0 && free(k, addr, len)) {
                return addr;
            }
        }
        long top = mmapBase(k);
        for (Vma v : state(k).vmas.descendingMap().values()) {
            if (Long.compareUnsigned(v.start, top) >= 0) {
                continue;
            }
            if (Long.compareUnsigned(top - v.end, len) >= 0 && free(k, top - len, len)) {
                return top - len;
            }
            top = v.start;
        }
        while (Long.compareUnsigned(top, MMAP_MIN_ADDR + len) >= 0) {
            if (free(k, top - len, len)) {
                return top - len;
            }
            top -= AddressSpace.PAGE;
        }
        return -Errno.ENOMEM;
    }

    // ---------------------------------------------------------------- do_mmap

    /** The file being mapped, as {@code do_mmap()} looks at it. */
    public record Target(long file, boolean noexec) {
    }

    /**
     * {@code do_mmap()}: checks the request against the file ({@code -EACCES}, {@code -ENODEV}
     * without an {@code mmap} operation, {@code -EOPNOTSUPP}, {@code -EOVERFLOW}, ...), computes
     * the vma's flags, finds room ({@code get_unmapped_area()}) and makes the mapping
     * ({@code mmap_region()}), then populates it for {@code MAP_POPULATE} or {@code MAP_LOCKED}.
     * {@code target} null maps anonymous memory (private only).
     *
     * @return the mapping's address, or a negative errno
     */
    public static long doMmap(KernelContext k, Target target, long addr, long len, long prot, long flags, long pgoff,
            Object owner) {
        Profile p = k.profile();
        AddressSpace m = k.mem();
        if (len == 0) {
            return -Errno.EINVAL;
        }
        if ((flags & p.value("MAP_FIXED")) == 0) {
            addr &= -AddressSpace.PAGE;
            if (addr != 0 && Long.compareUnsigned(addr, MMAP_MIN_ADDR) < 0) {
                addr = MMAP_MIN_ADDR;
            }
        }
        len = (len + AddressSpace.PAGE - 1) & -AddressSpace.PAGE;
        if (len == 0) {
            return -Errno.ENOMEM;
        }
        if (Long.compareUnsigned(pgoff + (len >>> Pages.PAGE_SHIFT), pgoff) < 0) {
            return -Errno.EOVERFLOW;
        }
        if (state(k).vmas.size() > MAX_MAP_COUNT) {
            return -Errno.ENOMEM;
        }
        addr = getUnmappedArea(k, addr, len, flags);
        if (Files.isErr(addr)) {
            return addr;
        }
        long vmFlags = calcVmProtBits(k, prot) | calcVmFlagBits(k, flags) | p.value("VM_MAYREAD")
                | p.value("VM_MAYWRITE") | p.value("VM_MAYEXEC");
        if (target != null) {
            long file = target.file();
            int fmode = m.read32(file + k.off("file_f_mode"));
            if (!fileMmapOk(k, file, pgoff, len)) {
                return -Errno.EOVERFLOW;
            }
            long fops = m.read64(file + k.off("file_f_op"));
            long mask = p.value("LEGACY_MAP_MASK")
                    | (fops == 0 ? 0 : m.read64(fops + p.value("file_operations_mmap_supported_flags")));
            long type = flags & p.value("MAP_TYPE");
            if (type == p.value("MAP_SHARED") || type == p.value("MAP_SHARED_VALIDATE")) {
                if (type == p.value("MAP_SHARED")) {
                    flags &= p.value("LEGACY_MAP_MASK");
                }
                if ((flags & ~mask) != 0) {
                    return -Errno.EOPNOTSUPP;
                }
                if ((prot & p.value("PROT_WRITE")) != 0 && (fmode & k.off("FMODE_WRITE")) == 0) {
                    return -Errno.EACCES;
                }
                vmFlags |= p.value("VM_SHARED") | p.value("VM_MAYSHARE");
                if ((fmode & k.off("FMODE_WRITE")) == 0) {
                    vmFlags &= ~(p.value("VM_MAYWRITE") | p.value("VM_SHARED"));
                }
            } else if (type != p.value("MAP_PRIVATE")) {
                return -Errno.EINVAL;
            }
            if ((fmode & k.off("FMODE_READ")) == 0) {
                return -Errno.EACCES;
            }
            if (target.noexec()) {
                if ((vmFlags & p.value("VM_EXEC")) != 0) {
                    return -Errno.EPERM;
                }
                vmFlags &= ~p.value("VM_MAYEXEC");
            }
            if (fops == 0 || m.read64(fops + k.off("file_operations_mmap")) == 0) {
                return -Errno.ENODEV;
            }
            if ((vmFlags & p.value("VM_GROWSDOWN")) != 0) {
                return -Errno.EINVAL;
            }
        } else {
            long type = flags & p.value("MAP_TYPE");
            if (type != p.value("MAP_PRIVATE")) {
                // shared anonymous memory is shmem, which kmodemu does not provide
                return -Errno.EINVAL;
            }
            pgoff = addr >>> Pages.PAGE_SHIFT;
        }
        if ((flags & p.value("MAP_NORESERVE")) != 0) {
            vmFlags |= p.value("VM_NORESERVE");
        }
        long file = target == null ? 0 : target.file();
        long at = addr;
        long flagsFinal = vmFlags;
        long pgoffFinal = pgoff;
        long lenFinal = len;
        long r = Memory.locked(k, Memory.MmapLock.WRITE,
                () -> mmapRegion(k, file, at, lenFinal, flagsFinal, pgoffFinal, owner));
        if (!Files.isErr(r) && ((vmFlags & p.value("VM_LOCKED")) != 0
                || (flags & p.value("MAP_POPULATE")) != 0)) {
            populate(k, r, len);
        }
        return r;
    }

    /** {@code calc_vm_prot_bits()}. */
    private static long calcVmProtBits(KernelContext k, long prot) {
        Profile p = k.profile();
        return ((prot & p.value("PROT_READ")) != 0 ? p.value("VM_READ") : 0)
                | ((prot & p.value("PROT_WRITE")) != 0 ? p.value("VM_WRITE") : 0)
                | ((prot & p.value("PROT_EXEC")) != 0 ? p.value("VM_EXEC") : 0);
    }

    /** {@code calc_vm_flag_bits()}. */
    private static long calcVmFlagBits(KernelContext k, long flags) {
        Profile p = k.profile();
        return ((flags & p.value("MAP_GROWSDOWN")) != 0 ? p.value("VM_GROWSDOWN") : 0)
                | ((flags & p.value("MAP_LOCKED")) != 0 ? p.value("VM_LOCKED") : 0)
                | ((flags & p.value("MAP_SYNC")) != 0 ? p.value("VM_SYNC") : 0);
    }

    /**
     * {@code file_mmap_ok()} with {@code file_mmap_size_max()}: character devices and proc files
     * may be mapped at any offset unless they use unsigned offsets (then not at all past 0 bytes).
     */
    private static boolean fileMmapOk(KernelContext k, long file, long pgoff, long len) {
        int fmode = k.mem().read32(file + k.off("file_f_mode"));
        long inode = k.mem().read64(file + k.off("file_f_inode"));
        int imode = k.mem().read16(inode + k.off("inode_i_mode")) & 0170000;
        long maxsize = imode == 0100000 || imode == 0060000 || imode == 0140000 ? Long.MAX_VALUE
                : (fmode & k.off("FMODE_UNSIGNED_OFFSET")) != 0 ? 0 : -1L;
        if (maxsize != 0 && Long.compareUnsigned(len, maxsize) > 0) {
            return false;
        }
        maxsize -= len;
        return Long.compareUnsigned(pgoff, maxsize >>> Pages.PAGE_SHIFT) <= 0;
    }

    /**
     * {@code mmap_region()}: a fresh vma ({@code vm_area_alloc()}: {@code dummy_vm_ops}, the
     * requested flags, {@code vm_get_page_prot()}), {@code VM_ACCOUNT} for a private writable
     * mapping; for a file, a reference on it and its {@code mmap} operation, whose error undoes
     * everything (pages it already mapped included); then {@code VM_SOFTDIRTY} and
     * {@code vma_set_page_prot()}.
     */
    static long mmapRegion(KernelContext k, long file, long addr, long len, long vmFlags, long pgoff, Object owner) {
        Profile p = k.profile();
        AddressSpace m = k.mem();
        if (doMunmap(k, addr, len) != 0) {
            return -Errno.ENOMEM;
        }
        if ((vmFlags & (p.value("VM_NORESERVE") | p.value("VM_SHARED") | p.value("VM_WRITE"))) == p.value("VM_WRITE")) {
            vmFlags |= p.value("VM_ACCOUNT");
        }
        long vma = k.slab().kmalloc(k.off("vm_area_struct_sizeof"), Gfp.KERNEL | Gfp.ZERO);
        put(k, vma, "vm_mm", mm(k));
        put(k, vma, "vm_ops", k.sym("dummy_vm_ops"));
        long chain = vma + k.off("vm_area_struct_anon_vma_chain");
        m.write64(chain, chain);
        m.write64(chain + 8, chain);
        put(k, vma, "vm_start", addr);
        put(k, vma, "vm_end", addr + len);
        put(k, vma, "vm_flags", vmFlags);
        put(k, vma, "vm_page_prot", Pgprot.vmGetPageProt(k, vmFlags));
        put(k, vma, "vm_pgoff", pgoff);
        Vma v = new Vma(vma, addr, addr + len, owner);
        if (file != 0) {
            put(k, vma, "vm_file", file);
            Files.getFile(k, file);
            long fops = m.read64(file + k.off("file_f_op"));
            State s = state(k);
            s.pending = v;
            int error;
            try {
                error = (int) k.call(m.read64(fops + k.off("file_operations_mmap")), file, vma);
            } finally {
                s.pending = null;
            }
            if (error != 0) {
                put(k, vma, "vm_file", 0);
                Files.fput(k, file);
                Memory.zap(k, v, v.start, v.end);
                k.slab().kfree(vma);
                return error;
            }
        } else {
            put(k, vma, "vm_ops", 0);
        }
        state(k).vmas.put(addr, v);
        m.write32(mm(k) + k.off("mm_struct_map_count"), state(k).vmas.size());
        setFlags(k, v, flags(k, v) | p.value("VM_SOFTDIRTY"));
        vmaSetPageProt(k, v);
        return addr;
    }

    /** {@code pgprot_modify()}: the cache, special, accessed and dirty bits of {@code old}, the rest of {@code prot}. */
    static long pgprotModify(KernelContext k, long old, long prot) {
        long keep = k.profile().value("_PAGE_CHG_MASK_FLAGS");
        return (old & keep) | (prot & ~keep);
    }

    /**
     * {@code vma_set_page_prot()}: {@code vm_page_prot} for the final flags, keeping what the
     * driver set (cache bits); write-protected if {@code vma_wants_writenotify()} (a shared
     * writable mapping whose operations want to hear of the first write).
     */
    static void vmaSetPageProt(KernelContext k, Vma v) {
        Profile p = k.profile();
        long vmFlags = flags(k, v);
        long prot = pgprotModify(k, pageProt(k, v), Pgprot.vmGetPageProt(k, vmFlags));
        long sharedWrite = p.value("VM_WRITE") | p.value("VM_SHARED");
        if ((vmFlags & sharedWrite) == sharedWrite && (op(k, v, "page_mkwrite") != 0 || op(k, v, "pfn_mkwrite") != 0)) {
            prot = pgprotModify(k, prot, Pgprot.vmGetPageProt(k, vmFlags & ~p.value("VM_SHARED")));
        }
        put(k, v.vma, "vm_page_prot", prot);
    }

    /**
     * {@code __mm_populate()}: faults in every page of the range as {@code get_user_pages()}
     * would, writing for a private writable mapping; mappings of {@code VM_IO|VM_PFNMAP} are
     * skipped and errors ignored.
     */
    private static void populate(KernelContext k, long start, long len) {
        Profile p = k.profile();
        for (long va = start; Long.compareUnsigned(va, start + len) < 0; va += AddressSpace.PAGE) {
            Vma v = find(k, va);
            if (v == null || (flags(k, v) & (p.value("VM_IO") | p.value("VM_PFNMAP"))) != 0) {
                continue;
            }
            boolean write = (flags(k, v) & (p.value("VM_WRITE") | p.value("VM_SHARED"))) == p.value("VM_WRITE");
            Memory.handleMmFault(k, v, va, write ? (int) p.value("FAULT_FLAG_WRITE") : 0);
        }
    }

    // ---------------------------------------------------------------- munmap

    /**
     * {@code do_mas_munmap()}: unmaps {@code [start, start+len)}: mappings straddling an end are
     * split there ({@code __split_vma()}: {@code may_split}, the new part's {@code open}), the
     * pages of those inside go ({@code unmap_region()}), then each is removed
     * ({@code remove_vma()}: {@code close}, the file reference dropped).
     *
     * @return 0 or a negative errno
     */
    public static int munmap(KernelContext k, long start, long len) {
        return Memory.locked(k, Memory.MmapLock.WRITE, () -> doMunmap(k, start, len));
    }

    private static int doMunmap(KernelContext k, long start, long len) {
        long taskSize = taskSize(k);
        if ((start & (AddressSpace.PAGE - 1)) != 0 || Long.compareUnsigned(start, taskSize) > 0
                || Long.compareUnsigned(len, taskSize - start) > 0) {
            return -Errno.EINVAL;
        }
        long end = start + ((len + AddressSpace.PAGE - 1) & -AddressSpace.PAGE);
        if (end == start) {
            return -Errno.EINVAL;
        }
        State s = state(k);
        Map.Entry<Long, Vma> first = s.vmas.lowerEntry(end);
        if (first == null || Long.compareUnsigned(first.getValue().end, start) <= 0) {
            return 0;
        }
        Vma v = find(k, start);
        if (v != null && v.start != start) {
            if (Long.compareUnsigned(end, v.end) < 0 && s.vmas.size() >= MAX_MAP_COUNT) {
                return -Errno.ENOMEM;
            }
            int error = splitVma(k, v, start, false);
            if (error != 0) {
                return error;
            }
        }
        Vma last = find(k, end - 1);
        if (last != null && last.end != end) {
            int error = splitVma(k, last, end, true);
            if (error != 0) {
                return error;
            }
        }
        removeVmas(k, new ArrayList<>(s.vmas.subMap(start, true, end, false).values()));
        return 0;
    }

    /**
     * {@code detach_vmas_to_be_unmapped()}, {@code unmap_region()} and {@code remove_vma()} of
     * each of {@code gone}: out of the mm first (map_count), then their pages, then the vmas.
     */
    private static void removeVmas(KernelContext k, List<Vma> gone) {
        State s = state(k);
        for (Vma g : gone) {
            s.vmas.remove(g.start);
        }
        k.mem().write32(mm(k) + k.off("mm_struct_map_count"), s.vmas.size());
        for (Vma g : gone) {
            Memory.unmapVma(k, g);
        }
        for (Vma g : gone) {
            removeVma(k, g);
        }
    }

    /**
     * {@code __split_vma()}: {@code v} becomes two at {@code addr}; the new one (below if
     * {@code newBelow}) is a copy with its own file reference and its {@code open} called.
     */
    private static int splitVma(KernelContext k, Vma v, long addr, boolean newBelow) {
        long maySplit = op(k, v, "may_split");
        if (maySplit != 0) {
            int err = (int) k.call(maySplit, v.vma, addr);
            if (err != 0) {
                return err;
            }
        }
        int size = k.off("vm_area_struct_sizeof");
        long nv = k.slab().kmalloc(size, Gfp.KERNEL);
        k.mem().copy(nv, v.vma, size);
        long chain = nv + k.off("vm_area_struct_anon_vma_chain");
        k.mem().write64(chain, chain);
        k.mem().write64(chain + 8, chain);
        Vma n;
        long pgoff = pgoff(k, v);
        if (newBelow) {
            n = new Vma(nv, v.start, addr, v.owner);
            put(k, nv, "vm_end", addr);
            v.start = addr;
            put(k, v.vma, "vm_start", addr);
            put(k, v.vma, "vm_pgoff", pgoff + ((addr - n.start) >>> Pages.PAGE_SHIFT));
        } else {
            n = new Vma(nv, addr, v.end, v.owner);
            put(k, nv, "vm_start", addr);
            put(k, nv, "vm_pgoff", pgoff + ((addr - v.start) >>> Pages.PAGE_SHIFT));
            v.end = addr;
            put(k, v.vma, "vm_end", addr);
        }
        var moved = v.ptes.subMap(n.start, true, n.end, false);
        n.ptes.putAll(moved);
        moved.clear();
        State s = state(k);
        s.vmas.remove(newBelow ? n.start : v.start);
        s.vmas.put(v.start, v);
        s.vmas.put(n.start, n);
        long file = file(k, n);
        if (file != 0) {
            Files.getFile(k, file);
        }
        long open = op(k, n, "open");
        if (open != 0) {
            k.call(open, nv);
        }
        return 0;
    }

    /** {@code remove_vma()}: the {@code close} operation, the file reference, the vma. */
    private static void removeVma(KernelContext k, Vma v) {
        long close = op(k, v, "close");
        if (close != 0) {
            k.call(close, v.vma);
        }
        long file = file(k, v);
        if (file != 0) {
            Files.fput(k, file);
        }
        k.slab().kfree(v.vma);
    }

    /** {@code exit_mmap()} for the mappings of {@code owner} (a process that exits): all unmapped and removed. */
    public static void exitMmap(KernelContext k, Object owner) {
        Memory.locked(k, Memory.MmapLock.WRITE, () -> {
            exitMmapLocked(k, owner);
            return null;
        });
    }

    private static void exitMmapLocked(KernelContext k, Object owner) {
        State s = state(k);
        List<Vma> gone = new ArrayList<>();
        for (Vma v : s.vmas.values()) {
            if (v.owner == owner) {
                gone.add(v);
            }
        }
        if (!gone.isEmpty()) {
            removeVmas(k, gone);
        }
    }

    // ---------------------------------------------------------------- faults

    /**
     * A fault of kernel code on user address {@code va} ({@code do_user_addr_fault()} for a
     * kernel-mode access): resolved if the address is in a mapping that allows the access and
     * {@code handle_mm_fault()} succeeds; then the access is retried.
     *
     * @return true if {@code va} can now be accessed
     */
    public static boolean faultIn(KernelContext k, long va, Access access) {
        return fault(k, va, access, false) == 0 && k.mem().accessible(va, access);
    }

    /**
     * A fault of the process on user address {@code va}: 0 if resolved, else the signal the
     * process gets ({@code SIGSEGV} outside a mapping or against its protection,
     * {@code SIGBUS} for {@code VM_FAULT_SIGBUS}, {@code SIGKILL} for an out-of-memory fault).
     */
    public static int userFault(KernelContext k, long va, Access access) {
        return fault(k, va, access, true);
    }

    /** {@code handle_mm_fault()}: from a kernel access in Java; for the process through its stub, so traces show it. */
    private static int handleMmFault(KernelContext k, Vma v, long va, int flags, boolean user) {
        if (!user) {
            return Memory.handleMmFault(k, v, va, flags);
        }
        return (int) k.call(k.sym("handle_mm_fault"), v.vma, va, flags, 0);
    }

    static final int SIGBUS = 7;
    static final int SIGKILL = 9;
    static final int SIGSEGV = 11;

    private static int fault(KernelContext k, long va, Access access, boolean user) {
        Profile p = k.profile();
        Vma v = find(k, va);
        if (v == null) {
            return SIGSEGV;
        }
        long vmFlags = flags(k, v);
        boolean write = access == Access.WRITE;
        if (write ? (vmFlags & p.value("VM_WRITE")) == 0
                : (vmFlags & (p.value("VM_READ") | p.value("VM_WRITE") | p.value("VM_EXEC"))) == 0) {
            return SIGSEGV;
        }
        int flags = (int) (p.value("FAULT_FLAG_ALLOW_RETRY") | p.value("FAULT_FLAG_KILLABLE")
                | p.value("FAULT_FLAG_INTERRUPTIBLE"));
        if (user) {
            flags |= (int) p.value("FAULT_FLAG_USER");
        }
        if (write) {
            flags |= (int) p.value("FAULT_FLAG_WRITE");
        }
        for (int tries = 0; tries < 8; tries++) {
            int ret = handleMmFault(k, v, va, flags, user);
            if ((ret & p.value("VM_FAULT_RETRY")) != 0) {
                continue;
            }
            if ((ret & p.value("VM_FAULT_OOM")) != 0) {
                return SIGKILL;
            }
            if ((ret & (p.value("VM_FAULT_SIGBUS") | p.value("VM_FAULT_HWPOISON")
                    | p.value("VM_FAULT_HWPOISON_LARGE"))) != 0) {
                return SIGBUS;
            }
            if ((ret & p.value("VM_FAULT_SIGSEGV")) != 0) {
                return SIGSEGV;
            }
            return 0;
        }
        return SIGBUS;
    }

    // ---------------------------------------------------------------- kernel symbols

    /** {@code static const struct vm_operations_struct dummy_vm_ops}: what {@code vma_init()} points a new vma at. */
    @KernelData(value = "dummy_vm_ops", section = dev.kmodemu.firmware.Machine.Section.RODATA,
            sizeOf = "vm_operations_struct_sizeof")
    static void dummyVmOps(KernelContext k, long at) {
    }

    /** static int __vm_munmap(unsigned long start, size_t len, bool downgrade): {@code munmap(2)} */
    @KernelSymbol(value = "__vm_munmap", internal = true)
    static int vmMunmapInternal(KernelContext k, long start, long len, boolean downgrade) {
        return munmap(k, start, len);
    }

    /**
     * int vm_munmap(unsigned long start, size_t len); a kernel thread has no {@code mm} (the real
     * kernel would oops on the NULL {@code current->mm}): it has nothing mapped, and nothing of the
     * processes' is unmapped (0, as for a range where nothing is mapped).
     */
    @KernelSymbol("vm_munmap")
    static int vmMunmap(KernelContext k, long start, long len) {
        if (!k.tasks().current().hasMm()) {
            return 0;
        }
        return munmap(k, start, len);
    }

    /** struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr): the first vma ending above addr */
    @KernelSymbol("find_vma")
    static long findVma(KernelContext k, long mm, long addr) {
        Map.Entry<Long, Vma> e = state(k).vmas.floorEntry(addr);
        if (e != null && Long.compareUnsigned(e.getValue().end, addr) > 0) {
            return e.getValue().vma;
        }
        Map.Entry<Long, Vma> next = state(k).vmas.higherEntry(addr);
        return next == null ? 0 : next.getValue().vma;
    }
}
