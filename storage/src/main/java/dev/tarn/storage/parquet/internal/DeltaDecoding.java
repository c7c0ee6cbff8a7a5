package dev.tarn.storage.parquet.internal;

/**
 * Whole-page decoders for Parquet's delta encodings (parquet-format Encodings.md): DELTA_BINARY_PACKED,
 * DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY. Each decodes all values of one page at once.
 */
final class DeltaDecoding {
    private DeltaDecoding() {}

    /** Byte arrays of one page: value i is {@code data[offsets[i] .. offsets[i + 1])}; data may be the page itself. */
    record Binaries(byte[] data, int[] offsets, int count) {}

    /**
     * DELTA_BINARY_PACKED from {@code pos[0]}: header (block size, miniblocks per block, value count, zigzag first
     * value), then blocks of (zigzag min delta, one bit width per miniblock, packed miniblocks). Only the
     * miniblocks that hold values are present in the last block. Arithmetic wraps, so int32 columns come out right
     * after a cast. Leaves {@code pos[0]} after the last miniblock read.
     */
    static long[] binaryPacked(byte[] b, int[] pos, int limit) {
        int p = pos[0];
        long[] cursor = {p};
        int blockSize = (int) uleb(b, cursor);
        int miniblocks = (int) uleb(b, cursor);
        long total = uleb(b, cursor);
        long first = zigzag(uleb(b, cursor));
        if (miniblocks <= 0 || blockSize <= 0 || blockSize % miniblocks != 0 || total < 0 || total > Integer.MAX_VALUE) {
            throw new IllegalStateException("Invalid DELTA_BINARY_PACKED header (block size " + blockSize
                    + ", miniblocks " + miniblocks + ", values " + total + ")");
        }
        int perMiniblock = blockSize / miniblocks;
        if (perMiniblock % 8 != 0) {
            throw new IllegalStateException("DELTA_BINARY_PACKED miniblock of " + perMiniblock + " values is not a multiple of 8");
        }
        long[] out = new long[(int) total];
        p = (int) cursor[0];
        if (total == 0) {
            pos[0] = p;
            return out;
        }
        out[0] = first;
        int n = 1;
        int[] scratch = new int[0];
        long prev = first;
        while (n < total) {
            cursor[0] = p;
            long minDelta = zigzag(uleb(b, cursor));
            p = (int) cursor[0];
            int widths = p;
            p += miniblocks;
            for (int m = 0; m < miniblocks && n < total; m++) {
                int bw = b[widths + m] & 0xFF;
                if (bw > 64) {
                    throw new IllegalStateException("Invalid DELTA_BINARY_PACKED bit width " + bw);
                }
                int take = (int) Math.min(perMiniblock, total - n);
                if (bw <= 32) {
                    if (scratch.length < take) {
                        scratch = new int[perMiniblock];
                    }
                    BitUnpacking.unpackInts(b, p, limit, bw, scratch, 0, take);
                    for (int j = 0; j < take; j++) {
                        prev += minDelta + (scratch[j] & 0xFFFF_FFFFL);
                        out[n++] = prev;
                    }
                } else {
                    long bit = 0;
                    for (int j = 0; j < take; j++, bit += bw) {
                        prev += minDelta + BitUnpacking.readBits(b, p, limit, bit, bw);
                        out[n++] = prev;
                    }
                }
                p += perMiniblock / 8 * bw;
            }
        }
        pos[0] = p;
        return out;
    }

    /**
     * DELTA_LENGTH_BYTE_ARRAY: the lengths (DELTA_BINARY_PACKED), then all bytes concatenated. The result refers to
     * the bytes in place: its offsets index {@code b}.
     */
    static Binaries lengthByteArray(byte[] b, int start, int limit) {
        int[] pos = {start};
        long[] lengths = binaryPacked(b, pos, limit);
        int[] offsets = new int[lengths.length + 1];
        long end = pos[0];
        offsets[0] = pos[0];
        for (int i = 0; i < lengths.length; i++) {
            end += lengths[i];
            if (lengths[i] < 0 || end > limit) {
                throw new IllegalStateException("DELTA_LENGTH_BYTE_ARRAY lengths exceed the page");
            }
            offsets[i + 1] = (int) end;
        }
        return new Binaries(b, offsets, lengths.length);
    }

    /**
     * DELTA_BYTE_ARRAY: prefix lengths (DELTA_BINARY_PACKED), then suffixes (DELTA_LENGTH_BYTE_ARRAY); each value
     * is the first prefix-length bytes of the previous value followed by its suffix.
     */
    static Binaries byteArray(byte[] b, int start, int limit) {
        int[] pos = {start};
        long[] prefixes = binaryPacked(b, pos, limit);
        Binaries suffixes = lengthByteArray(b, pos[0], limit);
        if (suffixes.count() != prefixes.length) {
            throw new IllegalStateException("DELTA_BYTE_ARRAY has " + prefixes.length + " prefixes but "
                    + suffixes.count() + " suffixes");
        }
        int n = prefixes.length;
        int[] offsets = new int[n + 1];
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += prefixes[i] + (suffixes.offsets()[i + 1] - suffixes.offsets()[i]);
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("DELTA_BYTE_ARRAY page decodes to more than 2 GB");
        }
        byte[] data = new byte[(int) total];
        int out = 0;
        int previousStart = 0;
        int previousLength = 0;
        for (int i = 0; i < n; i++) {
            int prefix = (int) prefixes[i];
            if (prefix < 0 || prefix > previousLength) {
                throw new IllegalStateException("DELTA_BYTE_ARRAY prefix " + prefix + " is longer than the previous value");
            }
            System.arraycopy(data, previousStart, data, out, prefix);
            int suffixStart = suffixes.offsets()[i];
            int suffixLength = suffixes.offsets()[i + 1] - suffixStart;
            System.arraycopy(suffixes.data(), suffixStart, data, out + prefix, suffixLength);
            previousStart = out;
            previousLength = prefix + suffixLength;
            out += previousLength;
            offsets[i + 1] = out;
        }
        return new Binaries(data, offsets, n);
    }

    private static long uleb(byte[] b, long[] cursor) {
        int p = (int) cursor[0];
        long result = 0;
        int shift = 0;
        while (true) {
            byte v = b[p++];
            result |= (long) (v & 0x7F) << shift;
            if (v >= 0) {
                cursor[0] = p;
                return result;
            }
            shift += 7;
            if (shift > 63) {
                throw new IllegalStateException("ULEB128 value longer than 64 bits");
            }
        }
    }

    private static long zigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }
}
