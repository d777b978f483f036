package dev.kmodemu.emu;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

class PhysicalMemoryTest {
    /** Runs handed out never overlap a run still in use, however fragmented the free list gets. */
    @Test
    void fragmentedAllocationsNeverOverlap() {
        try (PhysicalMemory ram = new PhysicalMemory(64 << 20)) {
            Random rnd = new Random(5);
            TreeMap<Long, Long> live = new TreeMap<>();
            List<Long> order = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                if (!order.isEmpty() && rnd.nextInt(3) == 0) {
                    long p = order.remove(rnd.nextInt(order.size()));
                    ram.release(p, live.remove(p));
                    continue;
                }
                long len = PhysicalMemory.PAGE * (1 + rnd.nextInt(8));
                long p = ram.allocate(len);
                var below = live.floorEntry(p + len - 1);
                assertTrue(below == null || below.getKey() + below.getValue() <= p,
                        () -> "run 0x" + Long.toHexString(p) + " overlaps one in use at 0x" + Long.toHexString(below.getKey()));
                live.put(p, len);
                order.add(p);
            }
        }
    }
}
