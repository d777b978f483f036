package dev.kmodemu.kstubs.mm;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * mm/memremap.c: device memory ({@code ZONE_DEVICE}) pages. kmodemu has none, so
 * {@code devmap_managed_key} stays off and the inline {@code put_page()} never asks about them.
 */
public final class Memremap {
    private Memremap() {
    }

    /** {@code DEFINE_STATIC_KEY_FALSE(devmap_managed_key)}: off, no FS-DAX device memory exists. */
    @KernelData(value = "devmap_managed_key", sizeOf = "static_key_false_sizeof")
    static void devmapManagedKey(KernelContext k, long at) {
    }

    /**
     * bool __put_devmap_managed_page_refs(struct page *page, int refs): only for pages of an
     * FS-DAX {@code dev_pagemap}; there are none, so the caller's page is not one of them (false)
     * and its references are left to {@code put_page()}'s ordinary path.
     */
    @KernelSymbol("__put_devmap_managed_page_refs")
    static boolean putDevmapManagedPageRefs(KernelContext k, long page, int refs) {
        return false;
    }
}
