package dev.tarn.query.internal.operator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.expression.ColumnRef;
import dev.tarn.query.internal.expression.CompareExpr;
import dev.tarn.query.internal.expression.Values;
import dev.tarn.txlog.types.PrimitiveType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BitVector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The filter keeps exactly the rows whose mask is TRUE: NULL and FALSE drop, at any batch length; with output
 * columns it returns only those, in their order, whether it keeps some rows of a batch or all of them.
 */
class FilterSelectionTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 63, 64, 65, 130, 4096, 4099})
    void selectsTrueRowsOnly(int n) {
        try (BufferAllocator allocator = new RootAllocator(); BitVector mask = new BitVector("m", allocator)) {
            mask.allocateNew(n);
            int[] expected = new int[n];
            int count = 0;
            for (int i = 0; i < n; i++) {
                if (i % 5 == 3) {
                    mask.set(i, 1);
                    mask.setNull(i); // NULL drops, even with its value bit set
                } else {
                    boolean keep = i % 3 == 0 || i == n - 1;
                    mask.set(i, keep ? 1 : 0);
                    if (keep) {
                        expected[count++] = i;
                    }
                }
            }
            mask.setValueCount(n);
            int[] selection = new int[n];
            int got = FilterOperator.selectTrue(mask, n, selection);
            assertArrayEquals(Arrays.copyOf(expected, count), Arrays.copyOf(selection, got));
        }
    }

    /** Rows of (a, b, label) where the filter keeps a > b, returning (label, a). */
    private static List<List<Object>> keepAAboveB(List<List<Object>> rows) {
        List<ResultColumn> in = List.of(new ResultColumn("a", PrimitiveType.LONG, true),
                new ResultColumn("b", PrimitiveType.LONG, true), new ResultColumn("label", PrimitiveType.STRING, true));
        List<ResultColumn> out = List.of(in.get(2), in.get(0));
        List<List<Object>> result = new ArrayList<>();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (RootAllocator allocator = new RootAllocator()) {
            try (Operator filter = new FilterOperator(new ValuesOperator(in, rows),
                    new CompareExpr(CompareExpr.Op.GT, new ColumnRef(0, PrimitiveType.LONG),
                            new ColumnRef(1, PrimitiveType.LONG)),
                    new Bindings(List.of(), Instant.now()), new int[] {2, 0}, out)) {
                filter.open(new ExecutionContext(allocator, executor, 1, ZoneOffset.UTC));
                assertEquals(out, filter.columns());
                for (VectorSchemaRoot b = filter.next(); b != null; b = filter.next()) {
                    assertEquals(2, b.getFieldVectors().size());
                    for (int i = 0; i < b.getRowCount(); i++) {
                        result.add(Arrays.asList(Values.reader(b.getVector(0)).get(i),
                                Values.reader(b.getVector(1)).get(i)));
                    }
                }
            }
            assertEquals(0, allocator.getAllocatedMemory());
        } finally {
            executor.shutdownNow();
        }
        return result;
    }

    @Test
    void outputColumnsAreTheOnlyOnesReturned() {
        assertEquals(List.of(Arrays.asList("x", 5L), Arrays.asList("z", 9L)), keepAAboveB(List.of(
                Arrays.asList(5L, 1L, "x"), Arrays.asList(1L, 5L, "y"), Arrays.asList(9L, null, "n"),
                Arrays.asList(9L, 2L, "z"))));
        // Every row kept: the selected columns are passed on without a copy.
        assertEquals(List.of(Arrays.asList("x", 5L), Arrays.asList("z", 9L)), keepAAboveB(List.of(
                Arrays.asList(5L, 1L, "x"), Arrays.asList(9L, 2L, "z"))));
    }
}
