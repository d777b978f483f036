package dev.kmodemu.kstubs.drivers.base;

import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;

import java.util.ArrayList;
import java.util.List;

/**
 * drivers/base/component.c: components waiting to be bound into an aggregate device. A component
 * joins {@code component_list}; an aggregate driver would bind it once all its matches are present,
 * but none is registered here ({@code component_master_add_with_match()} is not provided), so a
 * component stays unbound until {@code component_del()} takes it out again.
 */
public final class Component {
    private record Entry(long dev, long ops, int subcomponent) {
    }

    private final List<Entry> components = new ArrayList<>();

    private Component() {
    }

    private static Component of(KernelContext k) {
        return k.state(Component.class, Component::new);
    }

    /** int component_add(struct device *dev, const struct component_ops *ops) */
    @KernelSymbol("component_add")
    static int componentAdd(KernelContext k, long dev, long ops) {
        of(k).components.add(new Entry(dev, ops, 0));
        return 0;
    }

    /** int component_add_typed(struct device *dev, const struct component_ops *ops, int subcomponent) */
    @KernelSymbol("component_add_typed")
    static int componentAddTyped(KernelContext k, long dev, long ops, int subcomponent) {
        if (subcomponent == 0) {
            Oops.warn(k, "drivers/base/component.c:765", "component_add_typed", null);
            return -Errno.EINVAL;
        }
        of(k).components.add(new Entry(dev, ops, subcomponent));
        return 0;
    }

    /** void component_del(struct device *dev, const struct component_ops *ops): WARN_ON if not added. */
    @KernelSymbol("component_del")
    static void componentDel(KernelContext k, long dev, long ops) {
        List<Entry> list = of(k).components;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).dev() == dev && list.get(i).ops() == ops) {
                list.remove(i);
                return;
            }
        }
        Oops.warn(k, "drivers/base/component.c:821", "component_del", null);
    }
}
