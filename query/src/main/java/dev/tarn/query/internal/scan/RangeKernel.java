package dev.tarn.query.internal.scan;

import dev.tarn.storage.parquet.StagedColumn;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * {@code lo <= x <= hi} over an integer, DATE or DECIMAL column: every literal comparison a scan pushes on one column
 * ({@code x >= a AND x < b}, {@code x = c}) merged into one pass, so each value is read once per batch. It reads the
 * reader's staged values in place (4- or 8-byte integers; a decimal's unscaled value), keeping a row without a
 * branch; the first kernel of a batch, whose selection is every row, skips the selection's indirection. NULL never
 * passes.
 */
final class RangeKernel implements ScanRowFilter.Kernel {
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long lo;
    private final long hi;

    RangeKernel(long lo, long hi) {
        this.lo = lo;
        this.hi = hi;
    }

    long lo() {
        return lo;
    }

    long hi() {
        return hi;
    }

    @Override
    public int refine(StagedColumn column, int[] sel, int n) {
        if (column.layout() != StagedColumn.Layout.FIXED) {
            throw ScanRowFilter.unexpected(column);
        }
        if (lo > hi) {
            return 0; // contradictory bounds: no value passes
        }
        byte[] values = column.values();
        byte[] defined = column.definedFlags();
        boolean dense = n == column.rows(); // ascending distinct rows of [0, rows): every row
        if (column.width() == 4) {
            if (defined == null) {
                return dense ? intsDense(values, sel, n) : ints(values, sel, n);
            }
            return ints(values, defined, sel, n);
        }
        return defined == null ? longs(values, sel, n) : longs(values, defined, sel, n);
    }

    private int intsDense(byte[] b, int[] sel, int n) {
        // Offsets from lo compared unsigned: one comparison per row for both bounds.
        long lo = this.lo;
        long span = hi - lo;
        if (span < 0) {
            return ints(b, sel, n); // the range spans more than a long: compare both bounds
        }
        int out = 0;
        for (int r = 0; r < n; r++) {
            long x = (int) INT_LE.get(b, r * 4);
            sel[out] = r;
            out += Long.compareUnsigned(x - lo, span) <= 0 ? 1 : 0;
        }
        return out;
    }

    private int ints(byte[] b, int[] sel, int n) {
        long lo = this.lo;
        long hi = this.hi;
        int out = 0;
        for (int i = 0; i < n; i++) {
            int r = sel[i];
            long x = (int) INT_LE.get(b, r * 4);
            sel[out] = r;
            out += x >= lo & x <= hi ? 1 : 0;
        }
        return out;
    }

    private int ints(byte[] b, byte[] defined, int[] sel, int n) {
        long lo = this.lo;
        long hi = this.hi;
        int out = 0;
        for (int i = 0; i < n; i++) {
            int r = sel[i];
            long x = (int) INT_LE.get(b, r * 4);
            sel[out] = r;
            out += (x >= lo & x <= hi ? 1 : 0) & defined[r];
        }
        return out;
    }

    private int longs(byte[] b, int[] sel, int n) {
        long lo = this.lo;
        long hi = this.hi;
        int out = 0;
        for (int i = 0; i < n; i++) {
            int r = sel[i];
            long x = (long) LONG_LE.get(b, r * 8);
            sel[out] = r;
            out += x >= lo & x <= hi ? 1 : 0;
        }
        return out;
    }

    private int longs(byte[] b, byte[] defined, int[] sel, int n) {
        long lo = this.lo;
        long hi = this.hi;
        int out = 0;
        for (int i = 0; i < n; i++) {
            int r = sel[i];
            long x = (long) LONG_LE.get(b, r * 8);
            sel[out] = r;
            out += (x >= lo & x <= hi ? 1 : 0) & defined[r];
        }
        return out;
    }
}
