package dev.tarn.maintenance.internal;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Z-order values (a Morton code): each Z-order column's value is mapped to an order-preserving unsigned 64-bit key,
 * keys are normalized to the column's observed [min, max] range so every column contributes the same number of
 * significant bits, and the bits are interleaved, most significant first. Rows sorted by the result keep nearby
 * values of every column close together, so per-file min/max statistics become narrow in all columns at once.
 */
public final class ZOrderKeys {
    private ZOrderKeys() {}

    /** Whether a column of this type can be a Z-order key. */
    public static void checkSupported(String table, String column, DataType type) {
        if (type instanceof DecimalType) {
            return;
        }
        if (type instanceof PrimitiveType p && p != PrimitiveType.VOID) {
            return;
        }
        throw new TarnException(ErrorCode.VALIDATION_ERROR, "Cannot Z-order table " + table + " by column '" + column
                + "' of type " + type.simpleString() + ": only primitive columns can be Z-order keys");
    }

    /**
     * The order-preserving unsigned key (compare with {@link Long#compareUnsigned}) of a non-null value; strings and
     * binaries by their first 8 bytes.
     */
    public static long key(FieldVector v, int row) {
        if (v instanceof BigIntVector b) {
            return b.get(row) ^ Long.MIN_VALUE;
        } else if (v instanceof IntVector i) {
            return ((long) i.get(row)) ^ Long.MIN_VALUE;
        } else if (v instanceof SmallIntVector s) {
            return ((long) s.get(row)) ^ Long.MIN_VALUE;
        } else if (v instanceof TinyIntVector t) {
            return ((long) t.get(row)) ^ Long.MIN_VALUE;
        } else if (v instanceof DateDayVector d) {
            return ((long) d.get(row)) ^ Long.MIN_VALUE;
        } else if (v instanceof TimeStampVector t) {
            return t.get(row) ^ Long.MIN_VALUE;
        } else if (v instanceof Float8Vector f) {
            return doubleKey(f.get(row));
        } else if (v instanceof Float4Vector f) {
            return doubleKey(f.get(row));
        } else if (v instanceof DecimalVector d) {
            return doubleKey(d.getObject(row).doubleValue());
        } else if (v instanceof BitVector b) {
            return b.get(row);
        } else if (v instanceof VarCharVector s) {
            return prefixKey(s.get(row));
        } else if (v instanceof VarBinaryVector b) {
            return prefixKey(b.get(row));
        }
        throw new TarnException(ErrorCode.UNSUPPORTED_FEATURE, "Z-order over " + v.getField() + " is not supported");
    }

    private static long doubleKey(double d) {
        if (Double.isNaN(d)) {
            return -1L; // NaN sorts last, as in Spark
        }
        long bits = Double.doubleToLongBits(d == 0.0 ? 0.0 : d);
        return bits >= 0 ? bits ^ Long.MIN_VALUE : ~bits;
    }

    private static long prefixKey(byte[] bytes) {
        long k = 0;
        for (int i = 0; i < 8; i++) {
            k = (k << 8) | (i < bytes.length ? bytes[i] & 0xFF : 0);
        }
        return k;
    }

    /**
     * A key's offset within [min, max] scaled to exactly {@code bits} bits: its top {@code bits} significant bits
     * when the range is wider, shifted up when it is narrower, so that every column's most significant bit lands in
     * the top bit and a column with a small range (dates: a few thousand days) weighs as much in the interleaving as
     * one with a wide range (keys: millions). Nulls map to 0.
     */
    public static long normalize(long key, boolean isNull, long min, long max, int bits) {
        if (isNull || Long.compareUnsigned(key, min) < 0) {
            return 0;
        }
        long range = max - min;
        long offset = Long.compareUnsigned(key, max) > 0 ? range : key - min;
        int width = 64 - Long.numberOfLeadingZeros(range);
        if (width >= bits) {
            return offset >>> (width - bits);
        }
        return offset << (bits - width);
    }

    /** Interleaves {@code bits} bits of each normalized key, most significant bit first, column by column. */
    public static long interleave(long[] normalized, int bits) {
        long z = 0;
        for (int b = bits - 1; b >= 0; b--) {
            for (long n : normalized) {
                z = (z << 1) | ((n >>> b) & 1);
            }
        }
        return z;
    }

    /** Bits per column so that all columns fit 64 bits. */
    public static int bitsPerColumn(int columns) {
        return Math.max(1, 64 / columns);
    }
}
