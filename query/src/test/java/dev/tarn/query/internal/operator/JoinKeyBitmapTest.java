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
