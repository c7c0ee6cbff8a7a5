package dev.tarn.query.internal.operator;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The key columns of a batch's rows serialized into one byte string per row (a normalized key), so keys of any
 * supported types and any number of columns hash and compare as bytes, with no object per row. Per column a row
 * gets a NULL flag byte and then its value: integers, dates and timestamps as 8-byte longs, FLOAT/DOUBLE as the
 * bits of a double (-0.0 as 0.0, one NaN), DECIMAL as its 16-byte unscaled value, BOOLEAN as one byte, strings and
 * binaries as a 4-byte length and their bytes. A NULL value's bytes are zeros, so equal bytes mean equal keys
 * (NULL equal to NULL, as GROUP BY wants; joins skip rows with {@link #anyNull}).
 *
 * <p>Two batches' keys are comparable when their columns have equal {@link #kinds}: DECIMAL kinds include the scale,
 * since the unscaled values of different scales do not compare.
 */
final class NormalizedKeys {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** The encoded keys of rows {@code [0, rows)}: row i's bytes are {@code bytes[offsets[i], offsets[i + 1])}. */
    byte[] bytes = new byte[1024];
    int[] offsets = new int[1];
    long[] hashes = new long[0];
    /** Whether row i has a NULL in some key column. */
    boolean[] anyNull = new boolean[0];
    int rows;

    /**
     * The comparable kind of each key column ("L" integers, "D" dates, "T"/"TZ" timestamps, "F" floating point,
     * "M<scale>" decimals, "B" booleans, "S" strings, "Y" binaries), or null when some column has another type.
     */
    static String[] kinds(VectorSchemaRoot batch, int[] columns) {
        String[] kinds = new String[columns.length];
        for (int k = 0; k < columns.length; k++) {
            FieldVector v = batch.getVector(columns[k]);
            if (v instanceof BigIntVector || v instanceof IntVector || v instanceof SmallIntVector
                    || v instanceof TinyIntVector) {
                kinds[k] = "L";
            } else if (v instanceof DateDayVector) {
                kinds[k] = "D";
            } else if (v instanceof TimeStampMicroVector) {
                kinds[k] = "T";
            } else if (v instanceof TimeStampMicroTZVector) {
                kinds[k] = "TZ";
            } else if (v instanceof Float8Vector || v instanceof Float4Vector) {
                kinds[k] = "F";
            } else if (v instanceof DecimalVector d) {
                kinds[k] = "M" + d.getScale();
            } else if (v instanceof BitVector) {
                kinds[k] = "B";
            } else if (v instanceof VarCharVector) {
                kinds[k] = "S";
            } else if (v instanceof VarBinaryVector) {
                kinds[k] = "Y";
            } else {
                return null;
            }
        }
        return kinds;
    }

    /** Encodes and hashes the keys of rows {@code [0, n)}; the columns must have {@link #kinds}. */
    void encode(VectorSchemaRoot batch, int[] columns, int n) {
        rows = n;
        if (hashes.length < n) {
            int size = Math.max(n, 1024);
            offsets = new int[size + 1];
            hashes = new long[size];
            anyNull = new boolean[size];
        }
        // Row sizes first (fixed widths plus string lengths), then each column writes at its rows' cursors.
        int[] end = offsets;
        Arrays.fill(end, 0, n + 1, 0);
        Arrays.fill(anyNull, 0, n, false);
        int fixed = 0;
        for (int column : columns) {
            FieldVector v = batch.getVector(column);
            fixed += 1 + width(v);
            if (v instanceof VarCharVector || v instanceof VarBinaryVector) {
                ArrowBuf off = v.getOffsetBuffer();
                boolean nulls = v.getNullCount() > 0;
                for (int i = 0; i < n; i++) {
                    if (!(nulls && v.isNull(i))) {
                        end[i + 1] += off.getInt((long) (i + 1) * 4) - off.getInt((long) i * 4);
                    }
                }
            }
        }
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += fixed + end[i + 1];
            if (total > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("keys of one batch exceed 2 GB");
            }
            end[i + 1] = (int) total;
        }
        if (bytes.length < total) {
            bytes = new byte[(int) Math.max(total, Math.min(Integer.MAX_VALUE - 16, bytes.length * 2L))];
        }
        int[] cursor = new int[n];
        System.arraycopy(end, 0, cursor, 0, n);
        for (int column : columns) {
            write(batch.getVector(column), n, cursor);
        }
        hashRows(n);
    }

    private static int width(FieldVector v) {
        if (v instanceof DecimalVector) {
            return 16;
        }
        if (v instanceof BitVector) {
            return 1;
        }
        if (v instanceof VarCharVector || v instanceof VarBinaryVector) {
            return 4;
        }
        return 8;
    }

    private void write(FieldVector v, int n, int[] cursor) {
        byte[] b = bytes;
        boolean nulls = v.getNullCount() > 0;
        ArrowBuf data = v.getDataBuffer();
        for (int i = 0; i < n; i++) {
            boolean isNull = nulls && v.isNull(i);
            b[cursor[i]++] = isNull ? (byte) 0 : (byte) 1;
            anyNull[i] |= isNull;
        }
        if (v instanceof BigIntVector || v instanceof TimeStampMicroVector || v instanceof TimeStampMicroTZVector) {
            for (int i = 0; i < n; i++) {
                LONGS.set(b, cursor[i], nulls && v.isNull(i) ? 0L : data.getLong((long) i * 8));
                cursor[i] += 8;
            }
        } else if (v instanceof IntVector || v instanceof DateDayVector) {
            for (int i = 0; i < n; i++) {
                LONGS.set(b, cursor[i], nulls && v.isNull(i) ? 0L : (long) data.getInt((long) i * 4));
                cursor[i] += 8;
            }
        } else if (v instanceof SmallIntVector) {
            for (int i = 0; i < n; i++) {
                LONGS.set(b, cursor[i], nulls && v.isNull(i) ? 0L : (long) data.getShort((long) i * 2));
                cursor[i] += 8;
            }
        } else if (v instanceof TinyIntVector) {
            for (int i = 0; i < n; i++) {
                LONGS.set(b, cursor[i], nulls && v.isNull(i) ? 0L : (long) data.getByte(i));
                cursor[i] += 8;
            }
        } else if (v instanceof Float8Vector || v instanceof Float4Vector) {
            boolean single = v instanceof Float4Vector;
            for (int i = 0; i < n; i++) {
                long bits = 0L;
                if (!(nulls && v.isNull(i))) {
                    double d = single ? data.getFloat((long) i * 4) : data.getDouble((long) i * 8);
                    bits = Double.doubleToLongBits(d == 0.0 ? 0.0 : d);
                }
                LONGS.set(b, cursor[i], bits);
                cursor[i] += 8;
            }
        } else if (v instanceof DecimalVector) {
            for (int i = 0; i < n; i++) {
                boolean isNull = nulls && v.isNull(i);
                LONGS.set(b, cursor[i], isNull ? 0L : data.getLong((long) i * 16));
                LONGS.set(b, cursor[i] + 8, isNull ? 0L : data.getLong((long) i * 16 + 8));
                cursor[i] += 16;
            }
        } else if (v instanceof BitVector bits) {
            for (int i = 0; i < n; i++) {
                b[cursor[i]++] = nulls && v.isNull(i) ? 0 : (byte) bits.get(i);
            }
        } else {
            ArrowBuf off = v.getOffsetBuffer();
            for (int i = 0; i < n; i++) {
                int start = off.getInt((long) i * 4);
                // A NULL's offsets may span bytes; its key is the empty value (the flag tells it from '').
                int length = nulls && v.isNull(i) ? 0 : off.getInt((long) (i + 1) * 4) - start;
                INTS.set(b, cursor[i], length);
                if (length > 0) {
                    data.getBytes(start, b, cursor[i] + 4, length);
                }
                cursor[i] += 4 + length;
            }
        }
    }

    private void hashRows(int n) {
        for (int i = 0; i < n; i++) {
            hashes[i] = hash(bytes, offsets[i], offsets[i + 1] - offsets[i]);
        }
    }

    /** A 64-bit hash of {@code b[off, off + len)}, eight bytes at a time. */
    static long hash(byte[] b, int off, int len) {
        long h = 0x5bd1e995L ^ len;
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            h = (h ^ (long) LONGS.get(b, i)) * 0x9E3779B97F4A7C15L;
            h ^= h >>> 29;
        }
        long tail = 0;
        for (int s = 0; i < end; i++, s += 8) {
            tail |= (b[i] & 0xFFL) << s;
        }
        h = (h ^ tail) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    /** Whether row {@code i}'s key equals {@code other[off, off + len)}. */
    boolean equals(int i, byte[] other, int off, int len) {
        int start = offsets[i];
        return offsets[i + 1] - start == len && Arrays.equals(bytes, start, start + len, other, off, off + len);
    }
}
