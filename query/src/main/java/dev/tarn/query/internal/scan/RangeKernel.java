package dev.tarn.query.internal.scan;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.FieldVector;

/**
 * {@code lo <= x <= hi} over a fixed-width integer, DATE or DECIMAL column: every literal comparison a scan pushes on
 * one column ({@code x >= a AND x < b}, {@code x = c}) merged into one pass, so each value is read once per batch.
 * The vector's values and validity are copied to the heap once per batch and the loop reads them in place, keeping a
 * row without a branch. NULL never passes; a decimal beyond 64 bits always does (the filter operator decides it).
 */
final class RangeKernel implements ScanRowFilter.Kernel {
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final int width;
    private final long lo;
    private final long hi;
    private byte[] data = new byte[0];
    private byte[] validity = new byte[0];

    /** @param width bytes per value: 1, 2, 4, 8, or 16 (a decimal) */
    RangeKernel(int width, long lo, long hi) {
        if (width != 1 && width != 2 && width != 4 && width != 8 && width != 16) {
            throw new IllegalArgumentException("width must be 1, 2, 4, 8 or 16: " + width);
        }
        this.width = width;
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
    public int refine(FieldVector v, int[] sel, int n) {
        if (!(v instanceof BaseFixedWidthVector fixed) || fixed.getTypeWidth() != width) {
            return n; // not the representation this kernel reads: leave the rows to the filter operator
        }
        if (lo > hi) {
            return 0; // contradictory bounds: no value passes
        }
        int rows = v.getValueCount();
        int bytes = rows * width;
        if (data.length < bytes) {
            data = new byte[bytes];
        }
        v.getDataBuffer().getBytes(0, data, 0, bytes);
        boolean nulls = v.getNullCount() > 0;
        if (nulls) {
            int validityBytes = (rows + 7) >>> 3;
            if (validity.length < validityBytes) {
                validity = new byte[validityBytes];
            }
            v.getValidityBuffer().getBytes(0, validity, 0, validityBytes);
        }
        return switch (width) {
            case 4 -> nulls ? ints(data, validity, sel, n) : ints(data, sel, n);
            case 8 -> nulls ? longs(data, validity, sel, n) : longs(data, sel, n);
            case 16 -> decimals(data, nulls ? validity : null, sel, n);
            default -> narrow(data, nulls ? validity : null, sel, n);
        };
    }

    private static int valid(byte[] validity, int r) {
        return (validity[r >>> 3] >>> (r & 7)) & 1;
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

    private int ints(byte[] b, byte[] validity, int[] sel, int n) {
        long lo = this.lo;
        long hi = this.hi;
        int out = 0;
        for (int i = 0; i < n; i++) {
            int r = sel[i];
            long x = (int) INT_LE.get(b, r * 4);
            sel[out] = r;
            out += (x >= lo & x <= hi ? 1 : 0) & valid(validity, r);
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

    private int longs(byte[] b, byte[] validity, int[] sel, int n) {
        long lo = this.lo;
        long hi = this.hi;
        int out = 0;
        for (int i = 0; i < n; i++) {
            int r = sel[i];
            long x = (long) LONG_LE.get(b, r * 8);
            sel[out] = r;
            out += (x >= lo & x <= hi ? 1 : 0) & valid(validity, r);
        }
        return out;
    }

    /** 16-byte decimals: the low long is the value when the high long only extends its sign. */
    private int decimals(byte[] b, byte[] validity, int[] sel, int n) {
        long lo = this.lo;
        long hi = this.hi;
        int out = 0;
        for (int i = 0; i < n; i++) {
            int r = sel[i];
            long x = (long) LONG_LE.get(b, r * 16);
            long high = (long) LONG_LE.get(b, r * 16 + 8);
            boolean wide = high != (x >> 63);
            sel[out] = r;
            out += (x >= lo & x <= hi | wide ? 1 : 0) & (validity == null ? 1 : valid(validity, r));
        }
        return out;
    }

    private int narrow(byte[] b, byte[] validity, int[] sel, int n) {
        int out = 0;
        for (int i = 0; i < n; i++) {
            int r = sel[i];
            long x = width == 1 ? b[r] : (short) SHORT_LE.get(b, r * 2);
            sel[out] = r;
            out += (x >= lo & x <= hi ? 1 : 0) & (validity == null ? 1 : valid(validity, r));
        }
        return out;
    }
}
