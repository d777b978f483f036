// SPDX-License-Identifier: GPL-2.0
/*
 * libmisc - core services modules take for granted: slab caches (constructor, zalloc, node and
 * usercopy variants, destroy), kfree_sensitive, dynamic per-cpu memory, whole pages, vmalloc
 * address checks, capabilities, user and group ids through init_user_ns, CPU and node masks,
 * bottom-half disabling, seeded pseudo-random state, UUIDs, CRCs, lock-less lists, gcd/lcm.
 * Nothing printed depends on addresses or on the random generator's output. With leak=1, a slab
 * cache is destroyed with an object still allocated (SLUB's report and a WARN).
 */
#include <linux/bottom_half.h>
#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/crc-ccitt.h>
#include <linux/crc32.h>
#include <linux/crc32c.h>
#include <linux/fips.h>
#include <linux/cred.h>
#include <linux/gcd.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/lcm.h>
#include <linux/llist.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/percpu.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/topology.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>
#include <linux/uuid.h>
#include <linux/vmalloc.h>

static bool leak;
module_param(leak, bool, 0);

struct obj {
	u32 magic;
	char name[92];
};

static int ctor_runs;

static void obj_ctor(void *p)
{
	((struct obj *)p)->magic = 0xc0ffee;
	ctor_runs++;
}

static void test_slab(void)
{
	struct kmem_cache *c, *u;
	struct obj *o, *z, *n;
	char *s;

	c = kmem_cache_create("libmisc_obj", sizeof(struct obj), 0, SLAB_HWCACHE_ALIGN, obj_ctor);
	pr_info("kmem_cache_create: %s, size %u\n", c ? "ok" : "NULL", kmem_cache_size(c));
	o = kmem_cache_alloc(c, GFP_KERNEL);
	pr_info("constructed: %x, ctor ran: %d\n", o->magic, ctor_runs > 0);
	z = kmem_cache_zalloc(c, GFP_KERNEL);
	n = kmem_cache_alloc_node(c, GFP_KERNEL, NUMA_NO_NODE);
	pr_info("zalloc magic %x, alloc_node magic %x, distinct %d\n", z->magic, n->magic, o != z && z != n && o != n);
	o->magic = 1;
	kmem_cache_free(c, o);
	kmem_cache_free(c, z);
	kmem_cache_free(c, n);
	kmem_cache_destroy(c);
	kmem_cache_destroy(NULL);

	u = kmem_cache_create_usercopy("libmisc_user", 64, 8, 0, 8, 32, NULL);
	o = kmem_cache_alloc(u, GFP_KERNEL | __GFP_ZERO);
	pr_info("usercopy cache: size %u, zeroed %d\n", kmem_cache_size(u), o->magic == 0 && o->name[50] == 0);
	kmem_cache_free(u, o);
	if (leak) {
		o = kmem_cache_alloc(u, GFP_KERNEL);
		o = kmem_cache_alloc(u, GFP_KERNEL);
	}
	kmem_cache_destroy(u);

	s = kstrdup("secret", GFP_KERNEL);
	kfree_sensitive(s);
	kfree_sensitive(NULL);
	pr_info("kfree_sensitive done\n");
}

struct counters {
	long hits;
	long misses;
	u8 pad[40];
};

static void test_percpu(void)
{
	int __percpu *pi = alloc_percpu(int);
	struct counters __percpu *pc = alloc_percpu(struct counters);
	void __percpu *big = __alloc_percpu(4096, 64);
	long sum = 0;
	int cpu;

	pr_info("alloc_percpu: %d %d %d\n", pi != NULL, pc != NULL, big != NULL);
	this_cpu_inc(*pi);
	this_cpu_add(*pi, 41);
	this_cpu_add(pc->hits, 5);
	this_cpu_inc(pc->misses);
	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(pi, cpu);
	pr_info("per-cpu int %d, sum %ld, hits %ld misses %ld, fresh zero %d\n", *this_cpu_ptr(pi), sum,
		this_cpu_read(pc->hits), per_cpu_ptr(pc, 0)->misses,
		((u8 *)per_cpu_ptr(big, 0))[4095] == 0 && ((unsigned long)per_cpu_ptr(big, 0) & 63) == 0);
	free_percpu(pi);
	free_percpu(pc);
	free_percpu(big);
	free_percpu(NULL);
	pi = __alloc_percpu_gfp(0, 4, GFP_KERNEL | __GFP_NOWARN);
	pr_info("alloc_percpu size 0 (no warning): %p\n", pi);
}

static void test_pages(void)
{
	unsigned long p2 = __get_free_pages(GFP_KERNEL, 2);
	unsigned long z = get_zeroed_page(GFP_KERNEL);
	void *ex = alloc_pages_exact(3 * PAGE_SIZE + 5, GFP_KERNEL | __GFP_ZERO);
	void *v = vmalloc(10000);
	void *k = kmalloc(100, GFP_KERNEL);
	int i, zero = 1;

	for (i = 0; i < PAGE_SIZE; i++)
		if (((u8 *)z)[i])
			zero = 0;
	pr_info("order-2 block aligned %d, zeroed page %d, exact %d\n", (p2 & (4 * PAGE_SIZE - 1)) == 0, zero,
		ex != NULL && ((unsigned long)ex & (PAGE_SIZE - 1)) == 0);
	memset((void *)p2, 0x5a, 4 * PAGE_SIZE);
	pr_info("is_vmalloc_addr: vmalloc %d, kmalloc %d, page %d, NULL %d\n", is_vmalloc_addr(v),
		is_vmalloc_addr(k), is_vmalloc_addr((void *)p2), is_vmalloc_addr(NULL));
	free_pages(p2, 2);
	free_page(z);
	free_pages(0, 3);
	free_pages_exact(ex, 3 * PAGE_SIZE + 5);
	vfree(v);
	kfree(k);
	pr_info("__get_free_pages order MAX_ORDER: %lu\n", __get_free_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER));
}

static void test_creds(void)
{
	kuid_t uid = make_kuid(&init_user_ns, 1000);
	kgid_t gid = make_kgid(&init_user_ns, 100);

	current->flags &= ~PF_SUPERPRIV;
	pr_info("capable(CAP_SYS_ADMIN) %d, superpriv %d\n", capable(CAP_SYS_ADMIN), !!(current->flags & PF_SUPERPRIV));
	pr_info("ns_capable(NET_ADMIN) %d, noaudit %d, has_capability %d\n",
		ns_capable(&init_user_ns, CAP_NET_ADMIN), ns_capable_noaudit(&init_user_ns, CAP_SYS_RAWIO),
		has_capability(current, CAP_SYS_MODULE));
	pr_info("uid %u valid %d, gid %u valid %d, root %d\n", from_kuid(&init_user_ns, uid), uid_valid(uid),
		from_kgid(&init_user_ns, gid), gid_valid(gid), uid_eq(make_kuid(&init_user_ns, 0), GLOBAL_ROOT_UID));
	uid = make_kuid(&init_user_ns, (uid_t)-1);
	pr_info("uid -1 valid %d, munged %u, gid munged %u, overflowuid %d\n", uid_valid(uid),
		from_kuid_munged(&init_user_ns, uid), from_kgid_munged(&init_user_ns, INVALID_GID), overflowuid);
	pr_info("current: uid %u, euid %u, in init ns %d\n", from_kuid(&init_user_ns, current_uid()),
		from_kuid(&init_user_ns, current_euid()), current_user_ns() == &init_user_ns);
}

static void test_cpus(void)
{
	char buf[64];
	int cpu, n = 0;

	for_each_online_cpu(cpu)
		n += scnprintf(buf + n, sizeof(buf) - n, " %d", cpu);
	pr_info("cpus online:%s; online %u possible %u present %u active %u, nr_cpu_ids %u\n", buf,
		num_online_cpus(), num_possible_cpus(), num_present_cpus(), num_active_cpus(), nr_cpu_ids);
	pr_info("cpumask_of(0) %*pbl, first online %u, next online after 0: %u, cpu_online(1) %d\n",
		cpumask_pr_args(cpumask_of(0)), cpumask_first(cpu_online_mask),
		cpumask_next(0, cpu_online_mask), cpu_online(1));
	pr_info("numa: node %d, cpu_to_node(0) %d, online nodes %u, nr_node_ids %u, node 0 cpus %*pbl, memory %d\n",
		numa_node_id(), cpu_to_node(0), num_online_nodes(), nr_node_ids,
		cpumask_pr_args(cpumask_of_node(0)), node_state(0, N_MEMORY));
	pr_info("totalram_pages > 0: %d, fips %d, smp_processor_id %d\n", totalram_pages() > 0, fips_enabled,
		raw_smp_processor_id());
}

static void test_bh(void)
{
	int before = preempt_count();

	local_bh_disable();
	pr_info("bh disabled: in_softirq %d, softirq_count %#lx\n", !!in_softirq(), softirq_count());
	local_bh_disable();
	local_bh_enable();
	local_bh_enable();
	pr_info("bh enabled again: preempt_count back %d, in_softirq %d\n", preempt_count() == before,
		!!in_softirq());
}

static void test_random(void)
{
	struct rnd_state st;
	u8 buf[11];
	u32 v[5];
	int i;

	prandom_seed_state(&st, 42);
	for (i = 0; i < 5; i++)
		v[i] = prandom_u32_state(&st);
	pr_info("prandom(42): %08x %08x %08x %08x %08x\n", v[0], v[1], v[2], v[3], v[4]);
	prandom_bytes_state(&st, buf, sizeof(buf));
	pr_info("prandom bytes: %*phN\n", (int)sizeof(buf), buf);
	get_random_bytes(buf, sizeof(buf));
	pr_info("random: u8<256 %d, below 10 %d, u64 %d, initialized %d\n", get_random_u8() < 256,
		get_random_u32_below(10) < 10, get_random_u64() == get_random_u64(), rng_is_initialized());
}

static void test_uuid(void)
{
	guid_t g;
	uuid_t u;
	u8 r[16];
	int ret;

	ret = uuid_parse("123e4567-e89b-12d3-a456-426614174000", &u);
	pr_info("uuid_parse: %d %pUb\n", ret, &u);
	ret = guid_parse("123E4567-E89B-12D3-A456-426614174000", &g);
	pr_info("guid_parse: %d %pUl, bytes %*phN\n", ret, &g, 4, &g);
	pr_info("invalid: %d %d %d, uuid_is_valid %d\n", uuid_parse("123e4567e89b12d3a456426614174000", &u),
		uuid_parse("123e4567-e89b-12d3-a456-42661417400g", &u), guid_parse("", &g),
		uuid_is_valid("00000000-0000-0000-0000-000000000000"));
	generate_random_uuid(r);
	pr_info("random uuid: version %d, variant %d\n", r[6] >> 4, r[8] >> 6);
	guid_gen(&g);
	uuid_gen(&u);
	pr_info("guid_gen version %d variant %d, uuid_gen version %d, null %d %d\n", g.b[7] >> 4, g.b[8] >> 6,
		u.b[6] >> 4, guid_is_null(&guid_null), uuid_is_null(&uuid_null));
}

static void test_crc(void)
{
	static const char check[] = "123456789";
	u32 a, b, whole;

	pr_info("crc32_le %08x, crc32_be %08x, crc32c %08x\n", crc32_le(~0, check, 9) ^ ~0,
		crc32_be(~0, check, 9) ^ ~0, __crc32c_le(~0, check, 9) ^ ~0);
	pr_info("crc_ccitt %04x, crc_ccitt_false %04x, byte %04x, table[1] %04x\n", crc_ccitt(0xffff, check, 9),
		crc_ccitt_false(0xffff, check, 9), crc_ccitt_byte(0, 'A'), crc_ccitt_table[1]);
	a = crc32_le(0, check, 4);
	b = crc32_le(0, check + 4, 5);
	whole = crc32_le(0, check, 9);
	pr_info("crc32_le_shift combine %d, crc32c shift %08x\n", (crc32_le_shift(a, 5) ^ b) == whole,
		__crc32c_le_shift(0x12345678, 17));
}

struct lnode {
	struct llist_node node;
	int v;
};

static void test_misc(void)
{
	static struct lnode nodes[5];
	LLIST_HEAD(head);
	struct llist_node *first, *n;
	char buf[64];
	int i, len = 0;

	for (i = 0; i < 5; i++) {
		nodes[i].v = i;
		pr_info("llist_add %d: was empty %d\n", i, llist_add(&nodes[i].node, &head));
	}
	first = llist_del_first(&head);
	pr_info("llist_del_first: %d\n", llist_entry(first, struct lnode, node)->v);
	first = llist_reverse_order(llist_del_all(&head));
	llist_for_each(n, first)
		len += scnprintf(buf + len, sizeof(buf) - len, " %d", llist_entry(n, struct lnode, node)->v);
	pr_info("reversed:%s, empty %d\n", buf, llist_empty(&head));
	pr_info("gcd %lu %lu %lu %lu, lcm %lu %lu\n", gcd(12, 18), gcd(0, 7), gcd(1UL << 40, 3UL << 38),
		gcd(17, 5), lcm(4, 6), lcm_not_zero(0, 9));
}

static int __init libmisc_init(void)
{
	test_slab();
	test_percpu();
	test_pages();
	test_creds();
	test_cpus();
	test_bh();
	test_random();
	test_uuid();
	test_crc();
	test_misc();
	return 0;
}

static void __exit libmisc_exit(void)
{
	pr_info("libmisc: done\n");
}

module_init(libmisc_init);
module_exit(libmisc_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodemu test: slab caches, percpu, pages, capabilities, ids, cpumasks, random, uuid, crc");
