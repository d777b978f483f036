package dev.kmodemu.kstubs.printk;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PointerHashTest {
    @Test
    void isSipHash24OfOneWord() {
        // SipHash-2-4 reference vector: key 00..0f, message 00..07 -> 62 24 93 9a 79 f5 f5 93.
        assertEquals(0x93f5f5799a932462L, PointerHash.hash(0x0706050403020100L));
    }
}
