package dev.tarn.query.internal.operator;

import dev.tarn.query.internal.expression.Values;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseIntVector;
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
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Sort key columns extracted once into primitive arrays (one entry per buffered row), so a comparison reads two
 * array slots instead of boxing values. The order is the one {@link Values#compare} gives: numbers numerically
 * (a DECIMAL column has one scale, so its unscaled 128-bit values order it), strings by UTF-8 bytes (= code point
 * order), FALSE before TRUE; types without a primitive form keep their values and use {@link Values#compare}.
 */
final class SortKeys {
    private SortKeys() {}

    /** One key column over all buffered rows, with its direction and NULL placement. */
    abstract static class Column {
        final boolean descending;
        final boolean nullsFirst;
        /** {@code null} when the column has no NULLs. */
        boolean[] nulls;

        Column(SortOperator.Key key) {
            this.descending = key.descending();
            this.nullsFirst = key.nullsFirst();
        }

        /** Reads rows {@code [0, n)} of {@code v} into slots {@code [at, at+n)}. */
        abstract void read(FieldVector v, int n, int at);

        /** Compares two non-null values, ascending; {@code other} is a column of the same kind. */
        abstract int compareValues(int a, Column other, int b);

        final void readNulls(FieldVector v, int n, int at, int total) {
            if (v.getNullCount() == 0) {
                return;
            }
            if (nulls == null) {
                nulls = new boolean[total];
            }
            for (int i = 0; i < n; i++) {
                nulls[at + i] = v.isNull(i);
            }
        }

        final int compare(int a, Column other, int b) {
            boolean na = nulls != null && nulls[a];
            boolean nb = other.nulls != null && other.nulls[b];
            if (na || nb) {
                if (na && nb) {
                    return 0;
                }
                return na == nullsFirst ? -1 : 1;
            }
            int c = compareValues(a, other, b);
            return descending ? -c : c;
        }
    }

    /** Extracts the key columns of the buffered batches ({@code total} rows in all). */
    static Column[] extract(List<SortOperator.Key> keys, List<VectorSchemaRoot> buffered, int total) {
        Column[] columns = new Column[keys.size()];
        for (int k = 0; k < keys.size(); k++) {
            SortOperator.Key key = keys.get(k);
            Column column = null;
            int at = 0;
            for (VectorSchemaRoot root : buffered) {
                FieldVector v = root.getVector(key.column());
                if (column == null) {
                    column = newColumn(key, v, total);
                }
                int n = root.getRowCount();
                column.readNulls(v, n, at, total);
                column.read(v, n, at);
                at += n;
            }
            columns[k] = column != null ? column : new ObjectColumn(key, 0);
        }
        return columns;
    }

    /** Compares row {@code a} of one set of key columns with row {@code b} of another (same keys). */
    static int compare(Column[] left, int a, Column[] right, int b) {
        for (int k = 0; k < left.length; k++) {
            int c = left[k].compare(a, right[k], b);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static Column newColumn(SortOperator.Key key, FieldVector v, int total) {
        if (v instanceof BigIntVector || v instanceof IntVector || v instanceof SmallIntVector
                || v instanceof TinyIntVector || v instanceof DateDayVector || v instanceof TimeStampMicroVector
                || v instanceof TimeStampMicroTZVector || v instanceof BitVector) {
            return new LongColumn(key, total);
        } else if (v instanceof Float8Vector || v instanceof Float4Vector) {
            return new DoubleColumn(key, total);
        } else if (v instanceof DecimalVector) {
            return new DecimalColumn(key, total);
        } else if (v instanceof VarCharVector) {
            return new BytesColumn(key, total);
        }
        return new ObjectColumn(key, total);
    }

    private static final class LongColumn extends Column {
        private final long[] values;

        LongColumn(SortOperator.Key key, int total) {
            super(key);
            values = new long[total];
        }

        @Override
        void read(FieldVector v, int n, int at) {
            if (v instanceof BigIntVector b) {
                ArrowBuf data = b.getDataBuffer();
                for (int i = 0; i < n; i++) {
                    values[at + i] = data.getLong((long) i * 8);
                }
            } else if (v instanceof IntVector || v instanceof DateDayVector) {
                ArrowBuf data = v.getDataBuffer();
                for (int i = 0; i < n; i++) {
                    values[at + i] = data.getInt((long) i * 4);
                }
            } else if (v instanceof TimeStampMicroVector || v instanceof TimeStampMicroTZVector) {
                ArrowBuf data = v.getDataBuffer();
                for (int i = 0; i < n; i++) {
                    values[at + i] = data.getLong((long) i * 8);
                }
            } else if (v instanceof BitVector b) {
                for (int i = 0; i < n; i++) {
                    values[at + i] = b.isNull(i) ? 0 : b.get(i);
                }
            } else {
                BaseIntVector b = (BaseIntVector) v;
                for (int i = 0; i < n; i++) {
                    values[at + i] = v.isNull(i) ? 0 : b.getValueAsLong(i);
                }
            }
        }

        @Override
        int compareValues(int a, Column other, int b) {
            return Long.compare(values[a], ((LongColumn) other).values[b]);
        }
    }

    private static final class DoubleColumn extends Column {
        private final double[] values;

        DoubleColumn(SortOperator.Key key, int total) {
            super(key);
            values = new double[total];
        }

        @Override
        void read(FieldVector v, int n, int at) {
            if (v instanceof Float8Vector f) {
                ArrowBuf data = f.getDataBuffer();
                for (int i = 0; i < n; i++) {
                    values[at + i] = data.getDouble((long) i * 8);
                }
            } else {
                ArrowBuf data = v.getDataBuffer();
                for (int i = 0; i < n; i++) {
                    values[at + i] = data.getFloat((long) i * 4);
                }
            }
        }

        @Override
        int compareValues(int a, Column other, int b) {
            return Double.compare(values[a], ((DoubleColumn) other).values[b]);
        }
    }

    /** Unscaled 128-bit two's-complement values (Arrow stores them little-endian): high word signed, low unsigned. */
    private static final class DecimalColumn extends Column {
        private final long[] high;
        private final long[] low;

        DecimalColumn(SortOperator.Key key, int total) {
            super(key);
            high = new long[total];
            low = new long[total];
        }

        @Override
        void read(FieldVector v, int n, int at) {
            ArrowBuf data = v.getDataBuffer();
            for (int i = 0; i < n; i++) {
                low[at + i] = data.getLong((long) i * 16);
                high[at + i] = data.getLong((long) i * 16 + 8);
            }
        }

        @Override
        int compareValues(int a, Column other, int b) {
            DecimalColumn o = (DecimalColumn) other;
            int c = Long.compare(high[a], o.high[b]);
            return c != 0 ? c : Long.compareUnsigned(low[a], o.low[b]);
        }
    }

    /** UTF-8 strings compared as unsigned bytes, which is code point order. */
    private static final class BytesColumn extends Column {
        private static final byte[] EMPTY = new byte[0];
        private final byte[][] values;

        BytesColumn(SortOperator.Key key, int total) {
            super(key);
            values = new byte[total][];
        }

        @Override
        void read(FieldVector v, int n, int at) {
            VarCharVector s = (VarCharVector) v;
            for (int i = 0; i < n; i++) {
                byte[] bytes = s.isNull(i) ? null : s.get(i);
                values[at + i] = bytes == null ? EMPTY : bytes;
            }
        }

        @Override
        int compareValues(int a, Column other, int b) {
            return Arrays.compareUnsigned(values[a], ((BytesColumn) other).values[b]);
        }
    }

    /** Any other type: canonical values compared by {@link Values#compare}. */
    private static final class ObjectColumn extends Column {
        private final Object[] values;

        ObjectColumn(SortOperator.Key key, int total) {
            super(key);
            values = new Object[total];
        }

        @Override
        void read(FieldVector v, int n, int at) {
            Values.Reader reader = Values.reader(v);
            for (int i = 0; i < n; i++) {
                Object x = reader.get(i);
                values[at + i] = x;
                if (x == null && nulls == null) {
                    nulls = new boolean[values.length];
                }
                if (x == null) {
                    nulls[at + i] = true;
                }
            }
        }

        @Override
        int compareValues(int a, Column other, int b) {
            return Values.compare(values[a], ((ObjectColumn) other).values[b]);
        }
    }

    /** Comparator over row indexes. */
    interface RowComparator {
        int compare(int a, int b);
    }

    /** Stable merge sort of {@code order} (insertion sort for short runs). */
    static void sort(int[] order, RowComparator cmp) {
        int n = order.length;
        if (n < 2) {
            return;
        }
        int[] buffer = order.clone();
        mergeSort(buffer, order, 0, n, cmp);
    }

    /** Sorts {@code src[from, to)} into {@code dst[from, to)}; both start with the same contents. */
    private static void mergeSort(int[] src, int[] dst, int from, int to, RowComparator cmp) {
        int length = to - from;
        if (length <= 24) {
            for (int i = from + 1; i < to; i++) {
                int x = dst[i];
                int j = i - 1;
                while (j >= from && cmp.compare(dst[j], x) > 0) {
                    dst[j + 1] = dst[j];
                    j--;
                }
                dst[j + 1] = x;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(dst, src, from, mid, cmp);
        mergeSort(dst, src, mid, to, cmp);
        // Already in order: copy.
        if (cmp.compare(src[mid - 1], src[mid]) <= 0) {
            System.arraycopy(src, from, dst, from, length);
            return;
        }
        int p = from;
        int q = mid;
        for (int i = from; i < to; i++) {
            if (q >= to || (p < mid && cmp.compare(src[p], src[q]) <= 0)) {
                dst[i] = src[p++];
            } else {
                dst[i] = src[q++];
            }
        }
    }
}
