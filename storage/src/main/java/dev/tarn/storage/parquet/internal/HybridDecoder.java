package dev.tarn.storage.parquet.internal;

import java.util.Arrays;

/**
 * Decoder of Parquet's RLE/bit-packing hybrid encoding (definition levels, dictionary indices, RLE booleans): a
 * sequence of runs, each a ULEB128 header whose low bit says bit-packed (groups of 8 values) or RLE (one repeated
 * value of {@code ceil(bitWidth / 8)} bytes). Bit-packed runs are unpacked whole when reached.
 */
final class HybridDecoder {
    private final byte[] buf;
    private final int limit;
    private final int bitWidth;
    private int pos;

    private int remaining;
    private boolean rle;
    private int rleValue;
    private int[] packed = new int[0];
    private int packedPos;

    HybridDecoder(byte[] buf, int start, int limit, int bitWidth) {
        if (bitWidth < 0 || bitWidth > 32) {
            throw new IllegalStateException("Invalid bit width " + bitWidth + " in RLE/bit-packed data");
        }
        this.buf = buf;
        this.pos = start;
        this.limit = limit;
        this.bitWidth = bitWidth;
    }

    /** Reads the next {@code n} values into {@code dst[off..]}. */
    void read(int[] dst, int off, int n) {
        while (n > 0) {
            if (remaining == 0) {
                nextRun();
            }
            int take = Math.min(n, remaining);
            if (rle) {
                Arrays.fill(dst, off, off + take, rleValue);
            } else {
                System.arraycopy(packed, packedPos, dst, off, take);
                packedPos += take;
            }
            remaining -= take;
            off += take;
            n -= take;
        }
    }

    /**
     * Reads {@code n} levels, storing 1 where the level equals {@code max} and 0 elsewhere into {@code dst[off..]};
     * returns how many equal {@code max}. RLE runs are filled without a per-value test.
     */
    int readDefined(byte[] dst, int off, int n, int max) {
        int defined = 0;
        while (n > 0) {
            if (remaining == 0) {
                nextRun();
            }
            int take = Math.min(n, remaining);
            if (rle) {
                byte v = (byte) (rleValue == max ? 1 : 0);
                Arrays.fill(dst, off, off + take, v);
                defined += v * take;
            } else {
                int[] p = packed;
                int pp = packedPos;
                for (int i = 0; i < take; i++) {
                    int d = p[pp + i] == max ? 1 : 0;
                    dst[off + i] = (byte) d;
                    defined += d;
                }
                packedPos += take;
            }
            remaining -= take;
            off += take;
            n -= take;
        }
        return defined;
    }

    private void nextRun() {
        if (pos >= limit) {
            throw new IllegalStateException("RLE/bit-packed data ended early");
        }
        int header = readUleb();
        if ((header & 1) == 0) {
            rle = true;
            remaining = header >>> 1;
            int bytes = (bitWidth + 7) >>> 3;
            int v = 0;
            for (int i = 0; i < bytes; i++) {
                v |= (buf[pos + i] & 0xFF) << (8 * i);
            }
            pos += bytes;
            rleValue = v;
        } else {
            rle = false;
            int groups = header >>> 1;
            int count = groups * 8;
            if (packed.length < count) {
                packed = new int[count];
            }
            BitUnpacking.unpackInts(buf, pos, limit, bitWidth, packed, 0, count);
            pos += groups * bitWidth;
            packedPos = 0;
            remaining = count;
        }
        if (remaining == 0) {
            nextRun();
        }
    }

    private int readUleb() {
        int result = 0;
        int shift = 0;
        while (true) {
            byte b = buf[pos++];
            result |= (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
            shift += 7;
        }
    }
}
