package dev.tarn.query.internal.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.expression.ColumnRef;
import dev.tarn.query.internal.expression.CompareExpr;
import dev.tarn.query.internal.expression.Constant;
import dev.tarn.query.internal.expression.Expr;
import dev.tarn.query.internal.expression.Values;
import dev.tarn.txlog.types.PrimitiveType;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Join modes driven directly: SEMI and ANTI with the probe as the output, and BUILD_OUTER (a LEFT join built on its
 * preserved side), alone and with the probe split between two instances that share one build side; joins returning
 * only some of the joined columns return exactly those columns of the joins returning all of them.
 */
class HashJoinOperatorTest {
    private final RootAllocator allocator = new RootAllocator();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() {
        executor.shutdownNow();
        assertEquals(0, allocator.getAllocatedMemory());
        allocator.close();
    }

    private static Operator values(String name, Long... keys) {
        List<List<Object>> rows = new ArrayList<>();
        for (Long k : keys) {
            rows.add(Arrays.asList(k, name + k));
        }
        return new ValuesOperator(List.of(new ResultColumn("k", PrimitiveType.LONG, true),
                new ResultColumn("v", PrimitiveType.STRING, true)), rows);
    }

    private List<List<Object>> run(HashJoinOperator.Mode mode) {
        return run(mode, null);
    }

    private List<List<Object>> run(HashJoinOperator.Mode mode, Expr residual) {
        List<ResultColumn> columns = List.of(new ResultColumn("k", PrimitiveType.LONG, true),
                new ResultColumn("v", PrimitiveType.STRING, true));
        List<List<Object>> out = new ArrayList<>();
        try (Operator join = new HashJoinOperator(values("p", 1L, 2L, null, 3L, 2L), values("b", 2L, 3L, 3L, null),
                new int[] {0}, new int[] {0}, mode, true, columns, residual,
                new Bindings(List.of(), java.time.Instant.now()))) {
            join.open(new ExecutionContext(allocator, executor, 1, ZoneOffset.UTC));
            for (VectorSchemaRoot b = join.next(); b != null; b = join.next()) {
                for (int i = 0; i < b.getRowCount(); i++) {
                    out.add(Arrays.asList(Values.reader(b.getVector(0)).get(i), Values.reader(b.getVector(1)).get(i)));
                }
            }
        }
        return out;
    }

    @Test
    void semiJoinReturnsEachMatchingProbeRowOnce() {
        assertEquals(List.of(Arrays.asList(2L, "p2"), Arrays.asList(3L, "p3"), Arrays.asList(2L, "p2")),
                run(HashJoinOperator.Mode.SEMI));
    }

    @Test
    void antiJoinReturnsProbeRowsWithoutMatchIncludingNullKeys() {
        assertEquals(List.of(Arrays.asList(1L, "p1"), Arrays.asList(null, "pnull")), run(HashJoinOperator.Mode.ANTI));
    }

    /** The residual sees the probe row followed by the build row: here the build value must not be 'b3'. */
    private static Expr buildValueIsNotB3() {
        return new CompareExpr(CompareExpr.Op.NE, new ColumnRef(3, PrimitiveType.STRING),
                Constant.literal(PrimitiveType.STRING, "b3"));
    }

    @Test
    void semiJoinWithResidualNeedsAMatchSatisfyingIt() {
        assertEquals(List.of(Arrays.asList(2L, "p2"), Arrays.asList(2L, "p2")),
                run(HashJoinOperator.Mode.SEMI, buildValueIsNotB3()));
    }

    @Test
    void antiJoinWithResidualKeepsRowsWhoseMatchesAllFailIt() {
        assertEquals(List.of(Arrays.asList(1L, "p1"), Arrays.asList(null, "pnull"), Arrays.asList(3L, "p3")),
                run(HashJoinOperator.Mode.ANTI, buildValueIsNotB3()));
    }

    private static final List<ResultColumn> FOUR = List.of(new ResultColumn("bk", PrimitiveType.LONG, true),
            new ResultColumn("bv", PrimitiveType.STRING, true), new ResultColumn("pk", PrimitiveType.LONG, true),
            new ResultColumn("pv", PrimitiveType.STRING, true));

    /** All rows of a join whose output is the build row followed by the probe row. */
    private List<List<Object>> drain(Operator join, ExecutionContext context) {
        List<List<Object>> out = new ArrayList<>();
        join.open(context);
        for (VectorSchemaRoot b = join.next(); b != null; b = join.next()) {
            for (int i = 0; i < b.getRowCount(); i++) {
                List<Object> row = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    row.add(Values.reader(b.getVector(c)).get(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    /** The build row (bk, bv) followed by the probe row (pk, pv): probe value must not be 'p3'. */
    private static Expr probeValueIsNotP3() {
        return new CompareExpr(CompareExpr.Op.NE, new ColumnRef(3, PrimitiveType.STRING),
                Constant.literal(PrimitiveType.STRING, "p3"));
    }

    private List<List<Object>> buildOuter(Operator build, Operator probe, Expr residual) {
        try (Operator join = new HashJoinOperator(probe, build, new int[] {0}, new int[] {0},
                HashJoinOperator.Mode.BUILD_OUTER, false, FOUR, residual,
                new Bindings(List.of(), java.time.Instant.now()))) {
            return drain(join, new ExecutionContext(allocator, executor, 1, ZoneOffset.UTC));
        }
    }

    @Test
    void buildOuterReturnsPairsThenUnmatchedBuildRowsPadded() {
        // Build (preserved) keys 2, 3, 3, NULL; probe keys 1, 2, NULL, 3, 2: key 2 pairs twice, each 3 once.
        List<List<Object>> rows = buildOuter(values("b", 2L, 3L, 3L, null, 4L), values("p", 1L, 2L, null, 3L, 2L),
                null);
        assertEquals(List.of(Arrays.asList(2L, "b2", 2L, "p2"), Arrays.asList(3L, "b3", 3L, "p3"),
                Arrays.asList(3L, "b3", 3L, "p3"), Arrays.asList(2L, "b2", 2L, "p2"),
                Arrays.asList(null, "bnull", null, null), Arrays.asList(4L, "b4", null, null)), rows);
    }

    @Test
    void buildOuterResidualDecidesWhichPairsMatch() {
        // Key 3's pairs fail the residual: both key-3 build rows come out unmatched.
        List<List<Object>> rows = buildOuter(values("b", 2L, 3L, 3L, null), values("p", 1L, 2L, null, 3L, 2L),
                probeValueIsNotP3());
        assertEquals(List.of(Arrays.asList(2L, "b2", 2L, "p2"), Arrays.asList(2L, "b2", 2L, "p2"),
                Arrays.asList(3L, "b3", null, null), Arrays.asList(3L, "b3", null, null),
                Arrays.asList(null, "bnull", null, null)), rows);
    }

    @Test
    void buildOuterWithEmptySides() {
        assertEquals(List.of(Arrays.asList(2L, "b2", null, null), Arrays.asList(null, "bnull", null, null)),
                buildOuter(values("b", 2L, null), values("p"), null));
        assertEquals(List.of(), buildOuter(values("b"), values("p", 1L, 2L), null));
        assertEquals(List.of(), buildOuter(values("b"), values("p"), probeValueIsNotP3()));
    }

    @Test
    void splitProbesCombineTheirMarksAndTheLastOneReturnsTheUnmatched() {
        // Two probe instances share one build side; each matches some build rows. The first to finish returns only
        // its pairs; the second its pairs and then the build rows neither matched.
        ExecutionContext context = new ExecutionContext(allocator, executor, 1, ZoneOffset.UTC);
        try (SharedBuildSide shared = new SharedBuildSide(values("b", 1L, 2L, 3L, 4L, null, 2L), 2);
                Operator first = new HashJoinOperator(values("p", 2L, 9L), shared.side(), new int[] {0},
                        new int[] {0}, HashJoinOperator.Mode.BUILD_OUTER, false, FOUR);
                Operator second = new HashJoinOperator(values("p", 4L, null), shared.side(), new int[] {0},
                        new int[] {0}, HashJoinOperator.Mode.BUILD_OUTER, false, FOUR)) {
            assertEquals(List.of(Arrays.asList(2L, "b2", 2L, "p2"), Arrays.asList(2L, "b2", 2L, "p2")),
                    drain(first, context));
            assertEquals(List.of(Arrays.asList(4L, "b4", 4L, "p4"), Arrays.asList(1L, "b1", null, null),
                    Arrays.asList(3L, "b3", null, null), Arrays.asList(null, "bnull", null, null)),
                    drain(second, context));
        }
    }

    private static final List<ResultColumn> PROBE_THEN_BUILD = List.of(new ResultColumn("pk", PrimitiveType.LONG, true),
            new ResultColumn("pv", PrimitiveType.STRING, true), new ResultColumn("bk", PrimitiveType.LONG, true),
            new ResultColumn("bv", PrimitiveType.STRING, true));

    /** Every row of {@code join}, all of its columns. */
    private static List<List<Object>> rows(Operator join, ExecutionContext context) {
        List<List<Object>> out = new ArrayList<>();
        join.open(context);
        for (VectorSchemaRoot b = join.next(); b != null; b = join.next()) {
            for (int i = 0; i < b.getRowCount(); i++) {
                List<Object> row = new ArrayList<>();
                for (int c = 0; c < b.getFieldVectors().size(); c++) {
                    row.add(Values.reader(b.getVector(c)).get(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    private static List<List<Object>> select(List<List<Object>> rows, int[] columns) {
        List<List<Object>> out = new ArrayList<>();
        for (List<Object> row : rows) {
            List<Object> picked = new ArrayList<>();
            for (int c : columns) {
                picked.add(row.get(c));
            }
            out.add(picked);
        }
        return out;
    }

    /**
     * A join over probe keys 1, 2, NULL, 3, 2, 5 and build keys 2, 3, 3, NULL, 4 (NULLs on both sides, duplicates on
     * both sides, rows without a match on both sides), returning joined columns {@code outputs} (null: all).
     */
    private HashJoinOperator pruned(HashJoinOperator.Mode mode, boolean probeFirst, int[] outputs, Expr residual,
            Operator probe, Operator build) {
        List<ResultColumn> layout = probeFirst ? PROBE_THEN_BUILD : FOUR;
        List<ResultColumn> columns = new ArrayList<>();
        for (int c : outputs == null ? new int[] {0, 1, 2, 3} : outputs) {
            columns.add(layout.get(c));
        }
        return new HashJoinOperator(probe, build, new int[] {0}, new int[] {0}, mode, probeFirst, columns, outputs,
                layout, residual, new Bindings(List.of(), java.time.Instant.now()));
    }

    @Test
    void joinsReturningSomeColumnsReturnThoseOfTheFullJoin() {
        ExecutionContext context = new ExecutionContext(allocator, executor, 1, ZoneOffset.UTC);
        // The residual reads a column the output leaves out: the build value (probe first) must not be 'b3'.
        Expr residual = new CompareExpr(CompareExpr.Op.NE, new ColumnRef(3, PrimitiveType.STRING),
                Constant.literal(PrimitiveType.STRING, "b3"));
        for (HashJoinOperator.Mode mode : List.of(HashJoinOperator.Mode.INNER, HashJoinOperator.Mode.PROBE_OUTER,
                HashJoinOperator.Mode.FULL)) {
            for (Expr condition : Arrays.asList(null, residual)) {
                for (int[] outputs : List.of(new int[] {3, 0}, new int[] {1}, new int[] {2, 2, 1})) {
                    List<List<Object>> all;
                    try (Operator join = pruned(mode, true, null, condition, values("p", 1L, 2L, null, 3L, 2L, 5L),
                            values("b", 2L, 3L, 3L, null, 4L))) {
                        all = rows(join, context);
                    }
                    try (Operator join = pruned(mode, true, outputs, condition,
                            values("p", 1L, 2L, null, 3L, 2L, 5L), values("b", 2L, 3L, 3L, null, 4L))) {
                        assertEquals(select(all, outputs), rows(join, context),
                                mode + " " + Arrays.toString(outputs) + " residual " + (condition != null));
                    }
                }
            }
        }
        // Empty sides: outer joins pad the side without rows.
        try (Operator join = pruned(HashJoinOperator.Mode.PROBE_OUTER, true, new int[] {3, 1}, null,
                values("p", 1L, null), values("b"))) {
            assertEquals(List.of(Arrays.asList(null, "p1"), Arrays.asList(null, "pnull")), rows(join, context));
        }
        try (Operator join = pruned(HashJoinOperator.Mode.FULL, true, new int[] {3, 1}, null, values("p"),
                values("b", 4L, null))) {
            assertEquals(List.of(Arrays.asList("b4", null), Arrays.asList("bnull", null)), rows(join, context));
        }
        try (Operator join = pruned(HashJoinOperator.Mode.INNER, true, new int[] {2}, null, values("p", 1L),
                values("b"))) {
            assertEquals(List.of(), rows(join, context));
        }
    }

    @Test
    void splitProbesOfABuildOuterJoinReturningSomeColumns() {
        // Build first (bk, bv, pk, pv); the output keeps pv and bv only, the unmatched build rows come out last.
        ExecutionContext context = new ExecutionContext(allocator, executor, 1, ZoneOffset.UTC);
        int[] outputs = {3, 1};
        try (SharedBuildSide shared = new SharedBuildSide(values("b", 1L, 2L, 3L, 4L, null, 2L), 2);
                Operator first = pruned(HashJoinOperator.Mode.BUILD_OUTER, false, outputs, null, values("p", 2L, 9L),
                        shared.side());
                Operator second = pruned(HashJoinOperator.Mode.BUILD_OUTER, false, outputs, null,
                        values("p", 4L, null), shared.side())) {
            assertEquals(List.of(Arrays.asList("p2", "b2"), Arrays.asList("p2", "b2")), rows(first, context));
            assertEquals(List.of(Arrays.asList("p4", "b4"), Arrays.asList(null, "b1"), Arrays.asList(null, "b3"),
                    Arrays.asList(null, "bnull")), rows(second, context));
        }
    }

    @Test
    void outputColumnsOutsideTheJoinedRowAreRejected() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new HashJoinOperator(values("p"), values("b"), new int[] {0}, new int[] {0},
                        HashJoinOperator.Mode.INNER, true, PROBE_THEN_BUILD.subList(0, 1), new int[] {4},
                        PROBE_THEN_BUILD, null, null));
    }
}
