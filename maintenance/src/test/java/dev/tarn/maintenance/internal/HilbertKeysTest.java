package dev.tarn.maintenance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class HilbertKeysTest {

    /** Every cell of a grid, ordered by Hilbert index: indexes are a permutation and neighbours are adjacent. */
    private static void assertContinuousCurve(int dims, int bits) {
        int side = 1 << bits;
        int cells = 1;
        for (int d = 0; d < dims; d++) {
            cells *= side;
        }
        TreeMap<Long, long[]> byIndex = new TreeMap<>();
        for (int c = 0; c < cells; c++) {
            long[] p = new long[dims];
            int rest = c;
            for (int d = 0; d < dims; d++) {
                p[d] = rest % side;
                rest /= side;
            }
            long[] copy = p.clone();
            long h = HilbertKeys.index(p, bits);
            assertEquals(copy[0], p[0], "input untouched");
            assertTrue(byIndex.put(h, p) == null, "index " + h + " used twice");
        }
        assertEquals(0L, byIndex.firstKey());
        assertEquals(cells - 1L, byIndex.lastKey(), "a permutation of 0.." + (cells - 1));
        long[] previous = null;
        for (long[] p : byIndex.values()) {
            if (previous != null) {
                long distance = 0;
                for (int d = 0; d < dims; d++) {
                    distance += Math.abs(p[d] - previous[d]);
                }
                assertEquals(1, distance, "consecutive Hilbert indexes are neighbouring cells");
            }
            previous = p;
        }
    }

    @Test
    void twoDimensionsFormAContinuousCurve() {
        assertContinuousCurve(2, 1);
        assertContinuousCurve(2, 4);
    }

    @Test
    void threeAndFourDimensionsFormAContinuousCurve() {
        assertContinuousCurve(3, 3);
        assertContinuousCurve(4, 2);
    }

    @Test
    void fullWidthKeysStayDistinct() {
        int bits = ZOrderKeys.bitsPerColumn(2);
        Set<Long> seen = new HashSet<>();
        long max = (1L << bits) - 1;
        for (long[] p : new long[][] {{0, 0}, {max, max}, {max, 0}, {0, max}, {1, 0}, {0, 1}}) {
            assertTrue(seen.add(HilbertKeys.index(p, bits)));
        }
        assertEquals(42L, HilbertKeys.index(new long[] {42}, 64), "one dimension is the identity");
    }
}
