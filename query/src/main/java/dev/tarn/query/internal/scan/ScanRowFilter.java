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
import dev.tarn.storage.parquet.StagedColumn;

/**
 * The pushed filters a scan can evaluate on the stored columns as the Parquet reader decodes them (late
 * materialization, {@link ParquetRowFilter}): comparisons and IN lists of integer, DATE and DECIMAL columns with
 * exact literals, comparisons of two such columns of one type ({@code l_commitdate < l_receiptdate}), string
 * equality and IN, IS [NOT] NULL. Each narrows a selection vector in a tight loop over the values the reader staged
 * in heap arrays ({@link StagedColumn}), before they become Arrow vectors, so the rows dropped are never written to
 * Arrow. The filters it evaluates it applies exactly ({@link #appliesExactly}; a comparison is never TRUE for NULL),
 * so the planner leaves them out of the filter above the scan; the others stay there.
 */
final class ScanRowFilter implements ParquetRowFilter {
    /** Narrows {@code selection[0..count)} of {@code vector} to the rows passing; returns the new count. */
    interface Kernel {
        int refine(StagedColumn column, int[] selection, int count);
    }

    /** A kernel and the batch columns (indexes into the stored columns) it reads: one, or two for a column pair. */
    private record Bound(int column, int otherColumn, Kernel kernel, ColumnPairKernel pair) {
        int refine(StagedColumn[] batch, int[] sel, int n) {
            return pair == null ? kernel.refine(batch[column], sel, n)
                    : pair.refine(batch[column], batch[otherColumn], sel, n);
        }
    }

    private final List<Bound> bounds;
    private final int[] columns;
    /** One more than the largest column index read. */
    private final int width;

    private ScanRowFilter(List<Bound> bounds) {
        this.bounds = bounds;
        this.columns = bounds.stream().flatMapToInt(b -> b.pair() == null ? java.util.stream.IntStream.of(b.column())
                : java.util.stream.IntStream.of(b.column(), b.otherColumn())).distinct().toArray();
        this.width = Arrays.stream(columns).max().orElse(-1) + 1;
    }

    /**
     * The filters among {@code filters} evaluable on {@code stored} (the columns a scan reads from its files, in
     * request order), or empty when there are none. Partition columns are not stored and never match.
     */
    static Optional<ScanRowFilter> of(StructType schema, StructType stored, List<PushedFilter> filters) {
        List<Bound> bounds = new ArrayList<>();
        List<Bound> pairs = new ArrayList<>();
        for (PushedFilter f : filters) {
            if (!evaluable(schema, f)) {
                continue;
            }
            StructField field = schema.fields().get(f.column());
            int column = stored.fields().indexOf(field);
            if (column < 0) {
                continue;
            }
            if (f.comparesColumns()) {
                int otherColumn = stored.fields().indexOf(schema.fields().get(f.otherColumn()));
                if (otherColumn >= 0) {
                    pairs.add(new Bound(column, otherColumn, null, new ColumnPairKernel(f.op())));
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
     * Whether a scan of a table of {@code schema} applies {@code filter} exactly: it keeps a row if and only if
     * the conjunct is TRUE for it, on every path (staged by the page decoder, or read as Arrow vectors and staged by
     * {@link VectorStagedColumn}), so the query's filter need not evaluate that conjunct again. The filter's
     * columns must be stored columns (not partition columns) of the scan; the scan then reads them even when it
     * does not return them ({@link DeltaScanOperator}).
     */
    static boolean appliesExactly(StructType schema, List<String> partitionColumns, PushedFilter filter) {
        if (!evaluable(schema, filter)) {
            return false;
        }
        if (isPartition(schema, partitionColumns, filter.column())) {
            return false;
        }
        return !filter.comparesColumns() || !isPartition(schema, partitionColumns, filter.otherColumn());
    }

    private static boolean isPartition(StructType schema, List<String> partitionColumns, int column) {
        String name = schema.fields().get(column).name();
        return partitionColumns.stream().anyMatch(p -> p.equalsIgnoreCase(name));
    }

    /** Whether a kernel evaluates {@code f} exactly on flat values of its column's type. */
    private static boolean evaluable(StructType schema, PushedFilter f) {
        int size = schema.fields().size();
        if (f.column() >= size || (f.comparesColumns() && f.otherColumn() >= size)) {
            return false; // a hidden column (_metadata)
        }
        DataType type = schema.fields().get(f.column()).type();
        if (f.comparesColumns()) {
            return type.equals(schema.fields().get(f.otherColumn()).type()) && isIntegral(type);
        }
        return kernel(type, f) != null;
    }

    /**
     * The literal comparisons of each column ({@code =, <, <=, >, >=}) merged into one {@link RangeKernel} at the
     * place of the column's first, so a column's values are read once per batch however many bounds it has.
     */
    private static List<Bound> mergeRanges(List<Bound> bounds) {
        java.util.Map<Integer, long[]> ranges = new java.util.HashMap<>();
        for (Bound b : bounds) {
            if (b.kernel() instanceof FixedKernel f && f.range() != null) {
                long[] r = ranges.computeIfAbsent(b.column(), c -> new long[] {Long.MIN_VALUE, Long.MAX_VALUE});
                r[0] = Math.max(r[0], f.range()[0]);
                r[1] = Math.min(r[1], f.range()[1]);
            }
        }
        List<Bound> out = new ArrayList<>();
        for (Bound b : bounds) {
            if (b.kernel() instanceof FixedKernel f && f.range() != null) {
                long[] r = ranges.remove(b.column());
                if (r != null) {
                    out.add(new Bound(b.column(), -1, new RangeKernel(r[0], r[1]), null));
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

    /**
     * Asks for each kernel's columns just before it runs, with the rows the earlier kernels kept, so the reader
     * looks values up only for those (TPC-H Q6's l_discount and l_quantity after the l_shipdate range).
     */
    @Override
    public int select(Columns source, int rows, int[] selection) {
        for (int i = 0; i < rows; i++) {
            selection[i] = i;
        }
        StagedColumn[] batch = new StagedColumn[width];
        int count = rows;
        for (Bound b : bounds) {
            if (count == 0) {
                break;
            }
            int[] kept = count == rows ? null : selection;
            if (batch[b.column()] == null) {
                batch[b.column()] = source.column(b.column(), kept, count);
            }
            if (b.pair() != null && batch[b.otherColumn()] == null) {
                batch[b.otherColumn()] = source.column(b.otherColumn(), kept, count);
            }
            count = b.refine(batch, selection, count);
        }
        return count;
    }

    @Override
    public int select(StagedColumn[] batch, int rows, int[] selection) {
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
        if (!(type instanceof PrimitiveType || type instanceof DecimalType)) {
            return null; // nested values: their NULLs are not one column's definition levels
        }
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
            if (!isIntegral(d)) {
                return null;
            }
            return f.op() == PushedFilter.Op.IN ? longIn(values, o -> unscaled(o, d.scale()))
                    : decimalCompare(f.op(), values.get(0), d.scale());
        }
        if (!(type instanceof PrimitiveType p)) {
            return null;
        }
        return switch (p) {
            case BYTE, SHORT, INTEGER, LONG, DATE -> {
                java.util.function.Function<Object, Long> asLong = p == PrimitiveType.DATE
                        ? o -> o instanceof LocalDate day ? day.toEpochDay() : null
                        : ScanRowFilter::integral;
                if (f.op() == PushedFilter.Op.IN) {
                    yield longIn(values, asLong);
                }
                Long c = asLong.apply(values.get(0));
                yield c == null ? null : longCompare(f.op(), c);
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

    /** Whether the kernels read values of {@code type} as integers (integers, DATE, DECIMAL's unscaled value). */
    private static boolean isIntegral(DataType type) {
        if (type instanceof DecimalType d) {
            return d.precision() <= 18; // unscaled values within a long
        }
        return type instanceof PrimitiveType p && switch (p) {
            case BYTE, SHORT, INTEGER, LONG, DATE -> true;
            default -> false;
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
        return longCompare(effective, c);
    }

    // ---- kernels ----

    /**
     * A staged column in a layout the kernel for its type does not read: never expected, and not silently passed
     * over, since the planner drops the conjuncts the scan applies.
     */
    static IllegalStateException unexpected(StagedColumn v) {
        return new IllegalStateException("Scan filter kernel cannot read a staged column of layout " + v.layout()
                + " (width " + v.width() + ")");
    }

    private static int keepNulls(StagedColumn v, int[] sel, int n, boolean nulls) {
        byte[] defined = v.definedFlags();
        if (defined == null) {
            return nulls ? 0 : n;
        }
        int want = nulls ? 0 : 1;
        int out = 0;
        for (int i = 0; i < n; i++) {
            int r = sel[i];
            sel[out] = r;
            out += defined[r] == want ? 1 : 0;
        }
        return out;
    }

    private static final java.lang.invoke.VarHandle INT_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.invoke.VarHandle LONG_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * A comparison or IN list over the staged integers (4 or 8 bytes; a decimal's unscaled value): the selected
     * rows' values are gathered as longs once, then kept in one loop per operator. EQ, LT, LE, GT and GE are merged
     * into a {@link RangeKernel} per column ({@link #mergeRanges}); NE and IN run here.
     */
    private static final class FixedKernel implements Kernel {
        private final PushedFilter.Op op;
        private final long c;
        private final long[] wanted;
        private long[] xs = new long[0];

        FixedKernel(PushedFilter.Op op, long c, long[] wanted) {
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
        public int refine(StagedColumn v, int[] sel, int n) {
            if (v.layout() != StagedColumn.Layout.FIXED) {
                throw unexpected(v);
            }
            int count = n;
            byte[] defined = v.definedFlags();
            if (defined != null) {
                count = 0;
                for (int i = 0; i < n; i++) {
                    int r = sel[i];
                    sel[count] = r;
                    count += defined[r];
                }
            }
            if (xs.length < count) {
                xs = new long[Math.max(count, xs.length * 2)];
            }
            load(v.values(), v.width(), sel, count, xs);
            return keep(xs, sel, count, op, c, wanted);
        }
    }

    /** The values of rows {@code sel[0..n)} as longs, one loop per width. */
    private static void load(byte[] b, int width, int[] sel, int n, long[] xs) {
        if (width == 4) {
            for (int i = 0; i < n; i++) {
                xs[i] = (int) INT_LE.get(b, sel[i] * 4);
            }
        } else {
            for (int i = 0; i < n; i++) {
                xs[i] = (long) LONG_LE.get(b, sel[i] * 8);
            }
        }
    }

    /**
     * Keeps the rows {@code sel[i]} whose value {@code xs[i]} passes, compacting {@code sel} in place without a
     * branch per row (one loop per operator).
     */
    private static int keep(long[] xs, int[] sel, int n, PushedFilter.Op op, long k, long[] wanted) {
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

    private static Kernel longCompare(PushedFilter.Op op, long c) {
        return switch (op) {
            case EQ, NE, LT, LE, GT, GE -> new FixedKernel(op, c, null);
            default -> null;
        };
    }

    private static Kernel longIn(List<Object> values, java.util.function.Function<Object, Long> asLong) {
        long[] wanted = new long[values.size()];
        for (int i = 0; i < wanted.length; i++) {
            Long c = asLong.apply(values.get(i));
            if (c == null) {
                return null;
            }
            wanted[i] = c;
        }
        Arrays.sort(wanted);
        return new FixedKernel(PushedFilter.Op.IN, 0, wanted);
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

    /**
     * String equality or IN on the staged UTF-8 bytes. A dictionary-coded batch is tested by its dictionary indexes:
     * each entry is compared once per dictionary (when a row first refers to it), each row costs a table look-up.
     * Otherwise each selected row's start is the running sum of the lengths before it (the selection ascends), and
     * only values of a wanted length are compared.
     */
    private static final class StringInKernel implements Kernel {
        private final byte[][] wanted;
        /** Bit {@code len} set when some wanted string has {@code len} bytes (lengths under 64). */
        private final long lengthMask;
        private final boolean longWanted;
        /** The dictionary {@link #entryMatches} belongs to (its offsets array), or null. */
        private int[] dictionary;
        /** Per dictionary entry: 0 not yet compared, 1 no match, 2 match. */
        private byte[] entryMatches = new byte[0];

        StringInKernel(byte[][] wanted) {
            this.wanted = wanted;
            long mask = 0;
            boolean anyLong = false;
            for (byte[] w : wanted) {
                if (w.length < 64) {
                    mask |= 1L << w.length;
                } else {
                    anyLong = true;
                }
            }
            this.lengthMask = mask;
            this.longWanted = anyLong;
        }

        @Override
        public int refine(StagedColumn v, int[] sel, int n) {
            if (v.layout() != StagedColumn.Layout.BINARY) {
                throw unexpected(v);
            }
            int[] ids = v.dictionaryIds();
            if (ids != null) {
                return refineIds(v, ids, sel, n);
            }
            int[] lengths = v.lengths();
            byte[] b = v.data();
            byte[] defined = v.definedFlags();
            int out = 0;
            int row = 0;
            int start = 0;
            for (int i = 0; i < n; i++) {
                int r = sel[i];
                while (row < r) {
                    start += lengths[row++];
                }
                int len = lengths[r];
                if (defined != null && defined[r] == 0) {
                    continue;
                }
                if (wanted(b, start, len)) {
                    sel[out++] = r;
                }
            }
            return out;
        }

        private boolean wanted(byte[] b, int start, int len) {
            if (len < 64 ? (lengthMask >>> len & 1) == 0 : !longWanted) {
                return false;
            }
            for (byte[] w : wanted) {
                if (w.length == len && matches(b, start, w)) {
                    return true;
                }
            }
            return false;
        }

        private int refineIds(StagedColumn v, int[] ids, int[] sel, int n) {
            int[] offsets = v.dictionaryOffsets();
            byte[] dict = v.dictionaryData();
            if (offsets != dictionary) {
                dictionary = offsets;
                int entries = offsets.length - 1;
                if (entryMatches.length < entries) {
                    entryMatches = new byte[entries];
                } else {
                    Arrays.fill(entryMatches, 0, entries, (byte) 0);
                }
            }
            byte[] state = entryMatches;
            byte[] defined = v.definedFlags();
            int out = 0;
            for (int i = 0; i < n; i++) {
                int r = sel[i];
                if (defined != null && defined[r] == 0) {
                    continue;
                }
                int id = ids[r];
                int s = state[id];
                if (s == 0) {
                    s = wanted(dict, offsets[id], offsets[id + 1] - offsets[id]) ? 2 : 1;
                    state[id] = (byte) s;
                }
                sel[out] = r;
                out += s >>> 1;
            }
            return out;
        }
    }
}
