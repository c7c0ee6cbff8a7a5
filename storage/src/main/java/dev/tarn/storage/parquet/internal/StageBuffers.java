package dev.tarn.storage.parquet.internal;

import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;

/**
 * Spare staging arrays of page readers, kept per thread. A parallel scan opens readers for every part of every file,
 * and each grew its staging arrays from nothing: TPC-H Q2's two partsupp scans allocated about 70 MB per query that
 * way to keep a few thousand rows. A reader takes spares its thread left behind and gives its arrays back when it is
 * closed on the thread that last staged into them. The spares are softly held, so memory pressure clears them.
 */
final class StageBuffers {
    /** At most this many bytes of spares per thread. */
    private static final long MAX_BYTES = 8L << 20;
    private static final int MAX_ARRAYS = 16;
    private static final ThreadLocal<SoftReference<ArrayDeque<byte[]>>> SPARES = new ThreadLocal<>();

    private StageBuffers() {}

    private static ArrayDeque<byte[]> spares(boolean create) {
        SoftReference<ArrayDeque<byte[]>> ref = SPARES.get();
        ArrayDeque<byte[]> spares = ref == null ? null : ref.get();
        if (spares == null && create) {
            spares = new ArrayDeque<>();
            SPARES.set(new SoftReference<>(spares));
        }
        return spares;
    }

    /**
     * An array of at least {@code length} bytes holding {@code old}'s bytes at its start and zeros after them, as
     * {@code Arrays.copyOf} would (the decoders rely on the zeros); {@code old} becomes a spare.
     */
    static byte[] grow(byte[] old, int length) {
        byte[] grown = take(length);
        int kept = Math.min(old.length, grown.length);
        System.arraycopy(old, 0, grown, 0, kept);
        Arrays.fill(grown, kept, grown.length, (byte) 0);
        give(old);
        return grown;
    }

    /** The smallest spare of at least {@code length} bytes, or a new array. */
    static byte[] take(int length) {
        ArrayDeque<byte[]> spares = spares(false);
        if (spares != null) {
            byte[] best = null;
            for (byte[] a : spares) {
                if (a.length >= length && (best == null || a.length < best.length)) {
                    best = a;
                }
            }
            if (best != null) {
                for (Iterator<byte[]> it = spares.iterator(); it.hasNext(); ) {
                    if (it.next() == best) {
                        it.remove();
                        break;
                    }
                }
                return best;
            }
        }
        return new byte[length];
    }

    /** Keeps {@code array} as a spare of this thread unless the spares are full (then the smallest go first). */
    static void give(byte[] array) {
        if (array.length == 0 || array.length > MAX_BYTES) {
            return;
        }
        ArrayDeque<byte[]> spares = spares(true);
        spares.addLast(array);
        long bytes = 0;
        for (byte[] a : spares) {
            bytes += a.length;
        }
        while (spares.size() > MAX_ARRAYS || bytes > MAX_BYTES) {
            byte[] smallest = spares.peekFirst();
            for (byte[] a : spares) {
                if (a.length < smallest.length) {
                    smallest = a;
                }
            }
            bytes -= smallest.length;
            for (Iterator<byte[]> it = spares.iterator(); it.hasNext(); ) {
                if (it.next() == smallest) {
                    it.remove();
                    break;
                }
            }
        }
    }
}
