package dev.kmodemu.kstubs.mm;

import dev.kmodemu.firmware.Profile;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.printk.Printk;

import java.nio.charset.StandardCharsets;

/** mm/debug.c: {@code dump_page()}. */
public final class Debug {
    private Debug() {
    }

    private static void warn(KernelContext k, String fmt, long... args) {
        k.printk(4, new String(Printk.format(k, fmt, args), StandardCharsets.UTF_8));
    }

    /**
     * {@code __dump_page()} and the reason: the page's counts, mapping, index and frame, the
     * compound head's order and counts, its flags ({@code %pGp}) and the raw words of the page
     * (and of its head) as {@code print_hex_dump()} prints them, 32 bytes a row.
     */
    public static void dumpPage(KernelContext k, long page, String reason) {
        if (Pages.flags(k, page) == -1) {
            warn(k, "page:%p is uninitialized and poisoned", page);
        } else {
            dumpPageState(k, page);
        }
        if (reason != null) {
            k.printk(4, "page dumped because: " + reason);
        }
    }

    private static void dumpPageState(KernelContext k, long page) {
        Profile p = k.profile();
        long head = Pages.compoundHead(k, page);
        boolean compound = Pages.isCompound(k, page);
        long mapping;
        if (Long.compareUnsigned(page - head, p.value("MAX_ORDER_NR_PAGES") * p.value("page_sizeof")) >= 0) {
            long tmp = Pages.mapping(k, page);
            mapping = (tmp & p.value("PAGE_MAPPING_ANON")) != 0 ? 0 : tmp & ~p.value("PAGE_MAPPING_FLAGS");
            head = page;
            compound = false;
        } else {
            // folio_mapping(): none for slab pages or flagged (anon, movable) mappings
            long m = Pages.mapping(k, head);
            mapping = Pages.isSlab(k, head) || (m & p.value("PAGE_MAPPING_FLAGS")) != 0 ? 0 : m;
        }
        int mapcount = Pages.test(k, head, "PG_slab") ? 0 : Pages.mapcount(k, page);
        long index = Pages.isTail(k, page) ? Pages.index(k, head) + (page - head) / p.value("page_sizeof")
                : Pages.index(k, page);
        warn(k, "page:%p refcount:%d mapcount:%d mapping:%p index:%#lx pfn:%#lx", page, Pages.refcount(k, head),
                mapcount, mapping, index, Pages.pageToPfn(k, page));
        if (compound) {
            warn(k, "head:%p order:%u compound_mapcount:%d compound_pincount:%d", head, Pages.compoundOrder(k, head),
                    Pages.compoundMapcount(k, head), Pages.compoundPincount(k, head));
        }
        if (Pages.memcgData(k, head) != 0) {
            warn(k, "memcg:%lx", Pages.memcgData(k, head));
        }
        String type = Pages.isAnon(k, page) ? "anon " : "";
        warn(k, type + "flags: %pGp", head + k.off("page_flags"));
        raw(k, "raw: ", page);
        if (head != page) {
            raw(k, "head: ", head);
        }
    }

    /** {@code print_hex_dump(KERN_WARNING, prefix, DUMP_PREFIX_NONE, 32, sizeof(long), page, sizeof(struct page), false)}. */
    private static void raw(KernelContext k, String prefix, long page) {
        long size = k.profile().value("page_sizeof");
        for (long row = 0; row < size; row += 32) {
            StringBuilder sb = new StringBuilder(prefix);
            for (long w = row; w < Math.min(row + 32, size); w += 8) {
                sb.append(w == row ? "" : " ").append(String.format("%016x", k.mem().read64(page + w)));
            }
            k.printk(4, sb.toString());
        }
    }

    /** void dump_page(struct page *page, const char *reason) */
    @KernelSymbol("dump_page")
    static void dumpPageSym(KernelContext k, long page, long reason) {
        dumpPage(k, page, reason == 0 ? null : k.string(reason, 256));
    }
}
