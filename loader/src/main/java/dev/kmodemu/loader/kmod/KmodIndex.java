package dev.kmodemu.loader.kmod;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A {@code modules.*.bin} index as libkmod reads it ({@code libkmod/libkmod-index.c}, the
 * {@code index_mm_*} functions): exact search for {@code modules.dep.bin} and
 * {@code modules.builtin.bin}, wildcard search (index keys are fnmatch patterns) for the alias
 * indexes, and the dump {@code modprobe -c} prints. Lookups never fail on a damaged file; they find
 * nothing, as libkmod does.
 */
public final class KmodIndex {
    /** One value of a key: its priority (the module's line in modules.dep) and text. */
    public record Value(int priority, String value) {
    }

    private final byte[] data;
    private final int rootOffset;

    private KmodIndex(byte[] data, int rootOffset) {
        this.data = data;
        this.rootOffset = rootOffset;
    }

    /**
     * {@code index_mm_open()} on file contents.
     *
     * @return the index, or null if the magic or major version is wrong ({@code -EINVAL})
     */
    public static KmodIndex parse(byte[] data) {
        if (data.length < 12 || u32(data, 0) != IndexBuilder.MAGIC || (u32(data, 4) >>> 16) != 2) {
            return null;
        }
        return new KmodIndex(data, u32(data, 8));
    }

    /** Reads and parses a file; null if it is missing, unreadable or not an index. */
    public static KmodIndex open(Path file) {
        try {
            return parse(KmodStrings.readFile(file));
        } catch (ErrnoException e) {
            return null;
        }
    }

    private static int u32(byte[] b, int o) {
        return ((b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
    }

    /** A node read from the file ({@code index_mm_read_node()}). */
    private final class Node {
        String prefix = "";
        int first = IndexBuilder.CHILDMAX;
        int last;
        int childrenAt;
        int valueCount;
        int valuesAt;

        Node child(int ch) {
            if (ch < first || ch > last) {
                return null;
            }
            return read(u32(data, childrenAt + 4 * (ch - first)));
        }

        /** The values in file order. */
        List<Value> values() {
            List<Value> out = new ArrayList<>(valueCount);
            int p = valuesAt;
            for (int i = 0; i < valueCount && p + 4 <= data.length; i++) {
                int prio = u32(data, p);
                int end = p + 4;
                while (end < data.length && data[end] != 0) {
                    end++;
                }
                out.add(new Value(prio, KmodStrings.latin1(data, p + 4, end - p - 4)));
                p = end + 1;
            }
            return out;
        }
    }

    private Node read(int offset) {
        int off = offset & IndexBuilder.NODE_MASK;
        if (off == 0 || off >= data.length) {
            return null;
        }
        Node n = new Node();
        int p = off;
        if ((offset & IndexBuilder.NODE_PREFIX) != 0) {
            int end = p;
            while (end < data.length && data[end] != 0) {
                end++;
            }
            n.prefix = KmodStrings.latin1(data, p, end - p);
            p = end + 1;
        }
        if ((offset & IndexBuilder.NODE_CHILDS) != 0) {
            if (p + 2 > data.length) {
                return null;
            }
            n.first = data[p] & 0xff;
            n.last = data[p + 1] & 0xff;
            if (n.first > n.last || n.first >= IndexBuilder.CHILDMAX || n.last >= IndexBuilder.CHILDMAX) {
                return null;
            }
            n.childrenAt = p + 2;
            p = n.childrenAt + 4 * (n.last - n.first + 1);
            if (p > data.length) {
                return null;
            }
        }
        if ((offset & IndexBuilder.NODE_VALUES) != 0) {
            if (p + 4 > data.length) {
                return null;
            }
            n.valueCount = u32(data, p);
            n.valuesAt = p + 4;
        }
        return n;
    }

    /** {@code index_mm_search()}: the first value stored under exactly {@code key}, or null. */
    public String search(String key) {
        Node node = read(rootOffset);
        int i = 0;
        while (node != null) {
            String prefix = node.prefix;
            for (int j = 0; j < prefix.length(); j++) {
                if (i + j >= key.length() || prefix.charAt(j) != key.charAt(i + j)) {
                    return null;
                }
            }
            i += prefix.length();
            if (i == key.length()) {
                List<Value> v = node.valueCount > 0 ? node.values() : List.of();
                return v.isEmpty() ? null : v.get(0).value();
            }
            node = node.child(key.charAt(i));
            i++;
        }
        return null;
    }

    /** libkmod's {@code add_value()}: before the first value of equal or higher priority. */
    private static void addValue(List<Value> out, Value v) {
        int i = 0;
        while (i < out.size() && Integer.compareUnsigned(out.get(i).priority(), v.priority()) < 0) {
            i++;
        }
        out.add(i, v);
    }

    /**
     * {@code index_mm_searchwild()}: the values of every key that, read as an fnmatch pattern,
     * matches {@code key}, ordered by priority as libkmod orders them.
     */
    public List<Value> searchWild(String key) {
        List<Value> out = new ArrayList<>();
        searchWildNode(read(rootOffset), new StringBuilder(), key, out);
        return out;
    }

    private void searchWildNode(Node node, StringBuilder buf, String key, List<Value> out) {
        int k = 0;
        while (node != null) {
            String prefix = node.prefix;
            for (int j = 0; j < prefix.length(); j++) {
                char ch = prefix.charAt(j);
                if (ch == '*' || ch == '?' || ch == '[') {
                    searchWildAll(node, j, buf, key.substring(Math.min(k + j, key.length())), out);
                    return;
                }
                if (k + j >= key.length() || ch != key.charAt(k + j)) {
                    return;
                }
            }
            k += prefix.length();
            String rest = key.substring(k);
            for (char wild : new char[] {'*', '?', '['}) {
                Node child = node.child(wild);
                if (child != null) {
                    buf.append(wild);
                    searchWildAll(child, 0, buf, rest, out);
                    buf.setLength(buf.length() - 1);
                }
            }
            if (k == key.length()) {
                for (Value v : node.values()) {
                    addValue(out, v);
                }
                return;
            }
            node = node.child(key.charAt(k));
            k++;
        }
    }

    /** Level 3: every key below {@code node} is a pattern tried against {@code subkey}. */
    private void searchWildAll(Node node, int j, StringBuilder buf, String subkey, List<Value> out) {
        int pushed = node.prefix.length() - j;
        buf.append(node.prefix, j, node.prefix.length());
        for (int ch = node.first; ch <= node.last; ch++) {
            Node child = node.child(ch);
            if (child != null) {
                buf.append((char) ch);
                searchWildAll(child, 0, buf, subkey, out);
                buf.setLength(buf.length() - 1);
            }
        }
        if (node.valueCount > 0 && Fnmatch.matches(buf.toString(), subkey)) {
            for (Value v : node.values()) {
                addValue(out, v);
            }
        }
        buf.setLength(buf.length() - pushed);
    }

    /**
     * {@code index_mm_dump()}: every key and value in trie order, as {@code modprobe -c} prints
     * them after the configuration.
     */
    public void forEach(BiConsumer<String, Value> action) {
        Node root = read(rootOffset);
        if (root != null) {
            walk(root, new StringBuilder(), action);
        }
    }

    private void walk(Node node, StringBuilder buf, BiConsumer<String, Value> action) {
        int pushed = node.prefix.length();
        buf.append(node.prefix);
        String key = buf.toString();
        for (Value v : node.values()) {
            action.accept(key, v);
        }
        for (int ch = node.first; ch <= node.last; ch++) {
            Node child = node.child(ch);
            if (child != null) {
                buf.append((char) ch);
                walk(child, buf, action);
                buf.setLength(buf.length() - 1);
            }
        }
        buf.setLength(buf.length() - pushed);
    }
}
