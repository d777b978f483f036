package dev.kmodemu.loader.kmod;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * kmod's {@code shared/hash.c}: a power-of-two number of buckets chosen by Paul Hsieh's
 * SuperFastHash of the key, each bucket an array kept sorted by {@code strcmp()}. depmod writes
 * {@code modules.symbols} (and orders modules missing from {@code modules.order}) in this table's
 * iteration order, so it is reproduced exactly: same hash, same buckets, same order inside a bucket.
 * Keys are one-char-per-byte strings; {@link String#compareTo} then orders them as {@code strcmp()}.
 */
final class KmodHash<V> {
    private final int mask;
    private final String[][] keys;
    private final Object[][] values;
    private final int[] used;
    private int count;

    /** {@code hash_new()}: {@code nBuckets} rounded up to a power of two. */
    KmodHash(int nBuckets) {
        int n = Integer.highestOneBit(Math.max(1, nBuckets - 1)) << 1;
        if (nBuckets == 1) {
            n = 1;
        }
        mask = n - 1;
        keys = new String[n][];
        values = new Object[n][];
        used = new int[n];
    }

    /** {@code hash_superfast()}, byte for byte as kmod computes it (signed {@code char} included). */
    static int superFast(String key) {
        int len = key.length();
        int hash = len;
        int rem = len & 3;
        int p = 0;
        for (int n = len >>> 2; n > 0; n--) {
            hash += u16(key, p);
            int tmp = (u16(key, p + 2) << 11) ^ hash;
            hash = (hash << 16) ^ tmp;
            p += 4;
            hash += hash >>> 11;
        }
        switch (rem) {
            case 3 -> {
                hash += u16(key, p);
                hash ^= hash << 16;
                hash ^= ((byte) key.charAt(p + 2)) << 18;
                hash += hash >>> 11;
            }
            case 2 -> {
                hash += u16(key, p);
                hash ^= hash << 11;
                hash += hash >>> 17;
            }
            case 1 -> {
                hash += (byte) key.charAt(p);
                hash ^= hash << 10;
                hash += hash >>> 1;
            }
            default -> {
            }
        }
        hash ^= hash << 3;
        hash += hash >>> 5;
        hash ^= hash << 4;
        hash += hash >>> 17;
        hash ^= hash << 25;
        hash += hash >>> 6;
        return hash;
    }

    private static int u16(String s, int i) {
        return (s.charAt(i) & 0xff) | ((s.charAt(i + 1) & 0xff) << 8);
    }

    private int bucket(String key) {
        return superFast(key) & mask;
    }

    /** Index of {@code key} in bucket {@code b}, or {@code -(insertion point) - 1}. */
    private int search(int b, String key) {
        String[] k = keys[b];
        return k == null ? -1 : Arrays.binarySearch(k, 0, used[b], key);
    }

    private void insertAt(int b, int pos, String key, V value) {
        if (keys[b] == null) {
            keys[b] = new String[4];
            values[b] = new Object[4];
        } else if (used[b] == keys[b].length) {
            keys[b] = Arrays.copyOf(keys[b], used[b] * 2);
            values[b] = Arrays.copyOf(values[b], used[b] * 2);
        }
        System.arraycopy(keys[b], pos, keys[b], pos + 1, used[b] - pos);
        System.arraycopy(values[b], pos, values[b], pos + 1, used[b] - pos);
        keys[b][pos] = key;
        values[b][pos] = value;
        used[b]++;
        count++;
    }

    /** {@code hash_add()}: adds, or replaces the value of an existing key. */
    void add(String key, V value) {
        int b = bucket(key);
        int i = search(b, key);
        if (i >= 0) {
            keys[b][i] = key;
            values[b][i] = value;
        } else {
            insertAt(b, -i - 1, key, value);
        }
    }

    /** {@code hash_add_unique()}: false ({@code -EEXIST}) if the key is there already. */
    boolean addUnique(String key, V value) {
        int b = bucket(key);
        int i = search(b, key);
        if (i >= 0) {
            return false;
        }
        insertAt(b, -i - 1, key, value);
        return true;
    }

    /** {@code hash_find()}. */
    @SuppressWarnings("unchecked")
    V find(String key) {
        int b = bucket(key);
        int i = search(b, key);
        return i >= 0 ? (V) values[b][i] : null;
    }

    /** {@code hash_del()}. */
    boolean del(String key) {
        int b = bucket(key);
        int i = search(b, key);
        if (i < 0) {
            return false;
        }
        System.arraycopy(keys[b], i + 1, keys[b], i, used[b] - i - 1);
        System.arraycopy(values[b], i + 1, values[b], i, used[b] - i - 1);
        used[b]--;
        keys[b][used[b]] = null;
        values[b][used[b]] = null;
        count--;
        return true;
    }

    /** {@code hash_get_count()}. */
    int count() {
        return count;
    }

    /** {@code hash_iter_next()} order: bucket by bucket, each bucket in key order. */
    @SuppressWarnings("unchecked")
    void forEach(BiConsumer<String, V> action) {
        for (int b = 0; b < used.length; b++) {
            for (int i = 0; i < used[b]; i++) {
                action.accept(keys[b][i], (V) values[b][i]);
            }
        }
    }

    /** The values in iteration order. */
    List<V> values() {
        List<V> out = new ArrayList<>(count);
        forEach((k, v) -> out.add(v));
        return out;
    }
}
