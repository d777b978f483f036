package dev.kmodemu.loader.kmod;

import java.io.ByteArrayOutputStream;

/**
 * depmod's in-memory index and its writer ({@code index_create()}, {@code index_insert()},
 * {@code index_write()} in kmod's {@code tools/depmod.c}, from module-init-tools' index.c): a
 * path-compressed trie over 7-bit ASCII keys whose nodes hold values ordered by priority, written
 * post-order with big-endian offsets. The node splits, the value order (a new value goes before the
 * first one of equal or higher priority) and the child ranges follow depmod, so the bytes written
 * are the bytes {@code depmod} writes for the same insertions.
 */
final class IndexBuilder {
    static final int MAGIC = 0xB007F457;
    static final int VERSION = 0x00020001;
    static final int CHILDMAX = 128;
    static final int NODE_PREFIX = 0x80000000;
    static final int NODE_VALUES = 0x40000000;
    static final int NODE_CHILDS = 0x20000000;
    static final int NODE_MASK = 0x0FFFFFFF;

    private static final class Value {
        Value next;
        final int priority;
        final String value;

        Value(Value next, int priority, String value) {
            this.next = next;
            this.priority = priority;
            this.value = value;
        }
    }

    private static final class Node {
        String prefix;
        Value values;
        int first = CHILDMAX;
        int last;
        Node[] children;

        Node(String prefix) {
            this.prefix = prefix;
        }

        Node child(int ch) {
            return children == null ? null : children[ch];
        }

        void setChild(int ch, Node n) {
            if (children == null) {
                children = new Node[CHILDMAX];
            }
            children[ch] = n;
        }
    }

    /** A key or value had a byte outside 7-bit ASCII; depmod stops with this message. */
    static final class BadCharacterException extends Exception {
        BadCharacterException(String message) {
            super(message, null, false, false);
        }
    }

    private final Node root = new Node("");

    private static void checkString(String s) throws BadCharacterException {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch >= CHILDMAX) {
                throw new BadCharacterException("Module index: bad character '" + ch + "'=0x"
                        + Integer.toHexString((byte) ch) + " - only 7-bit ASCII is supported:\n" + s);
            }
        }
    }

    /** {@code index_add_value()}: true if the same value was there already (a duplicate). */
    private static boolean addValue(Node node, String value, int priority) {
        boolean duplicate = false;
        for (Value v = node.values; v != null; v = v.next) {
            if (v.value.equals(value)) {
                duplicate = true;
            }
        }
        if (node.values == null || Integer.compareUnsigned(node.values.priority, priority) >= 0) {
            node.values = new Value(node.values, priority, value);
            return duplicate;
        }
        Value v = node.values;
        while (v.next != null && Integer.compareUnsigned(v.next.priority, priority) < 0) {
            v = v.next;
        }
        v.next = new Value(v.next, priority, value);
        return duplicate;
    }

    /**
     * {@code index_insert()}.
     *
     * @return true if {@code value} was already stored under {@code key}
     */
    boolean insert(String key, String value, int priority) throws BadCharacterException {
        checkString(key);
        checkString(value);
        Node node = root;
        int i = 0;
        while (true) {
            String prefix = node.prefix;
            int j;
            for (j = 0; j < prefix.length(); j++) {
                char ch = prefix.charAt(j);
                char k = i + j < key.length() ? key.charAt(i + j) : '\0';
                if (ch != k) {
                    Node n = new Node(prefix.substring(j + 1));
                    n.values = node.values;
                    n.first = node.first;
                    n.last = node.last;
                    n.children = node.children;
                    node.prefix = prefix.substring(0, j);
                    node.values = null;
                    node.children = null;
                    node.first = ch;
                    node.last = ch;
                    node.setChild(ch, n);
                    break;
                }
            }
            i += j;
            if (i == key.length()) {
                return addValue(node, value, priority);
            }
            char ch = key.charAt(i);
            if (node.child(ch) == null) {
                if (ch < node.first) {
                    node.first = ch;
                }
                if (ch > node.last) {
                    node.last = ch;
                }
                Node child = new Node(key.substring(i + 1));
                node.setChild(ch, child);
                addValue(child, value, priority);
                return false;
            }
            node = node.child(ch);
            i++;
        }
    }

    /** {@code index_write()}: the whole file. */
    byte[] write() {
        Out out = new Out();
        out.u32(MAGIC);
        out.u32(VERSION);
        out.u32(0);
        int rootOffset = writeNode(root, out);
        byte[] b = out.toByteArray();
        b[8] = (byte) (rootOffset >>> 24);
        b[9] = (byte) (rootOffset >>> 16);
        b[10] = (byte) (rootOffset >>> 8);
        b[11] = (byte) rootOffset;
        return b;
    }

    /** {@code index_write__node()}: children first, then this node; returns its flagged offset. */
    private static int writeNode(Node node, Out out) {
        if (node == null) {
            return 0;
        }
        int childCount = 0;
        int[] childOffs = null;
        if (node.first < CHILDMAX) {
            childCount = node.last - node.first + 1;
            childOffs = new int[childCount];
            for (int i = 0; i < childCount; i++) {
                childOffs[i] = writeNode(node.child(node.first + i), out);
            }
        }
        int offset = out.size();
        if (!node.prefix.isEmpty()) {
            out.str(node.prefix);
            offset |= NODE_PREFIX;
        }
        if (childCount > 0) {
            out.write(node.first);
            out.write(node.last);
            for (int o : childOffs) {
                out.u32(o);
            }
            offset |= NODE_CHILDS;
        }
        if (node.values != null) {
            int n = 0;
            for (Value v = node.values; v != null; v = v.next) {
                n++;
            }
            out.u32(n);
            for (Value v = node.values; v != null; v = v.next) {
                out.u32(v.priority);
                out.str(v.value);
            }
            offset |= NODE_VALUES;
        }
        return offset;
    }

    private static final class Out extends ByteArrayOutputStream {
        Out() {
            super(1 << 16);
        }

        void u32(int v) {
            write(v >>> 24);
            write(v >>> 16);
            write(v >>> 8);
            write(v);
        }

        void str(String s) {
            for (int i = 0; i < s.length(); i++) {
                write(s.charAt(i));
            }
            write(0);
        }
    }
}
