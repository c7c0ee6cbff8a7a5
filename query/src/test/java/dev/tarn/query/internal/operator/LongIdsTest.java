package dev.tarn.query.internal.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Group ids of integer keys: dense while the range allows, hashed after, the same ids either way. */
class LongIdsTest {
    /** Adds every key, checking each answer against a reference map; returns the reference. */
    private static Map<Long, Integer> addAll(LongIds ids, long[] keys) {
        Map<Long, Integer> reference = new HashMap<>();
        for (long k : keys) {
            Integer expected = reference.get(k);
            int got = ids.putIfAbsent(k, reference.size());
            if (expected == null) {
                assertEquals(-1, got, "new key " + k);
                reference.put(k, reference.size());
            } else {
                assertEquals(expected, got, "key " + k);
            }
        }
        assertEquals(reference.size(), ids.size());
        return reference;
    }

    @Test
    void keysInARangeInRandomOrderStayDense() {
        SplittableRandom random = new SplittableRandom(7);
        long[] keys = new long[300_000];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = random.nextLong(1, 150_001);
        }
        LongIds ids = new LongIds(0);
        ids.reserve(1, 150_000);
        addAll(ids, keys);
        assertTrue(ids.dense());
    }

    @Test
    void keysArrivingOutsideTheReservedRangeGrowIt() {
        LongIds ids = new LongIds(0);
        long[] keys = new long[20_000];
        for (int i = 0; i < keys.length; i++) {
            // -10000, 10000, -9999, 9999, ...: grows on both sides, one key at a time.
            keys[i] = i % 2 == 0 ? -10_000 + i / 2 : 10_000 - i / 2;
        }
        Map<Long, Integer> reference = addAll(ids, keys);
        assertTrue(ids.dense());
        // Looking the keys up again finds the same ids.
        for (Map.Entry<Long, Integer> e : reference.entrySet()) {
            assertEquals(e.getValue(), ids.putIfAbsent(e.getKey(), 999_999));
        }
    }

    @Test
    void sparseKeysTurnToHashingAndKeepTheirIds() {
        SplittableRandom random = new SplittableRandom(11);
        long[] keys = new long[50_000];
        for (int i = 0; i < keys.length; i++) {
            // Dense first, then keys far apart and the extremes of a long.
            keys[i] = i < 20_000 ? random.nextLong(0, 5_000) : i % 1000 == 0 ? (i % 2000 == 0 ? Long.MIN_VALUE
                    : Long.MAX_VALUE) : random.nextLong();
        }
        LongIds ids = new LongIds(100);
        Map<Long, Integer> reference = addAll(ids, keys);
        assertFalse(ids.dense());
        assertEquals(0, ids.denseBytes());
        for (Map.Entry<Long, Integer> e : reference.entrySet()) {
            assertEquals(e.getValue(), ids.putIfAbsent(e.getKey(), 999_999));
        }
    }

    @Test
    void extremeKeysAloneNeverWrapIntoTheRange() {
        LongIds ids = new LongIds(0);
        assertEquals(-1, ids.putIfAbsent(Long.MAX_VALUE, 0));
        assertEquals(-1, ids.putIfAbsent(Long.MAX_VALUE - 1, 1));
        assertEquals(-1, ids.putIfAbsent(Long.MIN_VALUE, 2));
        assertEquals(0, ids.putIfAbsent(Long.MAX_VALUE, 5));
        assertEquals(1, ids.putIfAbsent(Long.MAX_VALUE - 1, 5));
        assertEquals(2, ids.putIfAbsent(Long.MIN_VALUE, 5));
        assertEquals(3, ids.size());
    }
}
