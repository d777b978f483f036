// SPDX-License-Identifier: GPL-2.0
/*
 * Registration with the networking core and the notifier chains, with no traffic: a per-net
 * subsystem and device, a TCP congestion control (and Reno's helpers on a socket of its own), a
 * queueing discipline, a packet handler, a protocol family and a protocol, a netfilter hook,
 * notifier chains of its own and the kernel's (reboot, netdevice), a CPU hotplug state; with
 * netdev=1 also a network device.
 */
#include <linux/module.h>
#include <linux/init.h>
#include <linux/slab.h>
#include <linux/notifier.h>
#include <linux/reboot.h>
#include <linux/cpuhotplug.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <net/sch_generic.h>
#include <net/pkt_sched.h>

static bool netdev;
module_param(netdev, bool, 0444);

/* ---- per-net subsystem with private data, and a per-net device ---- */
static unsigned int netreg_net_id;

struct netreg_net {
	int inits;
};

static int __net_init netreg_net_init(struct net *net)
{
	struct netreg_net *nn = net_generic(net, netreg_net_id);

	nn->inits++;
	pr_info("netreg: pernet init %s id %u data %s\n", net == &init_net ? "init_net" : "other", netreg_net_id,
		nn ? "allocated" : "missing");
	return 0;
}

static void __net_exit netreg_net_exit(struct net *net)
{
	struct netreg_net *nn = net_generic(net, netreg_net_id);

	pr_info("netreg: pernet exit %s inits %d\n", net == &init_net ? "init_net" : "other", nn->inits);
}

static struct pernet_operations netreg_net_ops = {
	.init = netreg_net_init,
	.exit = netreg_net_exit,
	.id = &netreg_net_id,
	.size = sizeof(struct netreg_net),
};

static int __net_init netreg_dev_init(struct net *net)
{
	pr_info("netreg: pernet device init\n");
	return 0;
}

static void __net_exit netreg_dev_exit_batch(struct list_head *list)
{
	struct net *net;
	int n = 0;

	list_for_each_entry(net, list, exit_list)
		n++;
	pr_info("netreg: pernet device exit_batch of %d\n", n);
}

static struct pernet_operations netreg_dev_ops = {
	.init = netreg_dev_init,
	.exit_batch = netreg_dev_exit_batch,
};

/* ---- congestion control ---- */
static struct tcp_congestion_ops netreg_cong = {
	.ssthresh = tcp_reno_ssthresh,
	.cong_avoid = tcp_reno_cong_avoid,
	.undo_cwnd = tcp_reno_undo_cwnd,
	.owner = THIS_MODULE,
	.name = "netreg",
};

static struct tcp_congestion_ops netreg_cong_dup = {
	.ssthresh = tcp_reno_ssthresh,
	.cong_avoid = tcp_reno_cong_avoid,
	.undo_cwnd = tcp_reno_undo_cwnd,
	.owner = THIS_MODULE,
	.name = "reno",
};

static struct tcp_congestion_ops netreg_cong_bad = {
	.undo_cwnd = tcp_reno_undo_cwnd,
	.owner = THIS_MODULE,
	.name = "netreg-bad",
};

static void reno(void)
{
	struct tcp_sock *tp = kzalloc(sizeof(*tp), GFP_KERNEL);
	struct sock *sk = (struct sock *)tp;
	u32 left;

	tp->snd_cwnd = 10;
	tp->snd_ssthresh = 16;
	tp->snd_cwnd_clamp = 100;
	tp->max_packets_out = 8;
	left = tcp_slow_start(tp, 10);
	pr_info("netreg: slow start: cwnd %u left %u\n", tp->snd_cwnd, left);
	tcp_reno_cong_avoid(sk, 0, 20);
	pr_info("netreg: reno: cwnd %u cnt %u\n", tp->snd_cwnd, tp->snd_cwnd_cnt);
	tp->is_cwnd_limited = 1;
	tcp_reno_cong_avoid(sk, 0, 20);
	pr_info("netreg: reno limited: cwnd %u cnt %u ssthresh %u undo %u\n", tp->snd_cwnd, tp->snd_cwnd_cnt,
		tcp_reno_ssthresh(sk), tcp_reno_undo_cwnd(sk));
	kfree(tp);
}

/* ---- queueing discipline ---- */
static struct Qdisc_ops netreg_qdisc = {
	.id = "netreg",
	.owner = THIS_MODULE,
};

static struct Qdisc_ops netreg_qdisc_dup = {
	.id = "pfifo",
	.owner = THIS_MODULE,
};

/* ---- packet handler ---- */
static int netreg_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		      struct net_device *orig)
{
	return 0;
}

static struct packet_type netreg_pt = {
	.type = cpu_to_be16(ETH_P_IP),
	.func = netreg_rcv,
};

static struct packet_type netreg_pt_all = {
	.type = cpu_to_be16(ETH_P_ALL),
	.func = netreg_rcv,
};

/* ---- protocol family and protocol ---- */
static int netreg_create(struct net *net, struct socket *sock, int protocol, int kern)
{
	return -EPROTONOSUPPORT;
}

static const struct net_proto_family netreg_family = {
	.family = PF_ALG,
	.create = netreg_create,
	.owner = THIS_MODULE,
};

static struct proto netreg_proto = {
	.name = "NETREG",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct sock) + 64,
};

/* ---- netfilter ---- */
static unsigned int netreg_hook(void *priv, struct sk_buff *skb, const struct nf_hook_state *state)
{
	return NF_ACCEPT;
}

static const struct nf_hook_ops netreg_nf_ops[] = {
	{ .hook = netreg_hook, .pf = NFPROTO_IPV4, .hooknum = NF_INET_PRE_ROUTING, .priority = NF_IP_PRI_FIRST },
	{ .hook = netreg_hook, .pf = NFPROTO_IPV6, .hooknum = NF_INET_LOCAL_OUT, .priority = 0 },
};

/* ---- notifier chains ---- */
static ATOMIC_NOTIFIER_HEAD(netreg_atomic);
static BLOCKING_NOTIFIER_HEAD(netreg_blocking);
static RAW_NOTIFIER_HEAD(netreg_raw);

static int nb_call(struct notifier_block *nb, unsigned long val, void *v)
{
	pr_info("netreg: notifier prio %d val %lu\n", nb->priority, val);
	if (val == 99 && nb->priority == 5)
		return NOTIFY_BAD;
	return nb->priority == 10 && val == 2 ? NOTIFY_STOP : NOTIFY_OK;
}

static struct notifier_block nb_a = { .notifier_call = nb_call, .priority = 0 };
static struct notifier_block nb_b = { .notifier_call = nb_call, .priority = 10 };
static struct notifier_block nb_c = { .notifier_call = nb_call, .priority = 5 };
static struct notifier_block nb_d = { .notifier_call = nb_call, .priority = 5 };

static int reboot_call(struct notifier_block *nb, unsigned long val, void *v)
{
	return NOTIFY_DONE;
}

static struct notifier_block netreg_reboot = { .notifier_call = reboot_call };

static const char *const ev_names[] = {
	[NETDEV_UP] = "UP", [NETDEV_DOWN] = "DOWN", [NETDEV_REGISTER] = "REGISTER",
	[NETDEV_UNREGISTER] = "UNREGISTER", [NETDEV_GOING_DOWN] = "GOING_DOWN",
	[NETDEV_POST_INIT] = "POST_INIT", [NETDEV_CHANGE] = "CHANGE",
};

static int netdev_call(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	const char *name = event < ARRAY_SIZE(ev_names) && ev_names[event] ? ev_names[event] : "?";

	pr_info("netreg: netdev %s %lu %s ifindex %d flags %#x\n", dev->name, event, name, dev->ifindex, dev->flags);
	return NOTIFY_DONE;
}

static struct notifier_block netreg_netdev_nb = { .notifier_call = netdev_call };

/* ---- CPU hotplug ---- */
static int hp_state;

static int hp_online(unsigned int cpu)
{
	pr_info("netreg: cpu %u online\n", cpu);
	return 0;
}

static int hp_offline(unsigned int cpu)
{
	pr_info("netreg: cpu %u offline\n", cpu);
	return 0;
}

/* ---- a network device ---- */
static struct net_device *ndev;

struct netreg_priv {
	u64 magic;
};

static netdev_tx_t netreg_xmit(struct sk_buff *skb, struct net_device *dev)
{
	return NETDEV_TX_OK;
}

static int netreg_ndo_init(struct net_device *dev)
{
	pr_info("netreg: ndo_init %s\n", dev->name);
	return 0;
}

static void netreg_ndo_uninit(struct net_device *dev)
{
	pr_info("netreg: ndo_uninit %s\n", dev->name);
}

static const struct net_device_ops netreg_ops = {
	.ndo_init = netreg_ndo_init,
	.ndo_uninit = netreg_ndo_uninit,
	.ndo_start_xmit = netreg_xmit,
};

static void netreg_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &netreg_ops;
	dev->flags |= IFF_NOARP;
	pr_info("netreg: setup \"%s\" mtu %u type %u tx_queue_len %u addr_len %u\n", dev->name, dev->mtu, dev->type,
		dev->tx_queue_len, dev->addr_len);
}

static int __init netreg_init(void)
{
	int err;

	err = register_pernet_subsys(&netreg_net_ops);
	pr_info("netreg: register_pernet_subsys: %d\n", err);
	err = register_pernet_device(&netreg_dev_ops);
	pr_info("netreg: register_pernet_device: %d\n", err);

	pr_info("netreg: congestion control: %d\n", tcp_register_congestion_control(&netreg_cong));
	pr_info("netreg: congestion control reno: %d\n", tcp_register_congestion_control(&netreg_cong_dup));
	pr_info("netreg: congestion control without ssthresh: %d\n", tcp_register_congestion_control(&netreg_cong_bad));
	reno();

	pr_info("netreg: qdisc: %d\n", register_qdisc(&netreg_qdisc));
	pr_info("netreg: qdisc pfifo: %d\n", register_qdisc(&netreg_qdisc_dup));

	dev_add_pack(&netreg_pt);
	dev_add_pack(&netreg_pt_all);

	pr_info("netreg: sock_register: %d\n", sock_register(&netreg_family));
	pr_info("netreg: sock_register again: %d\n", sock_register(&netreg_family));
	pr_info("netreg: proto_register: %d\n", proto_register(&netreg_proto, 1));

	pr_info("netreg: nf_register_net_hooks: %d\n", nf_register_net_hooks(&init_net, netreg_nf_ops, 2));

	atomic_notifier_chain_register(&netreg_atomic, &nb_a);
	atomic_notifier_chain_register(&netreg_atomic, &nb_b);
	atomic_notifier_chain_register(&netreg_atomic, &nb_c);
	pr_info("netreg: atomic chain: %d\n", atomic_notifier_call_chain(&netreg_atomic, 1, NULL));
	pr_info("netreg: atomic chain stop: %d\n", atomic_notifier_call_chain(&netreg_atomic, 2, NULL));
	blocking_notifier_chain_register(&netreg_blocking, &nb_c);
	blocking_notifier_chain_register(&netreg_blocking, &nb_a);
	pr_info("netreg: blocking unique prio: %d\n", blocking_notifier_chain_register_unique_prio(&netreg_blocking, &nb_d));
	pr_info("netreg: blocking chain: %d\n", blocking_notifier_call_chain(&netreg_blocking, 3, NULL));
	pr_info("netreg: blocking robust: %d\n", blocking_notifier_call_chain_robust(&netreg_blocking, 99, 98, NULL));
	raw_notifier_chain_register(&netreg_raw, &nb_b);
	pr_info("netreg: raw chain: %d\n", raw_notifier_call_chain(&netreg_raw, 4, NULL));
	pr_info("netreg: raw unregister missing: %d\n", raw_notifier_chain_unregister(&netreg_raw, &nb_a));
	pr_info("netreg: reboot notifier: %d\n", register_reboot_notifier(&netreg_reboot));
	pr_info("netreg: netdevice notifier: %d\n", register_netdevice_notifier(&netreg_netdev_nb));

	hp_state = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "netreg:online", hp_online, hp_offline);
	pr_info("netreg: cpuhp state %d\n", hp_state);
	pr_info("netreg: cpuhp bad state: %d\n", cpuhp_setup_state(CPUHP_ONLINE, "netreg:bad", hp_online, NULL));

	pr_info("netreg: rtnl locked %d\n", rtnl_is_locked());
	rtnl_lock();
	pr_info("netreg: rtnl locked %d\n", rtnl_is_locked());
	rtnl_unlock();

	if (netdev) {
		struct netreg_priv *priv;

		ndev = alloc_netdev(sizeof(struct netreg_priv), "netreg%d", NET_NAME_ENUM, netreg_setup);
		priv = netdev_priv(ndev);
		priv->magic = 0x1234;
		err = register_netdev(ndev);
		pr_info("netreg: register_netdev %s: %d ifindex %d flags %#x reg_state %d\n", ndev->name, err,
			ndev->ifindex, ndev->flags, ndev->reg_state);
	}
	return 0;
}

static void __exit netreg_exit(void)
{
	if (ndev) {
		unregister_netdev(ndev);
		pr_info("netreg: unregistered reg_state %d\n", ndev->reg_state);
		free_netdev(ndev);
	}
	cpuhp_remove_state(hp_state);
	unregister_netdevice_notifier(&netreg_netdev_nb);
	unregister_reboot_notifier(&netreg_reboot);
	atomic_notifier_chain_unregister(&netreg_atomic, &nb_a);
	atomic_notifier_chain_unregister(&netreg_atomic, &nb_b);
	atomic_notifier_chain_unregister(&netreg_atomic, &nb_c);
	nf_unregister_net_hooks(&init_net, netreg_nf_ops, 2);
	proto_unregister(&netreg_proto);
	sock_unregister(PF_ALG);
	dev_remove_pack(&netreg_pt_all);
	dev_remove_pack(&netreg_pt);
	unregister_qdisc(&netreg_qdisc);
	tcp_unregister_congestion_control(&netreg_cong);
	unregister_pernet_device(&netreg_dev_ops);
	unregister_pernet_subsys(&netreg_net_ops);
	pr_info("netreg: exit\n");
}

module_init(netreg_init);
module_exit(netreg_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodemu test: network registration and notifier chains");
