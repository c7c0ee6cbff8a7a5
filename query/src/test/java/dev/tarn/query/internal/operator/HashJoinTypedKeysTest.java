package dev.tarn.query.internal.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.expression.Values;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.PrimitiveType;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Multi-column integer keys (the typed hash table), one dense or sparse integer key (the directly addressed table or
 * the hashed one) and mixed key types (the boxed fallback) give a nested loop's matches in its order: probe rows in
 * input order, each with its build rows in input order; NULL keys never match.
 */
class HashJoinTypedKeysTest {
    private final RootAllocator allocator = new RootAllocator();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() {
        executor.shutdownNow();
        assertEquals(0, allocator.getAllocatedMemory());
        allocator.close();
    }

    private static List<ResultColumn> columns(String prefix, DataType first) {
        return List.of(new ResultColumn(prefix + "a", first, true), new ResultColumn(prefix + "b", PrimitiveType.DATE, true),
                new ResultColumn(prefix + "v", PrimitiveType.STRING, true));
    }

    private static List<List<Object>> rows(SplittableRandom random, int n, String tag, boolean integer) {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Object a = random.nextInt(8) == 0 ? null : (Object) (long) random.nextInt(-5, 30);
            Object b = random.nextInt(8) == 0 ? null : (Object) random.nextInt(0, 3);
            rows.add(Arrays.asList(a, b, tag + i));
        }
        return rows;
    }

    private List<List<Object>> join(List<ResultColumn> probeColumns, List<List<Object>> probe,
            List<ResultColumn> buildColumns, List<List<Object>> build, HashJoinOperator.Mode mode) {
        return join(probeColumns, probe, buildColumns, build, mode, new int[] {0, 1});
    }

    private List<List<Object>> join(List<ResultColumn> probeColumns, List<List<Object>> probe,
            List<ResultColumn> buildColumns, List<List<Object>> build, HashJoinOperator.Mode mode, int[] keys) {
        List<ResultColumn> out = new ArrayList<>(probeColumns);
        out.addAll(buildColumns);
        List<List<Object>> result = new ArrayList<>();
        try (Operator join = new HashJoinOperator(new ValuesOperator(probeColumns, probe),
                new ValuesOperator(buildColumns, build), keys, keys, mode, true, out)) {
            join.open(new ExecutionContext(allocator, executor, 1, ZoneOffset.UTC));
            for (VectorSchemaRoot b = join.next(); b != null; b = join.next()) {
                for (int i = 0; i < b.getRowCount(); i++) {
                    List<Object> row = new ArrayList<>();
                    for (int c = 0; c < out.size(); c++) {
                        row.add(Values.reader(b.getVector(c)).get(i));
                    }
                    result.add(row);
                }
            }
        }
        return result;
    }

    private static List<List<Object>> nestedLoop(List<List<Object>> probe, List<List<Object>> build,
            HashJoinOperator.Mode mode, boolean sameTypes) {
        return nestedLoop(probe, build, mode, sameTypes, 2);
    }

    private static List<List<Object>> nestedLoop(List<List<Object>> probe, List<List<Object>> build,
            HashJoinOperator.Mode mode, boolean sameTypes, int keys) {
        List<List<Object>> result = new ArrayList<>();
        boolean[] buildMatched = new boolean[build.size()];
        for (List<Object> p : probe) {
            boolean any = false;
            for (int j = 0; j < build.size(); j++) {
                List<Object> b = build.get(j);
                boolean match = sameTypes;
                for (int k = 0; k < keys; k++) {
                    match &= p.get(k) != null && Objects.equals(p.get(k), b.get(k));
                }
                if (match) {
                    any = true;
                    buildMatched[j] = true;
                    List<Object> row = new ArrayList<>(p);
                    row.addAll(b);
                    result.add(row);
                }
            }
            if (!any && (mode == HashJoinOperator.Mode.PROBE_OUTER || mode == HashJoinOperator.Mode.FULL)) {
                List<Object> row = new ArrayList<>(p);
                row.addAll(Arrays.asList(null, null, null));
                result.add(row);
            }
        }
        if (mode == HashJoinOperator.Mode.FULL || mode == HashJoinOperator.Mode.BUILD_OUTER) {
            for (int j = 0; j < build.size(); j++) {
                if (!buildMatched[j]) {
                    List<Object> row = new ArrayList<>(Arrays.asList(null, null, null));
                    row.addAll(build.get(j));
                    result.add(row);
                }
            }
        }
        return result;
    }

    @Test
    void typedKeysMatchLikeANestedLoop() {
        SplittableRandom random = new SplittableRandom(11);
        List<List<Object>> probe = rows(random, 6_000, "p", false);
        List<List<Object>> build = rows(random, 3_000, "b", false);
        for (HashJoinOperator.Mode mode : List.of(HashJoinOperator.Mode.INNER, HashJoinOperator.Mode.PROBE_OUTER,
                HashJoinOperator.Mode.FULL)) {
            assertEquals(nestedLoop(probe, build, mode, true), join(columns("p", PrimitiveType.LONG), probe,
                    columns("b", PrimitiveType.LONG), build, mode), mode.name());
        }
    }

    @Test
    void keysOfDifferentVectorTypesUseTheBoxedTable() {
        SplittableRandom random = new SplittableRandom(12);
        List<List<Object>> probe = rows(random, 300, "p", true);
        List<List<Object>> build = rows(random, 200, "b", false);
        // INT and BIGINT values both read as Long, so they match as before.
        assertEquals(nestedLoop(probe, build, HashJoinOperator.Mode.PROBE_OUTER, true),
                join(columns("p", PrimitiveType.INTEGER), probe, columns("b", PrimitiveType.LONG), build,
                        HashJoinOperator.Mode.PROBE_OUTER));
    }

    /** One LONG key: {@code a} from {@code keys}, or NULL one time in eight; {@code b} any small number. */
    private static List<List<Object>> oneKey(SplittableRandom random, int n, String tag, long[] keys) {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Object a = random.nextInt(8) == 0 ? null : (Object) keys[random.nextInt(keys.length)];
            rows.add(Arrays.asList(a, random.nextInt(0, 3), tag + i));
        }
        return rows;
    }

    /** Whether the build rows' table is addressed directly ("direct"), by unique keys ("unique"), or hashed. */
    private String addressing(List<List<Object>> build) {
        ExecutionContext context = new ExecutionContext(allocator, executor, 1, ZoneOffset.UTC);
        try (Operator input = new ValuesOperator(columns("b", PrimitiveType.LONG), build)) {
            input.open(context);
            try (JoinTable table = JoinTable.build(input, new int[] {0}, context)) {
                String kind = table.isDirectUnique() ? "unique" : table.isDirect() ? "direct" : "hashed";
                return table.isRanked() ? "ranked " + kind : kind;
            }
        }
    }

    private void assertOneKeyJoins(List<List<Object>> probe, List<List<Object>> build) {
        for (HashJoinOperator.Mode mode : List.of(HashJoinOperator.Mode.INNER, HashJoinOperator.Mode.PROBE_OUTER,
                HashJoinOperator.Mode.BUILD_OUTER, HashJoinOperator.Mode.FULL)) {
            assertEquals(nestedLoop(probe, build, mode, true, 1), join(columns("p", PrimitiveType.LONG), probe,
                    columns("b", PrimitiveType.LONG), build, mode, new int[] {0}), mode.name());
        }
    }

    @Test
    void oneDenseKeyIsAddressedDirectly() {
        // Build keys 100..399 with duplicates (a range of 300 over 900 rows); probe keys also below, above and
        // far outside it, where a value minus the minimum wraps around.
        SplittableRandom random = new SplittableRandom(13);
        long[] buildKeys = new long[300];
        for (int i = 0; i < buildKeys.length; i++) {
            buildKeys[i] = 100 + i;
        }
        long[] probeKeys = new long[] {99, 100, 101, 250, 399, 400, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 40};
        List<List<Object>> build = oneKey(random, 900, "b", buildKeys);
        assertEquals("direct", addressing(build));
        assertOneKeyJoins(oneKey(random, 2_000, "p", probeKeys), build);
        assertOneKeyJoins(oneKey(random, 2_000, "p", buildKeys), build);
    }

    @Test
    void oneUniqueDenseKeyKeepsRowReferencesInItsSlots() {
        // Each of 500 keys (a range of 1,000, every other value) once, in shuffled order, and some NULL keys.
        SplittableRandom random = new SplittableRandom(15);
        List<List<Object>> build = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            build.add(Arrays.asList((long) (-200 + 2 * i), random.nextInt(0, 3), "b" + i));
            if (i % 50 == 0) {
                build.add(Arrays.asList(null, 0, "bnull" + i));
            }
        }
        java.util.Collections.shuffle(build, new java.util.Random(15));
        assertEquals("unique", addressing(build));
        long[] probeKeys = new long[] {-201, -200, -199, 0, 1, 798, 799, 800, Long.MIN_VALUE, Long.MAX_VALUE};
        assertOneKeyJoins(oneKey(random, 2_000, "p", probeKeys), build);
    }

    @Test
    void oneKeyOverASparseRangeIsAddressedThroughRanks() {
        // 300 keys every 37 values (a range 37 times the distinct keys, 12 times the rows), with duplicates; probe
        // keys between them, at the ends, outside, and where a value minus the minimum wraps around.
        SplittableRandom random = new SplittableRandom(16);
        long[] buildKeys = new long[300];
        for (int i = 0; i < buildKeys.length; i++) {
            buildKeys[i] = -5_000 + 37L * i;
        }
        List<List<Object>> build = oneKey(random, 900, "b", buildKeys);
        assertEquals("ranked direct", addressing(build));
        long[] probeKeys = new long[] {-5_001, -5_000, -4_999, -4_963, -4_962, 6_063, 6_064, 0, 1, -1,
            Long.MIN_VALUE, Long.MAX_VALUE, 1L << 40};
        assertOneKeyJoins(oneKey(random, 2_000, "p", probeKeys), build);
        assertOneKeyJoins(oneKey(random, 2_000, "p", buildKeys), build);
    }

    @Test
    void uniqueKeysOverASparseRangeKeepRowReferencesInTheirRanks() {
        // 400 keys every 40 values once each (offsets 0 and 63 of a bitmap word included), shuffled, with NULLs.
        SplittableRandom random = new SplittableRandom(17);
        List<List<Object>> build = new ArrayList<>();
        long[] keys = new long[400];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = 1_000 + 40L * i + (i % 3 == 0 ? 23 : 0);
            build.add(Arrays.asList(keys[i], random.nextInt(0, 3), "b" + i));
            if (i % 40 == 0) {
                build.add(Arrays.asList(null, 0, "bnull" + i));
            }
        }
        java.util.Collections.shuffle(build, new java.util.Random(17));
        assertEquals("ranked unique", addressing(build));
        long[] probeKeys = new long[] {999, 1_000, 1_001, 1_023, 1_040, 1_063, 1_064, 5_000, 16_999, 17_000,
            Long.MIN_VALUE, Long.MAX_VALUE};
        assertOneKeyJoins(oneKey(random, 2_000, "p", probeKeys), build);
        assertOneKeyJoins(oneKey(random, 2_000, "p", keys), build);
    }

    @Test
    void oneSparseKeyIsHashed() {
        // Keys spread over the whole long range (the span overflows) and a range too wide for the rows.
        SplittableRandom random = new SplittableRandom(14);
        long[] extremes = new long[] {Long.MIN_VALUE, -7, 0, 7, Long.MAX_VALUE};
        List<List<Object>> build = oneKey(random, 300, "b", extremes);
        assertEquals("hashed", addressing(build));
        assertOneKeyJoins(oneKey(random, 500, "p", extremes), build);
        long[] wide = new long[] {1, 1_000_000, 2_000_000, 3_000_000};
        build = oneKey(random, 300, "b", wide);
        assertEquals("hashed", addressing(build));
        assertOneKeyJoins(oneKey(random, 500, "p", wide), build);
    }
}
