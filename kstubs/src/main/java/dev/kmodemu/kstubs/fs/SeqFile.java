package dev.kmodemu.kstubs.fs;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.firmware.KernelFunctions;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.VaList;
import dev.kmodemu.kstubs.GuestVaList;
import dev.kmodemu.kstubs.lib.Hexdump;
import dev.kmodemu.kstubs.lib.StringHelpers;
import dev.kmodemu.kstubs.printk.Printk;

import java.nio.charset.StandardCharsets;

/**
 * fs/seq_file.c: {@code struct seq_file} lives in guest memory, so the module's iterator (start,
 * next, stop, show) and the kernel's helpers ({@code seq_printf}, ...) share it as in the
 * kernel; reading follows {@code seq_read_iter()} step by step, buffer doubling and re-entry at an
 * offset ({@code traverse()}) included.
 */
public final class SeqFile {
    private SeqFile() {
    }

    private static final long PAGE = 4096;

    /**
     * Offsets of struct seq_file and seq_operations fields, resolved once per kernel (in fields:
     * a read of a 1 MiB file looks them up some 200,000 times).
     */
    private static final class Offsets {
        final int buf;
        final int size;
        final int from;
        final int count;
        final int padUntil;
        final int index;
        final int readPos;
        final int op;
        final int start;
        final int stop;
        final int next;
        final int show;
        /** The kernel frames {@link #show} lays under a show call: one list per kind of read. */
        private long[] showSites;
        private long[] showSitesProc;

        Offsets(KernelContext k) {
            buf = k.off("seq_file_buf");
            size = k.off("seq_file_size");
            from = k.off("seq_file_from");
            count = k.off("seq_file_count");
            padUntil = k.off("seq_file_pad_until");
            index = k.off("seq_file_index");
            readPos = k.off("seq_file_read_pos");
            op = k.off("seq_file_op");
            start = k.off("seq_operations_start");
            stop = k.off("seq_operations_stop");
            next = k.off("seq_operations_next");
            show = k.off("seq_operations_show");
        }

        long[] showSites(KernelContext k, boolean proc) {
            if (showSites == null) {
                showSites = k.chain(KernelFunctions.GUEST, "seq_read_iter");
                showSitesProc = k.chain(KernelFunctions.GUEST, "seq_read_iter", "proc_reg_read_iter");
            }
            return proc ? showSitesProc : showSites;
        }

        int seq(String f) {
            return switch (f) {
                case "buf" -> buf;
                case "size" -> size;
                case "from" -> from;
                case "count" -> count;
                case "pad_until" -> padUntil;
                case "index" -> index;
                case "read_pos" -> readPos;
                case "op" -> op;
                default -> throw new IllegalArgumentException("struct seq_file has no field " + f);
            };
        }

        int ops(String f) {
            return switch (f) {
                case "start" -> start;
                case "stop" -> stop;
                case "next" -> next;
                case "show" -> show;
                default -> throw new IllegalArgumentException("struct seq_operations has no field " + f);
            };
        }
    }

    /** Field accessors of one struct seq_file. */
    private static final class M {
        final KernelContext k;
        final AddressSpace mem;
        final long m;
        final Offsets o;

        M(KernelContext k, long m) {
            this.k = k;
            this.mem = k.mem();
            this.m = m;
            this.o = k.state(Offsets.class, () -> new Offsets(k));
        }

        long get(String f) {
            return mem.read64(m + o.seq(f));
        }

        long count() {
            return mem.read64(m + o.count);
        }

        long size() {
            return mem.read64(m + o.size);
        }

        void set(String f, long v) {
            mem.write64(m + o.seq(f), v);
        }

        long op(String f) {
            return mem.read64(mem.read64(m + o.op) + o.ops(f));
        }

        boolean overflowed() {
            return count() == size();
        }
    }

    private static long seqBufAlloc(KernelContext k, long size) {
        if (size > k.profile().value("MAX_RW_COUNT")) {
            return 0;
        }
        long p = k.slab().kmalloc(size, 0);
        return p != 0 ? p : k.vmalloc().vmalloc(size);
    }

    private static void kvfree(KernelContext k, long p) {
        if (k.machine().vmallocArea().contains(p)) {
            k.vmalloc().vfree(p);
        } else {
            k.slab().kfree(p);
        }
    }

    private static boolean isErr(long p) {
        return Long.compareUnsigned(p, -4095L) >= 0;
    }

    // ---------------------------------------------------------------- open and release

    /** int seq_open(struct file *file, const struct seq_operations *op) */
    @KernelSymbol("seq_open")
    static int open(KernelContext k, long file, long op) {
        AddressSpace mem = k.mem();
        long p = k.slab().kmalloc(k.off("seq_file_sizeof"), 0x100 | 0xcc0);
        if (p == 0) {
            return -Errno.ENOMEM;
        }
        mem.write64(file + k.off("file_private_data"), p);
        mem.write64(p + k.off("seq_file_op"), op);
        mem.write64(p + k.off("seq_file_file"), file);
        int mode = mem.read32(file + k.off("file_f_mode"));
        mem.write32(file + k.off("file_f_mode"), mode & ~k.off("FMODE_PWRITE"));
        return 0;
    }

    /** int seq_release(struct inode *inode, struct file *file) */
    @KernelSymbol("seq_release")
    static int release(KernelContext k, long inode, long file) {
        long m = k.mem().read64(file + k.off("file_private_data"));
        long buf = k.mem().read64(m + k.off("seq_file_buf"));
        if (buf != 0) {
            kvfree(k, buf);
        }
        k.slab().kfree(m);
        return 0;
    }

    /** void *__seq_open_private(struct file *f, const struct seq_operations *ops, int psize) */
    @KernelSymbol("__seq_open_private")
    static long openPrivate(KernelContext k, long file, long ops, long psize) {
        long priv = k.slab().kmalloc((int) psize, 0x100 | 0xcc0);
        if (priv == 0) {
            return 0;
        }
        if (open(k, file, ops) < 0) {
            k.slab().kfree(priv);
            return 0;
        }
        long m = k.mem().read64(file + k.off("file_private_data"));
        k.mem().write64(m + k.off("seq_file_private"), priv);
        return priv;
    }

    /** int seq_open_private(struct file *filp, const struct seq_operations *ops, int psize) */
    @KernelSymbol("seq_open_private")
    static int seqOpenPrivate(KernelContext k, long file, long ops, int psize) {
        return openPrivate(k, file, ops, psize) == 0 ? -Errno.ENOMEM : 0;
    }

    /** int seq_release_private(struct inode *inode, struct file *file) */
    @KernelSymbol("seq_release_private")
    static int releasePrivate(KernelContext k, long inode, long file) {
        long m = k.mem().read64(file + k.off("file_private_data"));
        k.slab().kfree(k.mem().read64(m + k.off("seq_file_private")));
        k.mem().write64(m + k.off("seq_file_private"), 0);
        return release(k, inode, file);
    }

    /** static void *single_start(struct seq_file *p, loff_t *pos) */
    @KernelSymbol(value = "single_start", internal = true)
    static long singleStart(KernelContext k, long m, long pos) {
        return k.mem().read64(pos) == 0 ? 1 : 0;
    }

    /** static void *single_next(struct seq_file *p, void *v, loff_t *pos) */
    @KernelSymbol(value = "single_next", internal = true)
    static long singleNext(KernelContext k, long m, long v, long pos) {
        k.mem().write64(pos, k.mem().read64(pos) + 1);
        return 0;
    }

    /** static void single_stop(struct seq_file *p, void *v) */
    @KernelSymbol(value = "single_stop", internal = true)
    static void singleStop(KernelContext k, long m, long v) {
    }

    /** int single_open(struct file *file, int (*show)(struct seq_file *, void *), void *data) */
    @KernelSymbol("single_open")
    static int singleOpen(KernelContext k, long file, long show, long data) {
        AddressSpace mem = k.mem();
        long op = k.slab().kmalloc(k.off("seq_operations_sizeof"), 0xcc0);
        if (op == 0) {
            return -Errno.ENOMEM;
        }
        mem.write64(op + k.off("seq_operations_start"), k.sym("single_start"));
        mem.write64(op + k.off("seq_operations_next"), k.sym("single_next"));
        mem.write64(op + k.off("seq_operations_stop"), k.sym("single_stop"));
        mem.write64(op + k.off("seq_operations_show"), show);
        int res = open(k, file, op);
        if (res == 0) {
            long m = mem.read64(file + k.off("file_private_data"));
            mem.write64(m + k.off("seq_file_private"), data);
        } else {
            k.slab().kfree(op);
        }
        return res;
    }

    /** int single_open_size(struct file *file, int (*show)(struct seq_file *, void *), void *data, size_t size) */
    @KernelSymbol("single_open_size")
    static int singleOpenSize(KernelContext k, long file, long show, long data, long size) {
        long buf = seqBufAlloc(k, size);
        if (buf == 0) {
            return -Errno.ENOMEM;
        }
        int ret = singleOpen(k, file, show, data);
        if (ret != 0) {
            kvfree(k, buf);
            return ret;
        }
        long m = k.mem().read64(file + k.off("file_private_data"));
        k.mem().write64(m + k.off("seq_file_buf"), buf);
        k.mem().write64(m + k.off("seq_file_size"), size);
        return 0;
    }

    /** int single_release(struct inode *inode, struct file *file) */
    @KernelSymbol("single_release")
    static int singleRelease(KernelContext k, long inode, long file) {
        long m = k.mem().read64(file + k.off("file_private_data"));
        long op = k.mem().read64(m + k.off("seq_file_op"));
        int res = release(k, inode, file);
        k.slab().kfree(op);
        return res;
    }

    // ---------------------------------------------------------------- reading

    /** {@code traverse()}: re-runs the iterator up to {@code offset}. */
    private static long traverse(M m, long offset) {
        KernelContext k = m.k;
        long pos = 0;
        long error = 0;
        m.set("index", 0);
        m.set("count", 0);
        m.set("from", 0);
        if (offset == 0) {
            return 0;
        }
        if (m.get("buf") == 0) {
            m.set("size", PAGE);
            long b = seqBufAlloc(k, PAGE);
            m.set("buf", b);
            if (b == 0) {
                return -Errno.ENOMEM;
            }
        }
        long indexPtr = m.m + k.off("seq_file_index");
        long p = k.call(m.op("start"), m.m, indexPtr);
        while (p != 0) {
            error = p;
            if (isErr(p)) {
                break;
            }
            error = (int) k.call(m.op("show"), m.m, p);
            if (error < 0) {
                break;
            }
            if (error != 0) {
                error = 0;
                m.set("count", 0);
            }
            if (m.overflowed()) {
                k.call(m.op("stop"), m.m, p);
                kvfree(k, m.get("buf"));
                m.set("count", 0);
                long size = m.get("size") << 1;
                m.set("size", size);
                long b = seqBufAlloc(k, size);
                m.set("buf", b);
                return b == 0 ? -Errno.ENOMEM : -Errno.EAGAIN;
            }
            p = k.call(m.op("next"), m.m, p, indexPtr);
            long count = m.get("count");
            if (pos + count > offset) {
                m.set("from", offset - pos);
                m.set("count", count - (offset - pos));
                break;
            }
            pos += count;
            m.set("count", 0);
            if (pos == offset) {
                break;
            }
        }
        k.call(m.op("stop"), m.m, p);
        return isErr(error) || error < 0 ? error : 0;
    }

    /**
     * {@code m->op->show()} as {@code seq_read_iter()} calls it: a trace from the show function
     * lists {@code seq_read_iter} (and {@code proc_reg_read_iter} for a proc file read through
     * {@code proc_reg_read}), as on the real kernel.
     */
    private static long show(KernelContext k, M m, long p) {
        var f = k.frame();
        long[] sites = m.o.showSites(k, f != null && f.symbol().equals("proc_reg_read"));
        return k.callFrom(sites, m.op("show"), m.m, p);
    }

    /** {@code copy_to_iter()} into a user buffer: copies what it can, returns the count. */
    private static long copyToUser(KernelContext k, long ubuf, long src, long n) {
        if (n <= 0) {
            return 0;
        }
        return n - dev.kmodemu.kstubs.lib.Usercopy.copyToUser(k, ubuf, src, n);
    }

    /**
     * {@code seq_read_iter()} for a read of {@code count} bytes into user buffer {@code ubuf} at
     * {@code *ppos}; updates {@code *ppos}.
     */
    static long readToUser(KernelContext k, long file, long ubuf, long count, long ppos) {
        AddressSpace mem = k.mem();
        M m = new M(k, mem.read64(file + k.off("file_private_data")));
        long kiPos = mem.read64(ppos);
        long copied = 0;
        long err = 0;
        long iterLeft = count;
        if (count == 0) {
            return 0;
        }
        long indexPtr = m.m + k.off("seq_file_index");
        done:
        {
            if (kiPos == 0) {
                m.set("index", 0);
                m.set("count", 0);
            }
            if (kiPos != m.get("read_pos")) {
                while ((err = traverse(m, kiPos)) == -Errno.EAGAIN) {
                    // retry with the bigger buffer
                }
                if (err != 0) {
                    m.set("read_pos", 0);
                    m.set("index", 0);
                    m.set("count", 0);
                    break done;
                }
                m.set("read_pos", kiPos);
            }
            if (m.get("buf") == 0) {
                m.set("size", PAGE);
                long b = seqBufAlloc(k, PAGE);
                m.set("buf", b);
                if (b == 0) {
                    err = -Errno.ENOMEM;
                    break done;
                }
            }
            if (m.get("count") != 0) {
                long n = copyToUser(k, ubuf, m.get("buf") + m.get("from"), Math.min(m.get("count"), iterLeft));
                iterLeft -= n;
                m.set("count", m.get("count") - n);
                m.set("from", m.get("from") + n);
                copied += n;
                if (m.get("count") != 0) {
                    break done;
                }
            }
            m.set("from", 0);
            long p = k.call(m.op("start"), m.m, indexPtr);
            boolean fill = false;
            while (true) {
                err = p;
                if (p == 0 || isErr(p)) {
                    break;
                }
                err = (int) show(k, m, p);
                if (err < 0) {
                    break;
                }
                if (err != 0) {
                    m.set("count", 0);
                }
                if (m.get("count") == 0) {
                    p = k.call(m.op("next"), m.m, p, indexPtr);
                    continue;
                }
                if (!m.overflowed()) {
                    fill = true;
                    break;
                }
                k.call(m.op("stop"), m.m, p);
                kvfree(k, m.get("buf"));
                m.set("count", 0);
                long size = m.get("size") << 1;
                m.set("size", size);
                long b = seqBufAlloc(k, size);
                m.set("buf", b);
                if (b == 0) {
                    err = -Errno.ENOMEM;
                    break done;
                }
                p = k.call(m.op("start"), m.m, indexPtr);
            }
            if (!fill) {
                k.call(m.op("stop"), m.m, p);
                m.set("count", 0);
                break done;
            }
            while (true) {
                long offs = m.get("count");
                long pos = m.get("index");
                p = k.call(m.op("next"), m.m, p, indexPtr);
                if (pos == m.get("index")) {
                    k.printk(6, "buggy .next function " + k.machine().kallsyms().symbolize(m.op("next"), false)
                            + " did not update position index");
                    m.set("index", m.get("index") + 1);
                }
                if (p == 0 || isErr(p)) {
                    break;
                }
                if (Long.compareUnsigned(m.get("count"), iterLeft) >= 0) {
                    break;
                }
                err = (int) show(k, m, p);
                if (err > 0) {
                    m.set("count", offs);
                } else if (err != 0 || m.overflowed()) {
                    m.set("count", offs);
                    break;
                }
            }
            k.call(m.op("stop"), m.m, p);
            long n = copyToUser(k, ubuf + copied, m.get("buf"), Math.min(m.get("count"), iterLeft));
            copied += n;
            m.set("count", m.get("count") - n);
            m.set("from", n);
        }
        if (copied == 0) {
            return m.get("count") != 0 ? -Errno.EFAULT : err;
        }
        mem.write64(ppos, kiPos + copied);
        m.set("read_pos", m.get("read_pos") + copied);
        return copied;
    }

    /** ssize_t seq_read(struct file *file, char __user *buf, size_t size, loff_t *ppos) */
    @KernelSymbol("seq_read")
    static long seqRead(KernelContext k, long file, long buf, long size, long ppos) {
        return readToUser(k, file, buf, size, ppos);
    }

    /** ssize_t seq_read_iter(struct kiocb *iocb, struct iov_iter *iter) */
    @KernelSymbol("seq_read_iter")
    static long seqReadIter(KernelContext k, long iocb, long iter) {
        // The kernel's VFS paths call this directly from Java (proc_reg_read); a module calling
        // it itself with its own kiocb and iov_iter is not supported yet.
        throw new UnsupportedOperationException("seq_read_iter() called by module code with its own iov_iter");
    }

    /** loff_t seq_lseek(struct file *file, loff_t offset, int whence) */
    @KernelSymbol("seq_lseek")
    static long seqLseek(KernelContext k, long file, long offset, int whence) {
        AddressSpace mem = k.mem();
        M m = new M(k, mem.read64(file + k.off("file_private_data")));
        long fpos = file + k.off("file_f_pos");
        long retval = -Errno.EINVAL;
        switch (whence) {
            case OpenFile.SEEK_CUR, OpenFile.SEEK_SET -> {
                if (whence == OpenFile.SEEK_CUR) {
                    offset += mem.read64(fpos);
                }
                if (offset < 0) {
                    break;
                }
                retval = offset;
                if (offset != m.get("read_pos")) {
                    while ((retval = traverse(m, offset)) == -Errno.EAGAIN) {
                        // retry with the bigger buffer
                    }
                    if (retval != 0) {
                        mem.write64(fpos, 0);
                        m.set("read_pos", 0);
                        m.set("index", 0);
                        m.set("count", 0);
                    } else {
                        m.set("read_pos", offset);
                        mem.write64(fpos, offset);
                        retval = offset;
                    }
                } else {
                    mem.write64(fpos, offset);
                }
            }
            default -> {
            }
        }
        return retval;
    }

    // ---------------------------------------------------------------- output

    private static void setOverflow(M m) {
        m.set("count", m.get("size"));
    }

    /** Appends {@code b} if it fits strictly ({@code count + len < size}), else overflows. */
    private static void append(M m, byte[] b) {
        long count = m.get("count");
        if (count + b.length >= m.get("size")) {
            setOverflow(m);
            return;
        }
        m.mem.write(m.get("buf") + count, b);
        m.set("count", count + b.length);
    }

    /** {@code seq_puts()} of text made by a Java-implemented show function. */
    public static void puts(KernelContext k, long seq, String text) {
        append(new M(k, seq), text.getBytes(StandardCharsets.UTF_8));
    }

    /** void seq_vprintf(struct seq_file *m, const char *f, va_list args) */
    @KernelSymbol("seq_vprintf")
    static void seqVprintf(KernelContext k, long seq, long f, long args) {
        printf(k, seq, f, new GuestVaList(k.mem(), args));
    }

    /** void seq_printf(struct seq_file *m, const char *f, ...) */
    @KernelSymbol("seq_printf")
    static void seqPrintf(KernelContext k, long seq, long f, VaList args) {
        printf(k, seq, f, args);
    }

    private static void printf(KernelContext k, long seq, long f, VaList args) {
        M m = new M(k, seq);
        long count = m.count();
        long size = m.size();
        if (Long.compareUnsigned(count, size) < 0) {
            byte[] out = Printk.format(k, f, args);
            long room = size - count;
            // vsnprintf writes at most room - 1 bytes and a NUL.
            int n = (int) Math.min(out.length, room - 1);
            m.mem.write(m.get("buf") + count, out, 0, n);
            m.mem.write8(m.get("buf") + count + n, 0);
            if (count + out.length < size) {
                m.set("count", count + out.length);
                return;
            }
        }
        setOverflow(m);
    }

    /** void seq_puts(struct seq_file *m, const char *s) */
    @KernelSymbol("seq_puts")
    static void seqPuts(KernelContext k, long seq, long s) {
        append(new M(k, seq), k.mem().readCBytes(s, Integer.MAX_VALUE));
    }

    /** void seq_putc(struct seq_file *m, char c) */
    @KernelSymbol("seq_putc")
    static void seqPutc(KernelContext k, long seq, int c) {
        M m = new M(k, seq);
        long count = m.get("count");
        if (Long.compareUnsigned(count, m.get("size")) >= 0) {
            return;
        }
        m.mem.write8(m.get("buf") + count, c);
        m.set("count", count + 1);
    }

    /** int seq_write(struct seq_file *seq, const void *data, size_t len) */
    @KernelSymbol("seq_write")
    static int seqWrite(KernelContext k, long seq, long data, long len) {
        M m = new M(k, seq);
        long count = m.get("count");
        if (count + len < m.get("size")) {
            k.mem().copy(m.get("buf") + count, data, len);
            m.set("count", count + len);
            return 0;
        }
        setOverflow(m);
        return -1;
    }

    /** void seq_pad(struct seq_file *m, char c) */
    @KernelSymbol("seq_pad")
    static void seqPad(KernelContext k, long seq, int c) {
        M m = new M(k, seq);
        long size = m.get("pad_until") - m.get("count");
        if (size > 0) {
            if (size + m.get("count") > m.get("size")) {
                setOverflow(m);
                return;
            }
            k.mem().fill(m.get("buf") + m.get("count"), size, (byte) ' ');
            m.set("count", m.get("count") + size);
        }
        if ((c & 0xff) != 0) {
            seqPutc(k, seq, c);
        }
    }

    /** {@code seq_put_decimal_ull_width()} with the kernel's num_to_str(). */
    private static void putDecimal(KernelContext k, long seq, long delimiter, String digits, int width, int atLeast) {
        M m = new M(k, seq);
        if (m.get("count") + atLeast >= m.get("size")) {
            setOverflow(m);
            return;
        }
        if (delimiter != 0) {
            byte[] d = k.mem().readCBytes(delimiter, Integer.MAX_VALUE);
            if (d.length == 1) {
                seqPutc(k, seq, d[0]);
            } else if (d.length > 1) {
                seqPuts(k, seq, delimiter);
            }
        }
        String s = digits.length() < width ? " ".repeat(width - digits.length()) + digits : digits;
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        if (m.get("count") + Math.max(width, 1) >= m.get("size") || m.get("count") + b.length > m.get("size")) {
            setOverflow(m);
            return;
        }
        m.mem.write(m.get("buf") + m.get("count"), b);
        m.set("count", m.get("count") + b.length);
    }

    /** void seq_put_decimal_ull(struct seq_file *m, const char *delimiter, unsigned long long num) */
    @KernelSymbol("seq_put_decimal_ull")
    static void seqPutDecimalUll(KernelContext k, long seq, long delimiter, long num) {
        putDecimal(k, seq, delimiter, Long.toUnsignedString(num), 1, 2);
    }

    /** void seq_put_decimal_ll(struct seq_file *m, const char *delimiter, long long num) */
    @KernelSymbol("seq_put_decimal_ll")
    static void seqPutDecimalLl(KernelContext k, long seq, long delimiter, long num) {
        putDecimal(k, seq, delimiter, Long.toString(num), 1, 3);
    }

    /**
     * void seq_hex_dump(struct seq_file *m, const char *prefix_str, int prefix_type, int rowsize,
     * int groupsize, const void *buf, size_t len, bool ascii)
     */
    @KernelSymbol("seq_hex_dump")
    static void seqHexDump(KernelContext k, long seq, long prefixStr, int prefixType, int rowsize, int groupsize,
            long buf, long len, boolean ascii) {
        if (rowsize != 16 && rowsize != 32) {
            rowsize = 16;
        }
        M m = new M(k, seq);
        String prefix = k.mem().readCString(prefixStr, 4096);
        long remaining = len;
        for (long i = 0; i < len && !m.overflowed(); i += rowsize) {
            int linelen = (int) Math.min(remaining, rowsize);
            remaining -= rowsize;
            String head = switch (prefixType) {
                case 1 -> prefix + String.format("%016x", Printk.env(k).hashPointer(buf + i) & 0xffffffffL) + ": ";
                case 2 -> prefix + String.format("%08x", i) + ": ";
                default -> prefix;
            };
            append(m, head.getBytes(StandardCharsets.UTF_8));
            if (m.overflowed()) {
                break;
            }
            long size = m.get("size") - m.get("count");
            byte[] row = k.mem().read(buf + i, linelen);
            Hexdump.Line line = Hexdump.hexDumpToBuffer(row, linelen, rowsize, groupsize, size, ascii);
            if (line.ret() < size) {
                m.mem.write(m.get("buf") + m.get("count"), line.stored(), 0, line.ret());
                m.set("count", m.get("count") + line.ret());
            } else {
                setOverflow(m);
            }
            seqPutc(k, seq, '\n');
        }
    }

    /**
     * void seq_escape_mem(struct seq_file *m, const char *src, size_t len, unsigned int flags,
     * const char *esc)
     */
    @KernelSymbol("seq_escape_mem")
    static void seqEscapeMem(KernelContext k, long seq, long src, long len, int flags, long esc) {
        M m = new M(k, seq);
        byte[] in = k.mem().read(src, (int) len);
        byte[] only = esc == 0 ? null : k.mem().readCBytes(esc, 256);
        byte[] out = StringHelpers.escapeMem(in, flags, only);
        long size = Math.max(0, m.get("size") - m.get("count"));
        if (out.length < size) {
            m.mem.write(m.get("buf") + m.get("count"), out);
            m.set("count", m.get("count") + out.length);
        } else {
            setOverflow(m);
        }
    }

    // ---------------------------------------------------------------- list helpers

    /** struct list_head *seq_list_start(struct list_head *head, loff_t pos) */
    @KernelSymbol({"seq_list_start", "seq_list_start_rcu"})
    public static long seqListStart(KernelContext k, long head, long pos) {
        // list_for_each(lh, head) if (pos-- == 0) return lh; a negative pos walks the whole list.
        long next = k.off("list_head_next");
        long lh = k.mem().follow(k.mem().read64(head + next), next, pos, head);
        return lh == head ? 0 : lh;
    }

    /** struct list_head *seq_list_start_head(struct list_head *head, loff_t pos) */
    @KernelSymbol({"seq_list_start_head", "seq_list_start_head_rcu"})
    static long seqListStartHead(KernelContext k, long head, long pos) {
        return pos == 0 ? head : seqListStart(k, head, pos - 1);
    }

    /** struct list_head *seq_list_next(void *v, struct list_head *head, loff_t *ppos) */
    @KernelSymbol({"seq_list_next", "seq_list_next_rcu"})
    public static long seqListNext(KernelContext k, long v, long head, long ppos) {
        long lh = k.mem().read64(v + k.off("list_head_next"));
        k.mem().write64(ppos, k.mem().read64(ppos) + 1);
        return lh == head ? 0 : lh;
    }

    /** struct hlist_node *seq_hlist_start(struct hlist_head *head, loff_t pos) */
    @KernelSymbol({"seq_hlist_start", "seq_hlist_start_rcu"})
    static long seqHlistStart(KernelContext k, long head, long pos) {
        // hlist_for_each(node, head) if (pos-- == 0) return node;
        return k.mem().follow(k.mem().read64(head), 0, pos, 0);
    }

    /** struct hlist_node *seq_hlist_start_head(struct hlist_head *head, loff_t pos) */
    @KernelSymbol({"seq_hlist_start_head", "seq_hlist_start_head_rcu"})
    static long seqHlistStartHead(KernelContext k, long head, long pos) {
        return pos == 0 ? 1 : seqHlistStart(k, head, pos - 1);
    }

    /** struct hlist_node *seq_hlist_next(void *v, struct hlist_head *head, loff_t *ppos) */
    @KernelSymbol({"seq_hlist_next", "seq_hlist_next_rcu"})
    static long seqHlistNext(KernelContext k, long v, long head, long ppos) {
        k.mem().write64(ppos, k.mem().read64(ppos) + 1);
        return v == 1 ? k.mem().read64(head) : k.mem().read64(v);
    }
}
