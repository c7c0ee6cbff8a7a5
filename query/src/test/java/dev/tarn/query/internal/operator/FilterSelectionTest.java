package dev.tarn.query.internal.operator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BitVector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The filter keeps exactly the rows whose mask is TRUE: NULL and FALSE drop, at any batch length. */
class FilterSelectionTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 63, 64, 65, 130, 4096, 4099})
    void selectsTrueRowsOnly(int n) {
        try (BufferAllocator allocator = new RootAllocator(); BitVector mask = new BitVector("m", allocator)) {
            mask.allocateNew(n);
            int[] expected = new int[n];
            int count = 0;
            for (int i = 0; i < n; i++) {
                if (i % 5 == 3) {
                    mask.set(i, 1);
                    mask.setNull(i); // NULL drops, even with its value bit set
                } else {
                    boolean keep = i % 3 == 0 || i == n - 1;
                    mask.set(i, keep ? 1 : 0);
                    if (keep) {
                        expected[count++] = i;
                    }
                }
            }
            mask.setValueCount(n);
            int[] selection = new int[n];
            int got = FilterOperator.selectTrue(mask, n, selection);
            assertArrayEquals(Arrays.copyOf(expected, count), Arrays.copyOf(selection, got));
        }
    }
}
