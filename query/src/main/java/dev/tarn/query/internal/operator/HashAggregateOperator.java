package dev.tarn.query.internal.operator;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.MemoryAccount;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.expression.Values;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.NullVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
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

    /** Estimated heap bytes per group (hash entry, accumulator slots) and per aggregate call. */
    private static final long BYTES_PER_GROUP = 64;
    private static final long BYTES_PER_GROUP_CALL = 24;
    /** Packed keys ({@link PackedKeys}) serve GROUP BYs with few groups; past this many groups they stop. */
    private static final int PACKED_GROUP_LIMIT = 4096;
    /** Batches that may meet new (or unpackable) keys before packing is given up as not paying. */
    private static final int PACKED_MISS_BATCHES = 16;

    private final Operator input;
    private final int[] groupColumns;
    private final List<Call> calls;
    private final List<ResultColumn> columns;
    private ExecutionContext context;
    private VectorSchemaRoot out;
    private MemoryAccount account;
    private int position;

    /** -1 until the input is consumed (or the partials merged); then the number of groups. */
    private int groupCount = -1;
    /**
     * Each group's key values, column by column (group id = index): copied from the row that created the group,
     * so no object per group and the output copies vectors.
     */
    private FieldVector[] keyVectors;
    private List<Accumulators.Accumulator> accumulators;

    /**
     * One integer grouping column: each group's key by group id ({@link #nullGroup}'s slot unused), written into
     * the key vector only when the output needs it.
     */
    private long[] intKeys;
    /**
     * While true, the groups were created in strictly ascending key order with no NULL group, so {@link #intKeys}
     * is sorted and a row's key above the last group's is a new group without any hashing: lineitem arrives
     * ordered by l_orderkey, and a worker claims its morsels in order. The first key out of order builds
     * {@link #longIds} from the keys and hashing takes over. Ascending partials merge without hashing.
     */
    private boolean ascending = true;
    /** A batch's integer keys, read in one pass. */
    private long[] keyValues;
    /** Key to group id, once the keys stopped ascending: dense while the keys' range allows ({@link LongIds}). */
    private LongIds longIds;
    private int nullGroup = -1;
    /** Other supported key types: normalized keys, with packed keys in front while there are few groups. */
    private KeyTable keyTable;
    private String[] keyKinds;
    private NormalizedKeys encoded;
    private LongIntHashMap packedIds;
    private long[] packed;
    private int[] packedBits;
    private int packedMissBatches;
    /** One or two string keys of one byte each: group ids by the keys' bytes, before packing. */
    private ByteKeys byteKeys;
    /** Key types NormalizedKeys does not cover: keys as objects. */
    private Map<Object, Integer> ids;

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
        return merged(partials, context, 0, 1);
    }

    /**
     * {@link #merged} of the groups whose key hash falls into {@code partition} of {@code partitions}: the
     * partitions are disjoint, so each can be merged by another thread and their outputs concatenated. Needs
     * grouping columns when {@code partitions > 1}.
     */
    static HashAggregateOperator merged(List<HashAggregateOperator> partials, ExecutionContext context, int partition,
                                        int partitions) {
        HashAggregateOperator first = partials.get(0);
        if (partitions > 1 && first.groupColumns.length == 0) {
            throw new IllegalArgumentException("an aggregation without grouping columns has one partition");
        }
        HashAggregateOperator m = new HashAggregateOperator(null, first.groupColumns, first.calls, first.columns, true);
        m.open(context);
        m.startGroups();
        // Sized for all groups of the partition at once (when the partials share none).
        long expected = 0;
        for (HashAggregateOperator p : partials) {
            expected += Math.max(0, p.groupCount);
        }
        int expectedGroups = (int) Math.min(1 << 28, expected / partitions + expected / (8L * partitions));
        try {
            if (allAscending(partials)) {
                m.mergeAscending(partials, partition, partitions);
            } else {
                for (HashAggregateOperator p : partials) {
                    m.mergeFrom(p, partition, partitions, expectedGroups);
                }
            }
            m.sealKeys();
        } catch (OutOfMemoryException e) {
            m.close();
            throw context.memoryLimitExceeded("HashAggregate", e);
        } catch (RuntimeException | Error e) {
            m.close();
            throw e;
        }
        return m;
    }

    /** The number of groups after consumption. */
    int groupCount() {
        return groupCount;
    }

    private void startGroups() {
        accumulators = new ArrayList<>();
        for (Call c : calls) {
            accumulators.add(Accumulators.create(c.function(), c.distinct(), c.argument() < 0, c.argType(), c.resultType(),
                    c.literal()));
        }
        shareSums();
        ids = new HashMap<>();
        groupCount = 0;
        if (groupColumns.length == 0) {
            groupCount = 1;
            accumulators.forEach(a -> a.grow(1));
        }
    }

    /**
     * A DECIMAL AVG whose argument a SUM of the same shape (argument, FILTER, no DISTINCT) also adds up divides that
     * SUM's total by its count instead of summing the argument again ({@link Accumulators.AvgOfSum}).
     */
    private void shareSums() {
        for (int a = 0; a < calls.size(); a++) {
            Call avg = calls.get(a);
            if (avg.function() != Accumulators.Function.AVG || avg.distinct() || avg.argument() < 0
                    || !(avg.argType() instanceof DecimalType) || !(avg.resultType() instanceof DecimalType type)) {
                continue;
            }
            for (int s = 0; s < calls.size(); s++) {
                Call sum = calls.get(s);
                if ((sum.function() == Accumulators.Function.SUM || sum.function() == Accumulators.Function.SUM0)
                        && !sum.distinct() && sum.argument() == avg.argument() && sum.filter() == avg.filter()
                        && sum.moreArguments().length == 0 && avg.argType().equals(sum.argType())
                        && sum.resultType() instanceof DecimalType
                        && accumulators.get(s) instanceof Accumulators.Sum shared) {
                    accumulators.set(a, new Accumulators.AvgOfSum(shared, type));
                    break;
                }
            }
        }
    }

    private static boolean inPartition(long hash, int partition, int partitions) {
        // The high bits: the tables index their slots by the low ones.
        return partitions == 1 || Math.floorMod((int) ((hash * 0x9E3779B97F4A7C15L) >>> 40), partitions) == partition;
    }

    private void mergeFrom(HashAggregateOperator partial, int partition, int partitions, int expectedGroups) {
        int groups = partial.groupCount;
        if (groups <= 0) {
            return;
        }
        int[] map = new int[groups];
        int before = groupCount;
        long tableBytes = keyTable == null ? 0 : keyTable.bytes();
        long denseBytes = longIds == null ? 0 : longIds.denseBytes();
        if (groupColumns.length == 0) {
            // map[0] == 0: the one group.
        } else if (partial.keyTable != null) {
            // Normalized keys move over as bytes, with their hashes.
            if (keyTable == null) {
                keyTable = new KeyTable();
                keyKinds = partial.keyKinds;
            }
            KeyTable from = partial.keyTable;
            for (int g = 0; g < groups; g++) {
                long hash = from.hash(g);
                if (!inPartition(hash, partition, partitions)) {
                    map[g] = -1;
                    continue;
                }
                int id = keyTable.add(from.arena(), from.start(g), from.length(g), hash);
                if (id == groupCount) {
                    newGroup(partial.keyVectors, g);
                }
                map[g] = id;
            }
        } else if (partial.intKeys != null) {
            startIntKeys(partial, expectedGroups);
            long[] keys = partial.intKeys;
            reserveRange(keys, groups, partial.nullGroup);
            for (int g = 0; g < groups; g++) {
                int id;
                if (g == partial.nullGroup) {
                    if (!inPartition(0, partition, partitions)) {
                        map[g] = -1;
                        continue;
                    }
                    if (nullGroup < 0) {
                        nullGroup = addIntGroup(0);
                    }
                    id = nullGroup;
                } else {
                    long k = keys[g];
                    if (!inPartition(k, partition, partitions)) {
                        map[g] = -1;
                        continue;
                    }
                    id = longIds.putIfAbsent(k, groupCount);
                    if (id < 0) {
                        id = addIntGroup(k);
                    }
                }
                map[g] = id;
            }
        } else {
            Values.Reader[] readers = new Values.Reader[groupColumns.length];
            for (int k = 0; k < readers.length; k++) {
                readers[k] = Values.reader(partial.keyVectors[k]);
            }
            for (int g = 0; g < groups; g++) {
                Object hashKey = hashKey(readers, g);
                if (!inPartition(hashKey.hashCode(), partition, partitions)) {
                    map[g] = -1;
                    continue;
                }
                Integer boxed = ids.get(hashKey);
                if (boxed == null) {
                    boxed = groupCount;
                    ids.put(hashKey, boxed);
                    newGroup(partial.keyVectors, g);
                }
                map[g] = boxed;
            }
        }
        account.add((groupCount - before) * (BYTES_PER_GROUP + BYTES_PER_GROUP_CALL * calls.size()));
        if (keyTable != null) {
            account.add(keyTable.bytes() - tableBytes);
        }
        chargeDense(denseBytes);
        mergeStates(partial, map, groups);
    }

    private void mergeStates(HashAggregateOperator partial, int[] map, int groups) {
        for (int c = 0; c < accumulators.size(); c++) {
            accumulators.get(c).grow(groupCount);
            accumulators.get(c).merge(partial.accumulators.get(c), map, groups);
        }
    }

    /** The integer-key state of a merge, hashing ({@link #longIds}) unless {@code expectedGroups} is negative. */
    private void startIntKeys(HashAggregateOperator partial, int expectedGroups) {
        if (intKeys == null) {
            intKeys = new long[Math.max(1024, expectedGroups)];
            keyVectors = new FieldVector[] {partial.keyVectors[0].getField().createVector(context.allocator())};
            ascending = expectedGroups < 0;
            if (!ascending) {
                longIds = new LongIds(expectedGroups);
            }
        }
    }

    /** Whether every partial with groups has one integer key column in ascending mode (and one has groups). */
    private static boolean allAscending(List<HashAggregateOperator> partials) {
        boolean any = false;
        for (HashAggregateOperator p : partials) {
            if (p.groupCount > 0) {
                if (p.intKeys == null || !p.ascending) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    /**
     * {@link #merged} of ascending partials: their sorted keys merged like sorted lists, no hashing. Partition
     * {@code p} takes the keys from the p-th to the (p+1)-th of {@code partitions} quantiles of the largest
     * partial's keys, so the partitions' outputs in order are sorted by key.
     */
    private void mergeAscending(List<HashAggregateOperator> partials, int partition, int partitions) {
        HashAggregateOperator largest = partials.get(0);
        for (HashAggregateOperator p : partials) {
            if (p.groupCount > largest.groupCount) {
                largest = p;
            }
        }
        startIntKeys(largest, -1);
        boolean bounded = partition < partitions - 1;
        long low = largest.intKeys[(int) ((long) largest.groupCount * partition / partitions)];
        long high = bounded ? largest.intKeys[(int) ((long) largest.groupCount * (partition + 1) / partitions)] : 0;
        int k = partials.size();
        int[] at = new int[k];
        int[] end = new int[k];
        int[][] maps = new int[k][];
        for (int i = 0; i < k; i++) {
            HashAggregateOperator p = partials.get(i);
            int count = Math.max(0, p.groupCount);
            at[i] = partition == 0 ? 0 : lowerBound(p.intKeys, count, low);
            end[i] = bounded ? lowerBound(p.intKeys, count, high) : count;
            maps[i] = new int[count];
            Arrays.fill(maps[i], -1);
        }
        int expected = 0;
        for (int i = 0; i < k; i++) {
            expected += end[i] - at[i];
        }
        if (intKeys.length < expected) {
            intKeys = Arrays.copyOf(intKeys, expected);
        }
        while (true) {
            long min = Long.MAX_VALUE;
            boolean left = false;
            for (int i = 0; i < k; i++) {
                if (at[i] < end[i]) {
                    long key = partials.get(i).intKeys[at[i]];
                    if (!left || key < min) {
                        min = key;
                        left = true;
                    }
                }
            }
            if (!left) {
                break;
            }
            int id = addIntGroup(min);
            for (int i = 0; i < k; i++) {
                if (at[i] < end[i] && partials.get(i).intKeys[at[i]] == min) {
                    maps[i][at[i]++] = id;
                }
            }
        }
        account.add(groupCount * (BYTES_PER_GROUP + BYTES_PER_GROUP_CALL * calls.size()));
        for (int i = 0; i < k; i++) {
            HashAggregateOperator p = partials.get(i);
            if (p.groupCount > 0) {
                mergeStates(p, maps[i], p.groupCount);
            }
        }
    }

    /** The first index of {@code sorted[0, count)} whose key is at least {@code key}. */
    private static int lowerBound(long[] sorted, int count, long key) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Reads the whole input into the groups (a parallel worker's partial aggregation), then closes the input. */
    void consumeInput() {
        if (groupCount < 0) {
            consume();
        }
        input.close();
    }

    /** Consumes the input; the key vectors' allocations past the memory limit fail as the limit says. */
    private void consume() {
        try {
            consumeBatches();
        } catch (OutOfMemoryException e) {
            throw context.memoryLimitExceeded("HashAggregate", e);
        }
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

    private void consumeBatches() {
        startGroups();
        int[] groups = new int[0];
        VectorSchemaRoot batch;
        while ((batch = input.next()) != null) {
            context.checkCancelled();
            int n = batch.getRowCount();
            if (groups.length < n) {
                groups = new int[n];
            }
            if (groupColumns.length > 0) {
                int before = groupCount;
                assignGroups(batch, n, groups);
                account.add((groupCount - before) * (BYTES_PER_GROUP + BYTES_PER_GROUP_CALL * calls.size()));
            }
            for (Accumulators.Accumulator a : accumulators) {
                a.grow(groupCount);
            }
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
        sealKeys();
    }

    /** Sets the key vectors' value counts once all groups are in (readers and copies then see every key). */
    private void sealKeys() {
        if (intKeys != null) {
            // Written when the output needs them (produce()).
            return;
        }
        if (keyVectors != null) {
            for (FieldVector v : keyVectors) {
                v.setValueCount(groupCount);
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

    /** A new group, id {@link #groupCount}, whose key is row {@code row} of {@code from} (the key columns). */
    private void newGroup(FieldVector[] from, int row) {
        if (keyVectors == null) {
            keyVectors = new FieldVector[from.length];
            for (int k = 0; k < from.length; k++) {
                keyVectors[k] = from[k].getField().createVector(context.allocator());
            }
        }
        int id = groupCount++;
        for (int k = 0; k < from.length; k++) {
            Values.copy(from[k], row, keyVectors[k], id);
        }
    }

    private FieldVector[] keyColumns(VectorSchemaRoot batch) {
        FieldVector[] v = new FieldVector[groupColumns.length];
        for (int k = 0; k < v.length; k++) {
            v[k] = batch.getVector(groupColumns[k]);
        }
        return v;
    }

    /**
     * One integer grouping column: while the keys ascend each new key appends a group ({@link #ascending}), then a
     * primitive hash map; no boxing per row, NULL is its own group.
     */
    private boolean assignIntegerGroups(VectorSchemaRoot batch, int n, int[] groups) {
        if (groupColumns.length != 1 || !(batch.getVector(groupColumns[0]) instanceof BaseIntVector ints)) {
            return false;
        }
        FieldVector v = batch.getVector(groupColumns[0]);
        if (intKeys == null) {
            intKeys = new long[1024];
            keyVectors = new FieldVector[] {v.getField().createVector(context.allocator())};
        }
        boolean nulls = v.getNullCount() > 0;
        long denseBytes = longIds == null ? 0 : longIds.denseBytes();
        if (keyValues == null || keyValues.length < n) {
            keyValues = new long[Math.max(n, Batches.BATCH_ROWS)];
        }
        long[] keys = keyValues;
        if (v instanceof BigIntVector || v instanceof IntVector || v instanceof SmallIntVector
                || v instanceof TinyIntVector) {
            // One pass over the data buffer (a NULL row's slot is read but not used).
            JoinTable.readLongs(v, n, keys);
        } else {
            for (int i = 0; i < n; i++) {
                keys[i] = nulls && v.isNull(i) ? 0 : ints.getValueAsLong(i);
            }
        }
        // Rows of one key often come together (lineitem by l_orderkey): a run reuses the previous row's id.
        long lastKey = 0;
        int lastId = -1;
        for (int i = 0; i < n; i++) {
            if (nulls && v.isNull(i)) {
                if (nullGroup < 0) {
                    stopAscending();
                    nullGroup = addIntGroup(0);
                }
                groups[i] = nullGroup;
                continue;
            }
            long key = keys[i];
            if (key == lastKey && lastId >= 0) {
                groups[i] = lastId;
                continue;
            }
            int id;
            if (ascending && (groupCount == 0 || key > intKeys[groupCount - 1])) {
                id = addIntGroup(key);
            } else if (ascending && key == intKeys[groupCount - 1]) {
                // The last group again: a key whose rows continue in the next batch or file.
                id = groupCount - 1;
            } else {
                stopAscending();
                id = longIds.putIfAbsent(key, groupCount);
                if (id < 0) {
                    id = addIntGroup(key);
                }
            }
            groups[i] = id;
            lastKey = key;
            lastId = id;
        }
        chargeDense(denseBytes);
        return true;
    }

    /** Charges the growth of {@link #longIds}'s dense array since it held {@code before} bytes. */
    private void chargeDense(long before) {
        if (longIds != null) {
            account.add(longIds.denseBytes() - before);
        }
    }

    /** Lets {@link #longIds} address the range of {@code keys[0, count)} (but {@code nullGroup}'s) directly. */
    private void reserveRange(long[] keys, int count, int nullGroup) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int g = 0; g < count; g++) {
            if (g != nullGroup) {
                min = Math.min(min, keys[g]);
                max = Math.max(max, keys[g]);
            }
        }
        longIds.reserve(min, max);
    }

    /** A new group of integer key {@code key}: id {@link #groupCount}. */
    private int addIntGroup(long key) {
        if (groupCount == intKeys.length) {
            intKeys = Arrays.copyOf(intKeys, intKeys.length * 2);
        }
        intKeys[groupCount] = key;
        return groupCount++;
    }

    /** Leaves ascending mode: the map of every group's key. */
    private void stopAscending() {
        if (!ascending) {
            return;
        }
        ascending = false;
        longIds = new LongIds(groupCount);
        reserveRange(intKeys, groupCount, nullGroup);
        for (int g = 0; g < groupCount; g++) {
            if (g != nullGroup) {
                longIds.putIfAbsent(intKeys[g], g);
            }
        }
    }

    /**
     * Grouping columns of any other supported types: each row's key is normalized into bytes and looked up in a
     * {@link KeyTable}; a new group copies its key values into the key vectors. While the groups are few and the
     * keys pack into a long ({@link PackedKeys}), a row is first looked up by its packed key, and only a miss
     * normalizes the batch's keys.
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
            if (PackedKeys.supports(kinds)) {
                packedIds = new LongIntHashMap();
                if (ByteKeys.supports(kinds)) {
                    account.add(ByteKeys.bytes());
                    byteKeys = new ByteKeys();
                }
            }
        } else if (!Arrays.equals(kinds, keyKinds)) {
            throw new IllegalStateException("grouping column types changed between batches: "
                    + Arrays.toString(keyKinds) + " then " + Arrays.toString(kinds));
        }
        long tableBytes = keyTable.bytes();
        FieldVector[] from = keyColumns(batch);
        if (packedIds != null) {
            if (packed == null || packed.length < n) {
                packed = new long[Math.max(n, Batches.BATCH_ROWS)];
                packedBits = new int[packed.length];
            }
            boolean bytes = byteKeys != null && byteKeys.encode(batch, groupColumns, n);
            if (bytes && byteKeys.lookUp(n, groups)) {
                return true;
            }
            PackedKeys.pack(batch, groupColumns, n, packed, packedBits);
            boolean encodedBatch = false;
            for (int i = 0; i < n; i++) {
                boolean packs = packedBits[i] <= 64;
                if (packs) {
                    int id = packedIds.get(packed[i]);
                    if (id >= 0) {
                        groups[i] = id;
                        continue;
                    }
                }
                if (!encodedBatch) {
                    encoded.encode(batch, groupColumns, n);
                    encodedBatch = true;
                }
                int id = keyTable.add(encoded, i);
                if (id == groupCount) {
                    newGroup(from, i);
                }
                if (packs) {
                    packedIds.put(packed[i], id);
                }
                groups[i] = id;
            }
            if (bytes) {
                byteKeys.remember(n, groups);
            }
            if ((encodedBatch && ++packedMissBatches > PACKED_MISS_BATCHES) || groupCount > PACKED_GROUP_LIMIT) {
                // Many groups or many unpackable keys: packing no longer pays.
                packedIds = null;
                packed = null;
                packedBits = null;
                if (byteKeys != null) {
                    account.add(-ByteKeys.bytes());
                    byteKeys = null;
                }
            }
        } else {
            encoded.encode(batch, groupColumns, n);
            for (int i = 0; i < n; i++) {
                int id = keyTable.add(encoded, i);
                if (id == groupCount) {
                    newGroup(from, i);
                }
                groups[i] = id;
            }
        }
        account.add(keyTable.bytes() - tableBytes);
        return true;
    }

    private void assignGroups(VectorSchemaRoot batch, int n, int[] groups) {
        if (keyTable == null && ids.isEmpty() && assignIntegerGroups(batch, n, groups)) {
            return;
        }
        if (ids.isEmpty() && assignNormalizedGroups(batch, n, groups)) {
            return;
        }
        FieldVector[] from = keyColumns(batch);
        Values.Reader[] readers = new Values.Reader[groupColumns.length];
        for (int k = 0; k < readers.length; k++) {
            readers[k] = Values.reader(from[k]);
        }
        for (int i = 0; i < n; i++) {
            Object hashKey = hashKey(readers, i);
            Integer id = ids.get(hashKey);
            if (id == null) {
                id = groupCount;
                ids.put(hashKey, id);
                newGroup(from, i);
            }
            groups[i] = id;
        }
    }

    /** Row {@code i}'s key as an object that compares by (normalized) value. */
    private static Object hashKey(Values.Reader[] readers, int i) {
        if (readers.length == 1) {
            return new Single(normalize(readers[0].get(i)));
        }
        Object[] k = new Object[readers.length];
        for (int c = 0; c < readers.length; c++) {
            k[c] = normalize(readers[c].get(i));
        }
        return new Multi(k);
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
        try {
            return produce();
        } catch (OutOfMemoryException e) {
            throw context.memoryLimitExceeded("HashAggregate", e);
        }
    }

    private VectorSchemaRoot produce() {
        context.checkCancelled();
        if (groupCount < 0) {
            consume();
        }
        if (position >= groupCount) {
            return null;
        }
        if (out == null) {
            out = Batches.newRoot(columns, context.allocator());
        }
        int n = Math.min(Batches.BATCH_ROWS, groupCount - position);
        for (int c = 0; c < columns.size(); c++) {
            FieldVector v = out.getVector(c);
            v.reset();
            if (c < groupColumns.length) {
                if (intKeys != null && v instanceof BaseIntVector ints && v.getClass() == keyVectors[0].getClass()) {
                    writeIntKeys(ints, n);
                } else {
                    copyKeys(intKeys != null ? intKeyVector() : keyVectors[c], position, v, n);
                }
            } else {
                accumulators.get(c - groupColumns.length).write(v, position, n);
            }
            v.setValueCount(n);
        }
        out.setRowCount(n);
        position += n;
        return out;
    }

    /** The keys of groups {@code [position, position + n)} into rows {@code [0, n)} of {@code to}. */
    private void writeIntKeys(BaseIntVector to, int n) {
        for (int i = 0; i < n; i++) {
            int g = position + i;
            if (g == nullGroup) {
                to.setNull(i);
            } else {
                to.setWithPossibleTruncate(i, intKeys[g]);
            }
        }
    }

    /** The key vector, holding every group's key once asked for. */
    private FieldVector intKeyVector() {
        FieldVector v = keyVectors[0];
        if (v.getValueCount() != groupCount) {
            BaseIntVector ints = (BaseIntVector) v;
            v.setInitialCapacity(groupCount);
            v.allocateNew();
            for (int g = 0; g < groupCount; g++) {
                if (g == nullGroup) {
                    v.setNull(g);
                } else {
                    ints.setWithPossibleTruncate(g, intKeys[g]);
                }
            }
            v.setValueCount(groupCount);
        }
        return v;
    }

    /** Key values {@code [from, from + n)} into {@code to} from row 0: copied as they are when the types agree. */
    private static void copyKeys(FieldVector keys, int from, FieldVector to, int n) {
        if (to instanceof NullVector) {
            return;
        }
        if (keys.getField().getType().equals(to.getField().getType()) && keys.getClass() == to.getClass()) {
            for (int i = 0; i < n; i++) {
                to.copyFromSafe(from + i, i, keys);
            }
            return;
        }
        Values.Reader r = Values.reader(keys);
        Values.Writer w = Values.writer(to);
        for (int i = 0; i < n; i++) {
            w.set(i, r.get(from + i));
        }
    }

    @Override
    public void close() {
        try {
            if (input != null) {
                input.close();
            }
        } finally {
            try {
                if (keyVectors != null) {
                    for (FieldVector v : keyVectors) {
                        v.close();
                    }
                    keyVectors = null;
                }
                if (out != null) {
                    out.close();
                    out = null;
                }
            } finally {
                if (account != null) {
                    account.close();
                }
            }
        }
    }
}
