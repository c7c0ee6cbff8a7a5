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
 * Multi-column integer keys (the typed hash table) and mixed key types (the boxed fallback) give a nested loop's
 * matches in its order: probe rows in input order, each with its build rows in input order; NULL keys never match.
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
        List<ResultColumn> out = new ArrayList<>(probeColumns);
        out.addAll(buildColumns);
        List<List<Object>> result = new ArrayList<>();
        try (Operator join = new HashJoinOperator(new ValuesOperator(probeColumns, probe),
                new ValuesOperator(buildColumns, build), new int[] {0, 1}, new int[] {0, 1}, mode, true, out)) {
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
        List<List<Object>> result = new ArrayList<>();
        boolean[] buildMatched = new boolean[build.size()];
        for (List<Object> p : probe) {
            boolean any = false;
            for (int j = 0; j < build.size(); j++) {
                List<Object> b = build.get(j);
                boolean match = sameTypes && p.get(0) != null && p.get(1) != null
                        && Objects.equals(p.get(0), b.get(0)) && Objects.equals(p.get(1), b.get(1));
                if (match) {
                    any = true;
                    buildMatched[j] = true;
                    List<Object> row = new ArrayList<>(p);
                    row.addAll(b);
                    result.add(row);
                }
            }
            if (!any && mode != HashJoinOperator.Mode.INNER) {
                List<Object> row = new ArrayList<>(p);
                row.addAll(Arrays.asList(null, null, null));
                result.add(row);
            }
        }
        if (mode == HashJoinOperator.Mode.FULL) {
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
}
