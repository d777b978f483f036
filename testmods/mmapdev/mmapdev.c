// SPDX-License-Identifier: GPL-2.0
/*
 * mmapdev - mmap of misc devices and proc files, the classic driver patterns:
 *   /dev/mmap_kbuf   kmalloc'd buffer, pages SetPageReserved, remap_pfn_range (vm_pgoff honoured)
 *   /dev/mmap_vbuf   vmalloc_user buffer, remap_vmalloc_range (a vm_insert_page of a slab page
 *                    first, refused with -EINVAL)
 *   /dev/mmap_fault  pages from alloc_page handed out by vm_ops->fault (VM_FAULT_SIGBUS past
 *                    them), vm_ops->open/close counting and logging
 *   /dev/mmap_ro     refuses writable mappings (-EPERM) and too long ones (-EINVAL), clears
 *                    VM_MAYWRITE, maps with vm_iomap_memory
 *   /dev/mmap_none   no mmap operation (-ENODEV)
 *   /proc/mmapdev    proc_mmap: pgprot_noncached + remap_pfn_range of RAM (PAT warns and maps
 *                    write-back)
 *   /proc/mmapdev_nommap  no proc_mmap (-EIO)
 * selftest=1: init maps them all from kernel code with filp_open + vm_mmap (in insmod's address
 * space), reads and writes the mappings with copy_from_user/copy_to_user, unmaps them (whole, and
 * the middle page of three: vm_ops->open and close of the split parts), and leaves one mapping
 * for the process's exit to remove. Nothing printed depends on addresses.
 */
#include <asm/io.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#define NPAGES 3

static bool selftest;
module_param(selftest, bool, 0);

static char *kbuf;
static void *vbuf;
static struct page *fpages[NPAGES];
static unsigned long robuf;
static unsigned long procbuf;
static void *slabobj;
static int opens;

static int dev_open(struct inode *inode, struct file *file)
{
	opens++;
	return 0;
}

static int dev_release(struct inode *inode, struct file *file)
{
	struct miscdevice *m = file->private_data;

	pr_info("mmapdev: release %s\n", m->name);
	return 0;
}

static void show(const char *who, const char *when, struct vm_area_struct *vma)
{
	pr_info("mmapdev: %s %s: pages=%lu pgoff=%lu flags=%#lx prot=%#lx\n", who, when, vma_pages(vma), vma->vm_pgoff,
		vma->vm_flags, pgprot_val(vma->vm_page_prot));
}

static int kbuf_mmap(struct file *file, struct vm_area_struct *vma)
{
	unsigned long size = vma->vm_end - vma->vm_start;
	int ret;

	show("kbuf", "mmap", vma);
	if (vma->vm_pgoff + vma_pages(vma) > NPAGES)
		return -EINVAL;
	ret = remap_pfn_range(vma, vma->vm_start, (virt_to_phys(kbuf) >> PAGE_SHIFT) + vma->vm_pgoff, size,
			      vma->vm_page_prot);
	if (ret)
		return ret;
	show("kbuf", "remapped", vma);
	return 0;
}

static int vbuf_mmap(struct file *file, struct vm_area_struct *vma)
{
	int ret;

	show("vbuf", "mmap", vma);
	pr_info("mmapdev: vm_insert_page(slab page) = %d\n", vm_insert_page(vma, vma->vm_start, virt_to_page(slabobj)));
	ret = remap_vmalloc_range(vma, vbuf, vma->vm_pgoff);
	pr_info("mmapdev: remap_vmalloc_range = %d\n", ret);
	if (ret)
		return ret;
	show("vbuf", "remapped", vma);
	pr_info("mmapdev: vbuf page 0: count=%d mapcount=%d\n", page_count(vmalloc_to_page(vbuf)),
		page_mapcount(vmalloc_to_page(vbuf)));
	return 0;
}

static void fault_open(struct vm_area_struct *vma)
{
	pr_info("mmapdev: vm open: pages=%lu pgoff=%lu\n", vma_pages(vma), vma->vm_pgoff);
}

static void fault_close(struct vm_area_struct *vma)
{
	pr_info("mmapdev: vm close: pages=%lu pgoff=%lu flags=%#lx\n", vma_pages(vma), vma->vm_pgoff, vma->vm_flags);
}

static vm_fault_t fault_fault(struct vm_fault *vmf)
{
	/* whether the page table existed (FAULT_FLAG_ORIG_PTE_VALID) depends on where the mapping is */
	pr_info("mmapdev: fault pgoff=%lu offset=%lu flags=%#x private=%d\n", vmf->pgoff,
		(vmf->address - vmf->vma->vm_start) >> PAGE_SHIFT, vmf->flags & ~FAULT_FLAG_ORIG_PTE_VALID,
		vmf->vma->vm_private_data == fpages);
	if (vmf->pgoff >= NPAGES)
		return VM_FAULT_SIGBUS;
	get_page(fpages[vmf->pgoff]);
	vmf->page = fpages[vmf->pgoff];
	return 0;
}

static const struct vm_operations_struct fault_vm_ops = {
	.open = fault_open,
	.close = fault_close,
	.fault = fault_fault,
};

static int fault_mmap(struct file *file, struct vm_area_struct *vma)
{
	show("fault", "mmap", vma);
	vma->vm_ops = &fault_vm_ops;
	vma->vm_private_data = fpages;
	vma->vm_flags |= VM_DONTEXPAND | VM_DONTDUMP;
	return 0;
}

static int ro_mmap(struct file *file, struct vm_area_struct *vma)
{
	show("ro", "mmap", vma);
	if (vma->vm_flags & VM_WRITE)
		return -EPERM;
	if (vma->vm_end - vma->vm_start > PAGE_SIZE)
		return -EINVAL;
	vma->vm_flags &= ~VM_MAYWRITE;
	return vm_iomap_memory(vma, virt_to_phys((void *)robuf), PAGE_SIZE);
}

#define FOPS(n, m) \
	static const struct file_operations n##_fops = { \
		.owner = THIS_MODULE, .open = dev_open, .release = dev_release, .mmap = m, \
	}; \
	static struct miscdevice n##_dev = { .minor = MISC_DYNAMIC_MINOR, .name = "mmap_" #n, .fops = &n##_fops }

FOPS(kbuf, kbuf_mmap);
FOPS(vbuf, vbuf_mmap);
FOPS(fault, fault_mmap);
FOPS(ro, ro_mmap);
FOPS(none, NULL);

static struct miscdevice *devs[] = { &kbuf_dev, &vbuf_dev, &fault_dev, &ro_dev, &none_dev };

static int proc_mmap_op(struct file *file, struct vm_area_struct *vma)
{
	show("proc", "mmap", vma);
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	return remap_pfn_range(vma, vma->vm_start, virt_to_phys((void *)procbuf) >> PAGE_SHIFT, PAGE_SIZE,
			       vma->vm_page_prot);
}

static const struct proc_ops proc_fops = { .proc_mmap = proc_mmap_op };
static const struct proc_ops nommap_fops = { .proc_lseek = default_llseek };

/* ---- the self-test: mappings made from kernel code, in insmod's address space ---- */

static unsigned long map(const char *path, int oflags, size_t len, int prot, int flags, off_t off,
			 struct file **fp)
{
	struct file *f = filp_open(path, oflags, 0);
	unsigned long a;

	if (IS_ERR(f)) {
		pr_info("mmapdev: open %s: %ld\n", path, PTR_ERR(f));
		return 0;
	}
	a = vm_mmap(f, 0, len, prot, flags, off);
	if (IS_ERR_VALUE(a)) {
		pr_info("mmapdev: mmap %s len=%zu prot=%d flags=%#x off=%lld = %ld\n", path, len, prot, flags, (long long)off,
			(long)a);
		filp_close(f, NULL);
		return 0;
	}
	if (fp)
		*fp = f;
	else
		filp_close(f, NULL);
	return a;
}

static void peek(const char *what, unsigned long addr)
{
	char b[24] = "";
	unsigned long left = copy_from_user(b, (void __user *)addr, sizeof(b) - 1);

	pr_info("mmapdev: %s: \"%s\" (%lu not copied)\n", what, b, left);
}

static void poke(const char *what, unsigned long addr, const char *s)
{
	unsigned long left = copy_to_user((void __user *)addr, s, strlen(s) + 1);

	pr_info("mmapdev: %s: wrote \"%s\" (%lu not copied)\n", what, s, left);
}

static void unmap(unsigned long a, size_t len)
{
	pr_info("mmapdev: munmap %zu bytes = %d\n", len, vm_munmap(a, len));
}

static void test_kbuf(void)
{
	unsigned long a = map("/dev/mmap_kbuf", O_RDWR, NPAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, 0, NULL);

	if (a) {
		peek("kbuf page 0", a);
		peek("kbuf page 2", a + 2 * PAGE_SIZE);
		poke("kbuf page 1", a + PAGE_SIZE + 8, "from user space");
		pr_info("mmapdev: kernel sees \"%s\"\n", kbuf + PAGE_SIZE + 8);
		unmap(a, NPAGES * PAGE_SIZE);
	}
	a = map("/dev/mmap_kbuf", O_RDWR, PAGE_SIZE, PROT_READ, MAP_SHARED, 2 * PAGE_SIZE, NULL);
	if (a) {
		peek("kbuf at offset 2 pages", a);
		unmap(a, PAGE_SIZE);
	}
	map("/dev/mmap_kbuf", O_RDWR, 2 * PAGE_SIZE, PROT_READ, MAP_SHARED, 2 * PAGE_SIZE, NULL);
	map("/dev/mmap_kbuf", O_RDONLY, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, 0, NULL);
	a = map("/dev/mmap_kbuf", O_RDONLY, NPAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0, NULL);
	if (a) {
		poke("private kbuf page 0", a + 16, "copied on write");
		peek("private kbuf page 0", a + 16);
		pr_info("mmapdev: kernel still sees \"%s\"\n", kbuf + 16);
		unmap(a, NPAGES * PAGE_SIZE);
	}
	map("/dev/mmap_kbuf", O_RDWR, PAGE_SIZE, PROT_READ, 0, 0, NULL);
	map("/dev/mmap_kbuf", O_RDWR, 0, PROT_READ, MAP_SHARED, 0, NULL);
}

static void test_vbuf(void)
{
	unsigned long a = map("/dev/mmap_vbuf", O_RDWR, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, PAGE_SIZE, NULL);

	if (a) {
		peek("vbuf page 1", a);
		poke("vbuf page 2", a + PAGE_SIZE, "into vmalloc");
		pr_info("mmapdev: kernel sees \"%s\"\n", (char *)vbuf + 2 * PAGE_SIZE);
		unmap(a, 2 * PAGE_SIZE);
		pr_info("mmapdev: vbuf page 0 after munmap: count=%d mapcount=%d\n", page_count(vmalloc_to_page(vbuf)),
			page_mapcount(vmalloc_to_page(vbuf)));
	}
	map("/dev/mmap_vbuf", O_RDWR, NPAGES * PAGE_SIZE, PROT_READ, MAP_SHARED, PAGE_SIZE, NULL);
}

static void test_fault(void)
{
	struct file *f = NULL;
	unsigned long a = map("/dev/mmap_fault", O_RDWR, (NPAGES + 1) * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, 0, &f);
	int i;

	if (!a)
		return;
	peek("fault page 1", a + PAGE_SIZE);
	peek("fault page 1 again", a + PAGE_SIZE + 4);
	poke("fault page 0", a + 100, "dirty");
	peek("fault page 3 (past the pages)", a + NPAGES * PAGE_SIZE);
	for (i = 0; i < NPAGES; i++)
		pr_info("mmapdev: fault page %d mapped: count=%d mapcount=%d dirty=%d\n", i, page_count(fpages[i]),
			page_mapcount(fpages[i]), PageDirty(fpages[i]));
	unmap(a + PAGE_SIZE, PAGE_SIZE);
	unmap(a, (NPAGES + 1) * PAGE_SIZE);
	for (i = 0; i < NPAGES; i++)
		pr_info("mmapdev: fault page %d unmapped: count=%d mapcount=%d dirty=%d referenced=%d locked=%d\n", i,
			page_count(fpages[i]), page_mapcount(fpages[i]), PageDirty(fpages[i]), PageReferenced(fpages[i]),
			PageLocked(fpages[i]));
	filp_close(f, NULL);
	a = map("/dev/mmap_fault", O_RDWR, 2 * PAGE_SIZE, PROT_READ, MAP_PRIVATE, PAGE_SIZE, NULL);
	if (a)
		peek("left for exit", a);
}

static void test_others(void)
{
	unsigned long a;

	map("/dev/mmap_ro", O_RDWR, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, 0, NULL);
	map("/dev/mmap_ro", O_RDONLY, 2 * PAGE_SIZE, PROT_READ, MAP_SHARED, 0, NULL);
	a = map("/dev/mmap_ro", O_RDONLY, PAGE_SIZE, PROT_READ, MAP_SHARED, 0, NULL);
	if (a) {
		peek("ro", a);
		pr_info("mmapdev: write to ro: %lu not copied\n", copy_to_user((void __user *)a, "x", 1));
		unmap(a, PAGE_SIZE);
	}
	map("/dev/mmap_none", O_RDWR, PAGE_SIZE, PROT_READ, MAP_SHARED, 0, NULL);
	a = map("/proc/mmapdev", O_RDWR, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, 0, NULL);
	if (a) {
		peek("proc", a);
		unmap(a, PAGE_SIZE);
	}
	map("/proc/mmapdev", O_RDWR, PAGE_SIZE, PROT_READ | PROT_EXEC, MAP_SHARED, 0, NULL);
	map("/proc/mmapdev_nommap", O_RDWR, PAGE_SIZE, PROT_READ, MAP_SHARED, 0, NULL);
}

static int __init mmapdev_init(void)
{
	int i, ret;

	kbuf = kmalloc(NPAGES * PAGE_SIZE, GFP_KERNEL);
	vbuf = vmalloc_user(NPAGES * PAGE_SIZE);
	robuf = get_zeroed_page(GFP_KERNEL);
	procbuf = get_zeroed_page(GFP_KERNEL);
	slabobj = kmalloc(64, GFP_KERNEL);
	for (i = 0; i < NPAGES; i++) {
		SetPageReserved(virt_to_page(kbuf + i * PAGE_SIZE));
		sprintf(kbuf + i * PAGE_SIZE, "kbuf page %d", i);
		sprintf(vbuf + i * PAGE_SIZE, "vbuf page %d", i);
		fpages[i] = alloc_page(GFP_KERNEL);
		sprintf(page_address(fpages[i]), "fault page %d", i);
	}
	SetPageReserved(virt_to_page((void *)robuf));
	strcpy((char *)robuf, "read only");
	strcpy((char *)procbuf, "proc page");
	for (i = 0; i < ARRAY_SIZE(devs); i++) {
		ret = misc_register(devs[i]);
		if (ret)
			pr_err("mmapdev: misc_register %s: %d\n", devs[i]->name, ret);
	}
	proc_create("mmapdev", 0600, NULL, &proc_fops);
	proc_create("mmapdev_nommap", 0600, NULL, &nommap_fops);
	if (selftest) {
		test_kbuf();
		test_vbuf();
		test_fault();
		test_others();
		pr_info("mmapdev: %d opens\n", opens);
	}
	return 0;
}

static void __exit mmapdev_exit(void)
{
	int i;

	remove_proc_entry("mmapdev_nommap", NULL);
	remove_proc_entry("mmapdev", NULL);
	for (i = ARRAY_SIZE(devs) - 1; i >= 0; i--)
		misc_deregister(devs[i]);
	for (i = 0; i < NPAGES; i++) {
		ClearPageReserved(virt_to_page(kbuf + i * PAGE_SIZE));
		pr_info("mmapdev: fault page %d at exit: count=%d\n", i, page_count(fpages[i]));
		__free_page(fpages[i]);
	}
	ClearPageReserved(virt_to_page((void *)robuf));
	free_page(robuf);
	free_page(procbuf);
	kfree(slabobj);
	vfree(vbuf);
	kfree(kbuf);
}

module_init(mmapdev_init);
module_exit(mmapdev_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mmap of misc devices and proc files");
