package dev.tarn.query.internal.operator;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.MemoryAccount;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.expression.Values;
import dev.tarn.txlog.types.DataType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * GROUP BY with a hash table of group keys (NULL is a group of its own) and one {@link Accumulators.Accumulator}
 * per aggregate call. Each batch is processed column-wise: group ids for all rows first, then every accumulator
 * loops over its argument vector. With no grouping columns the result is exactly one row, even for empty input.
 * Output columns: the grouping columns, then the aggregates.
 */
public final class HashAggregateOperator implements Operator {
    /**
     * One aggregate call: its function, argument column (-1 for COUNT(*)), DISTINCT, FILTER column (-1 for none),
     * for LITERAL the canonical constant, and COUNT's further argument columns ({@code COUNT(DISTINCT a, b)} counts
     * the distinct tuples with no NULL).
     */
    public record Call(Accumulators.Function function, int argument, boolean distinct, int filter, DataType argType,
                       DataType resultType, Object literal, int[] moreArguments) {
        public Call {
            requireNonNull(function, "function is null");
            requireNonNull(resultType, "resultType is null");
            moreArguments = moreArguments.clone();
            if (moreArguments.length > 0 && (function != Accumulators.Function.COUNT || argument < 0)) {
                throw new IllegalArgumentException("only COUNT takes several arguments");
            }
        }

        public Call(Accumulators.Function function, int argument, boolean distinct, int filter, DataType argType,
                    DataType resultType, Object literal) {
            this(function, argument, distinct, filter, argType, resultType, literal, new int[0]);
        }

        /** As EXPLAIN shows it: {@code COUNT(DISTINCT $1, $2) FILTER $3}. */
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(function.name()).append('(');
            if (distinct) {
                b.append("DISTINCT ");
            }
            b.append(argument < 0 ? (function == Accumulators.Function.LITERAL ? String.valueOf(literal) : "*")
                    : "$" + argument);
            for (int a : moreArguments) {
                b.append(", $").append(a);
            }
            b.append(')');
            return filter >= 0 ? b.append(" FILTER $").append(filter).toString() : b.toString();
        }
    }

    /** Estimated heap bytes per group (key array and values, hash entry) and per aggregate call. */
    private static final long BYTES_PER_GROUP = 96;
    private static final long BYTES_PER_GROUP_CALL = 24;

    private final Operator input;
    private final int[] groupColumns;
    private final List<Call> calls;
    private final List<ResultColumn> columns;
    private ExecutionContext context;
    private VectorSchemaRoot out;
    private List<Object[]> groupKeys;
    private List<Accumulators.Accumulator> accumulators;
    private int position;
    private Map<Object, Integer> ids;
    private MemoryAccount account;

    public HashAggregateOperator(Operator input, int[] groupColumns, List<Call> calls, List<ResultColumn> columns) {
        this(requireNonNull(input, "input is null"), groupColumns, calls, columns, false);
    }

    private HashAggregateOperator(Operator input, int[] groupColumns, List<Call> calls, List<ResultColumn> columns,
                                  boolean merged) {
        this.input = input;
        this.groupColumns = groupColumns.clone();
        this.calls = List.copyOf(calls);
        this.columns = List.copyOf(columns);
        if (columns.size() != groupColumns.length + calls.size()) {
            throw new IllegalArgumentException("column count does not match groups and calls");
        }
    }

    @Override
    public List<ResultColumn> columns() {
        return columns;
    }

    @Override
    public void open(ExecutionContext context) {
        this.context = requireNonNull(context, "context is null");
        this.account = new MemoryAccount(context, "HashAggregate");
        if (input != null) {
            input.open(context);
        }
    }

    /**
     * The final aggregation of parallel workers' partial ones (each already {@link #consumeInput() consumed}): their
     * groups merged in worker order, each call's partial states added up. The result is opened with
     * {@code context}; the partials can be closed afterwards.
     */
    static HashAggregateOperator merged(List<HashAggregateOperator> partials, ExecutionContext context) {
        HashAggregateOperator first = partials.get(0);
        HashAggregateOperator m = new HashAggregateOperator(null, first.groupColumns, first.calls, first.columns, true);
        m.open(context);
        m.startGroups();
        for (HashAggregateOperator p : partials) {
            m.mergeFrom(p);
        }
        return m;
    }

    private void startGroups() {
        groupKeys = new ArrayList<>();
        accumulators = new ArrayList<>();
        for (Call c : calls) {
            accumulators.add(Accumulators.create(c.function(), c.distinct(), c.argument() < 0, c.argType(), c.resultType(),
                    c.literal()));
        }
        ids = new HashMap<>();
    }

    private void mergeFrom(HashAggregateOperator partial) {
        int groups = partial.groupKeys.size();
        int[] map = new int[groups];
        long tableBytes = keyTable == null ? 0 : keyTable.bytes();
        for (int g = 0; g < groups; g++) {
            Object[] key = partial.groupKeys.get(g);
            int id;
            if (partial.keyTable != null) {
                // Normalized keys move over as bytes, with their hashes.
                if (keyTable == null) {
                    keyTable = new KeyTable();
                    keyKinds = partial.keyKinds;
                }
                KeyTable from = partial.keyTable;
                id = keyTable.add(from.arena(), from.start(g), from.length(g), from.hash(g));
            } else if (partial.longIds != null) {
                if (longIds == null) {
                    longIds = new LongIntHashMap();
                }
                if (key[0] == null) {
                    id = nullGroup < 0 ? groupKeys.size() : nullGroup;
                    nullGroup = id;
                } else {
                    long k = (Long) key[0];
                    id = longIds.get(k);
                    if (id < 0) {
                        id = groupKeys.size();
                        longIds.put(k, id);
                    }
                }
            } else {
                Object hashKey = key.length == 1 ? new Single(normalize(key[0])) : new Multi(normalized(key));
                Integer boxed = ids.get(hashKey);
                if (boxed == null) {
                    boxed = groupKeys.size();
                    ids.put(hashKey, boxed);
                }
                id = boxed;
            }
            if (id == groupKeys.size()) {
                groupKeys.add(key);
                account.add(BYTES_PER_GROUP + BYTES_PER_GROUP_CALL * calls.size());
            }
            map[g] = id;
        }
        if (keyTable != null) {
            account.add(keyTable.bytes() - tableBytes);
        }
        for (int c = 0; c < accumulators.size(); c++) {
            accumulators.get(c).grow(groupKeys.size());
            accumulators.get(c).merge(partial.accumulators.get(c), map, groups);
        }
    }

    /** Reads the whole input into the groups (a parallel worker's partial aggregation), then closes the input. */
    void consumeInput() {
        if (groupKeys == null) {
            consume();
        }
        input.close();
    }

    /** Keys compare by value: -0.0 groups with 0.0 and decimals ignore trailing zeros of equal scale. */
    static Object normalize(Object v) {
        if (v instanceof Double d && d == 0.0) {
            return 0.0;
        }
        if (v instanceof BigDecimal b) {
            return b.stripTrailingZeros();
        }
        return v;
    }

    private void consume() {
        startGroups();
        if (groupColumns.length == 0) {
            groupKeys.add(new Object[0]);
            accumulators.forEach(a -> a.grow(1));
        }
        int[] groups = new int[0];
        VectorSchemaRoot batch;
        while ((batch = input.next()) != null) {
            context.checkCancelled();
            int n = batch.getRowCount();
            if (groups.length < n) {
                groups = new int[n];
            }
            if (groupColumns.length > 0) {
                int before = groupKeys.size();
                assignGroups(batch, n, groups, ids);
                account.add((groupKeys.size() - before) * (BYTES_PER_GROUP + BYTES_PER_GROUP_CALL * calls.size()));
            }
            accumulators.forEach(a -> a.grow(groupKeys.size()));
            for (int c = 0; c < calls.size(); c++) {
                Call call = calls.get(c);
                boolean[] include = null;
                if (call.filter() >= 0) {
                    BitVector f = (BitVector) batch.getVector(call.filter());
                    include = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        include[i] = !f.isNull(i) && f.get(i) != 0;
                    }
                }
                if (call.moreArguments().length > 0) {
                    countTuples(batch, call, groups, include, n, (Accumulators.ValueAccumulator) accumulators.get(c));
                    continue;
                }
                FieldVector arg = call.argument() < 0 ? null : batch.getVector(call.argument());
                accumulators.get(c).update(groups, include, arg, n);
            }
        }
    }

    /** COUNT over several columns: each row whose columns are all non-NULL adds its tuple. */
    private static void countTuples(VectorSchemaRoot batch, Call call, int[] groups, boolean[] include, int n,
                                    Accumulators.ValueAccumulator accumulator) {
        Values.Reader[] readers = new Values.Reader[call.moreArguments().length + 1];
        readers[0] = Values.reader(batch.getVector(call.argument()));
        for (int k = 1; k < readers.length; k++) {
            readers[k] = Values.reader(batch.getVector(call.moreArguments()[k - 1]));
        }
        for (int i = 0; i < n; i++) {
            if (include != null && !include[i]) {
                continue;
            }
            List<Object> tuple = new ArrayList<>(readers.length);
            for (Values.Reader r : readers) {
                Object v = r.get(i);
                if (v == null) {
                    tuple = null;
                    break;
                }
                tuple.add(normalize(v));
            }
            if (tuple != null) {
                accumulator.accept(groups[i], tuple);
            }
        }
    }

    private LongIntHashMap longIds;
    private int nullGroup = -1;

    /** One integer grouping column: a primitive hash map, no boxing per row (NULL is its own group). */
    private boolean assignIntegerGroups(VectorSchemaRoot batch, int n, int[] groups) {
        if (groupColumns.length != 1 || !(batch.getVector(groupColumns[0]) instanceof BaseIntVector ints)) {
            return false;
        }
        FieldVector v = batch.getVector(groupColumns[0]);
        if (longIds == null) {
            longIds = new LongIntHashMap();
        }
        for (int i = 0; i < n; i++) {
            if (v.isNull(i)) {
                if (nullGroup < 0) {
                    nullGroup = groupKeys.size();
                    groupKeys.add(new Object[] {null});
                }
                groups[i] = nullGroup;
                continue;
            }
            long key = ints.getValueAsLong(i);
            int id = longIds.get(key);
            if (id < 0) {
                id = groupKeys.size();
                longIds.put(key, id);
                groupKeys.add(new Object[] {key});
            }
            groups[i] = id;
        }
        return true;
    }

    private KeyTable keyTable;
    private String[] keyKinds;
    private NormalizedKeys encoded;

    /**
     * Grouping columns of any other supported types: each row's key is normalized into bytes and looked up in a
     * {@link KeyTable}; only a new group reads its key values as objects (for the output).
     */
    private boolean assignNormalizedGroups(VectorSchemaRoot batch, int n, int[] groups) {
        String[] kinds = NormalizedKeys.kinds(batch, groupColumns);
        if (kinds == null) {
            return false;
        }
        if (keyTable == null) {
            keyTable = new KeyTable();
            keyKinds = kinds;
            encoded = new NormalizedKeys();
        } else if (!Arrays.equals(kinds, keyKinds)) {
            throw new IllegalStateException("grouping column types changed between batches: "
                    + Arrays.toString(keyKinds) + " then " + Arrays.toString(kinds));
        }
        long tableBytes = keyTable.bytes();
        encoded.encode(batch, groupColumns, n);
        Values.Reader[] readers = null;
        for (int i = 0; i < n; i++) {
            int id = keyTable.add(encoded, i);
            if (id == groupKeys.size()) {
                if (readers == null) {
                    readers = HashJoinOperator.readers(batch, groupColumns);
                }
                Object[] key = new Object[readers.length];
                for (int k = 0; k < readers.length; k++) {
                    key[k] = readers[k].get(i);
                }
                groupKeys.add(key);
            }
            groups[i] = id;
        }
        account.add(keyTable.bytes() - tableBytes);
        return true;
    }

    private void assignGroups(VectorSchemaRoot batch, int n, int[] groups, Map<Object, Integer> ids) {
        if (keyTable == null && assignIntegerGroups(batch, n, groups)) {
            return;
        }
        if (ids.isEmpty() && assignNormalizedGroups(batch, n, groups)) {
            return;
        }
        Values.Reader[] readers = new Values.Reader[groupColumns.length];
        for (int k = 0; k < readers.length; k++) {
            readers[k] = Values.reader(batch.getVector(groupColumns[k]));
        }
        for (int i = 0; i < n; i++) {
            Object[] key = new Object[readers.length];
            for (int k = 0; k < readers.length; k++) {
                key[k] = readers[k].get(i);
            }
            Object hashKey = key.length == 1 ? new Single(normalize(key[0])) : new Multi(normalized(key));
            Integer id = ids.get(hashKey);
            if (id == null) {
                id = groupKeys.size();
                ids.put(hashKey, id);
                groupKeys.add(key);
            }
            groups[i] = id;
        }
    }

    private static Object[] normalized(Object[] key) {
        Object[] k = new Object[key.length];
        for (int i = 0; i < key.length; i++) {
            k[i] = normalize(key[i]);
        }
        return k;
    }

    private record Single(Object value) {}

    private record Multi(Object[] values) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Multi m && Arrays.equals(values, m.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }
    }

    @Override
    public VectorSchemaRoot next() {
        context.checkCancelled();
        if (groupKeys == null) {
            consume();
        }
        if (position >= groupKeys.size()) {
            return null;
        }
        if (out == null) {
            out = Batches.newRoot(columns, context.allocator());
        }
        int n = Math.min(Batches.BATCH_ROWS, groupKeys.size() - position);
        for (int c = 0; c < columns.size(); c++) {
            FieldVector v = out.getVector(c);
            v.reset();
            Values.Writer w = Values.writer(v);
            if (c < groupColumns.length) {
                for (int i = 0; i < n; i++) {
                    w.set(i, groupKeys.get(position + i)[c]);
                }
            } else {
                Accumulators.Accumulator a = accumulators.get(c - groupColumns.length);
                for (int i = 0; i < n; i++) {
                    w.set(i, a.result(position + i));
                }
            }
            v.setValueCount(n);
        }
        out.setRowCount(n);
        position += n;
        return out;
    }

    @Override
    public void close() {
        try {
            if (input != null) {
                input.close();
            }
        } finally {
            if (out != null) {
                out.close();
                out = null;
            }
            if (account != null) {
                account.close();
            }
        }
    }
}
