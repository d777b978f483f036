package dev.kmodemu.loader.kmod;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The index trie depmod writes and libkmod reads, and kmod's hash table order. */
class KmodIndexTest {
    static KmodIndex build(String[][] entries) throws IndexBuilder.BadCharacterException {
        IndexBuilder b = new IndexBuilder();
        for (String[] e : entries) {
            b.insert(e[0], e[1], Integer.parseInt(e[2]));
        }
        return KmodIndex.parse(b.write());
    }

    @Test
    void exactSearchReturnsTheLowestPriorityValueOfTheKey() throws Exception {
        KmodIndex idx = build(new String[][] {{"ask", "1", "5"}, {"ate", "2", "1"}, {"on", "3", "0"},
            {"once", "4", "0"}, {"one", "5", "0"}, {"ask", "6", "2"}});
        assertEquals("6", idx.search("ask"));
        assertEquals("2", idx.search("ate"));
        assertEquals("3", idx.search("on"));
        assertEquals("4", idx.search("once"));
        assertNull(idx.search("o"));
        assertNull(idx.search("onces"));
        assertNull(idx.search(""));
    }

    @Test
    void wildcardKeysArePatternsMatchedAgainstTheSearchKey() throws Exception {
        // The aliases and module indexes of a tree where real modprobe -R pci:v00008086d00001533
        // printed exact, igb, igb, generic, e1000e (igb has two matching aliases).
        KmodIndex idx = build(new String[][] {{"pci:v00008086d00001533", "exact", "0"},
            {"pci:v00008086d0000153?", "igb", "1"}, {"pci:v0000[0-8]086d*", "igb", "1"}, {"pci:v*d*", "generic", "2"},
            {"pci:v00008086d*", "e1000e", "3"}, {"usb:*", "usbcore", "4"}});
        List<String> got = new ArrayList<>();
        for (KmodIndex.Value v : idx.searchWild("pci:v00008086d00001533")) {
            got.add(v.value() + "/" + v.priority());
        }
        assertEquals(List.of("exact/0", "igb/1", "igb/1", "generic/2", "e1000e/3"), got);
        assertTrue(idx.searchWild("net:x").isEmpty());
    }

    @Test
    void dumpWalksKeysInTrieOrder() throws Exception {
        KmodIndex idx = build(new String[][] {{"b", "2", "0"}, {"a", "1", "0"}, {"ab", "3", "0"}});
        List<String> keys = new ArrayList<>();
        idx.forEach((k, v) -> keys.add(k + "=" + v.value()));
        assertEquals(List.of("a=1", "ab=3", "b=2"), keys);
    }

    @Test
    void anEmptyIndexIsTheTwelveByteHeaderPointingAtAnEmptyRoot() {
        byte[] b = new IndexBuilder().write();
        assertEquals(12, b.length);
        assertEquals(List.of((byte) 0xb0, (byte) 0x07, (byte) 0xf4, (byte) 0x57, (byte) 0, (byte) 2, (byte) 0,
                (byte) 1, (byte) 0, (byte) 0, (byte) 0, (byte) 12), toList(b));
        assertNull(KmodIndex.parse(b).search("x"));
    }

    @Test
    void nonAsciiKeysStopDepmod() {
        IndexBuilder b = new IndexBuilder();
        try {
            b.insert("caf\u00e9", "x", 0);
        } catch (IndexBuilder.BadCharacterException e) {
            assertTrue(e.getMessage().startsWith("Module index: bad character '\u00e9'=0xffffffe9 - only 7-bit ASCII"));
            return;
        }
        throw new AssertionError("no error");
    }

    @Test
    void garbageIsNoIndex() {
        assertNull(KmodIndex.parse(new byte[] {1, 2, 3}));
        assertNull(KmodIndex.parse(new byte[12]));
    }

    @Test
    void hashIteratesBucketsThenKeysInStrcmpOrder() {
        KmodHash<Integer> h = new KmodHash<>(4);
        List<String> keys = List.of("b", "a", "ab", "zz", "c", "symbol", "x1", "x2");
        for (int i = 0; i < keys.size(); i++) {
            h.add(keys.get(i), i);
        }
        h.add("a", 100);
        List<String> order = new ArrayList<>();
        h.forEach((k, v) -> order.add(k));
        assertEquals(8, h.count());
        assertEquals(100, h.find("a"));
        for (int i = 1; i < order.size(); i++) {
            int b0 = KmodHash.superFast(order.get(i - 1)) & 3;
            int b1 = KmodHash.superFast(order.get(i)) & 3;
            assertTrue(b0 < b1 || (b0 == b1 && order.get(i - 1).compareTo(order.get(i)) < 0), order.toString());
        }
        assertFalse(h.addUnique("b", 1));
        assertTrue(h.del("b"));
        assertNull(h.find("b"));
    }

    private static List<Byte> toList(byte[] b) {
        List<Byte> l = new ArrayList<>();
        for (byte x : b) {
            l.add(x);
        }
        return l;
    }
}
