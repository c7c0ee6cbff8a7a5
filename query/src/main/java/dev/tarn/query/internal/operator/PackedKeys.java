package dev.tarn.query.internal.operator;

import java.nio.ByteOrder;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Group keys of short strings, booleans, integers and dates packed into one long per row, so a GROUP BY with few
 * groups (TPC-H Q1's {@code l_returnflag, l_linestatus}) finds a row's group with one probe of a small long map
 * instead of serializing, hashing and comparing a {@link NormalizedKeys} byte key.
 *
 * <p>Each column adds a self-delimiting token: a string or integer a header byte (0 for NULL, else 1 + the number
 * of value bytes) and its bytes (a string's UTF-8 bytes, at most 7; an integer's zig-zag value without leading zero
 * bytes), a boolean one byte (0 NULL, 1 false, 2 true). With the column kinds fixed, the token sequence decodes to
 * exactly one key, and as it ends where the last column ends, padding it with zero bytes to eight keeps distinct
 * keys distinct. A row whose tokens need more than eight bytes does not pack and takes the normalized-key path.
 */
final class PackedKeys {
    /** Whether a native eight-byte read puts the first byte lowest, as the byte-by-byte packing does. */
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private PackedKeys() {}

    /** Whether every key column is of a packable kind ({@link NormalizedKeys#kinds}: integers, dates, booleans, strings). */
    static boolean supports(String[] kinds) {
        for (String k : kinds) {
            if (!k.equals("L") && !k.equals("D") && !k.equals("B") && !k.equals("S")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Packs the keys of rows {@code [0, n)} into {@code keys}; {@code bits[i]} is left at the bits row i used, more
     * than 64 when it does not pack. The columns must be of {@link #supports supported} kinds.
     */
    static void pack(VectorSchemaRoot batch, int[] columns, int n, long[] keys, int[] bits) {
        boolean first = true;
        for (int column : columns) {
            FieldVector v = batch.getVector(column);
            if (v instanceof VarCharVector s) {
                packStrings(s, n, keys, bits, first);
            } else if (v instanceof BitVector b) {
                if (first) {
                    clear(keys, bits, n);
                }
                boolean nulls = b.getNullCount() > 0;
                for (int i = 0; i < n; i++) {
                    long token = nulls && b.isNull(i) ? 0 : 1 + b.get(i);
                    put(keys, bits, i, token, 8);
                }
            } else if (v instanceof BaseIntVector || v instanceof DateDayVector) {
                if (first) {
                    clear(keys, bits, n);
                }
                packIntegers(v, n, keys, bits);
            } else {
                throw new IllegalStateException("not a packable key column: " + v.getField());
            }
            first = false;
        }
        if (first) {
            clear(keys, bits, n);
        }
    }

    private static void clear(long[] keys, int[] bits, int n) {
        java.util.Arrays.fill(keys, 0, n, 0L);
        java.util.Arrays.fill(bits, 0, n, 0);
    }

    private static void put(long[] keys, int[] bits, int i, long token, int width) {
        int at = bits[i];
        if (at + width <= 64) {
            keys[i] |= token << at;
        }
        bits[i] = at + width;
    }

    /** Adds each row's string token; the first column sets {@code keys} and {@code bits} instead of adding. */
    private static void packStrings(VarCharVector v, int n, long[] keys, int[] bits, boolean first) {
        boolean nulls = v.getNullCount() > 0;
        ArrowBuf offsets = v.getOffsetBuffer();
        ArrowBuf data = v.getDataBuffer();
        if (offsets.capacity() < (long) (n + 1) * 4) {
            throw new IllegalStateException("string vector holds fewer than " + n + " offsets");
        }
        long offsetAddress = offsets.memoryAddress();
        long dataAddress = data.memoryAddress();
        long dataCapacity = data.capacity();
        for (int i = 0; i < n; i++) {
            if (nulls && v.isNull(i)) {
                if (first) {
                    keys[i] = 0;
                    bits[i] = 8;
                } else {
                    put(keys, bits, i, 0, 8);
                }
                continue;
            }
            int start = MemoryUtil.getInt(offsetAddress + (long) i * 4);
            int length = MemoryUtil.getInt(offsetAddress + (long) i * 4 + 4) - start;
            if (length > 7 || start < 0 || length < 0 || start + (long) length > dataCapacity) {
                keys[i] = first ? 0 : keys[i];
                bits[i] = 65;
                continue;
            }
            long token;
            if (LITTLE_ENDIAN && start + 8L <= dataCapacity) {
                // One read of eight bytes, shifted past the header and cut to the string's length.
                long bytes = MemoryUtil.getLong(dataAddress + start);
                token = ((bytes << 8) & (-1L >>> (56 - 8 * length))) | (length + 1);
            } else {
                token = length + 1;
                for (int b = 0; b < length; b++) {
                    token |= (MemoryUtil.getByte(dataAddress + start + b) & 0xFFL) << (8 * (b + 1));
                }
            }
            if (first) {
                keys[i] = token;
                bits[i] = 8 * (length + 1);
            } else {
                put(keys, bits, i, token, 8 * (length + 1));
            }
        }
    }

    private static void packIntegers(FieldVector v, int n, long[] keys, int[] bits) {
        boolean nulls = v.getNullCount() > 0;
        DateDayVector dates = v instanceof DateDayVector d ? d : null;
        BaseIntVector ints = dates == null ? (BaseIntVector) v : null;
        for (int i = 0; i < n; i++) {
            if (nulls && v.isNull(i)) {
                put(keys, bits, i, 0, 8);
                continue;
            }
            long x = dates != null ? dates.get(i) : ints.getValueAsLong(i);
            long zigzag = (x << 1) ^ (x >> 63);
            int bytes = (64 - Long.numberOfLeadingZeros(zigzag) + 7) >>> 3;
            if (bytes > 7) {
                bits[i] = 65;
                continue;
            }
            put(keys, bits, i, (bytes + 1) | (zigzag << 8), 8 * (bytes + 1));
        }
    }
}
