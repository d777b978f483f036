package dev.kmodemu.kstubs.drivers.base;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;

/**
 * drivers/base/property.c: the unified device property API, as the kernel has it: a dispatch to
 * the {@code fwnode_operations} of the device's firmware node ({@code dev->fwnode}; Debian's
 * x86 kernel has no device tree), falling back to its secondary node, with the kernel's answers
 * for a device without a node (-EINVAL for reads, false, NULL). This machine has no ACPI or
 * device tree, so the only nodes are those modules make with operations of their own, which run
 * on the CPU.
 */
public final class Property {
    private Property() {
    }

    private static long field(KernelContext k, long p, String name) {
        return k.mem().read64(p + k.off(name));
    }

    private static boolean errOrNull(long p) {
        return p == 0 || Long.compareUnsigned(p, -4095L) >= 0;
    }

    /** {@code fwnode->ops->op}, or 0 if the node or the operation is missing ({@code fwnode_has_op()}). */
    private static long op(KernelContext k, long fwnode, String op) {
        if (errOrNull(fwnode)) {
            return 0;
        }
        long ops = field(k, fwnode, "fwnode_handle_ops");
        return ops == 0 ? 0 : field(k, ops, "fwnode_operations_" + op);
    }

    /** {@code fwnode_call_int_op()}. */
    private static int intOp(KernelContext k, long fwnode, String op, long... args) {
        long fn = op(k, fwnode, op);
        if (fn == 0) {
            return errOrNull(fwnode) ? -Errno.EINVAL : -Errno.ENXIO;
        }
        return (int) k.call(fn, prepend(fwnode, args));
    }

    /** {@code fwnode_call_bool_op()}. */
    private static boolean boolOp(KernelContext k, long fwnode, String op, long... args) {
        long fn = op(k, fwnode, op);
        return fn != 0 && (k.call(fn, prepend(fwnode, args)) & 0xff) != 0;
    }

    /** {@code fwnode_call_ptr_op()}. */
    private static long ptrOp(KernelContext k, long fwnode, String op, long... args) {
        long fn = op(k, fwnode, op);
        return fn == 0 ? 0 : k.call(fn, prepend(fwnode, args));
    }

    private static long[] prepend(long first, long[] rest) {
        long[] a = new long[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }

    private static long secondary(KernelContext k, long fwnode) {
        return field(k, fwnode, "fwnode_handle_secondary");
    }

    /** struct fwnode_handle *__dev_fwnode(struct device *dev): no CONFIG_OF, so dev->fwnode. */
    @KernelSymbol({"__dev_fwnode", "__dev_fwnode_const"})
    public static long devFwnode(KernelContext k, long dev) {
        return field(k, dev, "device_fwnode");
    }

    /**
     * int fwnode_graph_parse_endpoint(const struct fwnode_handle *fwnode,
     * struct fwnode_endpoint *endpoint): the endpoint cleared, then the node's own parser.
     */
    @KernelSymbol("fwnode_graph_parse_endpoint")
    static int fwnodeGraphParseEndpoint(KernelContext k, long fwnode, long endpoint) {
        k.mem().write(endpoint, new byte[k.off("fwnode_endpoint_sizeof")]);
        return intOp(k, fwnode, "graph_parse_endpoint", endpoint);
    }

    /** bool fwnode_property_present(const struct fwnode_handle *fwnode, const char *propname) */
    @KernelSymbol("fwnode_property_present")
    static boolean fwnodePropertyPresent(KernelContext k, long fwnode, long propname) {
        if (errOrNull(fwnode)) {
            return false;
        }
        return boolOp(k, fwnode, "property_present", propname)
                || boolOp(k, secondary(k, fwnode), "property_present", propname);
    }

    /** bool device_property_present(struct device *dev, const char *propname) */
    @KernelSymbol("device_property_present")
    static boolean devicePropertyPresent(KernelContext k, long dev, long propname) {
        return fwnodePropertyPresent(k, devFwnode(k, dev), propname);
    }

    /** {@code fwnode_property_read_int_array()}. */
    private static int readIntArray(KernelContext k, long fwnode, long propname, int elemSize, long val, long nval) {
        if (errOrNull(fwnode)) {
            return -Errno.EINVAL;
        }
        int ret = intOp(k, fwnode, "property_read_int_array", propname, elemSize, val, nval);
        if (ret != -Errno.EINVAL) {
            return ret;
        }
        return intOp(k, secondary(k, fwnode), "property_read_int_array", propname, elemSize, val, nval);
    }

    /** int fwnode_property_read_u8_array(const struct fwnode_handle *fwnode, const char *propname, u8 *val, size_t nval) */
    @KernelSymbol("fwnode_property_read_u8_array")
    static int fwnodeReadU8Array(KernelContext k, long fwnode, long propname, long val, long nval) {
        return readIntArray(k, fwnode, propname, 1, val, nval);
    }

    /** int fwnode_property_read_u16_array(const struct fwnode_handle *fwnode, const char *propname, u16 *val, size_t nval) */
    @KernelSymbol("fwnode_property_read_u16_array")
    static int fwnodeReadU16Array(KernelContext k, long fwnode, long propname, long val, long nval) {
        return readIntArray(k, fwnode, propname, 2, val, nval);
    }

    /** int fwnode_property_read_u32_array(const struct fwnode_handle *fwnode, const char *propname, u32 *val, size_t nval) */
    @KernelSymbol("fwnode_property_read_u32_array")
    static int fwnodeReadU32Array(KernelContext k, long fwnode, long propname, long val, long nval) {
        return readIntArray(k, fwnode, propname, 4, val, nval);
    }

    /** int fwnode_property_read_u64_array(const struct fwnode_handle *fwnode, const char *propname, u64 *val, size_t nval) */
    @KernelSymbol("fwnode_property_read_u64_array")
    static int fwnodeReadU64Array(KernelContext k, long fwnode, long propname, long val, long nval) {
        return readIntArray(k, fwnode, propname, 8, val, nval);
    }

    /** int device_property_read_u8_array(struct device *dev, const char *propname, u8 *val, size_t nval) */
    @KernelSymbol("device_property_read_u8_array")
    static int deviceReadU8Array(KernelContext k, long dev, long propname, long val, long nval) {
        return readIntArray(k, devFwnode(k, dev), propname, 1, val, nval);
    }

    /** int device_property_read_u16_array(struct device *dev, const char *propname, u16 *val, size_t nval) */
    @KernelSymbol("device_property_read_u16_array")
    static int deviceReadU16Array(KernelContext k, long dev, long propname, long val, long nval) {
        return readIntArray(k, devFwnode(k, dev), propname, 2, val, nval);
    }

    /** int device_property_read_u32_array(struct device *dev, const char *propname, u32 *val, size_t nval) */
    @KernelSymbol("device_property_read_u32_array")
    static int deviceReadU32Array(KernelContext k, long dev, long propname, long val, long nval) {
        return readIntArray(k, devFwnode(k, dev), propname, 4, val, nval);
    }

    /** int device_property_read_u64_array(struct device *dev, const char *propname, u64 *val, size_t nval) */
    @KernelSymbol("device_property_read_u64_array")
    static int deviceReadU64Array(KernelContext k, long dev, long propname, long val, long nval) {
        return readIntArray(k, devFwnode(k, dev), propname, 8, val, nval);
    }

    /**
     * int fwnode_property_read_string_array(const struct fwnode_handle *fwnode, const char *propname,
     * const char **val, size_t nval)
     */
    @KernelSymbol("fwnode_property_read_string_array")
    static int fwnodeReadStringArray(KernelContext k, long fwnode, long propname, long val, long nval) {
        if (errOrNull(fwnode)) {
            return -Errno.EINVAL;
        }
        int ret = intOp(k, fwnode, "property_read_string_array", propname, val, nval);
        if (ret != -Errno.EINVAL) {
            return ret;
        }
        return intOp(k, secondary(k, fwnode), "property_read_string_array", propname, val, nval);
    }

    /** int device_property_read_string_array(struct device *dev, const char *propname, const char **val, size_t nval) */
    @KernelSymbol("device_property_read_string_array")
    static int deviceReadStringArray(KernelContext k, long dev, long propname, long val, long nval) {
        return fwnodeReadStringArray(k, devFwnode(k, dev), propname, val, nval);
    }

    /** int fwnode_property_read_string(const struct fwnode_handle *fwnode, const char *propname, const char **val) */
    @KernelSymbol("fwnode_property_read_string")
    static int fwnodeReadString(KernelContext k, long fwnode, long propname, long val) {
        int ret = fwnodeReadStringArray(k, fwnode, propname, val, 1);
        return ret < 0 ? ret : 0;
    }

    /** int device_property_read_string(struct device *dev, const char *propname, const char **val) */
    @KernelSymbol("device_property_read_string")
    static int deviceReadString(KernelContext k, long dev, long propname, long val) {
        return fwnodeReadString(k, devFwnode(k, dev), propname, val);
    }

    /** int fwnode_property_match_string(const struct fwnode_handle *fwnode, const char *propname, const char *string) */
    @KernelSymbol("fwnode_property_match_string")
    static int fwnodeMatchString(KernelContext k, long fwnode, long propname, long string) {
        int nval = fwnodeReadStringArray(k, fwnode, propname, 0, 0);
        if (nval < 0) {
            return nval;
        }
        if (nval == 0) {
            return -k.off("ENODATA");
        }
        AddressSpace m = k.mem();
        long values = k.slab().kmalloc(8L * nval, 0x100 | 0xcc0);
        if (values == 0) {
            return -Errno.ENOMEM;
        }
        try {
            int ret = fwnodeReadStringArray(k, fwnode, propname, values, nval);
            if (ret < 0) {
                return ret;
            }
            String want = m.readCString(string, 4096);
            for (int i = 0; i < nval; i++) {
                long s = m.read64(values + 8L * i);
                if (s == 0) {
                    break;
                }
                if (m.readCString(s, 4096).equals(want)) {
                    return i;
                }
            }
            return -k.off("ENODATA");
        } finally {
            k.slab().kfree(values);
        }
    }

    /** int device_property_match_string(struct device *dev, const char *propname, const char *string) */
    @KernelSymbol("device_property_match_string")
    static int deviceMatchString(KernelContext k, long dev, long propname, long string) {
        return fwnodeMatchString(k, devFwnode(k, dev), propname, string);
    }

    /**
     * int fwnode_property_get_reference_args(const struct fwnode_handle *fwnode, const char *prop,
     * const char *nargs_prop, unsigned int nargs, unsigned int index, struct fwnode_reference_args *args)
     */
    @KernelSymbol("fwnode_property_get_reference_args")
    static int fwnodeGetReferenceArgs(KernelContext k, long fwnode, long prop, long nargsProp, int nargs, int index,
            long args) {
        if (errOrNull(fwnode)) {
            return -Errno.ENOENT;
        }
        long[] a = {prop, nargsProp, nargs & 0xffffffffL, index & 0xffffffffL, args};
        int ret = intOp(k, fwnode, "get_reference_args", a);
        if (ret == 0 || errOrNull(secondary(k, fwnode))) {
            return ret;
        }
        return intOp(k, secondary(k, fwnode), "get_reference_args", a);
    }

    /** struct fwnode_handle *fwnode_find_reference(const struct fwnode_handle *fwnode, const char *name, unsigned int index) */
    @KernelSymbol("fwnode_find_reference")
    static long fwnodeFindReference(KernelContext k, long fwnode, long name, int index) {
        long args = k.slab().kmalloc(k.off("fwnode_reference_args_sizeof"), 0x100 | 0xcc0);
        try {
            int ret = fwnodeGetReferenceArgs(k, fwnode, name, 0, 0, index, args);
            return ret != 0 ? ret : k.mem().read64(args + k.off("fwnode_reference_args_fwnode"));
        } finally {
            k.slab().kfree(args);
        }
    }

    /** const char *fwnode_get_name(const struct fwnode_handle *fwnode) */
    @KernelSymbol("fwnode_get_name")
    static long fwnodeGetName(KernelContext k, long fwnode) {
        return ptrOp(k, fwnode, "get_name");
    }

    /** struct fwnode_handle *fwnode_get_parent(const struct fwnode_handle *fwnode) */
    @KernelSymbol("fwnode_get_parent")
    static long fwnodeGetParent(KernelContext k, long fwnode) {
        return ptrOp(k, fwnode, "get_parent");
    }

    /** struct fwnode_handle *fwnode_get_next_parent(struct fwnode_handle *fwnode) */
    @KernelSymbol("fwnode_get_next_parent")
    static long fwnodeGetNextParent(KernelContext k, long fwnode) {
        long parent = fwnodeGetParent(k, fwnode);
        fwnodeHandlePut(k, fwnode);
        return parent;
    }

    /** unsigned int fwnode_count_parents(const struct fwnode_handle *fwnode) */
    @KernelSymbol("fwnode_count_parents")
    static int fwnodeCountParents(KernelContext k, long fwnode) {
        int count = 0;
        for (long p = fwnodeGetParent(k, fwnode); p != 0; p = fwnodeGetNextParent(k, p)) {
            count++;
        }
        return count;
    }

    /** struct fwnode_handle *fwnode_get_nth_parent(struct fwnode_handle *fwnode, unsigned int depth) */
    @KernelSymbol("fwnode_get_nth_parent")
    static long fwnodeGetNthParent(KernelContext k, long fwnode, int depth) {
        if (depth == 0) {
            return fwnodeHandleGet(k, fwnode);
        }
        for (long p = fwnodeGetParent(k, fwnode); p != 0; p = fwnodeGetNextParent(k, p)) {
            if (--depth == 0) {
                return p;
            }
        }
        return 0;
    }

    /** struct fwnode_handle *fwnode_get_next_child_node(const struct fwnode_handle *fwnode, struct fwnode_handle *child) */
    @KernelSymbol("fwnode_get_next_child_node")
    static long fwnodeGetNextChildNode(KernelContext k, long fwnode, long child) {
        long childParent = 0;
        long parent = fwnode;
        if (child != 0) {
            childParent = fwnodeGetParent(k, child);
            parent = childParent;
        }
        try {
            if (errOrNull(parent)) {
                return 0;
            }
            long next = ptrOp(k, parent, "get_next_child_node", child);
            return next != 0 ? next : fwnodeGetNextChildNode(k, secondary(k, parent), 0);
        } finally {
            fwnodeHandlePut(k, childParent);
        }
    }

    /** struct fwnode_handle *fwnode_get_next_available_child_node(const struct fwnode_handle *fwnode, struct fwnode_handle *child) */
    @KernelSymbol("fwnode_get_next_available_child_node")
    static long fwnodeGetNextAvailableChildNode(KernelContext k, long fwnode, long child) {
        if (errOrNull(fwnode)) {
            return 0;
        }
        long next = child;
        do {
            next = fwnodeGetNextChildNode(k, fwnode, next);
            if (next == 0) {
                return 0;
            }
        } while (!fwnodeDeviceIsAvailable(k, next));
        return next;
    }

    /** struct fwnode_handle *device_get_next_child_node(const struct device *dev, struct fwnode_handle *child) */
    @KernelSymbol("device_get_next_child_node")
    static long deviceGetNextChildNode(KernelContext k, long dev, long child) {
        return fwnodeGetNextChildNode(k, devFwnode(k, dev), child);
    }

    /** struct fwnode_handle *fwnode_get_named_child_node(const struct fwnode_handle *fwnode, const char *childname) */
    @KernelSymbol("fwnode_get_named_child_node")
    static long fwnodeGetNamedChildNode(KernelContext k, long fwnode, long childname) {
        return ptrOp(k, fwnode, "get_named_child_node", childname);
    }

    /** struct fwnode_handle *device_get_named_child_node(const struct device *dev, const char *childname) */
    @KernelSymbol("device_get_named_child_node")
    static long deviceGetNamedChildNode(KernelContext k, long dev, long childname) {
        return fwnodeGetNamedChildNode(k, devFwnode(k, dev), childname);
    }

    /** struct fwnode_handle *fwnode_handle_get(struct fwnode_handle *fwnode) */
    @KernelSymbol("fwnode_handle_get")
    static long fwnodeHandleGet(KernelContext k, long fwnode) {
        long get = op(k, fwnode, "get");
        return get == 0 ? fwnode : k.call(get, fwnode);
    }

    /** void fwnode_handle_put(struct fwnode_handle *fwnode) */
    @KernelSymbol("fwnode_handle_put")
    public static void fwnodeHandlePut(KernelContext k, long fwnode) {
        long put = op(k, fwnode, "put");
        if (put != 0) {
            k.call(put, fwnode);
        }
    }

    /** bool fwnode_device_is_available(const struct fwnode_handle *fwnode) */
    @KernelSymbol("fwnode_device_is_available")
    static boolean fwnodeDeviceIsAvailable(KernelContext k, long fwnode) {
        if (errOrNull(fwnode)) {
            return false;
        }
        return op(k, fwnode, "device_is_available") == 0 || boolOp(k, fwnode, "device_is_available");
    }

    /** unsigned int device_get_child_node_count(const struct device *dev) */
    @KernelSymbol("device_get_child_node_count")
    static int deviceGetChildNodeCount(KernelContext k, long dev) {
        int count = 0;
        for (long c = deviceGetNextChildNode(k, dev, 0); c != 0; c = deviceGetNextChildNode(k, dev, c)) {
            count++;
        }
        return count;
    }

    /** bool device_dma_supported(struct device *dev) */
    @KernelSymbol("device_dma_supported")
    static boolean deviceDmaSupported(KernelContext k, long dev) {
        return boolOp(k, devFwnode(k, dev), "device_dma_supported");
    }

    /** enum dev_dma_attr device_get_dma_attr(struct device *dev) */
    @KernelSymbol("device_get_dma_attr")
    static int deviceGetDmaAttr(KernelContext k, long dev) {
        long fwnode = devFwnode(k, dev);
        if (op(k, fwnode, "device_get_dma_attr") == 0) {
            return k.off("DEV_DMA_NOT_SUPPORTED");
        }
        return intOp(k, fwnode, "device_get_dma_attr");
    }

    /** const void *device_get_match_data(const struct device *dev) */
    @KernelSymbol("device_get_match_data")
    static long deviceGetMatchData(KernelContext k, long dev) {
        return ptrOp(k, devFwnode(k, dev), "device_get_match_data", dev);
    }

    /** int fwnode_irq_get(const struct fwnode_handle *fwnode, unsigned int index) */
    @KernelSymbol("fwnode_irq_get")
    static int fwnodeIrqGet(KernelContext k, long fwnode, int index) {
        int ret = intOp(k, fwnode, "irq_get", index & 0xffffffffL);
        return ret == 0 ? -Errno.EINVAL : ret;
    }

    /** int fwnode_irq_get_byname(const struct fwnode_handle *fwnode, const char *name) */
    @KernelSymbol("fwnode_irq_get_byname")
    static int fwnodeIrqGetByname(KernelContext k, long fwnode, long name) {
        if (name == 0) {
            return -Errno.EINVAL;
        }
        long prop = k.slab().kmalloc(16, 0xcc0);
        try {
            k.mem().write(prop, "interrupt-names\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            int index = fwnodeMatchString(k, fwnode, prop, name);
            return index < 0 ? index : fwnodeIrqGet(k, fwnode, index);
        } finally {
            k.slab().kfree(prop);
        }
    }

    /** void __iomem *fwnode_iomap(struct fwnode_handle *fwnode, int index) */
    @KernelSymbol("fwnode_iomap")
    static long fwnodeIomap(KernelContext k, long fwnode, int index) {
        return ptrOp(k, fwnode, "iomap", index);
    }

    /** void device_set_node(struct device *dev, struct fwnode_handle *fwnode) (drivers/base/core.c) */
    @KernelSymbol("device_set_node")
    static void deviceSetNode(KernelContext k, long dev, long fwnode) {
        k.mem().write64(dev + k.off("device_fwnode"), fwnode);
        k.mem().write64(dev + k.off("device_of_node"), 0);
    }

    /** void set_primary_fwnode(struct device *dev, struct fwnode_handle *fwnode) (drivers/base/core.c) */
    @KernelSymbol("set_primary_fwnode")
    static void setPrimaryFwnode(KernelContext k, long dev, long fwnode) {
        AddressSpace m = k.mem();
        long parent = field(k, dev, "device_parent");
        long fn = field(k, dev, "device_fwnode");
        if (fwnode != 0) {
            if (primary(k, fn)) {
                fn = secondary(k, fn);
            }
            if (fn != 0) {
                if (secondary(k, fwnode) != 0) {
                    Oops.warn(k, "drivers/base/core.c:5225", "set_primary_fwnode", null);
                }
                m.write64(fwnode + k.off("fwnode_handle_secondary"), fn);
            }
            m.write64(dev + k.off("device_fwnode"), fwnode);
        } else {
            if (primary(k, fn)) {
                long sec = secondary(k, fn);
                m.write64(dev + k.off("device_fwnode"), sec);
                if (!(parent != 0 && fn == field(k, parent, "device_fwnode"))) {
                    m.write64(fn + k.off("fwnode_handle_secondary"), 0);
                }
            } else {
                m.write64(dev + k.off("device_fwnode"), 0);
            }
        }
    }

    /** void set_secondary_fwnode(struct device *dev, struct fwnode_handle *fwnode) (drivers/base/core.c) */
    @KernelSymbol("set_secondary_fwnode")
    static void setSecondaryFwnode(KernelContext k, long dev, long fwnode) {
        AddressSpace m = k.mem();
        if (fwnode != 0) {
            m.write64(fwnode + k.off("fwnode_handle_secondary"), -Errno.ENODEV);
        }
        long fn = field(k, dev, "device_fwnode");
        if (primary(k, fn)) {
            m.write64(fn + k.off("fwnode_handle_secondary"), fwnode);
        } else {
            m.write64(dev + k.off("device_fwnode"), fwnode);
        }
    }

    /** {@code fwnode_is_primary()}: a node whose secondary is not an error pointer. */
    private static boolean primary(KernelContext k, long fwnode) {
        return fwnode != 0 && !(Long.compareUnsigned(secondary(k, fwnode), -4095L) >= 0);
    }
}
