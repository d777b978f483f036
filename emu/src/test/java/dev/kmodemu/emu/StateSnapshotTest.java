package dev.kmodemu.emu;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The object-graph snapshot. */
class StateSnapshotTest {
    static final class Node {
        int count;
        long big;
        String name = "a";
        final List<Node> children = new ArrayList<>();
        final Map<String, Long> values = new HashMap<>();
        final TreeMap<Long, String> sorted = new TreeMap<>();
        final int[] array = new int[4];
        Node next;
        final StringBuilder text = new StringBuilder();
        final ArrayDeque<Long> queue = new ArrayDeque<>();
    }

    @Test
    void restoringTheGraphUndoesEveryChangeAndKeepsIdentities() {
        Node root = new Node();
        Node child = new Node();
        root.children.add(child);
        root.values.put("x", 1L);
        root.sorted.put(5L, "five");
        root.array[1] = 3;
        root.text.append("hello");
        root.queue.add(1L);
        root.next = child;
        String before = StateSnapshot.digest(Set.of(), root);
        StateSnapshot s = StateSnapshot.capture(Set.of(), root);
        for (int round = 0; round < 2; round++) {
            root.count = 7;
            root.big = -1;
            root.name = "b";
            root.children.add(new Node());
            child.count = 12;
            child.values.put("y", 2L);
            root.values.put("x", 5L);
            root.sorted.remove(5L);
            root.sorted.put(6L, "six");
            root.array[1] = 9;
            root.next = null;
            root.text.append(" world");
            root.queue.poll();
            assertNotEquals(before, StateSnapshot.digest(Set.of(), root));
            s.restore();
            assertEquals(before, StateSnapshot.digest(Set.of(), root));
            assertSame(child, root.next);
            assertSame(child, root.children.get(0));
        }
    }

    @Test
    void unknownJdkStateIsRefusedWithItsPath() {
        final class Holder {
            final java.util.Random random = new java.util.Random(1);
        }
        StateSnapshot.UnsupportedStateException e = assertThrows(StateSnapshot.UnsupportedStateException.class,
                () -> StateSnapshot.capture(Set.of(), new Holder()));
        assertTrue(e.getMessage().contains("java.util.Random at Holder.random"), e.getMessage());
    }
}
