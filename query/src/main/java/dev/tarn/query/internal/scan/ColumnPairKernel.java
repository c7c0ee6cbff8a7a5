package dev.tarn.query.internal.scan;

import dev.tarn.query.internal.catalog.PushedFilter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.FieldVector;

/**
 * {@code left op right} over two columns of one table and one integer, DATE or DECIMAL type (TPC-H's
 * {@code l_commitdate < l_receiptdate}), evaluated in the scan so the rows it drops are never decoded in the other
 * columns. Both vectors' values and validity are copied to the heap once per batch and compared in one loop per
 * operator without a branch per row. A row where either side is NULL is dropped (the comparison is not TRUE); one
 * where either side is a decimal beyond 64 bits is kept for the filter operator.
 */
final class ColumnPairKernel {
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final int width;
    private final PushedFilter.Op op;
    private final Side left = new Side();
    private final Side right = new Side();

    /** @param width bytes per value: 1, 2, 4, 8, or 16 (a decimal) */
    ColumnPairKernel(int width, PushedFilter.Op op) {
        if (width != 1 && width != 2 && width != 4 && width != 8 && width != 16) {
            throw new IllegalArgumentException("width must be 1, 2, 4, 8 or 16: " + width);
        }
        switch (op) {
            case EQ, NE, LT, LE, GT, GE -> { }
            default -> throw new IllegalArgumentException("not a comparison: " + op);
        }
        this.width = width;
        this.op = op;
    }

    /** Narrows {@code sel[0..n)} to the rows where {@code a op b}; returns the new count. */
    int refine(FieldVector a, FieldVector b, int[] sel, int n) {
        if (!left.load(a, width) || !right.load(b, width)) {
            return n; // not the representation this kernel reads: leave the rows to the filter operator
        }
        int count = n;
        if (left.nulls || right.nulls) {
            count = 0;
            for (int i = 0; i < n; i++) {
                int r = sel[i];
                sel[count] = r;
                count += left.valid(r) & right.valid(r);
            }
        }
        byte[] x = left.data;
        byte[] y = right.data;
        if (width == 4) {
            return switch (op) {
                case EQ -> ints(x, y, sel, count, 0, 0);
                case NE -> ints(x, y, sel, count, 0, 1);
                case LT -> ints(x, y, sel, count, 1, 0);
                case GE -> ints(x, y, sel, count, 1, 1);
                case GT -> ints(y, x, sel, count, 1, 0);
                default -> ints(y, x, sel, count, 1, 1); // LE: not y < x
            };
        }
        int out = 0;
        for (int i = 0; i < count; i++) {
            int r = sel[i];
            long u = value(x, r);
            long v = value(y, r);
            sel[out] = r;
            out += u == WIDE || v == WIDE || compare(u, v) ? 1 : 0;
        }
        return out;
    }

    /**
     * 4-byte values: keeps rows where {@code a < b} ({@code less} = 1) or {@code a == b} ({@code less} = 0),
     * negated when {@code negate} = 1.
     */
    private static int ints(byte[] a, byte[] b, int[] sel, int n, int less, int negate) {
        int out = 0;
        if (less == 1) {
            for (int i = 0; i < n; i++) {
                int r = sel[i];
                int u = (int) INT_LE.get(a, r * 4);
                int v = (int) INT_LE.get(b, r * 4);
                sel[out] = r;
                out += (u < v ? 1 : 0) ^ negate;
            }
        } else {
            for (int i = 0; i < n; i++) {
                int r = sel[i];
                int u = (int) INT_LE.get(a, r * 4);
                int v = (int) INT_LE.get(b, r * 4);
                sel[out] = r;
                out += (u == v ? 1 : 0) ^ negate;
            }
        }
        return out;
    }

    private boolean compare(long u, long v) {
        return switch (op) {
            case EQ -> u == v;
            case NE -> u != v;
            case LT -> u < v;
            case LE -> u <= v;
            case GT -> u > v;
            default -> u >= v;
        };
    }

    /** Stands for a decimal beyond 64 bits. */
    private static final long WIDE = Long.MIN_VALUE;

    private long value(byte[] b, int r) {
        return switch (width) {
            case 1 -> b[r];
            case 2 -> (short) SHORT_LE.get(b, r * 2);
            case 8 -> (long) LONG_LE.get(b, r * 8);
            default -> {
                long low = (long) LONG_LE.get(b, r * 16);
                yield (long) LONG_LE.get(b, r * 16 + 8) == (low >> 63) ? low : WIDE;
            }
        };
    }

    /** One column of the pair: heap copies of its values and validity for the current batch. */
    private static final class Side {
        byte[] data = new byte[0];
        byte[] validity = new byte[0];
        boolean nulls;

        /** False when the vector is not of the representation the kernel reads. */
        boolean load(FieldVector v, int width) {
            if (!(v instanceof BaseFixedWidthVector fixed) || fixed.getTypeWidth() != width) {
                return false;
            }
            int rows = v.getValueCount();
            int bytes = rows * width;
            if (data.length < bytes) {
                data = new byte[bytes];
            }
            v.getDataBuffer().getBytes(0, data, 0, bytes);
            nulls = v.getNullCount() > 0;
            if (nulls) {
                int validityBytes = (rows + 7) >>> 3;
                if (validity.length < validityBytes) {
                    validity = new byte[validityBytes];
                }
                v.getValidityBuffer().getBytes(0, validity, 0, validityBytes);
            }
            return true;
        }

        int valid(int r) {
            return nulls ? (validity[r >>> 3] >>> (r & 7)) & 1 : 1;
        }
    }
}
