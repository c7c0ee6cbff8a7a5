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

/** The join modes no SQL rewrite of the current planner produces (SEMI, ANTI), driven directly. */
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
}
