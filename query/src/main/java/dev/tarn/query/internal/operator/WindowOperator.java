package dev.tarn.query.internal.operator;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.expression.Values;
import dev.tarn.txlog.types.DataType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Window functions ({@code f(...) OVER (PARTITION BY ... ORDER BY ... frame)}): buffers the whole input, and for
 * each window group sorts the row numbers by partition and order keys, then computes every call of the group one
 * partition at a time over the sorted rows. Output: the input rows in input order, followed by one column per call
 * (groups in order). Aggregates whose frame starts at UNBOUNDED PRECEDING run incrementally; other frames are
 * aggregated per row over the frame.
 */
public final class WindowOperator implements Operator {
    /** What a call computes. */
    public enum Kind {
        ROW_NUMBER, RANK, DENSE_RANK, PERCENT_RANK, CUME_DIST, NTILE, LAG, LEAD, FIRST_VALUE, LAST_VALUE,
        COUNT, SUM, SUM0, MIN, MAX, AVG
    }

    /** A frame bound; {@code offset} counts rows (ROWS) or is a key distance (RANGE). */
    public record Bound(BoundType type, Object offset) {
        public Bound {
            requireNonNull(type, "type is null");
            if ((type == BoundType.PRECEDING || type == BoundType.FOLLOWING) && !(offset instanceof Number)) {
                throw new IllegalArgumentException("an offset bound needs a numeric offset");
            }
        }

        @Override
        public String toString() {
            return offset == null ? type.toString() : offset + " " + type;
        }
    }

    public enum BoundType { UNBOUNDED_PRECEDING, PRECEDING, CURRENT_ROW, FOLLOWING, UNBOUNDED_FOLLOWING }

    /**
     * One call: its kind, argument column (-1 for none or COUNT(*)), a constant (NTILE's bucket count, LAG/LEAD's
     * offset), LAG/LEAD's default as a column (-1: {@code defaultValue}) and the result type.
     */
    public record Call(Kind kind, int argument, DataType argType, long constant, int defaultColumn, Object defaultValue,
                       boolean distinct, DataType resultType) {
        public Call {
            requireNonNull(kind, "kind is null");
            requireNonNull(resultType, "resultType is null");
        }

        @Override
        public String toString() {
            return kind + (argument >= 0 ? "($" + argument + ")" : "()");
        }
    }

    /** Calls sharing one PARTITION BY / ORDER BY / frame. */
    public record Group(int[] partition, List<SortOperator.Key> order, boolean rows, Bound lower, Bound upper,
                        List<Call> calls) {
        public Group {
            partition = partition.clone();
            order = List.copyOf(order);
            requireNonNull(lower, "lower is null");
            requireNonNull(upper, "upper is null");
            calls = List.copyOf(calls);
        }

        @Override
        public String toString() {
            return "partition=" + Arrays.toString(partition) + " order=" + order + " " + (rows ? "ROWS" : "RANGE")
                    + " " + lower + ".." + upper + " calls=" + calls;
        }
    }

    private final Operator input;
    private final List<Group> groups;
    private final List<ResultColumn> columns;
    private final int inputWidth;
    private ExecutionContext context;
    private final List<VectorSchemaRoot> buffered = new ArrayList<>();
    private Object[][] results;
    private int batchIndex;
    private int rowBase;
    private VectorSchemaRoot out;

    public WindowOperator(Operator input, List<Group> groups, List<ResultColumn> columns) {
        this.input = requireNonNull(input, "input is null");
        this.groups = List.copyOf(groups);
        this.columns = List.copyOf(columns);
        this.inputWidth = input.columns().size();
        int calls = this.groups.stream().mapToInt(g -> g.calls().size()).sum();
        if (columns.size() != inputWidth + calls) {
            throw new IllegalArgumentException("column count does not match input and window calls");
        }
    }

    @Override
    public List<ResultColumn> columns() {
        return columns;
    }

    @Override
    public void open(ExecutionContext context) {
        this.context = requireNonNull(context, "context is null");
        input.open(context);
    }

    private Object[] column(int c, int total) {
        Object[] values = new Object[total];
        int r = 0;
        for (VectorSchemaRoot root : buffered) {
            Values.Reader reader = Values.reader(root.getVector(c));
            int n = root.getRowCount();
            for (int i = 0; i < n; i++) {
                values[r + i] = reader.get(i);
            }
            r += n;
        }
        return values;
    }

    private void compute() {
        VectorSchemaRoot batch;
        int total = 0;
        while ((batch = input.next()) != null) {
            context.checkCancelled();
            if (batch.getRowCount() > 0) {
                buffered.add(Batches.copy(batch, input.columns(), context.allocator()));
                total += batch.getRowCount();
            }
        }
        results = new Object[columns.size() - inputWidth][];
        Object[][] cache = new Object[inputWidth][];
        int out = 0;
        for (Group g : groups) {
            context.checkCancelled();
            Object[][] partition = new Object[g.partition().length][];
            for (int k = 0; k < partition.length; k++) {
                partition[k] = cached(cache, g.partition()[k], total);
            }
            Object[][] order = new Object[g.order().size()][];
            for (int k = 0; k < order.length; k++) {
                order[k] = cached(cache, g.order().get(k).column(), total);
            }
            // Partition columns (ascending, NULLs first), then the ORDER BY keys, over typed key arrays; stable.
            List<SortOperator.Key> sortKeys = new ArrayList<>();
            for (int p : g.partition()) {
                sortKeys.add(new SortOperator.Key(p, false, true));
            }
            sortKeys.addAll(g.order());
            SortKeys.Column[] keyColumns = SortKeys.extract(sortKeys, buffered, total);
            int[] rows = new int[total];
            for (int i = 0; i < total; i++) {
                rows[i] = i;
            }
            SortKeys.sort(rows, (a, b) -> SortKeys.compare(keyColumns, a, keyColumns, b));
            for (Call call : g.calls()) {
                Object[] values = new Object[total];
                Object[] arg = call.argument() < 0 ? null : cached(cache, call.argument(), total);
                Object[] defaults = call.defaultColumn() < 0 ? null : cached(cache, call.defaultColumn(), total);
                int start = 0;
                while (start < total) {
                    int end = start + 1;
                    while (end < total && samePartition(partition, rows[start], rows[end])) {
                        end++;
                    }
                    new Partition(g, call, order, rows, start, end, arg, defaults, values).compute();
                    start = end;
                }
                results[out++] = values;
            }
        }
    }

    private Object[] cached(Object[][] cache, int column, int total) {
        if (cache[column] == null) {
            cache[column] = column(column, total);
        }
        return cache[column];
    }

    private static int compareNullable(Object x, Object y, boolean nullsFirst) {
        if (x == null || y == null) {
            return x == y ? 0 : (x == null) == nullsFirst ? -1 : 1;
        }
        return Values.compare(x, y);
    }

    private static int compareOrder(Group g, Object[][] order, int a, int b) {
        for (int k = 0; k < order.length; k++) {
            SortOperator.Key key = g.order().get(k);
            Object x = order[k][a];
            Object y = order[k][b];
            if (x == null || y == null) {
                if (x == y) {
                    continue;
                }
                return (x == null) == key.nullsFirst() ? -1 : 1;
            }
            int c = Values.compare(x, y);
            if (c != 0) {
                return key.descending() ? -c : c;
            }
        }
        return 0;
    }

    private static boolean samePartition(Object[][] partition, int a, int b) {
        for (Object[] p : partition) {
            if (compareNullable(p[a], p[b], true) != 0) {
                return false;
            }
        }
        return true;
    }

    /** One partition's rows {@code rows[start, end)} in window order, computing one call into {@code values}. */
    private record Partition(Group g, Call call, Object[][] order, int[] rows, int start, int end, Object[] arg,
                             Object[] defaults, Object[] values) {
        boolean peers(int i, int j) {
            return compareOrder(g, order, rows[i], rows[j]) == 0;
        }

        void compute() {
            int size = end - start;
            switch (call.kind()) {
                case ROW_NUMBER -> {
                    for (int i = start; i < end; i++) {
                        values[rows[i]] = (long) (i - start + 1);
                    }
                }
                case RANK, DENSE_RANK, PERCENT_RANK, CUME_DIST -> ranks(size);
                case NTILE -> {
                    long buckets = call.constant();
                    if (buckets <= 0) {
                        throw new TarnException(ErrorCode.INVALID_VALUE, "NTILE needs a positive bucket count, got " + buckets);
                    }
                    long base = size / buckets;
                    long extra = size % buckets;
                    // The first (size % n) buckets hold one row more.
                    for (int i = start; i < end; i++) {
                        long k = i - start;
                        long bucket = k < extra * (base + 1) ? k / (base + 1) : extra + (k - extra * (base + 1)) / Math.max(base, 1);
                        values[rows[i]] = bucket + 1;
                    }
                }
                case LAG, LEAD -> {
                    long offset = call.kind() == Kind.LAG ? -call.constant() : call.constant();
                    for (int i = start; i < end; i++) {
                        long j = i + offset;
                        values[rows[i]] = j >= start && j < end ? arg[rows[(int) j]]
                                : defaults != null ? defaults[rows[i]] : call.defaultValue();
                    }
                }
                default -> framed();
            }
        }

        private void ranks(int size) {
            long rank = 1;
            long dense = 0;
            int i = start;
            while (i < end) {
                int j = i + 1;
                while (j < end && peers(i, j)) {
                    j++;
                }
                dense++;
                rank = i - start + 1;
                for (int k = i; k < j; k++) {
                    values[rows[k]] = switch (call.kind()) {
                        case RANK -> rank;
                        case DENSE_RANK -> dense;
                        case PERCENT_RANK -> size == 1 ? 0.0 : (double) (rank - 1) / (size - 1);
                        default -> (double) (j - start) / size; // CUME_DIST
                    };
                }
                i = j;
            }
        }

        /** Frame start (inclusive) of sorted position i. */
        private int frameStart(int i) {
            Bound b = g.lower();
            return switch (b.type()) {
                case UNBOUNDED_PRECEDING -> start;
                case UNBOUNDED_FOLLOWING -> end;
                case CURRENT_ROW -> g.rows() ? i : firstPeer(i);
                case PRECEDING, FOLLOWING -> {
                    long off = ((Number) b.offset()).longValue();
                    if (g.rows()) {
                        long s = b.type() == BoundType.PRECEDING ? (long) i - off : (long) i + off;
                        yield (int) Math.max(start, Math.min(end, s));
                    }
                    yield rangeStart(i, b);
                }
            };
        }

        /** Frame end (exclusive) of sorted position i. */
        private int frameEnd(int i) {
            Bound b = g.upper();
            return switch (b.type()) {
                case UNBOUNDED_FOLLOWING -> end;
                case UNBOUNDED_PRECEDING -> start;
                case CURRENT_ROW -> g.rows() ? i + 1 : lastPeer(i) + 1;
                case PRECEDING, FOLLOWING -> {
                    long off = ((Number) b.offset()).longValue();
                    if (g.rows()) {
                        long e = (b.type() == BoundType.PRECEDING ? (long) i - off : (long) i + off) + 1;
                        yield (int) Math.max(start, Math.min(end, e));
                    }
                    yield rangeEnd(i, b);
                }
            };
        }

        private int firstPeer(int i) {
            int s = i;
            while (s > start && peers(s - 1, i)) {
                s--;
            }
            return s;
        }

        private int lastPeer(int i) {
            int e = i;
            while (e + 1 < end && peers(e + 1, i)) {
                e++;
            }
            return e;
        }

        /** RANGE n PRECEDING/FOLLOWING: the order key (one numeric key) within the distance; NULL keys are peers. */
        private BigDecimal target(int i, Bound b) {
            if (order.length != 1) {
                throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT,
                        "RANGE frames with an offset need exactly one ORDER BY key");
            }
            Object key = order[0][rows[i]];
            if (key == null) {
                return null;
            }
            if (!(key instanceof Number n)) {
                throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT,
                        "RANGE frames with an offset need a numeric ORDER BY key, got " + key.getClass().getSimpleName());
            }
            BigDecimal off = Values.toBigDecimal((Number) b.offset());
            boolean desc = g.order().get(0).descending();
            // "Preceding" moves against the sort direction.
            boolean subtract = (b.type() == BoundType.PRECEDING) != desc;
            BigDecimal k = Values.toBigDecimal(n);
            return subtract ? k.subtract(off) : k.add(off);
        }

        /** Whether sorted position j lies before the target bound in sort order. */
        private boolean before(int j, BigDecimal target) {
            Object key = order[0][rows[j]];
            if (key == null) {
                return g.order().get(0).nullsFirst();
            }
            int c = Values.toBigDecimal((Number) key).compareTo(target);
            return g.order().get(0).descending() ? c > 0 : c < 0;
        }

        private boolean after(int j, BigDecimal target) {
            Object key = order[0][rows[j]];
            if (key == null) {
                return !g.order().get(0).nullsFirst();
            }
            int c = Values.toBigDecimal((Number) key).compareTo(target);
            return g.order().get(0).descending() ? c < 0 : c > 0;
        }

        private int rangeStart(int i, Bound b) {
            BigDecimal t = target(i, b);
            if (t == null) {
                return firstPeer(i);
            }
            int lo = start;
            int hi = end;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (before(mid, t)) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        private int rangeEnd(int i, Bound b) {
            BigDecimal t = target(i, b);
            if (t == null) {
                return lastPeer(i) + 1;
            }
            int lo = start;
            int hi = end;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (after(mid, t)) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }

        private Accumulators.ValueAccumulator accumulator() {
            Accumulators.Function f = switch (call.kind()) {
                case COUNT -> Accumulators.Function.COUNT;
                case SUM -> Accumulators.Function.SUM;
                case SUM0 -> Accumulators.Function.SUM0;
                case MIN -> Accumulators.Function.MIN;
                case MAX -> Accumulators.Function.MAX;
                case AVG -> Accumulators.Function.AVG;
                default -> throw new IllegalStateException("not an aggregate: " + call.kind());
            };
            Accumulators.Accumulator a = Accumulators.create(f, call.distinct(), arg == null, call.argType(),
                    call.resultType(), null);
            a.grow(1);
            return (Accumulators.ValueAccumulator) a;
        }

        private void add(Accumulators.ValueAccumulator a, int j) {
            if (arg == null) {
                a.accept(0, Boolean.TRUE); // COUNT(*): every row counts
            } else if (arg[rows[j]] != null) {
                a.accept(0, arg[rows[j]]);
            }
        }

        private void framed() {
            if (call.kind() == Kind.FIRST_VALUE || call.kind() == Kind.LAST_VALUE) {
                for (int i = start; i < end; i++) {
                    int s = frameStart(i);
                    int e = frameEnd(i);
                    values[rows[i]] = s >= e ? null : arg[rows[call.kind() == Kind.FIRST_VALUE ? s : e - 1]];
                }
                return;
            }
            if (g.lower().type() == BoundType.UNBOUNDED_PRECEDING) {
                // The frame only grows: one running accumulator per partition.
                Accumulators.ValueAccumulator a = accumulator();
                int added = start;
                for (int i = start; i < end; i++) {
                    int e = frameEnd(i);
                    while (added < e) {
                        add(a, added++);
                    }
                    values[rows[i]] = a.result(0);
                }
                return;
            }
            for (int i = start; i < end; i++) {
                Accumulators.ValueAccumulator a = accumulator();
                int e = frameEnd(i);
                for (int j = frameStart(i); j < e; j++) {
                    add(a, j);
                }
                values[rows[i]] = a.result(0);
            }
        }
    }

    @Override
    public VectorSchemaRoot next() {
        context.checkCancelled();
        if (results == null) {
            compute();
        }
        if (batchIndex >= buffered.size()) {
            return null;
        }
        VectorSchemaRoot in = buffered.get(batchIndex++);
        int n = in.getRowCount();
        if (out == null) {
            out = Batches.newRoot(columns, context.allocator());
        }
        for (int c = 0; c < columns.size(); c++) {
            FieldVector to = out.getVector(c);
            to.reset();
            if (c < inputWidth) {
                FieldVector from = in.getVector(c);
                for (int i = 0; i < n; i++) {
                    Values.copy(from, i, to, i);
                }
            } else {
                Object[] values = results[c - inputWidth];
                Values.Writer w = Values.writer(to);
                for (int i = 0; i < n; i++) {
                    w.set(i, values[rowBase + i]);
                }
            }
            to.setValueCount(n);
        }
        out.setRowCount(n);
        rowBase += n;
        in.close();
        buffered.set(batchIndex - 1, null);
        return out;
    }

    @Override
    public void close() {
        try {
            input.close();
        } finally {
            for (VectorSchemaRoot root : buffered) {
                if (root != null) {
                    root.close();
                }
            }
            buffered.clear();
            if (out != null) {
                out.close();
                out = null;
            }
        }
    }
}
