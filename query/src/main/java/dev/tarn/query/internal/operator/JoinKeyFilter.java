package dev.tarn.query.internal.operator;

import dev.tarn.query.internal.execution.Operator;
import java.util.List;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The integer (or date) keys of a hash join's build side as a bitmap over their range, handed to the scan that feeds
 * the probe side (sideways information passing, as DuckDB's and Trino's dynamic filters): the scan tests the key
 * column first and decodes the other columns only for rows whose key the build side has. TPC-H's selective joins
 * (a few thousand parts against six million line items) then decode a few percent of the probe rows. Only keys
 * within a range of {@value #MAX_RANGE} values are kept this way; NULL keys never match.
 */
public final class JoinKeyFilter {
    /** The widest key range a filter covers (a bitmap of 8 MiB). */
    static final long MAX_RANGE = 1L << 26;

    private final long min;
    private final long max;
    private final long[] bits;

    private JoinKeyFilter(long min, long max, long[] bits) {
        this.min = min;
        this.max = max;
        this.bits = bits;
    }

    /**
     * The keys of column {@code column} of the build batches, or null when the column is not an integer or date
     * column or its keys span more than {@value #MAX_RANGE} values.
     */
    static JoinKeyFilter of(List<VectorSchemaRoot> batches, int column) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (VectorSchemaRoot b : batches) {
            FieldVector v = b.getVector(column);
            if (!(v instanceof BaseIntVector) && !(v instanceof DateDayVector)) {
                return null;
            }
            int n = b.getRowCount();
            for (int i = 0; i < n; i++) {
                if (!v.isNull(i)) {
                    long x = value(v, i);
                    min = Math.min(min, x);
                    max = Math.max(max, x);
                }
            }
        }
        if (min > max) {
            return new JoinKeyFilter(1, 0, new long[0]); // no key: nothing can match
        }
        if (max - min >= MAX_RANGE || max - min < 0) {
            return null;
        }
        long[] bits = new long[(int) ((max - min) >>> 6) + 1];
        for (VectorSchemaRoot b : batches) {
            FieldVector v = b.getVector(column);
            int n = b.getRowCount();
            for (int i = 0; i < n; i++) {
                if (!v.isNull(i)) {
                    long d = value(v, i) - min;
                    bits[(int) (d >>> 6)] |= 1L << d;
                }
            }
        }
        return new JoinKeyFilter(min, max, bits);
    }

    private static long value(FieldVector v, int i) {
        return v instanceof BaseIntVector ints ? ints.getValueAsLong(i) : ((DateDayVector) v).get(i);
    }

    /** Whether the build side has key {@code key}. */
    public boolean contains(long key) {
        if (key < min || key > max) {
            return false;
        }
        long d = key - min;
        return (bits[(int) (d >>> 6)] & (1L << d)) != 0;
    }

    private static final java.lang.invoke.VarHandle INT_LE = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.invoke.VarHandle LONG_LE = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * Narrows the rows {@code sel[0..n)} to those whose key the build side has, compacting {@code sel} in place
     * without a branch per row: the keys are {@code width}-byte (4 or 8) little-endian integers, row {@code r}'s at
     * {@code r * width} of {@code values}; {@code defined} (null: all) flags the non-NULL rows. Returns the count.
     */
    public int retain(byte[] values, int width, byte[] defined, int[] sel, int n) {
        if (width != 4 && width != 8) {
            throw new IllegalArgumentException("width must be 4 or 8: " + width);
        }
        long lo = min;
        long span = max - min; // < MAX_RANGE, or negative for the empty filter
        if (span < 0) {
            return 0;
        }
        long[] b = bits;
        int out = 0;
        for (int i = 0; i < n; i++) {
            int r = sel[i];
            long d = (width == 4 ? (int) INT_LE.get(values, r * 4) : (long) LONG_LE.get(values, r * 8)) - lo;
            // Unsigned compare: keys below min wrap to huge offsets. The word index is clamped so it is always in range.
            int in = Long.compareUnsigned(d, span) <= 0 ? 1 : 0;
            int word = (int) ((d & -in) >>> 6);
            int hit = (int) (b[word] >>> (d & 63)) & in;
            if (defined != null) {
                hit &= defined[r];
            }
            sel[out] = r;
            out += hit;
        }
        return out;
    }

    /**
     * Hands {@code filter} to the scan under {@code probe} that reads {@code column}, following rows through
     * {@link RowSource}s; false when the column is computed on the way or no scan takes it.
     */
    static boolean attach(Operator probe, int column, JoinKeyFilter filter) {
        Target t = target(probe, column);
        return t != null && t.scan().addKeyFilter(t.column(), filter);
    }

    /**
     * Whether {@code column} of {@code probe} comes unchanged from a scan that can take a filter: only then is the
     * build side's bitmap worth making.
     */
    static boolean reachesScan(Operator probe, int column) {
        return target(probe, column) != null;
    }

    private record Target(KeyFilterTarget scan, int column) {}

    private static Target target(Operator probe, int column) {
        Operator op = probe;
        int c = column;
        while (op instanceof RowSource source && !(op instanceof KeyFilterTarget)) {
            c = source.inputColumn(c);
            if (c < 0) {
                return null;
            }
            op = source.rowInput();
        }
        return op instanceof KeyFilterTarget scan ? new Target(scan, c) : null;
    }
}
