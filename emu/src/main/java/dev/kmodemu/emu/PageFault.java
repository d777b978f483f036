package dev.kmodemu.emu;

/**
 * A guest virtual address that is not mapped, or not mapped for the access made: raised by
 * Java-side accesses through {@link AddressSpace}, and reported for guest code in {@link Stop}.
 */
public final class PageFault extends RuntimeException {
    private final long address;
    private final Access access;
    private final boolean present;

    public PageFault(long address, Access access, boolean present) {
        super(null, null, false, false);
        this.address = address;
        this.access = access;
        this.present = present;
    }

    /** The faulting virtual address (CR2). */
    public long address() {
        return address;
    }

    public Access access() {
        return access;
    }

    /** True for a protection violation on a mapped page, false for a page that is not mapped. */
    public boolean present() {
        return present;
    }

    @Override
    public String getMessage() {
        return (present ? "protection violation" : "page not present") + " on " + access.name().toLowerCase()
                + " at 0x" + Long.toHexString(address);
    }
}
