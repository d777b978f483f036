package dev.kmodemu.emu;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guest RAM pool's run allocator. */
class PhysicalMemoryTest {
    @Test
    void runsHandedOutNeverOverlap() {
        try (PhysicalMemory ram = new PhysicalMemory(1024 * PhysicalMemory.PAGE)) {
            churn(ram);
        }
    }

    private static void churn(PhysicalMemory ram) {
        Random rnd = new Random(9);
        List<long[]> live = new ArrayList<>();
        long used = 0;
        // many free runs of mixed sizes, so that exact fits remove inner nodes of the free map
        for (int step = 0; step < 5000; step++) {
            if (live.isEmpty() || live.size() < 60 && rnd.nextInt(3) > 0) {
                long len = (1 + rnd.nextInt(4)) * PhysicalMemory.PAGE;
                long at = ram.allocate(len);
                for (long[] r : live) {
                    assertTrue(at + len <= r[0] || r[0] + r[1] <= at, "step " + step + ": 0x" + Long.toHexString(at)
                            + " overlaps the live run at 0x" + Long.toHexString(r[0]));
                }
                live.add(new long[] {at, len});
                used += len;
            } else {
                long[] r = live.remove(rnd.nextInt(live.size()));
                ram.release(r[0], r[1]);
                used -= r[1];
            }
            assertEquals(used, ram.used(), "step " + step);
        }
    }
}
