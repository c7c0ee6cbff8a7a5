package dev.tarn.query.internal.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.execution.Pipeline;
import dev.tarn.query.internal.execution.Region;
import dev.tarn.query.internal.expression.ColumnRef;
import dev.tarn.query.internal.expression.CompareExpr;
import dev.tarn.query.internal.expression.Expr;
import dev.tarn.query.internal.expression.Values;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.PrimitiveType;
import java.time.Instant;
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
 * The build-side-swapped semi/anti join driven directly: the preserved (build) rows come out marked (SEMI) or
 * unmarked (ANTI), once each, in build order. Parallel probes are covered over real tables by
 * {@code dev.tarn.query.internal.sql.MarkJoinTest}.
 */
class MarkJoinOperatorTest {
    private final RootAllocator allocator = new RootAllocator();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() {
        executor.shutdownNow();
        assertEquals(0, allocator.getAllocatedMemory());
        allocator.close();
    }

    /** Rows of (k, v, s): key, a label, and a number the residuals compare. */
    private static Operator rows(DataType keyType, Object... triples) {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < triples.length; i += 3) {
            rows.add(Arrays.asList(triples[i], triples[i + 1], number(triples[i + 2])));
        }
        return new ValuesOperator(List.of(new ResultColumn("k", keyType, true),
                new ResultColumn("v", PrimitiveType.STRING, true), new ResultColumn("s", PrimitiveType.INTEGER, true)),
                rows);
    }

    /** An INTEGER column's value as the values operator takes it (a long). */
    private static Object number(Object v) {
        return v == null ? null : ((Number) v).longValue();
    }

    /** A probe input read by one instance (not splittable), as a pipeline over an aggregate or values is. */
    private static Pipeline whole(Operator input) {
        return new Pipeline() {
            @Override
            public List<ResultColumn> columns() {
                return input.columns();
            }

            @Override
            public boolean splittable() {
                return false;
            }

            @Override
            public Operator instantiate() {
                return input;
            }

            @Override
            public Operator instantiate(Region region, int worker) {
                throw new IllegalStateException("not splittable");
            }
        };
    }

    private List<List<Object>> run(Operator build, Operator probe, boolean anti, Expr residual) {
        List<List<Object>> out = new ArrayList<>();
        try (Operator join = new MarkJoinOperator(whole(probe), build, new int[] {0}, new int[] {0}, anti, residual,
                new Bindings(List.of(), Instant.now()))) {
            join.open(new ExecutionContext(allocator, executor, 1, ZoneOffset.UTC));
            for (VectorSchemaRoot b = join.next(); b != null; b = join.next()) {
                assertEquals(3, b.getFieldVectors().size());
                for (int i = 0; i < b.getRowCount(); i++) {
                    out.add(Arrays.asList(Values.reader(b.getVector(0)).get(i), Values.reader(b.getVector(1)).get(i)));
                }
            }
        }
        return out;
    }

    private static Operator build() {
        return rows(PrimitiveType.LONG, 1L, "a", 10, 2L, "b", 20, null, "n", 30, 3L, "c", 30, 2L, "b2", 20,
                4L, "d", 40);
    }

    private static Operator probe() {
        return rows(PrimitiveType.LONG, 2L, "x", 20, 3L, "y", 31, 3L, "y2", 30, null, "z", 30, 2L, "x2", 20,
                5L, "w", 50);
    }

    /** The residual sees the build row (k, v, s) followed by the probe row: build s <> probe s. */
    private static Expr differentS() {
        return new CompareExpr(CompareExpr.Op.NE, new ColumnRef(2, PrimitiveType.INTEGER),
                new ColumnRef(5, PrimitiveType.INTEGER));
    }

    @Test
    void semiKeepsEachMatchedBuildRowOnceInBuildOrder() {
        // Key 2 appears twice on both sides: each build row comes out once.
        assertEquals(List.of(Arrays.asList(2L, "b"), Arrays.asList(3L, "c"), Arrays.asList(2L, "b2")),
                run(build(), probe(), false, null));
    }

    @Test
    void antiKeepsUnmatchedBuildRowsIncludingNullKeys() {
        // A NULL build key matches nothing (NOT EXISTS keeps it), also not the probe's NULL key.
        assertEquals(List.of(Arrays.asList(1L, "a"), Arrays.asList(null, "n"), Arrays.asList(4L, "d")),
                run(build(), probe(), true, null));
    }

    @Test
    void semiWithResidualNeedsAMatchingPairThatSatisfiesIt() {
        // Key 2: every probe row has s = 20 like both build rows, so no pair satisfies s <> s; key 3: probe s = 31.
        assertEquals(List.of(Arrays.asList(3L, "c")), run(build(), probe(), false, differentS()));
    }

    @Test
    void antiWithResidualKeepsRowsWhosePairsAllFailIt() {
        assertEquals(List.of(Arrays.asList(1L, "a"), Arrays.asList(2L, "b"), Arrays.asList(null, "n"),
                Arrays.asList(2L, "b2"), Arrays.asList(4L, "d")), run(build(), probe(), true, differentS()));
    }

    @Test
    void aResidualThatIsNullIsNoMatch() {
        Operator probe = rows(PrimitiveType.LONG, 1L, "x", null, 2L, "y", 21);
        assertEquals(List.of(Arrays.asList(2L, "b"), Arrays.asList(2L, "b2")),
                run(build(), probe, false, differentS()));
        assertEquals(List.of(Arrays.asList(1L, "a"), Arrays.asList(null, "n"), Arrays.asList(3L, "c"),
                Arrays.asList(4L, "d")), run(build(), rows(PrimitiveType.LONG, 1L, "x", null, 2L, "y", 21), true,
                differentS()));
    }

    @Test
    void emptySides() {
        Operator emptyProbe = rows(PrimitiveType.LONG);
        assertEquals(List.of(), run(build(), emptyProbe, false, null));
        assertEquals(6, run(build(), rows(PrimitiveType.LONG), true, differentS()).size());
        assertEquals(List.of(), run(rows(PrimitiveType.LONG), probe(), false, null));
        assertEquals(List.of(), run(rows(PrimitiveType.LONG), probe(), true, differentS()));
    }

    @Test
    void stringKeysUseTheNormalizedTable() {
        Operator build = rows(PrimitiveType.STRING, "p", "a", 1, "q", "b", 2, null, "n", 3, "p", "c", 4);
        Operator probe = rows(PrimitiveType.STRING, "p", "x", 1, "r", "y", 2, null, "z", 3);
        assertEquals(List.of(Arrays.asList("p", "c")), run(build, probe, false, differentS()));
        assertEquals(List.of(Arrays.asList("q", "b"), Arrays.asList(null, "n")),
                run(rows(PrimitiveType.STRING, "p", "a", 1, "q", "b", 2, null, "n", 3, "p", "c", 4),
                        rows(PrimitiveType.STRING, "p", "x", 1, "r", "y", 2, null, "z", 3), true, null));
    }

    @Test
    void manyBuildRowsAcrossBatches() {
        // More build rows than one batch, every other one matched: marks index rows across build batches.
        int n = Batches.BATCH_ROWS * 2 + 100;
        List<List<Object>> build = new ArrayList<>();
        List<List<Object>> probe = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            build.add(Arrays.asList((long) i, "v" + i, (long) i));
            if (i % 2 == 0) {
                probe.add(Arrays.asList((long) i, "p", (long) i + 1));
                probe.add(Arrays.asList((long) i, "p", (long) i));
            }
        }
        List<ResultColumn> columns = List.of(new ResultColumn("k", PrimitiveType.LONG, true),
                new ResultColumn("v", PrimitiveType.STRING, true), new ResultColumn("s", PrimitiveType.INTEGER, true));
        List<List<Object>> semi = run(new ValuesOperator(columns, build), new ValuesOperator(columns, probe), false,
                differentS());
        List<List<Object>> anti = run(new ValuesOperator(columns, build), new ValuesOperator(columns, probe), true,
                differentS());
        assertEquals((n + 1) / 2, semi.size());
        assertEquals(n / 2, anti.size());
        for (int i = 0; i < semi.size(); i++) {
            assertEquals((long) (2 * i), semi.get(i).get(0));
        }
        for (int i = 0; i < anti.size(); i++) {
            assertEquals((long) (2 * i + 1), anti.get(i).get(0));
        }
    }
}
