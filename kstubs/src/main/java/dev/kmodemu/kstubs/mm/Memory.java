package dev.kmodemu.kstubs.mm;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.firmware.Profile;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.arch.Head64;
import dev.kmodemu.kstubs.arch.PatMemtype;
import dev.kmodemu.kstubs.kernel.Oops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * mm/memory.c: the page-table entries of user mappings, what installs them (a driver's
 * {@code remap_pfn_range()}, {@code vm_insert_page()}, {@code vmf_insert_pfn()}, its fault
 * handler's page) and what takes them down again, and page faults. An entry is a user page mapped
 * onto the kernel page of its frame ({@link AddressSpace#alias}: the same bytes, the module sees
 * user writes and the other way round), with the protection bits the kernel would put in the pte.
 * A writable entry is mapped read-only until its first write, which marks it dirty as the CPU's
 * dirty bit would; a frame that is not memory (device memory: kmodemu has none) is backed by a
 * page of its own reading 0xff.
 */
public final class Memory {
    private Memory() {
    }

    /** A page-table entry: the frame, the protection, its struct page (0 for a special entry), dirty. */
    static final class Pte {
        final long pfn;
        long prot;
        /** The struct page a normal entry holds a reference and a mapcount on; 0 for pfn and zero-page entries. */
        final long page;
        final AddressSpace.Region region;
        boolean dirty;

        Pte(long pfn, long prot, long page, AddressSpace.Region region, boolean dirty) {
            this.pfn = pfn;
            this.prot = prot;
            this.page = page;
            this.region = region;
            this.dirty = dirty;
        }
    }

    /** Who holds the mmap lock now, for the assertions drivers trip ({@code BUG_ON(mmap_read_trylock())}). */
    enum MmapLock { NONE, READ, WRITE }

    private static final class State {
        MmapLock lock = MmapLock.NONE;
    }

    private static State state(KernelContext k) {
        return k.state(Memory.class, State::new);
    }

    /** Runs {@code body} with the mmap lock held as {@code how} (restored after). */
    static <T> T locked(KernelContext k, MmapLock how, java.util.function.Supplier<T> body) {
        State s = state(k);
        MmapLock was = s.lock;
        s.lock = how;
        try {
            return body.get();
        } finally {
            s.lock = was;
        }
    }

    private static boolean has(long flags, KernelContext k, String bit) {
        return (flags & k.profile().value(bit)) != 0;
    }

    /** {@code is_cow_mapping()}: private and may become writable. */
    static boolean isCowMapping(KernelContext k, long flags) {
        Profile p = k.profile();
        return (flags & (p.value("VM_SHARED") | p.value("VM_MAYWRITE"))) == p.value("VM_MAYWRITE");
    }

    // ---------------------------------------------------------------- entries

    /** Access the entry gives now: readable if present, writable once dirty. */
    private static int perms(KernelContext k, long prot, boolean dirty) {
        Profile p = k.profile();
        if ((prot & p.value("_PAGE_PRESENT")) == 0) {
            return 0;
        }
        return AddressSpace.R | ((prot & p.value("_PAGE_RW")) != 0 && dirty ? AddressSpace.W : 0);
    }

    /**
     * {@code set_pte_at()}: maps user page {@code va} onto frame {@code pfn} with protection
     * {@code prot}; {@code page} is the struct page the entry refers to (its reference and
     * mapcount are the caller's business), 0 for a special entry.
     */
    static Pte setPte(KernelContext k, Mmap.Vma v, long va, long pfn, long prot, long page, boolean dirty) {
        AddressSpace m = k.mem();
        long direct = Pages.va(k, pfn << Pages.PAGE_SHIFT);
        int perms = perms(k, prot, dirty);
        AddressSpace.Region r;
        if (Pages.pfnValid(k, pfn) && m.physical(direct) != -1) {
            r = m.alias(va, direct, AddressSpace.PAGE, perms, "user mapping");
        } else {
            r = m.map(va, AddressSpace.PAGE, AddressSpace.RW, "user mapping of device memory");
            m.fill(va, AddressSpace.PAGE, (byte) 0xff);
            m.protect(va, AddressSpace.PAGE, perms);
        }
        Pte pte = new Pte(pfn, prot, page, r, dirty);
        v.ptes.put(va, pte);
        return pte;
    }

    /** {@code pte_mkdirty()} plus the write permission of a writable entry: its first write. */
    private static void markDirty(KernelContext k, Pte pte, long va) {
        pte.dirty = true;
        k.mem().protect(va, AddressSpace.PAGE, perms(k, pte.prot, true));
    }

    /**
     * {@code zap_pte_range()} over {@code [start, end)} of {@code v}: each entry goes; a normal
     * page of a file mapping is marked dirty if written and accessed (every entry is made young),
     * loses its mapcount and the entry's reference ({@code page_remove_rmap()}, then
     * {@code put_page()}), an anonymous page is freed with its last reference.
     */
    static void zap(KernelContext k, Mmap.Vma v, long start, long end) {
        long vmFlags = Mmap.flags(k, v);
        var range = v.ptes.subMap(start, true, end, false);
        List<Map.Entry<Long, Pte>> all = new ArrayList<>(range.entrySet());
        range.clear();
        for (Map.Entry<Long, Pte> e : all) {
            Pte pte = e.getValue();
            k.mem().unmap(pte.region);
            if (pte.page == 0) {
                continue;
            }
            if (!Pages.isAnon(k, pte.page)) {
                if (pte.dirty) {
                    PageWriteback.folioMarkDirty(k, Pages.compoundHead(k, pte.page));
                }
                if (!has(vmFlags, k, "VM_SEQ_READ")) {
                    Swap.folioMarkAccessed(k, Pages.compoundHead(k, pte.page));
                }
            }
            Pages.setMapcountRaw(k, pte.page, Pages.mapcountRaw(k, pte.page) - 1);
            Swap.putPage(k, pte.page);
        }
    }

    /**
     * {@code unmap_single_vma()}: every entry of the mapping goes ({@link #zap}); a pfn mapping
     * loses its memory type reservation ({@code untrack_pfn()}: {@code VM_PAT} cleared).
     */
    static void unmapVma(KernelContext k, Mmap.Vma v) {
        long vmFlags = Mmap.flags(k, v);
        if (has(vmFlags, k, "VM_PFNMAP")) {
            Mmap.setFlags(k, v, vmFlags & ~k.profile().value("VM_PAT"));
        }
        zap(k, v, v.start, v.end);
    }

    // ---------------------------------------------------------------- page faults

    private static long vmfGet(KernelContext k, long vmf, String field) {
        return k.mem().read64(vmf + k.off("vm_fault_" + field));
    }

    /**
     * {@code handle_mm_fault()} on a 4 KiB page of {@code v} at {@code va}: a missing entry goes to
     * {@code do_anonymous_page()} or {@code do_fault()}; a write to an entry that is read-only to
     * {@code do_wp_page()}; a first write to a writable entry marks it dirty.
     *
     * @return the {@code vm_fault_t}
     */
    static int handleMmFault(KernelContext k, Mmap.Vma v, long va, int flags) {
        return locked(k, MmapLock.READ, () -> {
            long page = va & -AddressSpace.PAGE;
            boolean write = (flags & k.profile().value("FAULT_FLAG_WRITE")) != 0;
            Pte pte = v.ptes.get(page);
            if (pte == null) {
                long ops = k.mem().read64(v.vma + k.off("vm_area_struct_vm_ops"));
                return ops == 0 ? doAnonymousPage(k, v, page, write) : doFault(k, v, va, flags);
            }
            if (write && (pte.prot & k.profile().value("_PAGE_RW")) == 0) {
                return doWpPage(k, v, va, pte, flags);
            }
            if (write && !pte.dirty) {
                markDirty(k, pte, page);
            }
            return 0;
        });
    }

    /**
     * {@code do_anonymous_page()}: a read maps the zero page (special, read-only); a write a new
     * zeroed anonymous page, writable and dirty.
     */
    private static int doAnonymousPage(KernelContext k, Mmap.Vma v, long page, boolean write) {
        long prot = Mmap.pageProt(k, v);
        if (!write) {
            long zeroPfn = Head64.zeroPfn(k, k.sym("empty_zero_page"));
            setPte(k, v, page, zeroPfn, prot & ~k.profile().value("_PAGE_RW"), 0, false);
            return 0;
        }
        long anon = newAnonPage(k, 0);
        if (anon == 0) {
            return (int) k.profile().value("VM_FAULT_OOM");
        }
        setPte(k, v, page, Pages.pageToPfn(k, anon), prot | k.profile().value("_PAGE_RW"), anon, true);
        return 0;
    }

    /**
     * A page for anonymous memory ({@code alloc_page_vma()} + {@code page_add_new_anon_rmap()}):
     * zeroed or a copy of frame {@code copyOfPfn}'s bytes (the zero page for 0), mapped once,
     * marked anonymous (kmodemu keeps no {@code anon_vma}: the mapping word holds only the
     * {@code PAGE_MAPPING_ANON} bit), up to date and swap-backed.
     */
    private static long newAnonPage(KernelContext k, long copyOfPfn) {
        long page = PageAlloc.allocPages(k, (int) k.profile().value("GFP_HIGHUSER_MOVABLE"), 0);
        if (page == 0) {
            return 0;
        }
        long addr = Pages.pageAddress(k, page);
        if (copyOfPfn != 0) {
            long src = Pages.va(k, copyOfPfn << Pages.PAGE_SHIFT);
            if (k.mem().physical(src) != -1) {
                k.mem().copy(addr, src, AddressSpace.PAGE);
            } else {
                k.mem().fill(addr, AddressSpace.PAGE, (byte) 0xff);
            }
        } else {
            k.mem().fill(addr, AddressSpace.PAGE, (byte) 0);
        }
        Pages.setMapcountRaw(k, page, 0);
        k.mem().write64(page + k.off("page_mapping"), k.profile().value("PAGE_MAPPING_ANON"));
        Pages.set(k, page, "PG_uptodate", true);
        Pages.set(k, page, "PG_swapbacked", true);
        return page;
    }

    /** A {@code struct vm_fault} for the fault at {@code va} ({@code __handle_mm_fault()}'s, on the stack there). */
    private static long newVmf(KernelContext k, Mmap.Vma v, long va, int flags) {
        AddressSpace m = k.mem();
        long vmf = k.slab().kmalloc(k.off("vm_fault_sizeof"), Gfp.KERNEL | Gfp.ZERO);
        long page = va & -AddressSpace.PAGE;
        m.write64(vmf + k.off("vm_fault_vma"), v.vma);
        // __get_fault_gfp_mask(): the file mapping's mask (an inode's default) with __GFP_FS|__GFP_IO
        m.write32(vmf + k.off("vm_fault_gfp_mask"), (int) k.profile().value("GFP_HIGHUSER_MOVABLE"));
        m.write64(vmf + k.off("vm_fault_pgoff"), ((page - v.start) >>> Pages.PAGE_SHIFT) + Mmap.pgoff(k, v));
        m.write64(vmf + k.off("vm_fault_address"), page);
        m.write64(vmf + k.off("vm_fault_real_address"), va);
        m.write32(vmf + k.off("vm_fault_flags"), flags);
        return vmf;
    }

    /**
     * {@code do_fault()}: no {@code fault} operation is {@code VM_FAULT_SIGBUS}; else
     * {@code do_read_fault()}, {@code do_cow_fault()} (a write to a private mapping) or
     * {@code do_shared_fault()}.
     */
    private static int doFault(KernelContext k, Mmap.Vma v, long va, int flags) {
        Profile p = k.profile();
        if (Mmap.op(k, v, "fault") == 0) {
            return (int) p.value("VM_FAULT_SIGBUS");
        }
        long vmf = newVmf(k, v, va, flags);
        try {
            boolean write = (flags & p.value("FAULT_FLAG_WRITE")) != 0;
            int ret = doFaultOp(k, v, vmf);
            if ((ret & (p.value("VM_FAULT_ERROR") | p.value("VM_FAULT_NOPAGE") | p.value("VM_FAULT_RETRY")
                    | p.value("VM_FAULT_DONE_COW"))) != 0) {
                return ret;
            }
            long page = vmfGet(k, vmf, "page");
            long at = va & -AddressSpace.PAGE;
            if (!write) {
                // do_read_fault(): finish_fault() maps the page, then it is unlocked
                ret |= finishFault(k, v, at, page, false);
                Pages.set(k, page, "PG_locked", false);
                if ((ret & (p.value("VM_FAULT_ERROR") | p.value("VM_FAULT_NOPAGE") | p.value("VM_FAULT_RETRY"))) != 0) {
                    Swap.putPage(k, page);
                }
                return ret;
            }
            if (!has(Mmap.flags(k, v), k, "VM_SHARED")) {
                // do_cow_fault(): the page's bytes copied into a new anonymous page, which is mapped
                long anon = newAnonPage(k, Pages.pageToPfn(k, page));
                Pages.set(k, page, "PG_locked", false);
                Swap.putPage(k, page);
                if (anon == 0) {
                    return ret | (int) p.value("VM_FAULT_OOM");
                }
                setPte(k, v, at, Pages.pageToPfn(k, anon), Mmap.pageProt(k, v) | p.value("_PAGE_RW"), anon, true);
                return ret;
            }
            // do_shared_fault(): page_mkwrite first, then mapped writable and dirty
            long mkwrite = Mmap.op(k, v, "page_mkwrite");
            if (mkwrite != 0) {
                Pages.set(k, page, "PG_locked", false);
                int tmp = (int) k.call(mkwrite, vmf);
                if ((tmp & (p.value("VM_FAULT_ERROR") | p.value("VM_FAULT_NOPAGE"))) != 0) {
                    Swap.putPage(k, page);
                    return tmp;
                }
                if ((tmp & p.value("VM_FAULT_LOCKED")) == 0) {
                    Pages.set(k, page, "PG_locked", true);
                }
            }
            ret |= finishFault(k, v, at, page, true);
            if ((ret & (p.value("VM_FAULT_ERROR") | p.value("VM_FAULT_NOPAGE") | p.value("VM_FAULT_RETRY"))) != 0) {
                Pages.set(k, page, "PG_locked", false);
                Swap.putPage(k, page);
                return ret;
            }
            // fault_dirty_shared_page()
            PageWriteback.folioMarkDirty(k, Pages.compoundHead(k, page));
            Pages.set(k, page, "PG_locked", false);
            return ret;
        } finally {
            k.slab().kfree(vmf);
        }
    }

    /**
     * {@code __do_fault()}: the vma's {@code fault} operation; unless it installed the entry
     * itself or failed, the page it returned is locked ({@code lock_page()}) if it did not lock
     * it.
     */
    private static int doFaultOp(KernelContext k, Mmap.Vma v, long vmf) {
        Profile p = k.profile();
        int ret = (int) k.call(Mmap.op(k, v, "fault"), vmf);
        if ((ret & (p.value("VM_FAULT_ERROR") | p.value("VM_FAULT_NOPAGE") | p.value("VM_FAULT_RETRY")
                | p.value("VM_FAULT_DONE_COW"))) != 0) {
            return ret;
        }
        long page = vmfGet(k, vmf, "page");
        if ((ret & p.value("VM_FAULT_LOCKED")) == 0) {
            Pages.set(k, page, "PG_locked", true);
        }
        return ret;
    }

    /**
     * {@code finish_fault()} + {@code do_set_pte()}: the page mapped with the vma's protection
     * (written to: dirty), one more mapcount ({@code page_add_file_rmap()}); the handler's
     * reference stays with the entry.
     */
    private static int finishFault(KernelContext k, Mmap.Vma v, long at, long page, boolean write) {
        if (v.ptes.containsKey(at)) {
            return (int) k.profile().value("VM_FAULT_NOPAGE");
        }
        Pages.setMapcountRaw(k, page, Pages.mapcountRaw(k, page) + 1);
        setPte(k, v, at, Pages.pageToPfn(k, page), Mmap.pageProt(k, v), page, write);
        return 0;
    }

    /**
     * {@code do_wp_page()}: a write to an entry mapped read-only. A pfn entry of a shared writable
     * mapping is made writable ({@code wp_pfn_shared()}, after {@code pfn_mkwrite}), a page of one
     * likewise ({@code wp_page_shared()}, after {@code page_mkwrite}, and dirtied); in a private
     * mapping the page is copied ({@code wp_page_copy()}) unless it is an anonymous page of its
     * own (reused).
     */
    private static int doWpPage(KernelContext k, Mmap.Vma v, long va, Pte pte, int flags) {
        Profile p = k.profile();
        long at = va & -AddressSpace.PAGE;
        long vmFlags = Mmap.flags(k, v);
        long sharedWrite = p.value("VM_WRITE") | p.value("VM_SHARED");
        boolean shared = (vmFlags & sharedWrite) == sharedWrite;
        if (pte.page != 0 && Pages.isAnon(k, pte.page) && Pages.refcount(k, pte.page) == 1) {
            reuse(k, pte, at);
            return 0;
        }
        if (shared) {
            String op = pte.page == 0 ? "pfn_mkwrite" : "page_mkwrite";
            long mkwrite = Mmap.op(k, v, op);
            if (mkwrite != 0) {
                long vmf = newVmf(k, v, va, flags);
                try {
                    k.mem().write64(vmf + k.off("vm_fault_page"), pte.page);
                    int ret = (int) k.call(mkwrite, vmf);
                    if ((ret & (p.value("VM_FAULT_ERROR") | p.value("VM_FAULT_NOPAGE"))) != 0) {
                        return ret;
                    }
                } finally {
                    k.slab().kfree(vmf);
                }
            }
            reuse(k, pte, at);
            if (pte.page != 0) {
                PageWriteback.folioMarkDirty(k, Pages.compoundHead(k, pte.page));
            }
            return 0;
        }
        // wp_page_copy(): a private copy replaces the entry
        long anon = newAnonPage(k, pte.pfn);
        if (anon == 0) {
            return (int) p.value("VM_FAULT_OOM");
        }
        zap(k, v, at, at + AddressSpace.PAGE);
        setPte(k, v, at, Pages.pageToPfn(k, anon), Mmap.pageProt(k, v) | p.value("_PAGE_RW"), anon, true);
        return 0;
    }

    /** {@code wp_page_reuse()}: the entry becomes writable and dirty. */
    private static void reuse(KernelContext k, Pte pte, long at) {
        pte.prot |= k.profile().value("_PAGE_RW");
        markDirty(k, pte, at);
    }

    // ---------------------------------------------------------------- remap_pfn_range and friends

    private static long vmaStart(KernelContext k, long vma) {
        return k.mem().read64(vma + k.off("vm_area_struct_vm_start"));
    }

    private static long vmaEnd(KernelContext k, long vma) {
        return k.mem().read64(vma + k.off("vm_area_struct_vm_end"));
    }

    private static long vmaFlags(KernelContext k, long vma) {
        return k.mem().read64(vma + k.off("vm_area_struct_vm_flags"));
    }

    private static void setVmaFlags(KernelContext k, long vma, long flags) {
        k.mem().write64(vma + k.off("vm_area_struct_vm_flags"), flags);
    }

    /** The mapping behind a guest {@code vm_area_struct} (being set up by mmap, or in place). */
    private static Mmap.Vma vma(KernelContext k, long vma) {
        Mmap.Vma v = Mmap.find(k, vmaStart(k, vma));
        if (v != null && v.vma == vma) {
            return v;
        }
        Mmap.Vma pending = Mmap.pending(k, vma);
        if (pending == null) {
            throw new IllegalArgumentException("kmodemu: 0x" + Long.toHexString(vma) + " is not a vm_area_struct");
        }
        return pending;
    }

    /**
     * int generic_access_phys(struct vm_area_struct *vma, unsigned long addr, void *buf, int len,
     * int write): the {@code vm_operations_struct.access} of mappings of physical memory, which
     * only {@code access_process_vm()} calls (ptrace, {@code /proc/PID/mem}). kmodemu has neither,
     * so a module can only store the pointer; a direct call stops the run as unsupported.
     */
    @KernelSymbol("generic_access_phys")
    static int genericAccessPhys(KernelContext k, long vma, long addr, long buf, int len, int write) {
        throw new UnsupportedOperationException("generic_access_phys: kmodemu has no ptrace or /proc/PID/mem");
    }

    /**
     * int remap_pfn_range(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn,
     * unsigned long size, pgprot_t prot)
     *
     * <p>{@code track_pfn_remap()} (PAT), then {@code remap_pfn_range_internal()}: a private
     * writable mapping must be remapped whole (its {@code vm_pgoff} becomes the pfn), the vma gets
     * {@code VM_IO|VM_PFNMAP|VM_DONTEXPAND|VM_DONTDUMP}, and every page a special entry (an entry
     * already there is a kernel BUG). Pages of the range outside the vma are not mapped.
     */
    @KernelSymbol("remap_pfn_range")
    public static int remapPfnRange(KernelContext k, long vma, long addr, long pfn, long size, long prot) {
        long len = (size + AddressSpace.PAGE - 1) & -AddressSpace.PAGE;
        Long tracked = PatMemtype.trackPfnRemap(k, vma, prot, pfn, addr, len);
        if (tracked == null) {
            return -Errno.EINVAL;
        }
        prot = tracked;
        Profile p = k.profile();
        long end = addr + len;
        if ((addr & (AddressSpace.PAGE - 1)) != 0) {
            Oops.warnOnce(k, "mm/memory.c:2491", "remap_pfn_range");
            return -Errno.EINVAL;
        }
        long flags = vmaFlags(k, vma);
        if (isCowMapping(k, flags)) {
            if (addr != vmaStart(k, vma) || end != vmaEnd(k, vma)) {
                return -Errno.EINVAL;
            }
            k.mem().write64(vma + k.off("vm_area_struct_vm_pgoff"), pfn);
        }
        setVmaFlags(k, vma, flags | p.value("VM_IO") | p.value("VM_PFNMAP") | p.value("VM_DONTEXPAND")
                | p.value("VM_DONTDUMP"));
        if (Long.compareUnsigned(addr, end) >= 0) {
            throw Oops.bug(k, "mm/memory.c:2520");
        }
        Mmap.Vma v = vma(k, vma);
        for (long a = addr; Long.compareUnsigned(a, end) < 0; a += AddressSpace.PAGE, pfn++) {
            if (!v.contains(a)) {
                continue;
            }
            if (v.ptes.containsKey(a)) {
                throw Oops.bug(k, "mm/memory.c:2402");
            }
            setPte(k, v, a, pfn, prot, 0, false);
        }
        return 0;
    }

    /**
     * int vm_iomap_memory(struct vm_area_struct *vma, phys_addr_t start, unsigned long len): the
     * physical range from {@code vm_pgoff} pages in, which must cover the vma, through
     * {@code io_remap_pfn_range()}.
     */
    @KernelSymbol("vm_iomap_memory")
    static int vmIomapMemory(KernelContext k, long vma, long start, long len) {
        if (Long.compareUnsigned(start + len, start) < 0) {
            return -Errno.EINVAL;
        }
        len += start & (AddressSpace.PAGE - 1);
        long pfn = start >>> Pages.PAGE_SHIFT;
        long pages = (len + AddressSpace.PAGE - 1) >>> Pages.PAGE_SHIFT;
        if (Long.compareUnsigned(pfn + pages, pfn) < 0) {
            return -Errno.EINVAL;
        }
        long pgoff = k.mem().read64(vma + k.off("vm_area_struct_vm_pgoff"));
        if (Long.compareUnsigned(pgoff, pages) > 0) {
            return -Errno.EINVAL;
        }
        pfn += pgoff;
        pages -= pgoff;
        long vmLen = vmaEnd(k, vma) - vmaStart(k, vma);
        if (Long.compareUnsigned(vmLen >>> Pages.PAGE_SHIFT, pages) > 0) {
            return -Errno.EINVAL;
        }
        return remapPfnRange(k, vma, vmaStart(k, vma), pfn, vmLen,
                k.mem().read64(vma + k.off("vm_area_struct_vm_page_prot")));
    }

    /**
     * {@code insert_page()}: {@code validate_page_before_insert()} (no anonymous, slab or typed
     * page: -EINVAL), an entry already there -EBUSY; else the page mapped with a reference and a
     * mapcount of the entry's own.
     */
    private static int insertPage(KernelContext k, Mmap.Vma v, long addr, long page, long prot) {
        if (Pages.isAnon(k, page) || Pages.isSlab(k, page) || Pages.hasType(k, page)) {
            return -Errno.EINVAL;
        }
        long at = addr & -AddressSpace.PAGE;
        if (v.ptes.containsKey(at)) {
            return -Errno.EBUSY;
        }
        Swap.getPage(k, page);
        Pages.setMapcountRaw(k, page, Pages.mapcountRaw(k, page) + 1);
        setPte(k, v, at, Pages.pageToPfn(k, page), prot, page, false);
        return 0;
    }

    /**
     * The vma becomes {@code VM_MIXEDMAP} for a page inserted into it; outside mmap (the mmap
     * lock not held for writing) or in a pfn mapping that is a kernel BUG.
     */
    private static void mixedmap(KernelContext k, long vma, int line) {
        long flags = vmaFlags(k, vma);
        if (!has(flags, k, "VM_MIXEDMAP")) {
            if (state(k).lock != MmapLock.WRITE) {
                throw Oops.bug(k, "mm/memory.c:" + line);
            }
            if (has(flags, k, "VM_PFNMAP")) {
                throw Oops.bug(k, "mm/memory.c:" + (line + 1));
            }
            setVmaFlags(k, vma, flags | k.profile().value("VM_MIXEDMAP"));
        }
    }

    /** int vm_insert_page(struct vm_area_struct *vma, unsigned long addr, struct page *page) */
    @KernelSymbol("vm_insert_page")
    static int vmInsertPage(KernelContext k, long vma, long addr, long page) {
        if (Long.compareUnsigned(addr, vmaStart(k, vma)) < 0 || Long.compareUnsigned(addr, vmaEnd(k, vma)) >= 0) {
            return -Errno.EFAULT;
        }
        if (Pages.refcount(k, Pages.compoundHead(k, page)) == 0) {
            return -Errno.EINVAL;
        }
        mixedmap(k, vma, 2054);
        return insertPage(k, vma(k, vma), addr, page, k.mem().read64(vma + k.off("vm_area_struct_vm_page_prot")));
    }

    /**
     * int vm_insert_pages(struct vm_area_struct *vma, unsigned long addr, struct page **pages,
     * unsigned long *num): page by page until one fails; {@code *num} is left at the pages not
     * mapped.
     */
    @KernelSymbol("vm_insert_pages")
    static int vmInsertPages(KernelContext k, long vma, long addr, long pages, long num) {
        long n = k.mem().read64(num);
        long last = addr + n * AddressSpace.PAGE - 1;
        if (Long.compareUnsigned(addr, vmaStart(k, vma)) < 0 || Long.compareUnsigned(last, vmaEnd(k, vma)) >= 0) {
            return -Errno.EFAULT;
        }
        mixedmap(k, vma, 1996);
        Mmap.Vma v = vma(k, vma);
        long prot = k.mem().read64(vma + k.off("vm_area_struct_vm_page_prot"));
        for (long i = 0; i < n; i++) {
            long page = k.mem().read64(pages + 8 * i);
            int err = Pages.refcount(k, Pages.compoundHead(k, page)) == 0 ? -Errno.EINVAL
                    : insertPage(k, v, addr + i * AddressSpace.PAGE, page, prot);
            if (err != 0) {
                k.mem().write64(num, n - i);
                return err;
            }
        }
        k.mem().write64(num, 0);
        return 0;
    }

    /** {@code __vm_map_pages()}: {@code pages[offset...]} over the whole vma, -ENXIO if they do not cover it. */
    private static int vmMapPages(KernelContext k, long vma, long pages, long num, long offset) {
        long count = (vmaEnd(k, vma) - vmaStart(k, vma)) >>> Pages.PAGE_SHIFT;
        if (Long.compareUnsigned(offset, num) >= 0 || Long.compareUnsigned(count, num - offset) > 0) {
            return -Errno.ENXIO;
        }
        long uaddr = vmaStart(k, vma);
        for (long i = 0; i < count; i++) {
            int ret = vmInsertPage(k, vma, uaddr, k.mem().read64(pages + 8 * (offset + i)));
            if (ret < 0) {
                return ret;
            }
            uaddr += AddressSpace.PAGE;
        }
        return 0;
    }

    /** int vm_map_pages(struct vm_area_struct *vma, struct page **pages, unsigned long num) */
    @KernelSymbol("vm_map_pages")
    static int vmMapPagesSym(KernelContext k, long vma, long pages, long num) {
        return vmMapPages(k, vma, pages, num, k.mem().read64(vma + k.off("vm_area_struct_vm_pgoff")));
    }

    /** int vm_map_pages_zero(struct vm_area_struct *vma, struct page **pages, unsigned long num) */
    @KernelSymbol("vm_map_pages_zero")
    static int vmMapPagesZero(KernelContext k, long vma, long pages, long num) {
        return vmMapPages(k, vma, pages, num, 0);
    }

    /**
     * {@code insert_pfn()}: a special entry for the frame unless one is there already;
     * {@code VM_FAULT_NOPAGE} either way.
     */
    private static int insertPfn(KernelContext k, long vma, long addr, long pfn, long prot) {
        Mmap.Vma v = vma(k, vma);
        long at = addr & -AddressSpace.PAGE;
        if (!v.ptes.containsKey(at)) {
            setPte(k, v, at, pfn, prot, 0, false);
        }
        return (int) k.profile().value("VM_FAULT_NOPAGE");
    }

    /**
     * vm_fault_t vmf_insert_pfn_prot(struct vm_area_struct *vma, unsigned long addr,
     * unsigned long pfn, pgprot_t pgprot): only into a pfn or mixed mapping (else a kernel BUG,
     * as for a private pfn mapping or a RAM frame into a mixed one), SIGBUS outside the vma, the
     * frame's memory type.
     */
    @KernelSymbol("vmf_insert_pfn_prot")
    static int vmfInsertPfnProt(KernelContext k, long vma, long addr, long pfn, long prot) {
        long flags = vmaFlags(k, vma);
        long pfnmap = k.profile().value("VM_PFNMAP");
        long mixed = k.profile().value("VM_MIXEDMAP");
        if ((flags & (pfnmap | mixed)) == 0) {
            throw Oops.bug(k, "mm/memory.c:2226");
        }
        if ((flags & (pfnmap | mixed)) == (pfnmap | mixed)) {
            throw Oops.bug(k, "mm/memory.c:2227");
        }
        if ((flags & pfnmap) != 0 && isCowMapping(k, flags)) {
            throw Oops.bug(k, "mm/memory.c:2229");
        }
        if ((flags & mixed) != 0 && Pages.pfnValid(k, pfn)) {
            throw Oops.bug(k, "mm/memory.c:2230");
        }
        if (Long.compareUnsigned(addr, vmaStart(k, vma)) < 0 || Long.compareUnsigned(addr, vmaEnd(k, vma)) >= 0) {
            return (int) k.profile().value("VM_FAULT_SIGBUS");
        }
        return insertPfn(k, vma, addr, pfn, PatMemtype.trackPfnInsert(k, prot, pfn));
    }

    /** vm_fault_t vmf_insert_pfn(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn) */
    @KernelSymbol("vmf_insert_pfn")
    static int vmfInsertPfn(KernelContext k, long vma, long addr, long pfn) {
        return vmfInsertPfnProt(k, vma, addr, pfn, k.mem().read64(vma + k.off("vm_area_struct_vm_page_prot")));
    }

    /**
     * {@code __vm_insert_mixed()} with {@code pte_special} (x86 has it): a special entry for any
     * frame, allowed in a mixed mapping or for a device, special or zero frame ({@code vm_mixed_ok()},
     * else a kernel BUG); SIGBUS outside the vma.
     */
    private static int vmInsertMixed(KernelContext k, long vma, long addr, long pfnT, long prot) {
        Profile p = k.profile();
        long pfn = pfnT & ~p.value("PFN_FLAGS_MASK");
        boolean ok = has(vmaFlags(k, vma), k, "VM_MIXEDMAP") || (pfnT & (p.value("PFN_DEV") | p.value("PFN_MAP"))) == (p.value("PFN_DEV") | p.value("PFN_MAP"))
                || (pfnT & p.value("PFN_SPECIAL")) != 0 || pfn == Head64.zeroPfn(k, k.sym("empty_zero_page"));
        if (!ok) {
            throw Oops.bug(k, "mm/memory.c:2292");
        }
        if (Long.compareUnsigned(addr, vmaStart(k, vma)) < 0 || Long.compareUnsigned(addr, vmaEnd(k, vma)) >= 0) {
            return (int) p.value("VM_FAULT_SIGBUS");
        }
        return insertPfn(k, vma, addr, pfn, PatMemtype.trackPfnInsert(k, prot, pfn));
    }

    /** vm_fault_t vmf_insert_mixed(struct vm_area_struct *vma, unsigned long addr, pfn_t pfn) */
    @KernelSymbol("vmf_insert_mixed")
    static int vmfInsertMixed(KernelContext k, long vma, long addr, long pfn) {
        return vmInsertMixed(k, vma, addr, pfn, k.mem().read64(vma + k.off("vm_area_struct_vm_page_prot")));
    }

    /** vm_fault_t vmf_insert_mixed_prot(struct vm_area_struct *vma, unsigned long addr, pfn_t pfn, pgprot_t pgprot) */
    @KernelSymbol("vmf_insert_mixed_prot")
    static int vmfInsertMixedProt(KernelContext k, long vma, long addr, long pfn, long prot) {
        return vmInsertMixed(k, vma, addr, pfn, prot);
    }

    /**
     * void zap_vma_ptes(struct vm_area_struct *vma, unsigned long address, unsigned long size):
     * only a pfn mapping, only within the vma.
     */
    @KernelSymbol("zap_vma_ptes")
    static void zapVmaPtes(KernelContext k, long vma, long address, long size) {
        long start = vmaStart(k, vma);
        long end = vmaEnd(k, vma);
        if (Long.compareUnsigned(address, start) < 0 || Long.compareUnsigned(address + size, end) > 0
                || !has(vmaFlags(k, vma), k, "VM_PFNMAP")) {
            return;
        }
        zap(k, vma(k, vma), address, address + size);
    }

    /**
     * vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
     * unsigned int flags, struct pt_regs *regs)
     */
    @KernelSymbol("handle_mm_fault")
    static int handleMmFaultSym(KernelContext k, long vma, long address, int flags, long regs) {
        return handleMmFault(k, vma(k, vma), address, flags);
    }

    // ---------------------------------------------------------------- data

    /** {@code unsigned long zero_pfn}: {@code page_to_pfn(ZERO_PAGE(0))}, what {@code my_zero_pfn()} reads. */
    @KernelData(value = "zero_pfn", size = 8)
    static void zeroPfn(KernelContext k, long at) {
        k.mem().write64(at, Head64.zeroPfn(k, k.sym("empty_zero_page")));
    }

    /** {@code void *high_memory}: the end of the direct map ({@code __va(max_pfn << PAGE_SHIFT)}). */
    @KernelData(value = "high_memory", size = 8)
    static void highMemory(KernelContext k, long at) {
        k.mem().write64(at, k.machine().pageOffsetBase() + Machine.DIRECT_MAP_SIZE);
    }
}
