package dev.kmodemu.kstubs.drivers.base;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.mm.Gfp;

import java.util.ArrayList;
import java.util.List;

/**
 * drivers/base/swnode.c: software nodes, firmware nodes described by C structures
 * ({@code struct software_node}: name, parent, properties) instead of ACPI or device tree.
 * Registering one creates its kobject under {@code /sys/kernel/software_nodes} (a child under its
 * parent's) and a {@code struct fwnode_handle} whose {@code software_node_ops} answer the name,
 * name prefix and parent, and take and drop references (on the kobject); when the last reference
 * goes, the node is released.
 *
 * <p>{@code struct swnode} is private to swnode.c: here its guest memory is a {@code struct kobject}
 * followed by the {@code struct fwnode_handle} (what callers see), and the rest (the node it
 * describes, parent, id) is kept in Java. Properties are not provided: the
 * {@code property_read_*} operations are absent, so property lookups on software nodes fail as
 * for a node without them.
 */
public final class Swnode {
    private Swnode() {
    }

    /** One registered node: guest block (kobject, then fwnode), its software_node, parent, id. */
    private record Node(long block, long node, Node parent, int id) {
    }

    private static final class State {
        final List<Node> nodes = new ArrayList<>();
        long kset;
    }

    private static State state(KernelContext k) {
        return k.state(Swnode.class, State::new);
    }

    private static long fwnodeOff(KernelContext k) {
        return (k.off("kobject_sizeof") + 7) & ~7L;
    }

    private static long fwnode(KernelContext k, Node n) {
        return n.block() + fwnodeOff(k);
    }

    /** {@code software_node_ops}. */
    @KernelData(value = "software_node_ops", section = dev.kmodemu.firmware.Machine.Section.RO_AFTER_INIT,
            sizeOf = "fwnode_operations_sizeof")
    static void softwareNodeOps(KernelContext k, long at) {
        AddressSpace m = k.mem();
        m.write64(at + k.off("fwnode_operations_get"), k.sym("software_node_get"));
        m.write64(at + k.off("fwnode_operations_put"), k.sym("software_node_put"));
        m.write64(at + k.off("fwnode_operations_get_name"), k.sym("software_node_get_name"));
        m.write64(at + k.off("fwnode_operations_get_name_prefix"), k.sym("software_node_get_name_prefix"));
        m.write64(at + k.off("fwnode_operations_get_parent"), k.sym("software_node_get_parent"));
    }

    /** {@code software_node_to_swnode()}: the registered node describing {@code node}, or null. */
    private static Node ofSoftwareNode(KernelContext k, long node) {
        if (node == 0) {
            return null;
        }
        for (Node n : state(k).nodes) {
            if (n.node() == node) {
                return n;
            }
        }
        return null;
    }

    /** {@code to_swnode()}: the registered node whose fwnode is {@code fwnode}, or null. */
    private static Node ofFwnode(KernelContext k, long fwnode) {
        for (Node n : state(k).nodes) {
            if (fwnode(k, n) == fwnode) {
                return n;
            }
        }
        return null;
    }

    /** {@code bool is_software_node(const struct fwnode_handle *fwnode)} */
    @KernelSymbol("is_software_node")
    static boolean isSoftwareNode(KernelContext k, long fwnode) {
        return fwnode != 0 && Long.compareUnsigned(fwnode, -4095L) < 0
                && k.mem().read64(fwnode + k.off("fwnode_handle_ops")) == k.sym("software_node_ops");
    }

    /** {@code const struct software_node *to_software_node(const struct fwnode_handle *fwnode)} */
    @KernelSymbol("to_software_node")
    static long toSoftwareNode(KernelContext k, long fwnode) {
        Node n = isSoftwareNode(k, fwnode) ? ofFwnode(k, fwnode) : null;
        return n == null ? 0 : n.node();
    }

    /** {@code struct fwnode_handle *software_node_fwnode(const struct software_node *node)} */
    @KernelSymbol("software_node_fwnode")
    static long softwareNodeFwnode(KernelContext k, long node) {
        Node n = ofSoftwareNode(k, node);
        return n == null ? 0 : fwnode(k, n);
    }

    /**
     * {@code const struct software_node *software_node_find_by_name(const struct software_node
     * *parent, const char *name)}: takes a reference on the node found.
     */
    @KernelSymbol("software_node_find_by_name")
    static long findByName(KernelContext k, long parent, long name) {
        if (name == 0) {
            return 0;
        }
        String want = k.string(name, 4096);
        for (Node n : state(k).nodes) {
            long nm = k.mem().read64(n.node() + k.off("software_node_name"));
            if (k.mem().read64(n.node() + k.off("software_node_parent")) == parent && nm != 0
                    && k.string(nm, 4096).equals(want)) {
                dev.kmodemu.kstubs.lib.Kobject.get(k, n.block());
                return n.node();
            }
        }
        return 0;
    }

    /** {@code int software_node_register(const struct software_node *node)} */
    @KernelSymbol("software_node_register")
    static int register(KernelContext k, long node) {
        long parentNode = k.mem().read64(node + k.off("software_node_parent"));
        Node parent = ofSoftwareNode(k, parentNode);
        if (ofSoftwareNode(k, node) != null) {
            return -Errno.EEXIST;
        }
        if (parentNode != 0 && parent == null) {
            return -Errno.EINVAL;
        }
        return swnodeRegister(k, node, parent);
    }

    /** {@code swnode_register()}: the kobject (named after the node, else "node<id>") and the fwnode. */
    private static int swnodeRegister(KernelContext k, long node, Node parent) {
        State s = state(k);
        long block = k.slab().kmalloc(fwnodeOff(k) + k.off("fwnode_handle_sizeof"), Gfp.KERNEL | Gfp.ZERO);
        if (block == 0) {
            return -Errno.ENOMEM;
        }
        // ida_simple_get() of the parent's (or the roots') ids: the lowest free one
        int id = 0;
        while (true) {
            int want = id;
            if (s.nodes.stream().noneMatch(n -> n.parent() == parent && n.id() == want)) {
                break;
            }
            id++;
        }
        Node n = new Node(block, node, parent, id);
        // fwnode_init(): the ops, empty supplier and consumer lists
        long fw = fwnode(k, n);
        AddressSpace m = k.mem();
        m.write64(fw + k.off("fwnode_handle_ops"), k.sym("software_node_ops"));
        for (String list : new String[] {"fwnode_handle_suppliers", "fwnode_handle_consumers"}) {
            long head = fw + k.off(list);
            m.write64(head, head);
            m.write64(head + 8, head);
        }
        if (s.kset == 0) {
            // software_node_init(): kset_create_and_add("software_nodes", NULL, kernel_kobj)
            s.kset = dev.kmodemu.kstubs.lib.Kobject.ksetKobj(k, dev.kmodemu.kstubs.lib.Kobject.ksetCreateAndAdd(k,
                    "software_nodes", 0, k.mem().read64(k.sym("kernel_kobj"))));
        }
        long nm = m.read64(node + k.off("software_node_name"));
        String name = nm != 0 ? k.string(nm, 4096) : "node" + id;
        dev.kmodemu.kstubs.lib.Kobject.init(k, block, k.sym("dynamic_kobj_ktype"));
        int ret = dev.kmodemu.kstubs.lib.Kobject.add(k, block, parent != null ? parent.block() : s.kset, name);
        if (ret != 0) {
            dev.kmodemu.kstubs.lib.Kobject.del(k, block);
            k.slab().kfree(m.read64(block + k.off("kobject_name")));
            k.slab().kfree(block);
            return ret;
        }
        s.nodes.add(n);
        return 0;
    }

    /** {@code software_node_release()}: unlinked and freed with its last reference. */
    private static void release(KernelContext k, Node n) {
        state(k).nodes.remove(n);
        dev.kmodemu.kstubs.lib.Kobject.del(k, n.block());
        k.slab().kfree(k.mem().read64(n.block() + k.off("kobject_name")));
        k.slab().kfree(n.block());
    }

    /** {@code void software_node_unregister(const struct software_node *node)} */
    @KernelSymbol("software_node_unregister")
    static void unregister(KernelContext k, long node) {
        Node n = ofSoftwareNode(k, node);
        if (n != null) {
            softwareNodePut(k, fwnode(k, n));   // fwnode_remove_software_node(): kobject_put()
        }
    }

    /** {@code int software_node_register_nodes(const struct software_node *nodes)}: up to the one without a name. */
    @KernelSymbol("software_node_register_nodes")
    static int registerNodes(KernelContext k, long nodes) {
        int size = k.off("software_node_sizeof");
        for (long n = nodes; k.mem().read64(n + k.off("software_node_name")) != 0; n += size) {
            long parent = k.mem().read64(n + k.off("software_node_parent"));
            int ret = parent != 0 && ofSoftwareNode(k, parent) == null ? -Errno.EINVAL : register(k, n);
            if (ret != 0) {
                unregisterNodes(k, nodes);
                return ret;
            }
        }
        return 0;
    }

    /** {@code void software_node_unregister_nodes(const struct software_node *nodes)}: last first. */
    @KernelSymbol("software_node_unregister_nodes")
    static void unregisterNodes(KernelContext k, long nodes) {
        int size = k.off("software_node_sizeof");
        int i = 0;
        while (k.mem().read64(nodes + (long) i * size + k.off("software_node_name")) != 0) {
            i++;
        }
        while (i-- > 0) {
            unregister(k, nodes + (long) i * size);
        }
    }

    /** {@code int software_node_register_node_group(const struct software_node **node_group)} */
    @KernelSymbol("software_node_register_node_group")
    static int registerNodeGroup(KernelContext k, long group) {
        if (group == 0) {
            return 0;
        }
        for (long p = group; k.mem().read64(p) != 0; p += 8) {
            int ret = register(k, k.mem().read64(p));
            if (ret != 0) {
                unregisterNodeGroup(k, group);
                return ret;
            }
        }
        return 0;
    }

    /** {@code void software_node_unregister_node_group(const struct software_node **node_group)} */
    @KernelSymbol("software_node_unregister_node_group")
    static void unregisterNodeGroup(KernelContext k, long group) {
        if (group == 0) {
            return;
        }
        int i = 0;
        while (k.mem().read64(group + 8L * i) != 0) {
            i++;
        }
        while (i-- > 0) {
            unregister(k, k.mem().read64(group + 8L * i));
        }
    }

    // ---------------------------------------------------------------- software_node_ops

    /** {@code software_node_get()}: a reference on the kobject. */
    @KernelSymbol(value = "software_node_get", internal = true)
    static long softwareNodeGet(KernelContext k, long fwnode) {
        Node n = ofFwnode(k, fwnode);
        if (n != null) {
            dev.kmodemu.kstubs.lib.Kobject.get(k, n.block());
        }
        return fwnode;
    }

    /** {@code software_node_put()}: drops a reference; the last one releases the node. */
    @KernelSymbol(value = "software_node_put", internal = true)
    static void softwareNodePut(KernelContext k, long fwnode) {
        Node n = ofFwnode(k, fwnode);
        if (n == null) {
            return;
        }
        long at = n.block() + k.off("kobject_kref");
        int ref = k.mem().read32(at) - 1;
        k.mem().write32(at, ref);
        if (ref == 0) {
            release(k, n);
        }
    }

    /** {@code software_node_get_name()}: the kobject's name. */
    @KernelSymbol(value = "software_node_get_name", internal = true)
    static long softwareNodeGetName(KernelContext k, long fwnode) {
        Node n = ofFwnode(k, fwnode);
        return n == null ? 0 : k.mem().read64(n.block() + k.off("kobject_name"));
    }

    /**
     * {@code software_node_get_name_prefix()}: "" for a node without parent; else the prefix of
     * the first ancestor that is not a software node, "/" when there is none.
     */
    @KernelSymbol(value = "software_node_get_name_prefix", internal = true)
    static long softwareNodeGetNamePrefix(KernelContext k, long fwnode) {
        Node n = ofFwnode(k, fwnode);
        if (n == null || n.parent() == null) {
            return prefixString(k, "");
        }
        // every ancestor here is a software node: fwnode_get_name_prefix(NULL) is NULL
        return prefixString(k, "/");
    }

    /** The kernel's string literals "" and "/" (rodata), made once. */
    private static long prefixString(KernelContext k, String s) {
        record Literals(long empty, long slash) {
        }
        Literals l = k.state(Literals.class, () -> new Literals(k.kstrdup(""), k.kstrdup("/")));
        return s.isEmpty() ? l.empty() : l.slash();
    }

    /** {@code software_node_get_parent()}: the parent's fwnode with a reference, or NULL. */
    @KernelSymbol(value = "software_node_get_parent", internal = true)
    static long softwareNodeGetParent(KernelContext k, long fwnode) {
        Node n = ofFwnode(k, fwnode);
        if (n == null || n.parent() == null) {
            return 0;
        }
        return softwareNodeGet(k, fwnode(k, n.parent()));
    }
}
