package dev.tarn.query.internal.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Partial aggregations on one integer key merged as parallel workers' are: partials whose keys ascend (merged as
 * sorted lists, partitioned by key range), partials whose keys stop ascending or hold a NULL key (hashed), and a
 * mix, each checked against counts and sums computed here, for one and for several merge partitions.
 */
class HashAggregateMergeTest {
    private static final List<ResultColumn> INPUT = List.of(
            new ResultColumn("k", PrimitiveType.LONG, true),
            new ResultColumn("v", new DecimalType(15, 2), true));
    private static final List<ResultColumn> OUTPUT = List.of(
            new ResultColumn("k", PrimitiveType.LONG, true),
            new ResultColumn("n", PrimitiveType.LONG, false),
            new ResultColumn("s", new DecimalType(25, 2), true),
            new ResultColumn("a", new DecimalType(19, 6), true));
    private static final List<HashAggregateOperator.Call> CALLS = List.of(
            new HashAggregateOperator.Call(Accumulators.Function.COUNT, -1, false, -1, null, PrimitiveType.LONG, null),
            new HashAggregateOperator.Call(Accumulators.Function.SUM, 1, false, -1, new DecimalType(15, 2),
                    new DecimalType(25, 2), null),
            new HashAggregateOperator.Call(Accumulators.Function.AVG, 1, false, -1, new DecimalType(15, 2),
                    new DecimalType(19, 6), null));

    private final RootAllocator allocator = new RootAllocator();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() {
        executor.shutdownNow();
        assertEquals(0, allocator.getAllocatedMemory());
        allocator.close();
    }

    /** Rows of keys {@code first, first + step, ...} ({@code count} keys), each key {@code 1 + key % 3} times. */
    private static List<List<Object>> ascending(long first, long step, int count, SplittableRandom random) {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long key = first + i * step;
            for (long r = 0; r <= Math.floorMod(key, 3); r++) {
                rows.add(List.of(key, BigDecimal.valueOf(random.nextInt(-100_000, 100_000), 2)));
            }
        }
        return rows;
    }

    private List<List<Object>> mergedRows(List<List<List<Object>>> inputs, int partitions) {
        ExecutionContext context = new ExecutionContext(allocator, executor, 1, ZoneOffset.UTC);
        List<HashAggregateOperator> partials = new ArrayList<>();
        List<List<Object>> out = new ArrayList<>();
        try {
            for (List<List<Object>> rows : inputs) {
                HashAggregateOperator p = new HashAggregateOperator(new ValuesOperator(INPUT, rows), new int[] {0},
                        CALLS, OUTPUT);
                partials.add(p);
                p.open(context);
                p.consumeInput();
            }
            for (int part = 0; part < partitions; part++) {
                try (HashAggregateOperator m = HashAggregateOperator.merged(partials, context, part, partitions)) {
                    for (VectorSchemaRoot b = m.next(); b != null; b = m.next()) {
                        for (int i = 0; i < b.getRowCount(); i++) {
                            List<Object> row = new ArrayList<>();
                            for (int c = 0; c < OUTPUT.size(); c++) {
                                row.add(b.getVector(c).getObject(i));
                            }
                            out.add(row);
                        }
                    }
                }
            }
        } finally {
            partials.forEach(HashAggregateOperator::close);
        }
        return out;
    }

    private static Map<Long, List<Object>> expected(List<List<List<Object>>> inputs) {
        Map<Long, long[]> counts = new HashMap<>();
        Map<Long, BigDecimal> sums = new HashMap<>();
        for (List<List<Object>> rows : inputs) {
            for (List<Object> row : rows) {
                Long key = (Long) row.get(0);
                counts.computeIfAbsent(key, k -> new long[1])[0]++;
                sums.merge(key, (BigDecimal) row.get(1), BigDecimal::add);
            }
        }
        Map<Long, List<Object>> groups = new HashMap<>();
        counts.forEach((k, c) -> groups.put(k, List.of(c[0], sums.get(k),
                sums.get(k).divide(BigDecimal.valueOf(c[0]), 6, java.math.RoundingMode.HALF_UP))));
        return groups;
    }

    private static String sorted(Map<Long, List<Object>> groups) {
        Map<Long, List<Object>> sorted = new TreeMap<>(Comparator.nullsFirst(Comparator.<Long>naturalOrder()));
        sorted.putAll(groups);
        return sorted.toString();
    }

    private void assertMerges(List<List<List<Object>>> inputs) {
        Map<Long, List<Object>> expected = expected(inputs);
        for (int partitions : new int[] {1, 3}) {
            List<List<Object>> rows = mergedRows(inputs, partitions);
            Map<Long, List<Object>> actual = new HashMap<>();
            for (List<Object> row : rows) {
                List<Object> values = List.of(row.get(1), row.get(2), row.get(3));
                assertEquals(null, actual.put((Long) row.get(0), values), "key " + row.get(0) + " twice");
            }
            assertEquals(sorted(expected), sorted(actual), partitions + " partitions");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 5_000, 40_000})
    void ascendingPartialsWithSharedKeysMergeAsSortedLists(int keys) {
        SplittableRandom random = new SplittableRandom(keys);
        // Interleaved and overlapping key sets, each ascending; and one empty partial.
        assertMerges(List.of(ascending(0, 2, keys, random), ascending(-5, 3, keys, random), List.of(),
                ascending(keys, 1, keys / 2, random)));
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 40_000})
    void partialsWhoseKeysStopAscendingOrHoldNullsHash(int keys) {
        SplittableRandom random = new SplittableRandom(keys);
        List<List<Object>> descending = new ArrayList<>(ascending(0, 1, keys, random));
        descending.addAll(ascending(-keys, 1, keys + 7, random));
        List<List<Object>> withNull = new ArrayList<>(ascending(3, 5, keys, random));
        List<Object> nullKey = new ArrayList<>();
        nullKey.add(null);
        nullKey.add(new BigDecimal("1.25"));
        withNull.add(keys / 2, nullKey);
        withNull.add(nullKey);
        // An ascending partial merged with ones that hash.
        assertMerges(List.of(ascending(1, 1, keys, random), descending, withNull));
    }
}
