package dev.tarn.query.internal.operator;

import java.util.Arrays;

/**
 * Group ids of one integer key: while the keys seen fit a dense range ({@link #DIRECT_RANGE} slots, or four per
 * key), an array addressed by {@code key - base}, so a lookup neither hashes nor probes (TPC-H Q13's GROUP BY
 * c_custkey: 150,000 keys over 1..150,000 in random order, where a hash table four times that size missed the
 * caches on every row); past that, a {@link LongIntHashMap}.
 */
final class LongIds {
    /** Slots a dense array may always have (4 MB); beyond it, at most four per key. */
    static final int DIRECT_RANGE = 1 << 20;
    private static final int EMPTY = -1;

    private int[] direct;
    private long base;
    private LongIntHashMap hashed;
    private int size;
    private final int expected;

    /** Ids for about {@code expected} keys (the size of the hash table should the keys not be dense). */
    LongIds(int expected) {
        this.expected = expected;
    }

    int size() {
        return size;
    }

    /** Heap bytes of the dense array (a hash table is charged per group by its user). */
    long denseBytes() {
        return direct != null ? 4L * direct.length : 0;
    }

    /**
     * Makes keys {@code [min, max]} addressable directly when the range stays dense enough, else turns to hashing
     * (for good). Lookups outside the reserved range work either way; reserving first keeps them cheap.
     */
    void reserve(long min, long max) {
        if (hashed != null || min > max) {
            return;
        }
        long low = direct == null ? min : Math.min(min, base);
        long high = direct == null ? max : Math.max(max, base + direct.length - 1);
        if (direct != null && low == base && high == base + direct.length - 1) {
            return;
        }
        long range = high - low + 1;
        long allowed = Math.max(DIRECT_RANGE, 4L * size);
        if (range <= 0 || range > allowed) {
            toHashed();
            return;
        }
        if (direct != null) {
            // Grown by half its length on the side that grows, so keys arriving one by one do not copy it each time.
            int pad = direct.length / 2;
            long paddedLow = low < base && low - pad < low ? low - pad : low;
            long paddedHigh = high > base + direct.length - 1 && high + pad > high ? high + pad : high;
            long padded = paddedHigh - paddedLow + 1;
            if (padded > 0 && padded <= allowed) {
                low = paddedLow;
                range = padded;
            }
        }
        int[] grown = new int[(int) range];
        Arrays.fill(grown, EMPTY);
        if (direct != null) {
            System.arraycopy(direct, 0, grown, (int) (base - low), direct.length);
        }
        direct = grown;
        base = low;
    }

    /** The id of {@code key} when present; otherwise maps it to {@code value} and returns -1. */
    int putIfAbsent(long key, int value) {
        int[] d = direct;
        if (d != null) {
            long offset = key - base;
            if (offset >= 0 && offset < d.length) {
                int existing = d[(int) offset];
                if (existing == EMPTY) {
                    d[(int) offset] = value;
                    size++;
                }
                return existing;
            }
            reserve(key, key);
            return putIfAbsent(key, value);
        }
        if (hashed == null) {
            reserve(key, key);
            return putIfAbsent(key, value);
        }
        int existing = hashed.putIfAbsent(key, value);
        if (existing == EMPTY) {
            size++;
        }
        return existing;
    }

    /** Whether lookups go to the dense array (tests). */
    boolean dense() {
        return hashed == null;
    }

    private void toHashed() {
        LongIntHashMap map = new LongIntHashMap(Math.max(size, expected));
        if (direct != null) {
            int[] d = direct;
            for (int s = 0; s < d.length; s++) {
                if (d[s] != EMPTY) {
                    map.put(base + s, d[s]);
                }
            }
        }
        hashed = map;
        direct = null;
    }
}
