package dev.kmodemu.kstubs.mm;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;

/**
 * mm/usercopy.c (CONFIG_HARDENED_USERCOPY): {@code copy_{to,from}_user} of a slab object must
 * stay inside the object; vmalloc ranges inside their area. Violations are the kernel's
 * {@code usercopy_abort()}: an emergency line, then BUG().
 */
public final class HardenedUsercopy {
    private HardenedUsercopy() {
    }

    /** void __check_object_size(const void *ptr, unsigned long n, bool to_user) */
    @KernelSymbol("__check_object_size")
    static void checkObjectSize(KernelContext k, long ptr, long n, boolean toUser) {
        if (n == 0) {
            return;
        }
        if (Long.compareUnsigned(ptr + n, ptr) < 0) {
            abort(k, "wrapped address", null, toUser, 0, n);
        }
        if (Long.compareUnsigned(ptr, 16) <= 0) {
            abort(k, "null address", null, toUser, ptr, n);
        }
        var stack = k.tasks().current().stack().region();
        if (stack.contains(ptr) || stack.contains(ptr + n - 1)) {
            if (!stack.contains(ptr) || !stack.contains(ptr + n - 1)) {
                abort(k, "process stack", null, toUser, 0, n);
            }
            return;
        }
        if (k.machine().vmallocArea().contains(ptr)) {
            var area = k.machine().vmallocArea().containing(ptr);
            if (area == null) {
                abort(k, "vmalloc", "no area", toUser, 0, n);
            }
            if (Long.compareUnsigned(n, area.end() - ptr) > 0) {
                abort(k, "vmalloc", null, toUser, ptr - area.base(), n);
            }
            return;
        }
        Slab.Obj o = k.slab().objectAt(ptr);
        if (o != null) {
            long offset = ptr - o.start();
            if (Long.compareUnsigned(n, o.size() - offset) > 0) {
                String cache = Slab.cacheName(o);
                abort(k, cache == null ? "page alloc" : "SLUB object", cache, toUser, offset, n);
            }
        }
    }

    /** {@code usercopy_abort()}. */
    private static void abort(KernelContext k, String name, String detail, boolean toUser, long offset, long len) {
        k.printk(0, "usercopy: Kernel memory " + (toUser ? "exposure" : "overwrite") + " attempt detected "
                + (toUser ? "from" : "to") + " " + name + (detail != null ? " '" + detail + "'" : "")
                + " (offset " + Long.toUnsignedString(offset) + ", size " + Long.toUnsignedString(len) + ")!");
        throw Oops.bug(k, "mm/usercopy.c:101");
    }
}
