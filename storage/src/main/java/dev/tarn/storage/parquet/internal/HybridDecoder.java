package dev.tarn.storage.parquet.internal;

import java.util.Arrays;

/**
 * Decoder of Parquet's RLE/bit-packing hybrid encoding (definition levels, dictionary indices, RLE booleans): a
 * sequence of runs, each a ULEB128 header whose low bit says bit-packed (groups of 8 values) or RLE (one repeated
 * value of {@code ceil(bitWidth / 8)} bytes). Bit-packed runs are unpacked as they are read, straight into the
 * caller's array (a run of a dictionary-encoded page may span the whole page; unpacking it at once would fill an
 * array the page's size and copy it again).
 */
final class HybridDecoder {
    private final byte[] buf;
    private final int limit;
    private final int bitWidth;
    private int pos;

    private int remaining;
    private boolean rle;
    private int rleValue;
    /** Byte offset of the current bit-packed run's data, and the index of its next value. */
    private int runStart;
    private int packedPos;
    /** The group of eight values holding an unaligned read's start or end, and which group of the run it is. */
    private final int[] group = new int[8];
    private int groupIndex = -1;
    private int[] scratch = new int[0];

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
                unpack(dst, off, take);
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
                if (scratch.length < take) {
                    scratch = new int[Math.max(take, 1024)];
                }
                int[] p = scratch;
                unpack(p, 0, take);
                for (int i = 0; i < take; i++) {
                    int d = p[i] == max ? 1 : 0;
                    dst[off + i] = (byte) d;
                    defined += d;
                }
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
            runStart = pos;
            pos += groups * bitWidth;
            packedPos = 0;
            groupIndex = -1;
            remaining = groups * 8;
        }
        if (remaining == 0) {
            nextRun();
        }
    }

    /**
     * Unpacks the current bit-packed run's next {@code n} values into {@code dst[off..]}: whole groups of eight
     * straight from the data (a group starts on a byte), a partial group at either end through {@link #group}.
     */
    private void unpack(int[] dst, int off, int n) {
        int index = packedPos;
        int end = index + n;
        while (index < end) {
            int inGroup = index & 7;
            if (inGroup == 0 && end - index >= 8) {
                int whole = (end - index) & ~7;
                BitUnpacking.unpackInts(buf, runStart + (index >>> 3) * bitWidth, limit, bitWidth, dst, off, whole);
                index += whole;
                off += whole;
            } else {
                int g = index >>> 3;
                if (groupIndex != g) {
                    BitUnpacking.unpackInts(buf, runStart + g * bitWidth, limit, bitWidth, group, 0, 8);
                    groupIndex = g;
                }
                int take = Math.min(8 - inGroup, end - index);
                System.arraycopy(group, inGroup, dst, off, take);
                index += take;
                off += take;
            }
        }
        packedPos = end;
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
