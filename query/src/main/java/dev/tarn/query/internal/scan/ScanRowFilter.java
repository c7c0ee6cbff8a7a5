package dev.tarn.query.internal.scan;

import dev.tarn.query.internal.catalog.PushedFilter;
import dev.tarn.storage.parquet.ParquetRowFilter;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The pushed filters a scan can evaluate on the stored columns as the Parquet reader decodes them (late
 * materialization, {@link ParquetRowFilter}): comparisons and IN lists of integer, DATE and DECIMAL columns with
 * exact literals, comparisons of two such columns of one type ({@code l_commitdate < l_receiptdate}), string
 * equality and IN, IS [NOT] NULL. Each narrows a selection vector in a tight loop over the
 * Arrow buffers. A filter it cannot evaluate exactly is left to the query's filter operator, which always runs
 * above the scan, so this only ever removes rows the query would drop anyway (a comparison is never TRUE for NULL).
 */
final class ScanRowFilter implements ParquetRowFilter {
    /** Narrows {@code selection[0..count)} of {@code vector} to the rows passing; returns the new count. */
    interface Kernel {
        int refine(FieldVector vector, int[] selection, int count);
    }

    /** A kernel and the batch columns (indexes into the stored columns) it reads: one, or two for a column pair. */
    private record Bound(int column, int otherColumn, Kernel kernel, ColumnPairKernel pair) {
        int refine(VectorSchemaRoot batch, int[] sel, int n) {
            return pair == null ? kernel.refine(batch.getVector(column), sel, n)
                    : pair.refine(batch.getVector(column), batch.getVector(otherColumn), sel, n);
        }
    }

    private final List<Bound> bounds;
    private final int[] columns;

    private ScanRowFilter(List<Bound> bounds) {
        this.bounds = bounds;
        this.columns = bounds.stream().flatMapToInt(b -> b.pair() == null ? java.util.stream.IntStream.of(b.column())
                : java.util.stream.IntStream.of(b.column(), b.otherColumn())).distinct().toArray();
    }

    /**
     * The filters among {@code filters} evaluable on {@code stored} (the columns a scan reads from its files, in
     * request order), or empty when there are none. Partition columns are not stored and never match.
     */
    static Optional<ScanRowFilter> of(StructType schema, StructType stored, List<PushedFilter> filters) {
        List<Bound> bounds = new ArrayList<>();
        List<Bound> pairs = new ArrayList<>();
        for (PushedFilter f : filters) {
            StructField field = schema.fields().get(f.column());
            int column = stored.fields().indexOf(field);
            if (column < 0) {
                continue;
            }
            if (f.comparesColumns()) {
                StructField other = schema.fields().get(f.otherColumn());
                int otherColumn = stored.fields().indexOf(other);
                int width = otherColumn < 0 || !field.type().equals(other.type()) ? 0 : longWidth(field.type());
                if (width > 0) {
                    pairs.add(new Bound(column, otherColumn, null, new ColumnPairKernel(width, f.op())));
                }
                continue;
            }
            Kernel k = kernel(field.type(), f);
            if (k != null) {
                bounds.add(new Bound(column, -1, k, null));
            }
        }
        bounds = mergeRanges(bounds);
        // Cheapest per row first, so the costlier kernels see only the rows the cheap ones keep: fixed-width
        // comparisons (which typically keep fewer rows, too), then column pairs (about half), then strings, whose
        // bytes are compared (TPC-H Q12's l_shipmode IN runs after the l_receiptdate range has kept a seventh).
        List<Bound> strings = bounds.stream().filter(b -> b.kernel() instanceof StringInKernel).toList();
        bounds.removeAll(strings);
        bounds.addAll(pairs);
        bounds.addAll(strings);
        return bounds.isEmpty() ? Optional.empty() : Optional.of(new ScanRowFilter(List.copyOf(bounds)));
    }

    /**
     * The literal comparisons of each column ({@code =, <, <=, >, >=}) merged into one {@link RangeKernel} at the
     * place of the column's first, so a column's values are read once per batch however many bounds it has.
     */
    private static List<Bound> mergeRanges(List<Bound> bounds) {
        java.util.Map<Integer, long[]> ranges = new java.util.HashMap<>();
        for (Bound b : bounds) {
            if (b.kernel() instanceof FixedKernel f && f.range() != null) {
                long[] r = ranges.computeIfAbsent(b.column(), c -> new long[] {Long.MIN_VALUE, Long.MAX_VALUE, f.width});
                r[0] = Math.max(r[0], f.range()[0]);
                r[1] = Math.min(r[1], f.range()[1]);
            }
        }
        List<Bound> out = new ArrayList<>();
        for (Bound b : bounds) {
            if (b.kernel() instanceof FixedKernel f && f.range() != null) {
                long[] r = ranges.remove(b.column());
                if (r != null) {
                    out.add(new Bound(b.column(), -1, new RangeKernel((int) r[2], r[0], r[1]), null));
                }
            } else {
                out.add(b);
            }
        }
        return out;
    }

    @Override
    public int[] columns() {
        return columns.clone();
    }

    @Override
    public int select(VectorSchemaRoot batch, int rows, int[] selection) {
        for (int i = 0; i < rows; i++) {
            selection[i] = i;
        }
        int count = rows;
        for (Bound b : bounds) {
            if (count == 0) {
                break;
            }
            count = b.refine(batch, selection, count);
        }
        return count;
    }

    private static Kernel kernel(DataType type, PushedFilter f) {
        if (f.op() == PushedFilter.Op.IS_NULL) {
            return (v, sel, n) -> keepNulls(v, sel, n, true);
        }
        if (f.op() == PushedFilter.Op.IS_NOT_NULL) {
            return (v, sel, n) -> keepNulls(v, sel, n, false);
        }
        List<Object> values = f.values();
        if (values.isEmpty() || values.stream().anyMatch(java.util.Objects::isNull)) {
            return null;
        }
        if (type instanceof DecimalType d) {
            return f.op() == PushedFilter.Op.IN ? longIn(values, o -> unscaled(o, d.scale()), 16)
                    : decimalCompare(f.op(), values.get(0), d.scale());
        }
        if (!(type instanceof PrimitiveType p)) {
            return null;
        }
        return switch (p) {
            case BYTE, SHORT, INTEGER, LONG, DATE -> {
                int width = switch (p) {
                    case BYTE -> 1;
                    case SHORT -> 2;
                    case INTEGER, DATE -> 4;
                    default -> 8;
                };
                java.util.function.Function<Object, Long> asLong = p == PrimitiveType.DATE
                        ? o -> o instanceof LocalDate day ? day.toEpochDay() : null
                        : ScanRowFilter::integral;
                if (f.op() == PushedFilter.Op.IN) {
                    yield longIn(values, asLong, width);
                }
                Long c = asLong.apply(values.get(0));
                yield c == null ? null : longCompare(f.op(), c, width);
            }
            case STRING -> {
                if (f.op() != PushedFilter.Op.EQ && f.op() != PushedFilter.Op.IN) {
                    yield null;
                }
                List<byte[]> wanted = new ArrayList<>();
                for (Object o : values) {
                    if (!(o instanceof String s)) {
                        yield null;
                    }
                    wanted.add(s.getBytes(StandardCharsets.UTF_8));
                }
                yield new StringInKernel(wanted.toArray(new byte[0][]));
            }
            default -> null;
        };
    }

    /** Bytes per value of a type the kernels read as longs (integers, DATE, DECIMAL), or 0. */
    private static int longWidth(DataType type) {
        if (type instanceof DecimalType) {
            return 16;
        }
        if (!(type instanceof PrimitiveType p)) {
            return 0;
        }
        return switch (p) {
            case BYTE -> 1;
            case SHORT -> 2;
            case INTEGER, DATE -> 4;
            case LONG -> 8;
            default -> 0;
        };
    }

    private static Long integral(Object o) {
        if (o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte) {
            return ((Number) o).longValue();
        }
        if (o instanceof BigDecimal b) {
            try {
                return b.longValueExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        return null;
    }

    /** The literal's unscaled value at {@code scale} when exact and within a long, else null. */
    private static Long unscaled(Object o, int scale) {
        BigDecimal b = decimal(o);
        if (b == null) {
            return null;
        }
        try {
            return b.setScale(scale, RoundingMode.UNNECESSARY).unscaledValue().longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static BigDecimal decimal(Object o) {
        if (o instanceof BigDecimal b) {
            return b;
        }
        Long l = integral(o);
        return l == null ? null : BigDecimal.valueOf(l);
    }

    /**
     * A comparison of a DECIMAL column of {@code scale} with a literal, on unscaled longs: a literal with more
     * digits than the scale becomes the nearest bound that keeps the same rows ({@code x < 1.005} at scale 2 is
     * {@code x <= 1.00}); equality with such a literal is left to the filter operator.
     */
    private static Kernel decimalCompare(PushedFilter.Op op, Object literal, int scale) {
        BigDecimal b = decimal(literal);
        if (b == null) {
            return null;
        }
        BigDecimal shifted = b.movePointRight(scale);
        PushedFilter.Op effective = op;
        BigDecimal bound = shifted;
        if (shifted.stripTrailingZeros().scale() > 0) {
            switch (op) {
                case LT, LE -> {
                    bound = shifted.setScale(0, RoundingMode.FLOOR);
                    effective = PushedFilter.Op.LE;
                }
                case GT, GE -> {
                    bound = shifted.setScale(0, RoundingMode.CEILING);
                    effective = PushedFilter.Op.GE;
                }
                default -> {
                    return null;
                }
            }
        }
        long c;
        try {
            c = bound.setScale(0, RoundingMode.UNNECESSARY).longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
        return longCompare(effective, c, 16);
    }

    // ---- kernels ----

    private static boolean isValid(ArrowBuf validity, int row) {
        return ((validity.getByte(row >>> 3) >>> (row & 7)) & 1) != 0;
    }

    private static int keepNulls(FieldVector v, int[] sel, int n, boolean nulls) {
        if (v.getNullCount() == 0) {
            return nulls ? 0 : n;
        }
        ArrowBuf validity = v.getValidityBuffer();
        int out = 0;
        for (int i = 0; i < n; i++) {
            int r = sel[i];
            if (isValid(validity, r) != nulls) {
                sel[out++] = r;
            }
        }
        return out;
    }

    private static final java.lang.invoke.VarHandle SHORT_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(short[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.invoke.VarHandle INT_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.invoke.VarHandle LONG_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * The value of row {@code r} of fixed-width integers of {@code width} bytes copied into {@code b} (16: a decimal,
     * whose value must fit in its low 64 bits; {@link #WIDE} otherwise).
     */
    private static long value(byte[] b, int r, int width) {
        return switch (width) {
            case 1 -> b[r];
            case 2 -> (short) SHORT_LE.get(b, r * 2);
            case 4 -> (int) INT_LE.get(b, r * 4);
            case 8 -> (long) LONG_LE.get(b, r * 8);
            default -> {
                long low = (long) LONG_LE.get(b, r * 16);
                yield (long) LONG_LE.get(b, r * 16 + 8) == (low >> 63) ? low : WIDE;
            }
        };
    }

    /** Stands for a decimal beyond 64 bits, which the kernels keep (the filter operator decides). */
    private static final long WIDE = Long.MIN_VALUE;

    /**
     * A comparison or IN list over fixed-width integers: the vector's values and validity are copied to the heap once
     * per batch (one bulk copy each), so the per-row loop reads plain arrays without Arrow's bounds checks.
     */
    private static final class FixedKernel implements Kernel {
        private final int width;
        private final PushedFilter.Op op;
        private final long c;
        private final long[] wanted;
        private byte[] data = new byte[0];
        private byte[] validity = new byte[0];
        private long[] xs = new long[0];

        FixedKernel(int width, PushedFilter.Op op, long c, long[] wanted) {
            this.width = width;
            this.op = op;
            this.c = c;
            this.wanted = wanted;
        }

        /** The inclusive {@code [lo, hi]} this comparison keeps ({@code lo > hi}: none), or null for NE and IN. */
        long[] range() {
            return switch (op) {
                case EQ -> new long[] {c, c};
                case LT -> c == Long.MIN_VALUE ? new long[] {1, 0} : new long[] {Long.MIN_VALUE, c - 1};
                case LE -> new long[] {Long.MIN_VALUE, c};
                case GT -> c == Long.MAX_VALUE ? new long[] {1, 0} : new long[] {c + 1, Long.MAX_VALUE};
                case GE -> new long[] {c, Long.MAX_VALUE};
                default -> null;
            };
        }

        @Override
        public int refine(FieldVector v, int[] sel, int n) {
            if (!(v instanceof BaseFixedWidthVector fixed) || fixed.getTypeWidth() != width) {
                return n; // not the representation this kernel reads: leave the rows to the filter operator
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
            int count = n;
            if (nulls) {
                count = 0;
                byte[] valid = validity;
                for (int i = 0; i < n; i++) {
                    int r = sel[i];
                    sel[count] = r;
                    count += (valid[r >>> 3] >>> (r & 7)) & 1;
                }
            }
            if (xs.length < count) {
                xs = new long[Math.max(count, xs.length * 2)];
            }
            boolean anyWide = load(data, width, sel, count, xs);
            return keep(xs, sel, count, op, c, wanted, anyWide);
        }
    }

    /**
     * The values of rows {@code sel[0..n)} as longs (see {@link #value}), one loop per width; true when some
     * decimal is {@link #WIDE}.
     */
    private static boolean load(byte[] b, int width, int[] sel, int n, long[] xs) {
        switch (width) {
            case 1 -> {
                for (int i = 0; i < n; i++) {
                    xs[i] = b[sel[i]];
                }
            }
            case 2 -> {
                for (int i = 0; i < n; i++) {
                    xs[i] = (short) SHORT_LE.get(b, sel[i] * 2);
                }
            }
            case 4 -> {
                for (int i = 0; i < n; i++) {
                    xs[i] = (int) INT_LE.get(b, sel[i] * 4);
                }
            }
            case 8 -> {
                for (int i = 0; i < n; i++) {
                    xs[i] = (long) LONG_LE.get(b, sel[i] * 8);
                }
            }
            default -> {
                boolean wide = false;
                for (int i = 0; i < n; i++) {
                    long x = value(b, sel[i], 16);
                    xs[i] = x;
                    wide |= x == WIDE;
                }
                return wide;
            }
        }
        return false;
    }

    /**
     * Keeps the rows {@code sel[i]} whose value {@code xs[i]} passes, compacting {@code sel} in place without a
     * branch per row (one loop per operator); {@code keepWide}: also rows holding {@link #WIDE}.
     */
    private static int keep(long[] xs, int[] sel, int n, PushedFilter.Op op, long k, long[] wanted, boolean keepWide) {
        if (!keepWide) {
            return keepNarrow(xs, sel, n, op, k, wanted);
        }
        int out = 0;
        switch (op) {
            case EQ -> {
                for (int i = 0; i < n; i++) {
                    long x = xs[i];
                    sel[out] = sel[i];
                    out += x == k || keepWide && x == WIDE ? 1 : 0;
                }
            }
            case NE -> {
                for (int i = 0; i < n; i++) {
                    long x = xs[i];
                    sel[out] = sel[i];
                    out += x != k || keepWide && x == WIDE ? 1 : 0;
                }
            }
            case LT -> {
                for (int i = 0; i < n; i++) {
                    long x = xs[i];
                    sel[out] = sel[i];
                    out += x < k || keepWide && x == WIDE ? 1 : 0;
                }
            }
            case LE -> {
                for (int i = 0; i < n; i++) {
                    long x = xs[i];
                    sel[out] = sel[i];
                    out += x <= k || keepWide && x == WIDE ? 1 : 0;
                }
            }
            case GT -> {
                for (int i = 0; i < n; i++) {
                    long x = xs[i];
                    sel[out] = sel[i];
                    out += x > k || keepWide && x == WIDE ? 1 : 0;
                }
            }
            case GE -> {
                for (int i = 0; i < n; i++) {
                    long x = xs[i];
                    sel[out] = sel[i];
                    out += x >= k || keepWide && x == WIDE ? 1 : 0;
                }
            }
            case IN -> {
                for (int i = 0; i < n; i++) {
                    long x = xs[i];
                    sel[out] = sel[i];
                    out += Arrays.binarySearch(wanted, x) >= 0 || keepWide && x == WIDE ? 1 : 0;
                }
            }
            default -> {
                return n;
            }
        }
        return out;
    }

    /** {@link #keep} for batches without {@link #WIDE} values. */
    private static int keepNarrow(long[] xs, int[] sel, int n, PushedFilter.Op op, long k, long[] wanted) {
        int out = 0;
        switch (op) {
            case EQ -> {
                for (int i = 0; i < n; i++) {
                    sel[out] = sel[i];
                    out += xs[i] == k ? 1 : 0;
                }
            }
            case NE -> {
                for (int i = 0; i < n; i++) {
                    sel[out] = sel[i];
                    out += xs[i] != k ? 1 : 0;
                }
            }
            case LT -> {
                for (int i = 0; i < n; i++) {
                    sel[out] = sel[i];
                    out += xs[i] < k ? 1 : 0;
                }
            }
            case LE -> {
                for (int i = 0; i < n; i++) {
                    sel[out] = sel[i];
                    out += xs[i] <= k ? 1 : 0;
                }
            }
            case GT -> {
                for (int i = 0; i < n; i++) {
                    sel[out] = sel[i];
                    out += xs[i] > k ? 1 : 0;
                }
            }
            case GE -> {
                for (int i = 0; i < n; i++) {
                    sel[out] = sel[i];
                    out += xs[i] >= k ? 1 : 0;
                }
            }
            case IN -> {
                for (int i = 0; i < n; i++) {
                    sel[out] = sel[i];
                    out += Arrays.binarySearch(wanted, xs[i]) >= 0 ? 1 : 0;
                }
            }
            default -> {
                return n;
            }
        }
        return out;
    }

    private static Kernel longCompare(PushedFilter.Op op, long c, int width) {
        if (c == WIDE && width == 16) {
            return null;
        }
        return switch (op) {
            case EQ, NE, LT, LE, GT, GE -> new FixedKernel(width, op, c, null);
            default -> null;
        };
    }

    private static Kernel longIn(List<Object> values, java.util.function.Function<Object, Long> asLong, int width) {
        long[] wanted = new long[values.size()];
        for (int i = 0; i < wanted.length; i++) {
            Long c = asLong.apply(values.get(i));
            if (c == null || (c == WIDE && width == 16)) {
                return null;
            }
            wanted[i] = c;
        }
        Arrays.sort(wanted);
        return new FixedKernel(width, PushedFilter.Op.IN, 0, wanted);
    }

    /**
     * True when {@code b[start..)} begins with {@code w}; short strings (TPC-H's flags and modes) compare byte by
     * byte, cheaper than a call to the vectorized mismatch.
     */
    private static boolean matches(byte[] b, int start, byte[] w) {
        if (w.length > 16) {
            return Arrays.equals(b, start, start + w.length, w, 0, w.length);
        }
        int diff = 0;
        for (int k = 0; k < w.length; k++) {
            diff |= b[start + k] ^ w[k];
        }
        return diff == 0;
    }

    /** String equality or IN on UTF-8 bytes, over heap copies of the vector's offsets, bytes and validity. */
    private static final class StringInKernel implements Kernel {
        private final byte[][] wanted;
        private byte[] offsets = new byte[0];
        private byte[] data = new byte[0];
        private byte[] validity = new byte[0];

        StringInKernel(byte[][] wanted) {
            this.wanted = wanted;
        }

        @Override
        public int refine(FieldVector v, int[] sel, int n) {
            if (!(v instanceof BaseVariableWidthVector)) {
                return n;
            }
            int rows = v.getValueCount();
            if (offsets.length < (rows + 1) * 4) {
                offsets = new byte[(rows + 1) * 4];
            }
            v.getOffsetBuffer().getBytes(0, offsets, 0, (rows + 1) * 4);
            int bytes = (int) INT_LE.get(offsets, rows * 4);
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
            byte[] off = offsets;
            byte[] b = data;
            byte[] valid = validity;
            int out = 0;
            for (int i = 0; i < n; i++) {
                int r = sel[i];
                if (nulls && ((valid[r >>> 3] >>> (r & 7)) & 1) == 0) {
                    continue;
                }
                int start = (int) INT_LE.get(off, r * 4);
                int len = (int) INT_LE.get(off, r * 4 + 4) - start;
                for (byte[] w : wanted) {
                    if (w.length == len && matches(b, start, w)) {
                        sel[out++] = r;
                        break;
                    }
                }
            }
            return out;
        }
    }
}
