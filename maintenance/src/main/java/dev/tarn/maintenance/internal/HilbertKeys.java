package dev.tarn.maintenance.internal;

/**
 * Hilbert-curve index of normalized keys (see {@link ZOrderKeys#normalize}), the order liquid clustering sorts by.
 * Unlike the Z-order curve, consecutive Hilbert indexes are always neighbouring cells, so a file (a run of
 * consecutive indexes) covers a compact region and its min/max statistics stay narrow in every column, without
 * Z-order's long jumps across the space. Computed with Skilling's transpose method ("Programming the Hilbert
 * curve", AIP Conf. Proc. 707, 2004): undo the excess rotations and reflections per bit level, Gray-encode, then
 * interleave the transposed bits as Z-order would.
 */
public final class HilbertKeys {
    private HilbertKeys() {}

    /**
     * The Hilbert index of one point.
     *
     * @param normalized one coordinate per column, each with at most {@code bits} significant bits; not modified
     * @param bits bits per coordinate; {@code normalized.length * bits <= 64}
     */
    public static long index(long[] normalized, int bits) {
        int n = normalized.length;
        if (n == 1) {
            return normalized[0]; // one dimension: the curve is the line itself
        }
        long[] x = normalized.clone();
        long top = 1L << (bits - 1);
        for (long q = top; Long.compareUnsigned(q, 1) > 0; q >>>= 1) {
            long lower = q - 1;
            for (int i = 0; i < n; i++) {
                if ((x[i] & q) != 0) {
                    x[0] ^= lower; // reflect
                } else {
                    long swap = (x[0] ^ x[i]) & lower; // rotate: exchange the low bits of x[0] and x[i]
                    x[0] ^= swap;
                    x[i] ^= swap;
                }
            }
        }
        for (int i = 1; i < n; i++) {
            x[i] ^= x[i - 1];
        }
        long flip = 0;
        for (long q = top; Long.compareUnsigned(q, 1) > 0; q >>>= 1) {
            if ((x[n - 1] & q) != 0) {
                flip ^= q - 1;
            }
        }
        for (int i = 0; i < n; i++) {
            x[i] ^= flip;
        }
        return ZOrderKeys.interleave(x, bits);
    }
}
