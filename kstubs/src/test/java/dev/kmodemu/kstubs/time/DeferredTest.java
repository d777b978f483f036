package dev.kmodemu.kstubs.time;

import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Virtual time with the deferred test module: what runs when time passes between commands, and
 * the timer wheel's rounding as the kernel's calc_wheel_index() does it.
 */
class DeferredTest {
    Kernel k;

    @BeforeEach
    void boot() {
        k = Kernel.boot();
    }

    @AfterEach
    void close() {
        k.close();
    }

    List<String> lines() {
        return k.log().stream().map(r -> r.message()).toList();
    }

    @Test
    void timersLeftArmedFireWhenTheirTimeComes() {
        k.insmod("deferred.ko", TestMods.ko("deferred"), "");
        k.clearLog();
        k.advance(Duration.ofSeconds(3599));
        assertEquals(List.of(), lines(), "an hour has not passed yet");
        // An hour is 900,000 jiffies away: wheel level 5, buckets of 32,768 jiffies (131 s).
        k.advance(Duration.ofSeconds(132));
        assertEquals(List.of("deferred: the idle timer fired", "deferred: the idle delayed work ran"), lines());
        k.clearLog();
        k.rmmod("deferred");
        assertEquals(List.of("deferred: exit: idle timer was pending: 0, idle work was pending: 0",
                "deferred: exit: cancel finished work: 0, flush idle work: 0"), lines());
    }

    @Test
    void sleepingInInitMovesVirtualTimeOnly() {
        long t0 = System.nanoTime();
        k.insmod("deferred.ko", TestMods.ko("deferred"), "");
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "no wall-clock sleeping");
        long ms = k.log().get(k.log().size() - 1).timeNanos() / 1_000_000;
        // msleep(20): 5+1 jiffies of 4 ms, one more for the wheel's rounding; the timer thrice
        // 20 ms (6 jiffies each); the delayed work 40 ms (10+1 jiffies); the hrtimer 3 + 2 ms.
        assertEquals(149, ms);
    }

    @Test
    void wheelBucketsRoundUpWithTheLevelsGranularity() {
        long clk = 4_294_937_296L;
        assertEquals(clk + 11, Timers.bucketExpiry(clk + 10, clk), "level 0: one jiffy late");
        assertEquals(clk + 63 - ((clk + 63) % 8) + 8, Timers.bucketExpiry(clk + 63, clk), "level 1: 8 jiffies");
        assertEquals(clk, Timers.bucketExpiry(clk - 5, clk), "already expired: now");
    }
}
