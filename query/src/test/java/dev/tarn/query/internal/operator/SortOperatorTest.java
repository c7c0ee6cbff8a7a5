package dev.tarn.query.internal.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The typed sort keys order rows exactly as boxed values under {@link Values#compare} with a stable sort. */
class SortOperatorTest {
    private static final List<ResultColumn> COLUMNS = List.of(
            new ResultColumn("i", PrimitiveType.INTEGER, true),
            new ResultColumn("l", PrimitiveType.LONG, true),
            new ResultColumn("d", PrimitiveType.DOUBLE, true),
            new ResultColumn("m", new DecimalType(15, 2), true),
            new ResultColumn("w", new DecimalType(38, 0), true),
            new ResultColumn("s", PrimitiveType.STRING, true),
            new ResultColumn("b", PrimitiveType.BOOLEAN, true),
            new ResultColumn("t", PrimitiveType.DATE, true),
            new ResultColumn("seq", PrimitiveType.LONG, false));

    private final RootAllocator allocator = new RootAllocator();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() {
        executor.shutdownNow();
        assertEquals(0, allocator.getAllocatedMemory());
        allocator.close();
    }

    private static List<List<Object>> randomRows(int n) {
        SplittableRandom random = new SplittableRandom(7);
        String[] strings = {"", "a", "ab", "b", "é", "z", "\uD83D\uDE00", "\uFFFD", "A"};
        double[] doubles = {-0.0, 0.0, 1.5, -2.5, Double.NaN, Double.NEGATIVE_INFINITY, 3.0};
        List<List<Object>> rows = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            List<Object> row = new ArrayList<>();
            row.add(nullOr(random, (long) random.nextInt(-3, 4)));
            row.add(nullOr(random, random.nextBoolean() ? (long) random.nextInt(-3, 4)
                    : (random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE)));
            row.add(nullOr(random, doubles[random.nextInt(doubles.length)]));
            row.add(nullOr(random, BigDecimal.valueOf(random.nextInt(-500, 500), 2)));
            row.add(nullOr(random, new BigDecimal("1" + "0".repeat(random.nextInt(30)))
                    .multiply(BigDecimal.valueOf(random.nextInt(-3, 4)))));
            row.add(nullOr(random, strings[random.nextInt(strings.length)]));
            row.add(nullOr(random, random.nextBoolean()));
            row.add(nullOr(random, random.nextInt(-2, 3)));
            row.add((long) r);
            rows.add(row);
        }
        return rows;
    }

    private static Object nullOr(SplittableRandom random, Object value) {
        return random.nextInt(6) == 0 ? null : value;
    }

    private List<List<Object>> sort(List<List<Object>> rows, List<SortOperator.Key> keys, long offset, long limit) {
        List<List<Object>> out = new ArrayList<>();
        try (Operator sort = new SortOperator(new ValuesOperator(COLUMNS, rows), keys, offset, limit)) {
            sort.open(new ExecutionContext(allocator, executor, 1, ZoneOffset.UTC));
            for (VectorSchemaRoot b = sort.next(); b != null; b = sort.next()) {
                for (int i = 0; i < b.getRowCount(); i++) {
                    List<Object> row = new ArrayList<>();
                    for (int c = 0; c < COLUMNS.size(); c++) {
                        row.add(Values.reader(b.getVector(c)).get(i));
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }

    private static List<List<Object>> reference(List<List<Object>> rows, List<SortOperator.Key> keys) {
        List<List<Object>> canonical = new ArrayList<>();
        for (List<Object> row : rows) {
            List<Object> c = new ArrayList<>(row);
            c.set(0, c.get(0) == null ? null : ((Long) c.get(0)));
            canonical.add(c);
        }
        Comparator<List<Object>> cmp = (x, y) -> {
            for (SortOperator.Key key : keys) {
                Object a = x.get(key.column());
                Object b = y.get(key.column());
                if (a == null || b == null) {
                    if (a == b) {
                        continue;
                    }
                    return (a == null) == key.nullsFirst() ? -1 : 1;
                }
                int c = Values.compare(a, b);
                if (c != 0) {
                    return key.descending() ? -c : c;
                }
            }
            return 0;
        };
        canonical.sort(cmp); // stable
        return canonical;
    }

    @Test
    void everyKeyTypeSortsAsBoxedValuesStably() {
        List<List<Object>> rows = randomRows(20_000);
        List<List<Object>> read = sort(rows, List.of(new SortOperator.Key(8, false, false)), 0, -1);
        for (int c = 0; c < 8; c++) {
            for (boolean desc : new boolean[] {false, true}) {
                for (boolean nullsFirst : new boolean[] {false, true}) {
                    List<SortOperator.Key> keys = List.of(new SortOperator.Key(c, desc, nullsFirst));
                    assertEquals(reference(read, keys), sort(rows, keys, 0, -1), "column " + c + " desc " + desc);
                }
            }
        }
        List<SortOperator.Key> multi = List.of(new SortOperator.Key(5, true, true), new SortOperator.Key(3, false, false),
                new SortOperator.Key(2, true, false));
        assertEquals(reference(read, multi), sort(rows, multi, 0, -1));
        assertEquals(reference(read, multi).subList(100, 150), sort(rows, multi, 100, 50));
    }
}
