package dev.kmodemu.kstubs.drivers.tty;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;

/**
 * drivers/tty/tty_port.c and the buffer set-up of tty_buffer.c: {@code tty_port_init()} leaves the
 * port as the kernel does (zeroed; its flip buffer head at the sentinel with the 640 KiB limit and
 * its {@code flush_to_ldisc} work item; wait queues, mutexes, close delays for HZ, the default
 * client operations, one reference), {@code tty_port_link_device()}, {@code tty_port_destroy()}.
 * The open, close and hangup helpers run only inside an opened tty, which kmodemu does not provide
 * ({@link TtyIo}); reaching one is reported as unsupported.
 */
public final class TtyPort {
    private TtyPort() {
    }

    /** drivers/tty/tty_buffer.c's {@code TTYB_DEFAULT_MEM_LIMIT}. */
    private static final long TTYB_DEFAULT_MEM_LIMIT = 640 * 1024;

    private static long f(KernelContext k, long port, String field) {
        return port + k.off("tty_port_" + field);
    }

    private static long buf(KernelContext k, long port, String field) {
        return f(k, port, "buf") + k.off("tty_bufhead_" + field);
    }

    /** {@code const struct tty_port_client_operations tty_port_default_client_ops}. */
    @KernelData(value = "tty_port_default_client_ops", section = Machine.Section.RODATA,
            sizeOf = "tty_port_client_operations_sizeof")
    static void defaultClientOps(KernelContext k, long at) {
        k.mem().poke(at, new byte[k.off("tty_port_client_operations_sizeof")]);
    }

    /** static void flush_to_ldisc(struct work_struct *work): no data ever arrives in a flip buffer */
    @KernelSymbol(value = "flush_to_ldisc", internal = true)
    static void flushToLdisc(KernelContext k, long work) {
    }

    /** {@code tty_buffer_reset(&buf->sentinel, 0)} and the head and tail at it. */
    private static void resetSentinel(KernelContext k, long port) {
        AddressSpace m = k.mem();
        long sentinel = buf(k, port, "sentinel");
        m.write(sentinel, new byte[k.off("tty_buffer_sizeof")]);
        m.write64(buf(k, port, "head"), sentinel);
        m.write64(buf(k, port, "tail"), sentinel);
    }

    private static void mutexInit(KernelContext k, long mutex) {
        k.call(k.sym("__mutex_init"), mutex, 0, 0);
    }

    /** void tty_port_init(struct tty_port *port) */
    @KernelSymbol("tty_port_init")
    static void init(KernelContext k, long port) {
        AddressSpace m = k.mem();
        m.write(port, new byte[k.off("tty_port_sizeof")]);
        // tty_buffer_init()
        mutexInit(k, buf(k, port, "lock"));
        resetSentinel(k, port);
        long work = buf(k, port, "work");
        m.write64(work + k.off("work_struct_data"), k.off("WORK_STRUCT_NO_POOL"));
        dev.kmodemu.kstubs.lib.Lists.init(k, work + k.off("work_struct_entry"));
        m.write64(work + k.off("work_struct_func"), k.sym("flush_to_ldisc"));
        m.write64(buf(k, port, "mem_limit"), TTYB_DEFAULT_MEM_LIMIT);
        k.call(k.sym("__init_waitqueue_head"), f(k, port, "open_wait"), 0, 0);
        k.call(k.sym("__init_waitqueue_head"), f(k, port, "delta_msr_wait"), 0, 0);
        mutexInit(k, f(k, port, "mutex"));
        mutexInit(k, f(k, port, "buf_mutex"));
        int hz = k.off("HZ");
        m.write32(f(k, port, "close_delay"), 50 * hz / 100);
        m.write32(f(k, port, "closing_wait"), 3000 * hz / 100);
        m.write64(f(k, port, "client_ops"), k.sym("tty_port_default_client_ops"));
        m.write32(f(k, port, "kref"), 1);
    }

    /** void tty_port_link_device(struct tty_port *port, struct tty_driver *driver, unsigned index) */
    @KernelSymbol("tty_port_link_device")
    static void linkDevice(KernelContext k, long port, long driver, int index) {
        long at = TtyIo.portsAt(k, driver, index);
        if (at != 0) {
            k.mem().write64(at, port);
        }
    }

    /** void tty_port_destroy(struct tty_port *port): the buffer work cancelled, the flip buffers freed */
    @KernelSymbol("tty_port_destroy")
    static void destroy(KernelContext k, long port) {
        AddressSpace m = k.mem();
        k.call(k.sym("cancel_work_sync"), buf(k, port, "work"));
        // tty_buffer_free_all(): no buffer was ever allocated past the sentinel
        long freed = 0;
        for (long p = m.read64(buf(k, port, "head")); p != 0;) {
            long next = m.read64(p + k.off("tty_buffer_next"));
            long size = m.read32(p + k.off("tty_buffer_size"));
            freed += size;
            if (size > 0) {
                k.slab().kfree(p);
            }
            p = next;
        }
        resetSentinel(k, port);
        int used = m.read32(buf(k, port, "mem_used"));
        m.write32(buf(k, port, "mem_used"), 0);
        if (used != freed) {
            Oops.warn(k, "drivers/tty/tty_buffer.c:125", "tty_buffer_free_all",
                    "we still have not freed " + (used - freed) + " bytes!");
        }
    }

    /** int tty_port_open(struct tty_port *port, struct tty_struct *tty, struct file *filp) */
    @KernelSymbol("tty_port_open")
    static int open(KernelContext k, long port, long tty, long filp) {
        throw new UnsupportedOperationException("tty_port_open: kmodemu opens no ttys");
    }

    /** void tty_port_close(struct tty_port *port, struct tty_struct *tty, struct file *filp) */
    @KernelSymbol("tty_port_close")
    static void close(KernelContext k, long port, long tty, long filp) {
        throw new UnsupportedOperationException("tty_port_close: kmodemu opens no ttys");
    }

    /** void tty_port_hangup(struct tty_port *port) */
    @KernelSymbol("tty_port_hangup")
    static void hangup(KernelContext k, long port) {
        throw new UnsupportedOperationException("tty_port_hangup: kmodemu opens no ttys");
    }
}
