// SPDX-License-Identifier: GPL-2.0
/*
 * pagealloc - the page allocator and struct page as modules use them: alloc_pages of several
 * orders (plain and __GFP_COMP), reference counts (get_page/put_page, page_count of tail pages),
 * compound heads and orders, page_address/virt_to_page/page_to_pfn round trips, natural
 * alignment, zeroing, __get_free_pages/get_zeroed_page/free_pages, alloc_pages_exact and
 * free_pages_exact, split_page, __free_pages with an extra reference on the first page, folios,
 * page flags (reserved, dirty, referenced), kmalloc'd and vmalloc'd memory seen as pages,
 * ZERO_PAGE, kmap. Nothing printed depends on addresses.
 * order=N: alloc_pages of order N (MAX_ORDER and above: NULL, and a WARN once without
 * __GFP_NOWARN). bad=1: blocks freed with PG_reserved still set: order 0 (cleared silently on
 * the per-cpu path), a tail page of order 1, the head of order 4 (both "Bad page state").
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/page-flags.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/vmalloc.h>

static int order = -1;
module_param(order, int, 0);
static bool bad;
module_param(bad, bool, 0);

static bool all_zero(const void *p, size_t n)
{
	return !memchr_inv(p, 0, n);
}

static void test_order0(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	bool first, again;
	void *addr;

	if (!page) {
		pr_err("pagealloc: alloc_pages failed\n");
		return;
	}
	addr = page_address(page);
	pr_info("pagealloc: order 0: count=%d mapcount=%d compound=%d zero=%d aligned=%d\n", page_count(page),
		page_mapcount(page), PageCompound(page), all_zero(addr, PAGE_SIZE),
		((unsigned long)addr & ~PAGE_MASK) == 0);
	pr_info("pagealloc: virt_to_page(page_address)=%d pfn=%d virt_addr_valid=%d\n",
		virt_to_page(addr) == page, page_to_pfn(page) == PHYS_PFN(__pa(addr)), virt_addr_valid(addr));
	pr_info("pagealloc: kmap=%d kmap_local_page=%d lowmem=%d\n", kmap(page) == addr,
		kmap_local_page(page) == addr, !PageHighMem(page));
	kunmap_local(addr);
	kunmap(page);
	get_page(page);
	pr_info("pagealloc: get_page: count=%d\n", page_count(page));
	put_page(page);
	pr_info("pagealloc: put_page: count=%d\n", page_count(page));
	SetPageReserved(page);
	pr_info("pagealloc: reserved=%d\n", PageReserved(page));
	ClearPageReserved(page);
	first = set_page_dirty(page);
	again = set_page_dirty(page);
	pr_info("pagealloc: set_page_dirty=%d again=%d dirty=%d\n", first, again, PageDirty(page));
	ClearPageDirty(page);
	mark_page_accessed(page);
	pr_info("pagealloc: mark_page_accessed: referenced=%d active=%d\n", PageReferenced(page), PageActive(page));
	mark_page_accessed(page);
	pr_info("pagealloc: again: referenced=%d active=%d\n", PageReferenced(page), PageActive(page));
	memset(addr, 0x5a, PAGE_SIZE);
	__free_pages(page, 0);
}

static void test_compound(void)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	int i;

	if (!page)
		return;
	pr_info("pagealloc: compound order 2: head=%d tail1=%d tail3=%d compound_head=%d order=%u nr=%ld\n",
		PageHead(page), PageTail(page + 1), PageTail(page + 3), compound_head(page + 3) == page,
		compound_order(page), compound_nr(page));
	for (i = 0; i < 4; i++)
		pr_info("pagealloc: page %d: count=%d mapcount=%d\n", i, page_count(page + i), page_mapcount(page + i));
	get_page(page + 2);
	pr_info("pagealloc: get_page(tail): head count=%d\n", page_count(page));
	put_page(page + 2);
	pr_info("pagealloc: put_page(tail): head count=%d\n", page_count(page));
	pr_info("pagealloc: zero=%d\n", all_zero(page_address(page), 4 * PAGE_SIZE));
	__free_pages(page, 2);
}

static void test_free_pages(void)
{
	unsigned long a = __get_free_pages(GFP_KERNEL, 3);
	unsigned long z;
	struct page *page;
	void *exact;
	int i;

	pr_info("pagealloc: __get_free_pages(3): aligned=%d count=%d next=%d\n",
		(page_to_pfn(virt_to_page((void *)a)) & 7) == 0, page_count(virt_to_page((void *)a)),
		page_count(virt_to_page((void *)(a + PAGE_SIZE))));
	free_pages(a, 3);
	z = get_zeroed_page(GFP_KERNEL);
	pr_info("pagealloc: get_zeroed_page: zero=%d count=%d\n", all_zero((void *)z, PAGE_SIZE),
		page_count(virt_to_page((void *)z)));
	free_page(z);

	exact = alloc_pages_exact(5 * PAGE_SIZE + 100, GFP_KERNEL);
	page = virt_to_page(exact);
	for (i = 0; i < 6; i++)
		pr_info("pagealloc: exact page %d: count=%d\n", i, page_count(page + i));
	free_pages_exact(exact, 5 * PAGE_SIZE + 100);

	page = alloc_pages(GFP_KERNEL, 2);
	pr_info("pagealloc: split: before %d %d %d %d\n", page_count(page), page_count(page + 1),
		page_count(page + 2), page_count(page + 3));
	split_page(page, 2);
	pr_info("pagealloc: split: after %d %d %d %d\n", page_count(page), page_count(page + 1),
		page_count(page + 2), page_count(page + 3));
	for (i = 0; i < 4; i++)
		__free_page(page + i);

	/* a reference left on the first page: __free_pages frees the rest, put_page the first */
	page = alloc_pages(GFP_KERNEL, 2);
	get_page(page);
	__free_pages(page, 2);
	pr_info("pagealloc: held first page: count=%d\n", page_count(page));
	put_page(page);
}

static void test_folio(void)
{
	struct folio *f = folio_alloc(GFP_KERNEL, 2);

	if (!f)
		return;
	pr_info("pagealloc: folio: order=%u nr=%ld large=%d count=%d\n", folio_order(f), folio_nr_pages(f),
		folio_test_large(f), folio_ref_count(f));
	folio_get(f);
	folio_put(f);
	folio_put(f);
}

static void test_views(void)
{
	char *k = kmalloc(100, GFP_KERNEL);
	char *big = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	char *v = vmalloc(3 * PAGE_SIZE);
	struct page *vp;

	pr_info("pagealloc: kmalloc(100): slab=%d\n", PageSlab(virt_to_page(k)));
	pr_info("pagealloc: kmalloc(3 pages): slab=%d compound=%d order=%u count=%d\n", PageSlab(virt_to_page(big)),
		PageCompound(virt_to_page(big)), compound_order(virt_to_page(big)), page_count(virt_to_page(big)));
	kfree(k);
	kfree(big);
	strcpy(v + PAGE_SIZE, "through the vmalloc area");
	vp = vmalloc_to_page(v + PAGE_SIZE + 10);
	pr_info("pagealloc: vmalloc_to_page: found=%d count=%d slab=%d pfn=%d\n", vp != NULL, page_count(vp),
		PageSlab(vp), vmalloc_to_pfn(v + PAGE_SIZE) == page_to_pfn(vp));
	pr_info("pagealloc: page_address(vmalloc_to_page): \"%s\"\n", (char *)page_address(vp));
	pr_info("pagealloc: is_vmalloc_addr: %d %d\n", is_vmalloc_addr(v), is_vmalloc_addr(page_address(vp)));
	vfree(v);
	pr_info("pagealloc: ZERO_PAGE: reserved=%d direct map=%d zero=%d pfn=%d\n", PageReserved(ZERO_PAGE(0)),
		virt_to_page(page_address(ZERO_PAGE(0))) == ZERO_PAGE(0), all_zero(page_address(ZERO_PAGE(0)), PAGE_SIZE),
		my_zero_pfn(0) == page_to_pfn(ZERO_PAGE(0)));
}

static void test_order(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, order);

	pr_info("pagealloc: alloc_pages(%d): %s\n", order, page ? "a page" : "NULL");
	if (page) {
		pr_info("pagealloc: count=%d aligned=%d\n", page_count(page),
			(page_to_pfn(page) & ((1UL << order) - 1)) == 0);
		__free_pages(page, order);
	}
	page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
	pr_info("pagealloc: alloc_pages(%d, __GFP_NOWARN): %s\n", order, page ? "a page" : "NULL");
	if (page)
		__free_pages(page, order);
	page = alloc_pages(GFP_KERNEL, order);
	pr_info("pagealloc: again: %s\n", page ? "a page" : "NULL");
	if (page)
		__free_pages(page, order);
}

static void test_bad(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);

	SetPageReserved(page);
	__free_pages(page, 0);
	pr_info("pagealloc: freed order 0 with PG_reserved\n");
	page = alloc_pages(GFP_KERNEL, 1);
	SetPageReserved(page + 1);
	__free_pages(page, 1);
	pr_info("pagealloc: freed order 1 with PG_reserved on the tail\n");
	page = alloc_pages(GFP_KERNEL, 4);
	SetPageReserved(page);
	__free_pages(page, 4);
	pr_info("pagealloc: freed order 4 with PG_reserved on the head\n");
}

static int __init pagealloc_init(void)
{
	if (order >= 0) {
		test_order();
		return 0;
	}
	if (bad) {
		test_bad();
		return 0;
	}
	test_order0();
	test_compound();
	test_free_pages();
	test_folio();
	test_views();
	return 0;
}

static void __exit pagealloc_exit(void)
{
	pr_info("pagealloc: exit\n");
}

module_init(pagealloc_init);
module_exit(pagealloc_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("page allocator and struct page");
