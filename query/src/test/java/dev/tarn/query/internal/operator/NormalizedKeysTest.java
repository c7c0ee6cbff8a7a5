package dev.tarn.query.internal.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.expression.Values;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Grouping and joining on normalized keys (strings, decimals, doubles, booleans, dates and several columns at
 * once) gives what comparing the key values does: NULL keys form one group in GROUP BY and never match in a join,
 * strings whose Java hash codes collide stay apart, tables grow far past their first capacity, parallel partial
 * aggregations merge, and the key bytes count against the memory limit.
 */
class NormalizedKeysTest {
    private final RootAllocator allocator = new RootAllocator();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() {
        executor.shutdownNow();
        assertEquals(0, allocator.getAllocatedMemory());
        allocator.close();
    }

    private ExecutionContext context(BufferAllocator a) {
        return new ExecutionContext(a, executor, 1, ZoneOffset.UTC);
    }

    private static final DecimalType MONEY = new DecimalType(15, 2);

    private static List<ResultColumn> keyColumns() {
        return List.of(new ResultColumn("s", PrimitiveType.STRING, true), new ResultColumn("d", MONEY, true),
                new ResultColumn("x", PrimitiveType.DOUBLE, true), new ResultColumn("b", PrimitiveType.BOOLEAN, true),
                new ResultColumn("day", PrimitiveType.DATE, true), new ResultColumn("v", PrimitiveType.LONG, true));
    }

    /** Rows of few distinct keys per column (so groups and matches repeat), some NULL, and a value column. */
    private static List<List<Object>> rows(SplittableRandom random, int n) {
        // "Aa" and "BB" have equal String hash codes; "" must differ from NULL.
        String[] strings = {"Aa", "BB", "", "R", "F", "a longer string value \u00e9"};
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Object s = random.nextInt(10) == 0 ? null : strings[random.nextInt(strings.length)];
            Object d = random.nextInt(10) == 0 ? null : BigDecimal.valueOf(random.nextInt(-3, 4), 2);
            Object x = random.nextInt(10) == 0 ? null : (Object) (random.nextInt(3) == 0 ? -0.0 : random.nextInt(2) * 1.5);
            Object b = random.nextInt(10) == 0 ? null : (Object) random.nextBoolean();
            Object day = random.nextInt(10) == 0 ? null : (Object) random.nextInt(0, 2);
            rows.add(Arrays.asList(s, d, x, b, day, (long) i));
        }
        return rows;
    }

    private List<List<Object>> drain(Operator op, ExecutionContext context) {
        List<List<Object>> result = new ArrayList<>();
        op.open(context);
        for (VectorSchemaRoot b = op.next(); b != null; b = op.next()) {
            for (int i = 0; i < b.getRowCount(); i++) {
                List<Object> row = new ArrayList<>();
                for (int c = 0; c < b.getFieldVectors().size(); c++) {
                    row.add(Values.reader(b.getVector(c)).get(i));
                }
                result.add(row);
            }
        }
        return result;
    }

    /** The grouping key as Java compares it: -0.0 is 0.0, decimals by value. */
    private static List<Object> groupKey(List<Object> row, int[] keys) {
        List<Object> key = new ArrayList<>();
        for (int k : keys) {
            Object v = row.get(k);
            key.add(v instanceof Double d && d == 0.0 ? 0.0 : v instanceof BigDecimal bd ? bd.stripTrailingZeros() : v);
        }
        return key;
    }

    private static List<ResultColumn> aggregateColumns(List<ResultColumn> input, int[] keys) {
        List<ResultColumn> out = new ArrayList<>();
        for (int k : keys) {
            out.add(input.get(k));
        }
        out.add(new ResultColumn("n", PrimitiveType.LONG, false));
        out.add(new ResultColumn("total", PrimitiveType.LONG, true));
        return out;
    }

    private static List<HashAggregateOperator.Call> countAndSum() {
        return List.of(new HashAggregateOperator.Call(Accumulators.Function.COUNT, -1, false, -1, null,
                        PrimitiveType.LONG, null),
                new HashAggregateOperator.Call(Accumulators.Function.SUM, 5, false, -1, PrimitiveType.LONG,
                        PrimitiveType.LONG, null));
    }

    /** Expected groups in first-seen order: key, then count and sum of column v. */
    private static Map<List<Object>, long[]> expectedGroups(List<List<Object>> rows, int[] keys) {
        Map<List<Object>, long[]> groups = new LinkedHashMap<>();
        for (List<Object> row : rows) {
            long[] g = groups.computeIfAbsent(groupKey(row, keys), k -> new long[2]);
            g[0]++;
            g[1] += (Long) row.get(5);
        }
        return groups;
    }

    private static Map<List<Object>, long[]> actualGroups(List<List<Object>> out, int keys) {
        Map<List<Object>, long[]> groups = new LinkedHashMap<>();
        for (List<Object> row : out) {
            List<Object> key = new ArrayList<>();
            for (int k = 0; k < keys; k++) {
                Object v = row.get(k);
                // A group shows its first row's key: -0.0 stands for the group of 0.0.
                key.add(v instanceof Double d && d == 0.0 ? 0.0 : v instanceof BigDecimal bd ? bd.stripTrailingZeros() : v);
            }
            long[] previous = groups.put(key, new long[] {(Long) row.get(keys), (Long) row.get(keys + 1)});
            assertEquals(null, previous, "group " + key + " appears twice");
        }
        return groups;
    }

    private void assertGroups(List<List<Object>> rows, int[] keys) {
        List<ResultColumn> in = keyColumns();
        List<List<Object>> out;
        try (Operator agg = new HashAggregateOperator(new ValuesOperator(in, rows), keys, countAndSum(),
                aggregateColumns(in, keys))) {
            out = drain(agg, context(allocator));
        }
        Map<List<Object>, long[]> expected = expectedGroups(rows, keys);
        Map<List<Object>, long[]> actual = actualGroups(out, keys.length);
        assertEquals(expected.keySet(), actual.keySet(), Arrays.toString(keys));
        expected.forEach((k, v) -> assertEquals(Arrays.toString(v), Arrays.toString(actual.get(k)), k.toString()));
    }

    @Test
    void groupsByEachKeyTypeAndByAllTogether() {
        List<List<Object>> rows = rows(new SplittableRandom(5), 5_000);
        for (int k = 0; k < 5; k++) {
            assertGroups(rows, new int[] {k});
        }
        assertGroups(rows, new int[] {0, 1});
        assertGroups(rows, new int[] {4, 3, 2, 1, 0});
    }

    @Test
    void nullKeysGroupTogetherAndEmptyStringIsNotNull() {
        List<List<Object>> rows = new ArrayList<>();
        for (long i = 0; i < 6; i++) {
            rows.add(Arrays.asList(i % 3 == 0 ? null : i % 3 == 1 ? "" : "Aa", null, null, null, null, i));
        }
        List<ResultColumn> in = keyColumns();
        try (Operator agg = new HashAggregateOperator(new ValuesOperator(in, rows), new int[] {0, 1}, countAndSum(),
                aggregateColumns(in, new int[] {0, 1}))) {
            assertEquals(List.of(Arrays.asList(null, null, 2L, 3L), Arrays.asList("", null, 2L, 5L),
                    Arrays.asList("Aa", null, 2L, 7L)), drain(agg, context(allocator)));
        }
    }

    @Test
    void manyGroupsGrowTheTableAndMergeAcrossPartials() {
        List<List<Object>> rows = new ArrayList<>();
        for (long i = 0; i < 50_000; i++) {
            // Strings of varying length and a decimal: 25,000 groups, two rows each.
            long g = i % 25_000;
            rows.add(Arrays.asList("key-" + "x".repeat((int) (g % 7)) + g, BigDecimal.valueOf(g % 11, 2), null,
                    null, null, i));
        }
        int[] keys = {0, 1};
        assertGroups(rows, keys);

        // Two partial aggregations over halves, merged as parallel workers' are.
        List<ResultColumn> in = keyColumns();
        ExecutionContext context = context(allocator);
        List<HashAggregateOperator> partials = new ArrayList<>();
        try {
            for (int half = 0; half < 2; half++) {
                HashAggregateOperator p = new HashAggregateOperator(new ValuesOperator(in,
                        rows.subList(half * 30_000, half == 0 ? 30_000 : rows.size())), keys, countAndSum(),
                        aggregateColumns(in, keys));
                partials.add(p);
                p.open(context);
                p.consumeInput();
            }
            List<List<Object>> out = new ArrayList<>();
            try (HashAggregateOperator merged = HashAggregateOperator.merged(partials, context)) {
                for (VectorSchemaRoot b = merged.next(); b != null; b = merged.next()) {
                    for (int i = 0; i < b.getRowCount(); i++) {
                        List<Object> row = new ArrayList<>();
                        for (int c = 0; c < 4; c++) {
                            row.add(Values.reader(b.getVector(c)).get(i));
                        }
                        out.add(row);
                    }
                }
            }
            Map<List<Object>, long[]> expected = expectedGroups(rows, keys);
            Map<List<Object>, long[]> actual = actualGroups(out, keys.length);
            assertEquals(25_000, actual.size());
            expected.forEach((k, v) -> assertEquals(Arrays.toString(v), Arrays.toString(actual.get(k)), k.toString()));
        } finally {
            partials.forEach(HashAggregateOperator::close);
        }
    }

    @Test
    void stringKeysOverTheMemoryLimitFail() {
        List<List<Object>> rows = new ArrayList<>();
        for (long i = 0; i < 200_000; i++) {
            rows.add(Arrays.asList("a fairly long group key number " + i, null, null, null, null, i));
        }
        List<ResultColumn> in = keyColumns();
        try (BufferAllocator limited = allocator.newChildAllocator("limited", 0, 4L << 20);
             Operator agg = new HashAggregateOperator(new ValuesOperator(in, rows), new int[] {0}, countAndSum(),
                     aggregateColumns(in, new int[] {0}))) {
            TarnException e = assertThrows(TarnException.class, () -> drain(agg, context(limited)));
            assertEquals(ErrorCode.MEMORY_LIMIT_EXCEEDED, e.errorCode(), e.getMessage());
        }
    }

    @Test
    void equalJavaHashCodesAreDifferentKeys() {
        assertEquals("Aa".hashCode(), "BB".hashCode());
        NormalizedKeys keys = new NormalizedKeys();
        List<ResultColumn> in = List.of(new ResultColumn("s", PrimitiveType.STRING, true));
        try (Operator values = new ValuesOperator(in, List.of(List.of("Aa"), List.of("BB"), List.of("Aa")))) {
            values.open(context(allocator));
            VectorSchemaRoot b = values.next();
            keys.encode(b, new int[] {0}, 3);
            assertNotEquals(keys.hashes[0], keys.hashes[1]);
            assertEquals(keys.hashes[0], keys.hashes[2]);
            KeyTable table = new KeyTable();
            assertEquals(List.of(0, 1, 0), List.of(table.add(keys, 0), table.add(keys, 1), table.add(keys, 2)));
        }
    }

    /** Joins on {@code keys} of both sides (same columns) compared with a nested loop; NULL never matches. */
    private void assertJoin(List<List<Object>> probe, List<List<Object>> build, int[] keys, HashJoinOperator.Mode mode) {
        List<ResultColumn> in = keyColumns();
        List<ResultColumn> out = new ArrayList<>(in);
        out.addAll(in);
        List<List<Object>> actual;
        try (Operator join = new HashJoinOperator(new ValuesOperator(in, probe), new ValuesOperator(in, build), keys,
                keys, mode, true, out)) {
            actual = drain(join, context(allocator));
        }
        List<List<Object>> expected = new ArrayList<>();
        boolean[] buildMatched = new boolean[build.size()];
        for (List<Object> p : probe) {
            boolean any = false;
            List<Object> pk = groupKey(p, keys);
            for (int j = 0; j < build.size(); j++) {
                if (!pk.contains(null) && pk.equals(groupKey(build.get(j), keys))) {
                    any = true;
                    buildMatched[j] = true;
                    List<Object> row = new ArrayList<>(p);
                    row.addAll(build.get(j));
                    expected.add(row);
                }
            }
            if (!any && (mode == HashJoinOperator.Mode.PROBE_OUTER || mode == HashJoinOperator.Mode.FULL)) {
                List<Object> row = new ArrayList<>(p);
                row.addAll(Arrays.asList(new Object[in.size()]));
                expected.add(row);
            }
        }
        if (mode == HashJoinOperator.Mode.FULL || mode == HashJoinOperator.Mode.BUILD_OUTER) {
            for (int j = 0; j < build.size(); j++) {
                if (!buildMatched[j]) {
                    List<Object> row = new ArrayList<>(Arrays.asList(new Object[in.size()]));
                    row.addAll(build.get(j));
                    expected.add(row);
                }
            }
        }
        assertEquals(normalizeZeros(expected), normalizeZeros(actual), Arrays.toString(keys) + " " + mode);
    }

    /** -0.0 and 0.0 match as keys but are different values in the output rows; compare them as one. */
    private static List<List<Object>> normalizeZeros(List<List<Object>> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (List<Object> row : rows) {
            List<Object> r = new ArrayList<>();
            for (Object v : row) {
                r.add(v instanceof Double d && d == 0.0 ? 0.0 : v);
            }
            out.add(r);
        }
        return out;
    }

    @Test
    void joinsOnEachKeyTypeAndCompositeKeysMatchLikeANestedLoop() {
        SplittableRandom random = new SplittableRandom(8);
        List<List<Object>> probe = rows(random, 1_500);
        List<List<Object>> build = rows(random, 400);
        for (HashJoinOperator.Mode mode : HashJoinOperator.Mode.values()) {
            if (mode == HashJoinOperator.Mode.SEMI || mode == HashJoinOperator.Mode.ANTI) {
                continue;
            }
            assertJoin(probe, build, new int[] {0}, mode);
            assertJoin(probe, build, new int[] {1, 2}, mode);
            assertJoin(probe, build, new int[] {0, 3, 4}, mode);
        }
    }

    @Test
    void stringJoinWithManyDistinctKeys() {
        List<List<Object>> build = new ArrayList<>();
        List<List<Object>> probe = new ArrayList<>();
        for (long i = 0; i < 20_000; i++) {
            build.add(Arrays.asList("k" + i, null, null, null, null, i));
            probe.add(Arrays.asList("k" + (i * 7 % 40_000), null, null, null, null, i));
        }
        List<ResultColumn> in = keyColumns();
        List<ResultColumn> out = new ArrayList<>(in);
        out.addAll(in);
        Map<String, Long> buildIds = new HashMap<>();
        build.forEach(r -> buildIds.put((String) r.get(0), (Long) r.get(5)));
        try (Operator join = new HashJoinOperator(new ValuesOperator(in, probe), new ValuesOperator(in, build),
                new int[] {0}, new int[] {0}, HashJoinOperator.Mode.INNER, true, out)) {
            List<List<Object>> rows = drain(join, context(allocator));
            long expected = probe.stream().filter(r -> buildIds.containsKey((String) r.get(0))).count();
            assertEquals(expected, rows.size());
            for (List<Object> r : rows) {
                assertEquals(r.get(0), r.get(6));
                assertEquals(buildIds.get((String) r.get(0)), r.get(11));
            }
        }
    }

    @Test
    void decimalKeysOfDifferentScalesFallBackAndStillMatch() {
        List<ResultColumn> probeColumns = List.of(new ResultColumn("d", new DecimalType(10, 1), true));
        List<ResultColumn> buildColumns = List.of(new ResultColumn("d", MONEY, true));
        List<ResultColumn> out = new ArrayList<>(probeColumns);
        out.addAll(buildColumns);
        try (Operator join = new HashJoinOperator(
                new ValuesOperator(probeColumns, List.of(List.of(new BigDecimal("1.5")), List.of(new BigDecimal("2.0")))),
                new ValuesOperator(buildColumns, List.of(List.of(new BigDecimal("1.50")), List.of(new BigDecimal("3.00")))),
                new int[] {0}, new int[] {0}, HashJoinOperator.Mode.INNER, true, out)) {
            List<List<Object>> rows = drain(join, context(allocator));
            assertEquals(1, rows.size());
            assertEquals(0, new BigDecimal("1.5").compareTo((BigDecimal) rows.get(0).get(1)));
        }
    }
}
