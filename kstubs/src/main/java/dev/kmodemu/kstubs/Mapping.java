package dev.kmodemu.kstubs;

import dev.kmodemu.emu.Access;
import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.mm.Mmap;

/**
 * A mapping of a file made with {@link KernelFile#mmap}: {@code length} bytes of the process's
 * memory at {@link #address()} that show the pages the file's {@code mmap} operation (or its
 * {@code vm_ops->fault}) put there, the same bytes the module sees. Reads and writes are the
 * process's own loads and stores: a page not mapped yet faults (the driver's fault handler runs),
 * a write to a private mapping copies the page, and an access the kernel refuses delivers a
 * signal, thrown as {@link KernelException} with {@link KernelException#signal()} 7 (SIGBUS:
 * "Bus error") or 11 (SIGSEGV: "Segmentation fault"); the mapping stays. {@link #unmap()} (or
 * {@link #close()}) is {@code munmap(2)}: the pages go, then the driver's {@code vm_ops->close},
 * then the mapping's reference to the file (a file closed before has its release then).
 */
public final class Mapping implements AutoCloseable {
    private final Kernel kernel;
    private final long address;
    private final long length;
    private boolean unmapped;

    Mapping(Kernel kernel, long address, long length) {
        this.kernel = kernel;
        this.address = address;
        this.length = length;
    }

    /** The user address of the first byte. */
    public long address() {
        return address;
    }

    /** The length asked for (the mapping covers it rounded up to pages). */
    public long length() {
        return length;
    }

    /** Pages of {@code [va, va+n)} made accessible for {@code access}, faulting as the CPU would. */
    private void touch(KernelContext k, long va, long n, Access access) {
        AddressSpace mem = k.mem();
        for (long p = va & -AddressSpace.PAGE; Long.compareUnsigned(p, va + n) < 0; p += AddressSpace.PAGE) {
            long at = Math.max(p, va);
            if (!mem.accessible(at, access)) {
                int sig = Mmap.userFault(k, at, access);
                if (sig != 0) {
                    throw Kernel.killed(sig);
                }
                if (!mem.accessible(at, access)) {
                    throw Kernel.killed(11);
                }
            }
        }
    }

    /** Reads {@code n} bytes at {@code offset} into the mapping (page by page, faulting pages in). */
    public byte[] read(long offset, int n) {
        return kernel.process("java", () -> {
            KernelContext k = kernel.context();
            long va = address + offset;
            byte[] out = new byte[n];
            int done = 0;
            while (done < n) {
                long at = va + done;
                int chunk = (int) Math.min(n - done, AddressSpace.PAGE - (at & (AddressSpace.PAGE - 1)));
                touch(k, at, chunk, Access.READ);
                System.arraycopy(k.mem().read(at, chunk), 0, out, done, chunk);
                done += chunk;
            }
            return out;
        });
    }

    /** Writes {@code data} at {@code offset} into the mapping. */
    public void write(long offset, byte[] data) {
        kernel.process("java", () -> {
            KernelContext k = kernel.context();
            long va = address + offset;
            int done = 0;
            while (done < data.length) {
                long at = va + done;
                int chunk = (int) Math.min(data.length - done, AddressSpace.PAGE - (at & (AddressSpace.PAGE - 1)));
                touch(k, at, chunk, Access.WRITE);
                k.mem().write(at, data, done, chunk);
                done += chunk;
            }
            return null;
        });
    }

    /** {@code munmap(2)} of the whole mapping; a second call does nothing. */
    public void unmap() {
        if (unmapped) {
            return;
        }
        unmapped = true;
        long r = kernel.process("java", () -> {
            KernelContext k = kernel.context();
            dev.kmodemu.kstubs.fs.Vfs.syscallOf(k, "NR_munmap", address, length);
            long ret = k.call(k.sym("__vm_munmap"), address, length, 1);
            k.tasks().current().runTaskWork();
            return ret;
        });
        if (r < 0) {
            throw new KernelException("munmap: " + Errno.text((int) -r), (int) -r, false);
        }
    }

    @Override
    public void close() {
        unmap();
    }
}
