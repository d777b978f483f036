package dev.kmodemu.kstubs.net;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.locking.Locks;

/**
 * net/core/skbuff.c: socket buffers in guest memory with the kernel's {@code struct sk_buff} and
 * {@code struct skb_shared_info} layout (offsets from probe.c), so that the inline helpers modules
 * compile in ({@code skb_headlen()}, {@code skb_tail_pointer()}, {@code skb_shinfo()},
 * {@code skb_reserve()}) work on them. The head is {@code kmalloc}ed as {@code kmalloc_reserve()}
 * does (size rounded up to the kmalloc bucket, the shared info at its end), {@code truesize} is
 * {@code SKB_TRUESIZE()}. Buffers carry linear data only: nothing in the emulated system attaches
 * page fragments or frag lists, so {@code data_len} stays 0 unless a module builds paged
 * buffers itself, which the functions here refuse with an exception naming them.
 */
public final class Skbuff {
    private Skbuff() {
    }

    /** {@code SMP_CACHE_BYTES} on x86-64. */
    private static final int SMP_CACHE_BYTES = 64;
    private static final int CLONED = 1;
    private static final int NOHDR = 2;
    private static final int FCLONE_MASK = 0xc;
    private static final int SKB_DATAREF_SHIFT = 16;
    private static final int GFP_ATOMIC = 0x820;
    private static final int KMALLOC_MAX_CACHE_SIZE = 8192;

    private static long f(KernelContext k, long skb, String field) {
        return skb + k.off("sk_buff_" + field);
    }

    private static long align(long x) {
        return (x + SMP_CACHE_BYTES - 1) & -SMP_CACHE_BYTES;
    }

    /** {@code kmalloc_size_roundup()}: the kmalloc bucket (or the page allocation) a size lands in. */
    private static long kmallocSizeRoundup(long size) {
        if (size > KMALLOC_MAX_CACHE_SIZE) {
            return (size + 4095) & -4096L;
        }
        long[] buckets = {8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192};
        for (long b : buckets) {
            if (size <= b) {
                return b;
            }
        }
        return KMALLOC_MAX_CACHE_SIZE;
    }

    private static long shinfoSize(KernelContext k) {
        return align(k.off("skb_shared_info_sizeof"));
    }

    /** {@code skb_shinfo()}: the shared info at {@code head + end}. */
    static long shinfo(KernelContext k, long skb) {
        AddressSpace m = k.mem();
        return m.read64(f(k, skb, "head")) + Integer.toUnsignedLong(m.read32(f(k, skb, "end")));
    }

    private static int flags(KernelContext k, long skb) {
        return k.mem().read8(f(k, skb, "cloned_offset")) & 0xff;
    }

    private static int len(KernelContext k, long skb) {
        return k.mem().read32(f(k, skb, "len"));
    }

    private static int dataLen(KernelContext k, long skb) {
        return k.mem().read32(f(k, skb, "data_len"));
    }

    private static long data(KernelContext k, long skb) {
        return k.mem().read64(f(k, skb, "data"));
    }

    private static long tailPointer(KernelContext k, long skb) {
        return k.mem().read64(f(k, skb, "head")) + Integer.toUnsignedLong(k.mem().read32(f(k, skb, "tail")));
    }

    private static void requireLinear(KernelContext k, long skb, String fn) {
        long sh = shinfo(k, skb);
        if (dataLen(k, skb) != 0 || k.mem().read8(sh + k.off("skb_shared_info_nr_frags")) != 0
                || k.mem().read64(sh + k.off("skb_shared_info_frag_list")) != 0) {
            throw new UnsupportedOperationException(fn + "(): paged socket buffers are not emulated");
        }
    }

    /** struct sk_buff *__alloc_skb(unsigned int size, gfp_t gfp_mask, int flags, int node) */
    @KernelSymbol("__alloc_skb")
    static long allocSkb(KernelContext k, int size, int gfp, int flags, int node) {
        AddressSpace m = k.mem();
        long skb = k.slab().kmalloc(k.off("sk_buff_sizeof"), gfp & ~0x1);
        if (skb == 0) {
            return 0;
        }
        long obj = kmallocSizeRoundup(align(Integer.toUnsignedLong(size)) + shinfoSize(k));
        long data = k.slab().kmalloc(obj, gfp & ~0x1);
        if (data == 0) {
            k.slab().kfree(skb);
            return 0;
        }
        m.write(skb, new byte[k.off("sk_buff_tail")]);
        buildSkbAround(k, skb, data, obj);
        return skb;
    }

    /** {@code __build_skb_around()}. */
    private static void buildSkbAround(KernelContext k, long skb, long data, long frag) {
        AddressSpace m = k.mem();
        long size = frag - shinfoSize(k);
        m.write32(f(k, skb, "truesize"), (int) (size + align(k.off("sk_buff_sizeof")) + shinfoSize(k)));
        m.write32(f(k, skb, "users"), 1);
        m.write64(f(k, skb, "head"), data);
        m.write64(f(k, skb, "data"), data);
        m.write32(f(k, skb, "tail"), 0);
        m.write32(f(k, skb, "end"), (int) size);
        m.write16(f(k, skb, "mac_header"), 0xffff);
        m.write16(f(k, skb, "transport_header"), 0xffff);
        long sh = data + size;
        m.write(sh, new byte[k.off("skb_shared_info_dataref")]);
        m.write32(sh + k.off("skb_shared_info_dataref"), 1);
    }

    /** struct sk_buff *__netdev_alloc_skb(struct net_device *dev, unsigned int len, gfp_t gfp_mask) */
    @KernelSymbol("__netdev_alloc_skb")
    static long netdevAllocSkb(KernelContext k, long dev, int len, int gfp) {
        return allocWithPad(k, dev, len, gfp);
    }

    /** struct sk_buff *__napi_alloc_skb(struct napi_struct *napi, unsigned int len, gfp_t gfp_mask) */
    @KernelSymbol("__napi_alloc_skb")
    static long napiAllocSkb(KernelContext k, long napi, int len, int gfp) {
        long dev = napi == 0 ? 0 : k.mem().read64(napi + k.off("napi_struct_dev"));
        return allocWithPad(k, dev, len, gfp);
    }

    /**
     * The head is always {@code kmalloc}ed (the kernel takes mid-sized heads from a per-CPU page
     * fragment cache instead; the layout seen by the module is the same), with {@code NET_SKB_PAD}
     * of headroom reserved and {@code skb->dev} set.
     */
    private static long allocWithPad(KernelContext k, long dev, int len, int gfp) {
        int pad = k.off("NET_SKB_PAD");
        long skb = allocSkb(k, len + pad, gfp, 0, -1);
        if (skb == 0) {
            return 0;
        }
        AddressSpace m = k.mem();
        m.write64(f(k, skb, "data"), data(k, skb) + pad); // skb_reserve()
        m.write32(f(k, skb, "tail"), m.read32(f(k, skb, "tail")) + pad);
        m.write64(f(k, skb, "dev"), dev);
        return skb;
    }

    /** {@code skb_unref()}: drops a user; true if it was the last. */
    private static boolean unref(KernelContext k, long skb) {
        if (skb == 0) {
            return false;
        }
        AddressSpace m = k.mem();
        int users = m.read32(f(k, skb, "users"));
        if (users == 1) {
            return true;
        }
        m.write32(f(k, skb, "users"), users - 1);
        return false;
    }

    /** {@code __kfree_skb()}: releases the head state and data, then the sk_buff itself. */
    private static void freeSkb(KernelContext k, long skb) {
        AddressSpace m = k.mem();
        long refdst = m.read64(f(k, skb, "skb_refdst"));
        if (refdst != 0) {
            throw new UnsupportedOperationException("kfree_skb(): routes (skb_dst) are not emulated");
        }
        long destructor = m.read64(f(k, skb, "destructor"));
        if (destructor != 0) {
            k.call(destructor, skb);
        }
        if (m.read64(f(k, skb, "head")) != 0) {
            releaseData(k, skb);
        }
        k.slab().kfree(skb);
    }

    /** {@code skb_release_data()}: the head goes when its last clone lets go of it. */
    private static void releaseData(KernelContext k, long skb) {
        AddressSpace m = k.mem();
        long sh = shinfo(k, skb);
        int fl = flags(k, skb);
        if ((fl & CLONED) != 0) {
            long at = sh + k.off("skb_shared_info_dataref");
            int left = m.read32(at) - ((fl & NOHDR) != 0 ? (1 << SKB_DATAREF_SHIFT) + 1 : 1);
            m.write32(at, left);
            if (left != 0) {
                return;
            }
        }
        long fragList = m.read64(sh + k.off("skb_shared_info_frag_list"));
        while (fragList != 0) {
            long next = m.read64(f(k, fragList, "next"));
            kfreeSkbReason(k, fragList, k.off("SKB_DROP_REASON_NOT_SPECIFIED"));
            fragList = next;
        }
        k.slab().kfree(m.read64(f(k, skb, "head")));
    }

    /** void kfree_skb_reason(struct sk_buff *skb, enum skb_drop_reason reason) */
    @KernelSymbol("kfree_skb_reason")
    static void kfreeSkbReason(KernelContext k, long skb, int reason) {
        if (unref(k, skb)) {
            freeSkb(k, skb);
        }
    }

    /** void consume_skb(struct sk_buff *skb) */
    @KernelSymbol("consume_skb")
    static void consumeSkb(KernelContext k, long skb) {
        if (unref(k, skb)) {
            freeSkb(k, skb);
        }
    }

    /** void __kfree_skb(struct sk_buff *skb) */
    @KernelSymbol("__kfree_skb")
    static void kfreeSkbNow(KernelContext k, long skb) {
        freeSkb(k, skb);
    }

    /** void kfree_skb_list_reason(struct sk_buff *segs, enum skb_drop_reason reason) */
    @KernelSymbol("kfree_skb_list_reason")
    static void kfreeSkbListReason(KernelContext k, long segs, int reason) {
        while (segs != 0) {
            long next = k.mem().read64(f(k, segs, "next"));
            kfreeSkbReason(k, segs, reason);
            segs = next;
        }
    }

    /**
     * {@code skb_panic()}: its emergency message, then BUG(). The {@code text:} field (the return
     * address) is printed as 0: the stub does not see its guest caller's return address.
     */
    private static long skbPanic(KernelContext k, long skb, int sz, String msg) {
        AddressSpace m = k.mem();
        long nd = m.read64(f(k, skb, "dev"));
        String name = nd == 0 ? "<NULL>" : m.readCString(nd + k.off("net_device_name"), 16);
        k.printk(0, String.format("skbuff: %s: text:%016x len:%d put:%d head:%016x data:%016x tail:%#x end:%#x dev:%s",
                msg, 0L, len(k, skb), sz, m.read64(f(k, skb, "head")), data(k, skb),
                m.read32(f(k, skb, "tail")), m.read32(f(k, skb, "end")), name));
        throw dev.kmodemu.kstubs.kernel.Oops.bug(k, "net/core/skbuff.c:120");
    }

    /** void *skb_put(struct sk_buff *skb, unsigned int len) */
    @KernelSymbol("skb_put")
    static long skbPut(KernelContext k, long skb, int n) {
        AddressSpace m = k.mem();
        long tmp = tailPointer(k, skb);
        if (dataLen(k, skb) != 0) {
            throw new UnsupportedOperationException("skb_put(): paged socket buffers are not emulated");
        }
        int tail = m.read32(f(k, skb, "tail")) + n;
        m.write32(f(k, skb, "tail"), tail);
        m.write32(f(k, skb, "len"), len(k, skb) + n);
        if (Integer.compareUnsigned(tail, m.read32(f(k, skb, "end"))) > 0) {
            return skbPanic(k, skb, n, "skb_over_panic");
        }
        return tmp;
    }

    /** void *skb_push(struct sk_buff *skb, unsigned int len) */
    @KernelSymbol("skb_push")
    static long skbPush(KernelContext k, long skb, int n) {
        AddressSpace m = k.mem();
        long d = data(k, skb) - Integer.toUnsignedLong(n);
        m.write64(f(k, skb, "data"), d);
        m.write32(f(k, skb, "len"), len(k, skb) + n);
        if (d < m.read64(f(k, skb, "head"))) {
            return skbPanic(k, skb, n, "skb_under_panic");
        }
        return d;
    }

    /** void *skb_pull(struct sk_buff *skb, unsigned int len) */
    @KernelSymbol("skb_pull")
    static long skbPull(KernelContext k, long skb, int n) {
        AddressSpace m = k.mem();
        int l = len(k, skb);
        if (Integer.compareUnsigned(n, l) > 0) {
            return 0;
        }
        m.write32(f(k, skb, "len"), l - n);
        if (Integer.compareUnsigned(l - n, dataLen(k, skb)) < 0) {
            throw dev.kmodemu.kstubs.kernel.Oops.bug(k, "include/linux/skbuff.h:2599");
        }
        long d = data(k, skb) + Integer.toUnsignedLong(n);
        m.write64(f(k, skb, "data"), d);
        return d;
    }

    /** void *skb_pull_data(struct sk_buff *skb, size_t len) */
    @KernelSymbol("skb_pull_data")
    static long skbPullData(KernelContext k, long skb, long n) {
        long d = data(k, skb);
        if (Long.compareUnsigned(Integer.toUnsignedLong(len(k, skb)), n) < 0) {
            return 0;
        }
        skbPull(k, skb, (int) n);
        return d;
    }

    /** void skb_trim(struct sk_buff *skb, unsigned int len) */
    @KernelSymbol("skb_trim")
    static void skbTrim(KernelContext k, long skb, int n) {
        if (Integer.compareUnsigned(len(k, skb), n) > 0) {
            requireLinear(k, skb, "skb_trim");
            AddressSpace m = k.mem();
            m.write32(f(k, skb, "len"), n);
            long tail = data(k, skb) + Integer.toUnsignedLong(n) - m.read64(f(k, skb, "head"));
            m.write32(f(k, skb, "tail"), (int) tail);
        }
    }

    /** void *__pskb_pull_tail(struct sk_buff *skb, int delta) */
    @KernelSymbol("__pskb_pull_tail")
    static long pskbPullTail(KernelContext k, long skb, int delta) {
        if (delta > 0) {
            requireLinear(k, skb, "__pskb_pull_tail");
        }
        return tailPointer(k, skb);
    }

    /** int skb_copy_bits(const struct sk_buff *skb, int offset, void *to, int len) */
    @KernelSymbol("skb_copy_bits")
    static int skbCopyBits(KernelContext k, long skb, int offset, long to, int n) {
        int l = len(k, skb);
        if (offset > l - n) {
            return -dev.kmodemu.kstubs.Errno.EFAULT;
        }
        int start = l - dataLen(k, skb);
        int copy = Math.min(start - offset, n);
        if (copy > 0) {
            k.mem().write(to, k.mem().read(data(k, skb) + offset, copy));
            n -= copy;
            if (n == 0) {
                return 0;
            }
        }
        requireLinear(k, skb, "skb_copy_bits");
        return -dev.kmodemu.kstubs.Errno.EFAULT;
    }

    /**
     * struct sk_buff *skb_clone(struct sk_buff *skb, gfp_t gfp_mask): a new sk_buff (from
     * skbuff_head_cache, as for every buffer not allocated with SKB_ALLOC_FCLONE) sharing the
     * head, both marked cloned and the head's {@code dataref} raised.
     */
    @KernelSymbol("skb_clone")
    static long skbClone(KernelContext k, long skb, int gfp) {
        AddressSpace m = k.mem();
        int size = k.off("sk_buff_sizeof");
        long n = k.slab().kmalloc(size, gfp);
        if (n == 0) {
            return 0;
        }
        m.write(n, m.read(skb, size));
        m.write64(f(k, n, "next"), 0);
        m.write64(f(k, n, "prev"), 0);
        m.write64(f(k, n, "sk"), 0);
        m.write64(f(k, n, "destructor"), 0);
        m.write32(f(k, n, "users"), 1);
        long co = f(k, skb, "cloned_offset");
        m.write8(co, flags(k, skb) | CLONED);
        m.write8(f(k, n, "cloned_offset"), (flags(k, skb) | CLONED) & ~NOHDR & ~FCLONE_MASK);
        long dataref = shinfo(k, skb) + k.off("skb_shared_info_dataref");
        m.write32(dataref, m.read32(dataref) + 1);
        return n;
    }

    // ---------------------------------------------------------------- queues

    private static long q(KernelContext k, long list, String field) {
        return list + k.off("sk_buff_head_" + field);
    }

    private static void lock(KernelContext k, long list, String fn) {
        Locks.spinLock(k, list + k.off("sk_buff_head_lock"), fn);
    }

    private static void unlock(KernelContext k, long list) {
        Locks.rawSpinUnlock(k, list + k.off("sk_buff_head_lock"));
    }

    /** {@code __skb_insert()}: newsk between prev and next, qlen + 1. */
    private static void insert(KernelContext k, long newsk, long prev, long next, long list) {
        AddressSpace m = k.mem();
        m.write64(f(k, newsk, "next"), next);
        m.write64(f(k, newsk, "prev"), prev);
        m.write64(f(k, next, "prev"), newsk); // sk_buff_head's next/prev alias sk_buff's
        m.write64(f(k, prev, "next"), newsk);
        m.write32(q(k, list, "qlen"), m.read32(q(k, list, "qlen")) + 1);
    }

    /** {@code __skb_unlink()}. */
    private static void unlinkLocked(KernelContext k, long skb, long list) {
        AddressSpace m = k.mem();
        m.write32(q(k, list, "qlen"), m.read32(q(k, list, "qlen")) - 1);
        long next = m.read64(f(k, skb, "next"));
        long prev = m.read64(f(k, skb, "prev"));
        m.write64(f(k, skb, "next"), 0);
        m.write64(f(k, skb, "prev"), 0);
        m.write64(f(k, next, "prev"), prev);
        m.write64(f(k, prev, "next"), next);
    }

    /** void skb_queue_tail(struct sk_buff_head *list, struct sk_buff *newsk) */
    @KernelSymbol("skb_queue_tail")
    static void skbQueueTail(KernelContext k, long list, long newsk) {
        lock(k, list, "skb_queue_tail");
        insert(k, newsk, k.mem().read64(q(k, list, "prev")), list, list);
        unlock(k, list);
    }

    /** void skb_queue_head(struct sk_buff_head *list, struct sk_buff *newsk) */
    @KernelSymbol("skb_queue_head")
    static void skbQueueHead(KernelContext k, long list, long newsk) {
        lock(k, list, "skb_queue_head");
        insert(k, newsk, list, k.mem().read64(q(k, list, "next")), list);
        unlock(k, list);
    }

    /** void skb_append(struct sk_buff *old, struct sk_buff *newsk, struct sk_buff_head *list) */
    @KernelSymbol("skb_append")
    static void skbAppend(KernelContext k, long old, long newsk, long list) {
        lock(k, list, "skb_append");
        insert(k, newsk, old, k.mem().read64(f(k, old, "next")), list);
        unlock(k, list);
    }

    /** void skb_unlink(struct sk_buff *skb, struct sk_buff_head *list) */
    @KernelSymbol("skb_unlink")
    static void skbUnlink(KernelContext k, long skb, long list) {
        lock(k, list, "skb_unlink");
        unlinkLocked(k, skb, list);
        unlock(k, list);
    }

    private static long dequeue(KernelContext k, long list, String end, String fn) {
        lock(k, list, fn);
        long skb = k.mem().read64(q(k, list, end));
        if (skb == list) {
            skb = 0;
        } else {
            unlinkLocked(k, skb, list);
        }
        unlock(k, list);
        return skb;
    }

    /** struct sk_buff *skb_dequeue(struct sk_buff_head *list) */
    @KernelSymbol("skb_dequeue")
    static long skbDequeue(KernelContext k, long list) {
        return dequeue(k, list, "next", "skb_dequeue");
    }

    /** struct sk_buff *skb_dequeue_tail(struct sk_buff_head *list) */
    @KernelSymbol("skb_dequeue_tail")
    static long skbDequeueTail(KernelContext k, long list) {
        return dequeue(k, list, "prev", "skb_dequeue_tail");
    }

    /** void skb_queue_purge(struct sk_buff_head *list) */
    @KernelSymbol("skb_queue_purge")
    static void skbQueuePurge(KernelContext k, long list) {
        long skb;
        while ((skb = skbDequeue(k, list)) != 0) {
            kfreeSkbReason(k, skb, k.off("SKB_DROP_REASON_NOT_SPECIFIED"));
        }
    }

    /** int net_ratelimit(void) (net/core/utils.c): {@code __ratelimit(&net_ratelimit_state)}, 10 per 5 s. */
    @KernelSymbol("net_ratelimit")
    static int netRatelimit(KernelContext k) {
        return (int) k.call(k.sym("___ratelimit"), k.sym("net_ratelimit_state"), k.sym("net_ratelimit_name"));
    }

    /** {@code DEFINE_RATELIMIT_STATE(net_ratelimit_state, 5 * HZ, 10)} (net/core/utils.c). */
    @dev.kmodemu.kstubs.KernelData(value = "net_ratelimit_state", sizeOf = "ratelimit_state_sizeof", align = 8)
    static void netRatelimitState(KernelContext k, long at) {
        k.mem().write32(at + k.off("ratelimit_state_interval"), 5 * k.off("HZ"));
        k.mem().write32(at + k.off("ratelimit_state_burst"), 10);
    }

    /** The {@code __func__} string {@code __ratelimit()} passes for net_ratelimit(). */
    @dev.kmodemu.kstubs.KernelData(value = "net_ratelimit_name", size = 16)
    static void netRatelimitName(KernelContext k, long at) {
        k.mem().write(at, "net_ratelimit\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** An sk_buff for tests and the kernel's own senders: {@code alloc_skb(size, GFP_ATOMIC)}. */
    public static long alloc(KernelContext k, int size) {
        return allocSkb(k, size, GFP_ATOMIC, 0, -1);
    }
}
