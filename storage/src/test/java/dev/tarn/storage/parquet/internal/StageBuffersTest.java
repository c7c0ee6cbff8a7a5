package dev.tarn.storage.parquet.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Spare staging arrays: reused on the thread that gave them, grown like {@code Arrays.copyOf}, and bounded. */
class StageBuffersTest {
    /** Takes this thread's spares, so each test starts without any (none is a single byte). */
    @BeforeEach
    void drain() {
        while (StageBuffers.take(1).length > 1) {
            // a spare
        }
    }

    @Test
    void aGivenArrayIsTakenAgainOnItsThreadOnlyWhenLargeEnough() throws Exception {
        byte[] spare = new byte[4096];
        StageBuffers.give(spare);
        assertNotSame(spare, StageBuffers.take(8192), "too small: a new array");
        // Another thread has spares of its own, not this one's.
        AtomicReference<byte[]> taken = new AtomicReference<>();
        Thread other = new Thread(() -> taken.set(StageBuffers.take(1000)));
        other.start();
        other.join();
        assertNotSame(spare, taken.get());
        assertSame(spare, StageBuffers.take(1000));
        assertNotSame(spare, StageBuffers.take(1000), "taken once");
    }

    @Test
    void growingKeepsTheOldBytesAndZeroesTheRestEvenInADirtySpare() {
        byte[] dirty = new byte[300];
        Arrays.fill(dirty, (byte) 7);
        StageBuffers.give(dirty);
        byte[] old = {1, 2, 3, 4};
        byte[] grown = StageBuffers.grow(old, 200);
        assertSame(dirty, grown);
        byte[] expected = Arrays.copyOf(old, grown.length);
        assertArrayEquals(expected, grown);
        // The array grown out of became a spare.
        assertSame(old, StageBuffers.take(4));
    }

    @Test
    void sparesAreBoundedInBytes() {
        java.util.Set<byte[]> given = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < 40; i++) {
            byte[] a = new byte[1 << 20];
            given.add(a);
            StageBuffers.give(a); // 40 MB offered, at most 8 MB kept
        }
        int kept = 0;
        for (int i = 0; i < 40; i++) {
            if (given.contains(StageBuffers.take(1 << 20))) {
                kept++;
            }
        }
        assertEquals(8, kept);
    }
}
