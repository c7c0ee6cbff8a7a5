package dev.tarn.query.internal.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The build keys' bitmap holds exactly the non-NULL keys, across batches, negative values and its range limit. */
class JoinKeyBitmapTest {
    private final BufferAllocator allocator = new RootAllocator();

    @AfterEach
    void close() {
        allocator.close();
    }

    @Test
    void holdsExactlyTheNonNullKeysOfEveryBatch() {
        try (VectorSchemaRoot a = longs(-70L, 5L, null, 63L); VectorSchemaRoot b = longs(64L, -1L)) {
            JoinKeyFilter keys = JoinKeyFilter.of(List.of(a, b), 0);
            assertNotNull(keys);
            for (long k = -200; k <= 200; k++) {
                assertEquals(k == -70 || k == 5 || k == 63 || k == 64 || k == -1, keys.contains(k), "key " + k);
            }
            assertFalse(keys.contains(Long.MIN_VALUE));
            assertFalse(keys.contains(Long.MAX_VALUE));
        }
    }

    @Test
    void noKeysMatchesNothingAndWideOrNonIntegerKeysGiveNoFilter() {
        try (VectorSchemaRoot empty = longs((Long) null)) {
            JoinKeyFilter keys = JoinKeyFilter.of(List.of(empty), 0);
            assertNotNull(keys);
            assertFalse(keys.contains(0));
        }
        try (VectorSchemaRoot wide = longs(0L, JoinKeyFilter.MAX_RANGE)) {
            assertNull(JoinKeyFilter.of(List.of(wide), 0));
        }
        try (VectorSchemaRoot edge = longs(Long.MIN_VALUE, Long.MAX_VALUE)) {
            assertNull(JoinKeyFilter.of(List.of(edge), 0));
        }
        try (VectorSchemaRoot fits = longs(10L, 10L + JoinKeyFilter.MAX_RANGE - 1)) {
            JoinKeyFilter keys = JoinKeyFilter.of(List.of(fits), 0);
            assertNotNull(keys);
            assertTrue(keys.contains(10L + JoinKeyFilter.MAX_RANGE - 1));
            assertFalse(keys.contains(11L));
        }
        VarCharVector strings = new VarCharVector("s", allocator);
        strings.allocateNew(1);
        strings.setSafe(0, new byte[] {'a'});
        strings.setValueCount(1);
        try (VectorSchemaRoot text = VectorSchemaRoot.of(strings)) {
            assertNull(JoinKeyFilter.of(List.of(text), 0));
        }
    }

    /**
     * The bulk test over staged 4- and 8-byte keys keeps exactly the selected rows {@link JoinKeyFilter#contains}
     * accepts, drops NULL rows, and leaves the selection ascending; keys far outside the range (the extremes of a
     * long, which wrap when offset by the minimum) never match.
     */
    @Test
    void retainKeepsTheSelectedRowsWhoseKeysTheBuildSideHas() {
        try (VectorSchemaRoot a = longs(-70L, 5L, null, 63L, 64L, -1L, 200L)) {
            JoinKeyFilter keys = JoinKeyFilter.of(List.of(a), 0);
            long[] probe = {-70, -71, 5, 6, 63, 64, 65, -1, 0, 200, 201, Long.MIN_VALUE, Long.MAX_VALUE,
                Long.MIN_VALUE + 130, Integer.MIN_VALUE, Integer.MAX_VALUE, 5, -70};
            byte[] defined = new byte[probe.length];
            java.util.Arrays.fill(defined, (byte) 1);
            defined[2] = 0; // a NULL row whose stale value (5) is a key
            for (int width : new int[] {4, 8}) {
                java.nio.ByteBuffer values = java.nio.ByteBuffer.allocate(probe.length * width)
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (long k : probe) {
                    if (width == 4) {
                        values.putInt((int) k);
                    } else {
                        values.putLong(k);
                    }
                }
                for (byte[] flags : java.util.Arrays.asList(null, defined)) {
                    // every row, then every other row
                    for (int step : new int[] {1, 2}) {
                        int[] sel = new int[probe.length];
                        int n = 0;
                        for (int r = 0; r < probe.length; r += step) {
                            sel[n++] = r;
                        }
                        List<Integer> expected = new java.util.ArrayList<>();
                        for (int i = 0; i < n; i++) {
                            int r = sel[i];
                            long k = width == 4 ? (int) probe[r] : probe[r];
                            if ((flags == null || flags[r] == 1) && keys.contains(k)) {
                                expected.add(r);
                            }
                        }
                        int kept = keys.retain(values.array(), width, flags, sel, n);
                        assertEquals(expected, java.util.Arrays.stream(sel, 0, kept).boxed().toList(),
                                "width " + width + ", step " + step + ", nulls " + (flags != null));
                    }
                }
            }
        }
        try (VectorSchemaRoot none = longs((Long) null)) {
            JoinKeyFilter empty = JoinKeyFilter.of(List.of(none), 0);
            int[] sel = {0, 1};
            assertEquals(0, empty.retain(new byte[16], 8, null, sel, 2));
        }
    }

    private VectorSchemaRoot longs(Long... values) {
        BigIntVector v = new BigIntVector("k", allocator);
        v.allocateNew(values.length);
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                v.setNull(i);
            } else {
                v.set(i, values[i]);
            }
        }
        v.setValueCount(values.length);
        return VectorSchemaRoot.of(v);
    }
}
