package dev.kmodemu.emu;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AddressSpaceTest {
    private static final long BASE = 0xffff888000100000L;
    private PhysicalMemory ram;
    private AddressSpace as;

    @BeforeEach
    void setUp() {
        ram = new PhysicalMemory(16 << 20);
        as = new AddressSpace(ram);
    }

    @AfterEach
    void tearDown() {
        ram.close();
    }

    /**
     * A circular list of 3,000 nodes, 48 bytes apart across pages of separately mapped regions (as
     * slab pages are), its next pointer at offset 8: follow() ends where a read64 loop ends.
     */
    @Test
    void followWalksAListAcrossRegionsAsReadsDo() {
        int nodes = 3000;
        int perPage = 4096 / 48;
        for (int page = 0; page <= nodes / perPage; page++) {
            // every other page: a guard page between regions, as the allocator leaves
            as.map(BASE + 2L * page * 4096, 4096, AddressSpace.RW, "slab page " + page);
        }
        long head = BASE + 2L * (nodes / perPage + 1) * 4096;
        as.map(head, 4096, AddressSpace.RW, "head");
        long prev = head;
        for (int i = 0; i < nodes; i++) {
            long node = BASE + 2L * (i / perPage) * 4096 + 48L * (i % perPage);
            as.write64(prev + 8, node);
            prev = node;
        }
        as.write64(prev + 8, head);
        for (long pos : new long[] {0, 1, 84, 85, 2999, 3000, 5000, -1}) {
            long expect = as.read64(head + 8);
            for (long n = pos; n != 0 && expect != head; n--) {
                expect = as.read64(expect + 8);
            }
            assertEquals(expect, as.follow(as.read64(head + 8), 8, pos, head), "pos " + pos);
        }
        // A link into the guard page faults at that address, as read64 does.
        as.write64(BASE + 8, BASE + 4096);
        PageFault pf = assertThrows(PageFault.class, () -> as.follow(BASE, 8, 5, head));
        assertEquals(BASE + 4096 + 8, pf.address());
    }
}
