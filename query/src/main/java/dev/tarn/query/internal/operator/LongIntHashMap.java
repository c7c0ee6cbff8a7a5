package dev.tarn.query.internal.operator;

import java.util.Arrays;

/** An open-addressing map from long keys to non-negative int ids: grouping on one integer column without boxing. */
final class LongIntHashMap {
    private static final int EMPTY = -1;
    private long[] keys = new long[1024];
    private int[] values = new int[1024];
    private int size;

    LongIntHashMap() {
        Arrays.fill(values, EMPTY);
    }

    /** The id of {@code key}, or -1. */
    int get(long key) {
        int mask = keys.length - 1;
        for (int slot = hash(key) & mask; ; slot = (slot + 1) & mask) {
            if (values[slot] == EMPTY) {
                return EMPTY;
            }
            if (keys[slot] == key) {
                return values[slot];
            }
        }
    }

    void put(long key, int value) {
        if (size * 2 >= keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int slot = hash(key) & mask;
        while (values[slot] != EMPTY && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        if (values[slot] == EMPTY) {
            size++;
        }
        keys[slot] = key;
        values[slot] = value;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldValues.length * 2];
        Arrays.fill(values, EMPTY);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != EMPTY) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
