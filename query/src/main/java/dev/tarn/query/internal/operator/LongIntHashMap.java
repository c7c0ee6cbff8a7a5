package dev.tarn.query.internal.operator;

import java.util.Arrays;

/**
 * An open-addressing map from long keys to non-negative int ids: grouping on one integer column without boxing.
 * Key and id share one slot of a single array ({@code slots[2s]}, {@code slots[2s + 1]}), so a lookup in a table
 * larger than the caches costs one miss, not one per array.
 */
final class LongIntHashMap {
    private static final int EMPTY = -1;
    private long[] slots;
    private int size;

    LongIntHashMap() {
        this(0);
    }

    /** A map sized for {@code expected} keys without growing. */
    LongIntHashMap(int expected) {
        int pairs = 1024;
        while (pairs < 2L * expected && pairs < (1 << 29)) {
            pairs <<= 1;
        }
        slots = new long[2 * pairs];
        fillEmpty(slots);
    }

    int size() {
        return size;
    }

    private static void fillEmpty(long[] slots) {
        for (int s = 1; s < slots.length; s += 2) {
            slots[s] = EMPTY;
        }
    }

    /** The id of {@code key}, or -1. */
    int get(long key) {
        long[] t = slots;
        int mask = (t.length >> 1) - 1;
        for (int slot = hash(key) & mask; ; slot = (slot + 1) & mask) {
            int value = (int) t[2 * slot + 1];
            if (value == EMPTY) {
                return EMPTY;
            }
            if (t[2 * slot] == key) {
                return value;
            }
        }
    }

    /**
     * The id of {@code key} when present; otherwise maps it to {@code value} and returns -1. One probe sequence
     * for both, where {@link #get} then {@link #put} would walk it twice.
     */
    int putIfAbsent(long key, int value) {
        if (size * 4 >= slots.length) {
            grow();
        }
        long[] t = slots;
        int mask = (t.length >> 1) - 1;
        for (int slot = hash(key) & mask; ; slot = (slot + 1) & mask) {
            int existing = (int) t[2 * slot + 1];
            if (existing == EMPTY) {
                t[2 * slot] = key;
                t[2 * slot + 1] = value;
                size++;
                return EMPTY;
            }
            if (t[2 * slot] == key) {
                return existing;
            }
        }
    }

    void put(long key, int value) {
        if (size * 4 >= slots.length) {
            grow();
        }
        long[] t = slots;
        int mask = (t.length >> 1) - 1;
        int slot = hash(key) & mask;
        while (t[2 * slot + 1] != EMPTY && t[2 * slot] != key) {
            slot = (slot + 1) & mask;
        }
        if (t[2 * slot + 1] == EMPTY) {
            size++;
        }
        t[2 * slot] = key;
        t[2 * slot + 1] = value;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        fillEmpty(slots);
        size = 0;
        for (int s = 0; s < old.length; s += 2) {
            if (old[s + 1] != EMPTY) {
                put(old[s], (int) old[s + 1]);
            }
        }
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
