package dev.tarn.storage.parquet.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Little-endian primitives and bit unpacking over heap byte arrays, shared by the page decoders. Values are packed
 * least-significant bit first (Parquet's "bit-packed" layout of the RLE/bit-packing hybrid and of
 * DELTA_BINARY_PACKED miniblocks).
 */
final class BitUnpacking {
    static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private BitUnpacking() {}

    static int readIntLE(byte[] b, int pos) {
        return (int) INT_LE.get(b, pos);
    }

    /** Eight bytes from {@code pos}, little-endian; bytes past {@code limit} read as zero. */
    static long windowLE(byte[] b, int pos, int limit) {
        if (pos + 8 <= limit) {
            return (long) LONG_LE.get(b, pos);
        }
        long w = 0;
        for (int i = 0; i < 8 && pos + i < limit; i++) {
            w |= (b[pos + i] & 0xFFL) << (8 * i);
        }
        return w;
    }

    /**
     * Unpacks {@code count} values of {@code bitWidth} (0..32) bits starting at byte {@code pos} into
     * {@code dst[off..]}.
     */
    static void unpackInts(byte[] b, int pos, int limit, int bitWidth, int[] dst, int off, int count) {
        if (bitWidth == 0) {
            java.util.Arrays.fill(dst, off, off + count, 0);
            return;
        }
        if (bitWidth == 1) {
            for (int j = 0; j < count; j++) {
                int byteIndex = pos + (j >>> 3);
                dst[off + j] = byteIndex < limit ? (b[byteIndex] >>> (j & 7)) & 1 : 0;
            }
            return;
        }
        long mask = (1L << bitWidth) - 1;
        // Values whose eight-byte window lies inside the data are read without the end-of-data check.
        long room = (long) limit - pos - 8;
        int j = 0;
        if (bitWidth <= 8 && room >= 0) {
            // Eight values fill bitWidth bytes: one load per group of eight.
            int groups = (int) Math.min(count >>> 3, room / bitWidth + 1);
            j = unpackGroups(b, pos, bitWidth, mask, dst, off, groups);
        }
        int fast = room < 0 ? 0 : (int) Math.min(count, room * 8 / bitWidth + 1);
        long bit = (long) j * bitWidth;
        for (; j < fast; j++, bit += bitWidth) {
            long w = (long) LONG_LE.get(b, pos + (int) (bit >>> 3));
            dst[off + j] = (int) ((w >>> (bit & 7)) & mask);
        }
        for (; j < count; j++, bit += bitWidth) {
            long w = windowLE(b, pos + (int) (bit >>> 3), limit);
            dst[off + j] = (int) ((w >>> (bit & 7)) & mask);
        }
    }

    /** Unpacks {@code groups} groups of eight values of at most 8 bits; returns the values unpacked. */
    private static int unpackGroups(byte[] b, int pos, int bitWidth, long mask, int[] dst, int off, int groups) {
        int w1 = bitWidth;
        int w2 = 2 * bitWidth;
        int w3 = 3 * bitWidth;
        int w4 = 4 * bitWidth;
        int w5 = 5 * bitWidth;
        int w6 = 6 * bitWidth;
        int w7 = 7 * bitWidth;
        for (int g = 0; g < groups; g++) {
            long w = (long) LONG_LE.get(b, pos + g * bitWidth);
            int o = off + (g << 3);
            dst[o] = (int) (w & mask);
            dst[o + 1] = (int) ((w >>> w1) & mask);
            dst[o + 2] = (int) ((w >>> w2) & mask);
            dst[o + 3] = (int) ((w >>> w3) & mask);
            dst[o + 4] = (int) ((w >>> w4) & mask);
            dst[o + 5] = (int) ((w >>> w5) & mask);
            dst[o + 6] = (int) ((w >>> w6) & mask);
            dst[o + 7] = (int) ((w >>> w7) & mask);
        }
        return groups << 3;
    }

    /** One value of {@code bitWidth} (0..64) bits at bit offset {@code bit} from byte {@code pos}. */
    static long readBits(byte[] b, int pos, int limit, long bit, int bitWidth) {
        if (bitWidth == 0) {
            return 0;
        }
        int start = pos + (int) (bit >>> 3);
        int shift = (int) (bit & 7);
        if (bitWidth + shift <= 64) {
            long w = windowLE(b, start, limit) >>> shift;
            return bitWidth == 64 ? w : w & ((1L << bitWidth) - 1);
        }
        // Up to 71 bits span nine bytes: the low part from the window, the rest from the ninth byte.
        long low = windowLE(b, start, limit) >>> shift;
        long ninth = start + 8 < limit ? b[start + 8] & 0xFFL : 0;
        long w = low | (ninth << (64 - shift));
        return bitWidth == 64 ? w : w & ((1L << bitWidth) - 1);
    }
}
