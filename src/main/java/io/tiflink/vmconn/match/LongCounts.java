package io.tiflink.vmconn.match;

/**
 * A multiset of longs (open addressing, linear probing, deletion by backward shift): counts per key
 * without boxing, for the lookups every connection makes. Not thread-safe.
 */
final class LongCounts {

    private static final long FREE = 0L;

    private long[] keys = new long[16];
    private int[] counts = new int[16];
    private int size;

    /** Counts for the key 0, which marks free slots in {@link #keys}. */
    private int zeroCount;

    /** Adds one occurrence of {@code key}. */
    void add(long key) {
        if (key == FREE) {
            zeroCount++;
            return;
        }
        int i = find(key);
        if (keys[i] == key) {
            counts[i]++;
            return;
        }
        keys[i] = key;
        counts[i] = 1;
        if (++size * 2 > keys.length) {
            grow();
        }
    }

    /** Removes one occurrence of {@code key}, if there is one. */
    void remove(long key) {
        if (key == FREE) {
            zeroCount = Math.max(0, zeroCount - 1);
            return;
        }
        int i = find(key);
        if (keys[i] != key) {
            return;
        }
        if (--counts[i] > 0) {
            return;
        }
        size--;
        int mask = keys.length - 1;
        // Backward shift: move later members of the probe run into the hole.
        int hole = i;
        int j = (i + 1) & mask;
        while (keys[j] != FREE) {
            int home = slot(keys[j]);
            boolean movable = hole <= j ? home <= hole || home > j : home <= hole && home > j;
            if (movable) {
                keys[hole] = keys[j];
                counts[hole] = counts[j];
                hole = j;
            }
            j = (j + 1) & mask;
        }
        keys[hole] = FREE;
        counts[hole] = 0;
    }

    boolean contains(long key) {
        if (key == FREE) {
            return zeroCount > 0;
        }
        return keys[find(key)] == key;
    }

    boolean isEmpty() {
        return size == 0 && zeroCount == 0;
    }

    private int find(long key) {
        int mask = keys.length - 1;
        int i = slot(key);
        while (keys[i] != FREE && keys[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private int slot(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h >>> 32) & (keys.length - 1);
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        keys = new long[oldKeys.length * 2];
        counts = new int[oldKeys.length * 2];
        for (int k = 0; k < oldKeys.length; k++) {
            if (oldKeys[k] != FREE) {
                int i = find(oldKeys[k]);
                keys[i] = oldKeys[k];
                counts[i] = oldCounts[k];
            }
        }
    }
}
