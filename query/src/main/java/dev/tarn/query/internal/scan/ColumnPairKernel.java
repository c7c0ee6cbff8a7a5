package dev.tarn.query.internal.scan;

import dev.tarn.query.internal.catalog.PushedFilter;
import dev.tarn.storage.parquet.StagedColumn;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * {@code left op right} over two columns of one table and one integer, DATE or DECIMAL type (TPC-H's
 * {@code l_commitdate < l_receiptdate}), evaluated in the scan so the rows it drops are never decoded in the other
 * columns. It reads both columns' staged values in place (4- or 8-byte integers; a decimal's unscaled value, which
 * two columns of one DECIMAL type share the scale of) in one loop per operator without a branch per row. A row
 * where either side is NULL is dropped (the comparison is not TRUE).
 */
final class ColumnPairKernel {
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final PushedFilter.Op op;

    ColumnPairKernel(PushedFilter.Op op) {
        switch (op) {
            case EQ, NE, LT, LE, GT, GE -> { }
            default -> throw new IllegalArgumentException("not a comparison: " + op);
        }
        this.op = op;
    }

    /** Narrows {@code sel[0..n)} to the rows where {@code a op b}; returns the new count. */
    int refine(StagedColumn a, StagedColumn b, int[] sel, int n) {
        if (a.layout() != StagedColumn.Layout.FIXED) {
            throw ScanRowFilter.unexpected(a);
        }
        if (b.layout() != StagedColumn.Layout.FIXED) {
            throw ScanRowFilter.unexpected(b);
        }
        int count = n;
        byte[] da = a.definedFlags();
        byte[] db = b.definedFlags();
        if (da != null || db != null) {
            count = 0;
            for (int i = 0; i < n; i++) {
                int r = sel[i];
                sel[count] = r;
                count += (da == null ? 1 : da[r]) & (db == null ? 1 : db[r]);
            }
        }
        byte[] x = a.values();
        byte[] y = b.values();
        if (a.width() == 4 && b.width() == 4) {
            return switch (op) {
                case EQ -> ints(x, y, sel, count, 0, 0);
                case NE -> ints(x, y, sel, count, 0, 1);
                case LT -> ints(x, y, sel, count, 1, 0);
                case GE -> ints(x, y, sel, count, 1, 1);
                case GT -> ints(y, x, sel, count, 1, 0);
                default -> ints(y, x, sel, count, 1, 1); // LE: not y < x
            };
        }
        int wa = a.width();
        int wb = b.width();
        int out = 0;
        for (int i = 0; i < count; i++) {
            int r = sel[i];
            long u = wa == 4 ? (int) INT_LE.get(x, r * 4) : (long) LONG_LE.get(x, r * 8);
            long v = wb == 4 ? (int) INT_LE.get(y, r * 4) : (long) LONG_LE.get(y, r * 8);
            sel[out] = r;
            out += compare(u, v) ? 1 : 0;
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
}
