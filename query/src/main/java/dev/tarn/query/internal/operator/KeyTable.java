package dev.tarn.query.internal.operator;

import java.util.Arrays;

/**
 * A hash table of distinct normalized keys ({@link NormalizedKeys}), numbered 0, 1, ... in insertion order: the
 * keys' bytes live in one growing arena, and open addressing over int slots finds them by hash, then by bytes.
 * No object per key or per lookup.
 */
final class KeyTable {
    private byte[] arena = new byte[4096];
    private int arenaEnd;
    private int[] starts = new int[256];
    private int[] lengths = new int[256];
    private long[] hashes = new long[256];
    private int size;
    /** Slot i holds key id + 1, or 0 when empty. */
    private int[] slots = new int[1024];

    int size() {
        return size;
    }

    /** Bytes held: the arena and the per-key and slot arrays (for memory accounting). */
    long bytes() {
        return arena.length + (long) starts.length * 16 + (long) slots.length * 4;
    }

    long hash(int id) {
        return hashes[id];
    }

    byte[] arena() {
        return arena;
    }

    int start(int id) {
        return starts[id];
    }

    int length(int id) {
        return lengths[id];
    }

    /** The id of row {@code row}'s key in {@code keys}, added as a new key when absent. */
    int add(NormalizedKeys keys, int row) {
        int start = keys.offsets[row];
        return add(keys.bytes, start, keys.offsets[row + 1] - start, keys.hashes[row]);
    }

    /** The id of the key {@code b[off, off + len)} with hash {@code hash}, added when absent. */
    int add(byte[] b, int off, int len, long hash) {
        int mask = slots.length - 1;
        for (int slot = (int) (hash ^ (hash >>> 32)) & mask; ; slot = (slot + 1) & mask) {
            int id = slots[slot] - 1;
            if (id < 0) {
                return insert(slot, b, off, len, hash);
            }
            if (hashes[id] == hash && lengths[id] == len
                    && Arrays.equals(arena, starts[id], starts[id] + len, b, off, off + len)) {
                return id;
            }
        }
    }

    /** The id of row {@code row}'s key in {@code keys}, or -1 when absent. */
    int find(NormalizedKeys keys, int row) {
        int off = keys.offsets[row];
        int len = keys.offsets[row + 1] - off;
        long hash = keys.hashes[row];
        byte[] b = keys.bytes;
        int mask = slots.length - 1;
        for (int slot = (int) (hash ^ (hash >>> 32)) & mask; ; slot = (slot + 1) & mask) {
            int id = slots[slot] - 1;
            if (id < 0) {
                return -1;
            }
            if (hashes[id] == hash && lengths[id] == len
                    && Arrays.equals(arena, starts[id], starts[id] + len, b, off, off + len)) {
                return id;
            }
        }
    }

    private int insert(int slot, byte[] b, int off, int len, long hash) {
        int id = size;
        if (id == starts.length) {
            int grown = id * 2;
            starts = Arrays.copyOf(starts, grown);
            lengths = Arrays.copyOf(lengths, grown);
            hashes = Arrays.copyOf(hashes, grown);
        }
        if ((long) arenaEnd + len > arena.length) {
            long grown = Math.max((long) arenaEnd + len, arena.length * 2L);
            if (grown > Integer.MAX_VALUE - 16) {
                grown = (long) arenaEnd + len;
                if (grown > Integer.MAX_VALUE - 16) {
                    throw new IllegalStateException("group keys exceed 2 GB");
                }
            }
            arena = Arrays.copyOf(arena, (int) grown);
        }
        System.arraycopy(b, off, arena, arenaEnd, len);
        starts[id] = arenaEnd;
        lengths[id] = len;
        hashes[id] = hash;
        arenaEnd += len;
        size++;
        slots[slot] = id + 1;
        if (size * 2 > slots.length) {
            rehash();
        }
        return id;
    }

    private void rehash() {
        int[] grown = new int[slots.length * 2];
        int mask = grown.length - 1;
        for (int id = 0; id < size; id++) {
            long hash = hashes[id];
            int slot = (int) (hash ^ (hash >>> 32)) & mask;
            while (grown[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            grown[slot] = id + 1;
        }
        slots = grown;
    }
}
