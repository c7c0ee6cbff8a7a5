package dev.tarn.query.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.expression.Casts;
import dev.tarn.query.internal.expression.Values;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Shared setup: an in-memory lake with a few tables, and helpers to run statements through the engine. */
abstract class EngineFixture {
    static final ZoneId ZONE = ZoneId.of("UTC");

    final CalciteSqlEngine engine = new CalciteSqlEngine();
    InMemoryCatalog catalog;
    InMemoryTable people;
    InMemoryTable target;
    InMemoryTable orders;
    RootAllocator allocator;
    ExecutorService executor;

    static BigDecimal dec(String s) {
        return new BigDecimal(s);
    }

    static int day(String iso) {
        return (int) LocalDate.parse(iso).toEpochDay();
    }

    @BeforeEach
    void setUpLake() {
        allocator = new RootAllocator();
        executor = Executors.newSingleThreadExecutor();
        people = new InMemoryTable("default.people", StructType.of(
                new StructField("id", PrimitiveType.INTEGER, false),
                new StructField("name", PrimitiveType.STRING, true),
                new StructField("age", PrimitiveType.INTEGER, true),
                new StructField("salary", new DecimalType(10, 2), true),
                new StructField("dept", PrimitiveType.STRING, true),
                new StructField("born", PrimitiveType.DATE, true),
                new StructField("score", PrimitiveType.DOUBLE, true)), 3)
                .row(1L, "Ann", 34L, dec("1000.50"), "eng", day("1990-01-15"), 1.5)
                .row(2L, "Bob", 45L, dec("2000.00"), "eng", day("1979-06-30"), 2.5)
                .row(3L, "Cid", null, dec("1500.25"), "ops", day("2000-02-29"), null)
                .row(4L, "Dee", 28L, null, "ops", null, 4.0)
                .row(5L, null, 51L, dec("3000.75"), null, day("1973-12-01"), 0.5)
                .row(6L, "Eve", 34L, dec("2500.00"), "eng", day("1990-03-01"), 3.0)
                .row(7L, "Fay", 22L, dec("900.00"), "sales", day("2002-08-08"), -1.0);
        target = new InMemoryTable("default.target", StructType.of(
                new StructField("id", PrimitiveType.INTEGER, false),
                new StructField("name", PrimitiveType.STRING, true),
                new StructField("amount", new DecimalType(10, 2), true),
                new StructField("created", PrimitiveType.DATE, true)), 1024);
        orders = new InMemoryTable("sales.orders", StructType.of(
                new StructField("order_id", PrimitiveType.LONG, false),
                new StructField("person_id", PrimitiveType.INTEGER, true),
                new StructField("total", new DecimalType(12, 2), true),
                new StructField("ts", PrimitiveType.TIMESTAMP, true),
                new StructField("local_ts", PrimitiveType.TIMESTAMP_NTZ, true)), 2)
                .row(100L, 1L, dec("10.00"), 1_700_000_000_000_000L, 1_700_000_000_000_000L)
                .row(101L, 1L, dec("20.50"), 1_700_000_100_000_000L, null)
                .row(102L, 2L, dec("5.25"), null, 1_600_000_000_000_000L);
        catalog = new InMemoryCatalog()
                .add("default", "people", people)
                .add("default", "target", target)
                .add("sales", "orders", orders)
                .schema("empty")
                .addPath("/lake/orders", orders);
    }

    @AfterEach
    void tearDownLake() {
        executor.shutdownNow();
        assertEquals(0, allocator.getAllocatedMemory(), "Arrow memory leaked");
        allocator.close();
    }

    SessionState session() {
        return new SessionState(catalog, "default", ZONE);
    }

    ExecutionContext context() {
        return new ExecutionContext(allocator, executor, 1, ZONE);
    }

    PlannedStatement plan(String sql) {
        return engine.plan(sql, session());
    }

    /** Runs a query and returns its rows in friendly Java values (see {@link #friendly}). */
    List<List<Object>> query(String sql, Object... parameters) {
        PlannedStatement statement = plan(sql);
        return run(statement, parameters);
    }

    List<List<Object>> run(PlannedStatement statement, Object... parameters) {
        List<List<Object>> out = new ArrayList<>();
        try (Operator op = statement.bindQuery(Arrays.asList(parameters))) {
            op.open(context());
            VectorSchemaRoot batch;
            while ((batch = op.next()) != null) {
                List<ResultColumn> columns = statement.columns();
                assertEquals(columns.size(), batch.getFieldVectors().size());
                Values.Reader[] readers = new Values.Reader[columns.size()];
                for (int c = 0; c < readers.length; c++) {
                    assertEquals(dev.tarn.txlog.types.ArrowTypes.toArrowType(columns.get(c).type()),
                            batch.getVector(c).getField().getType(), "Arrow type of column " + columns.get(c).name());
                    readers[c] = Values.reader(batch.getVector(c));
                }
                for (int i = 0; i < batch.getRowCount(); i++) {
                    List<Object> row = new ArrayList<>();
                    for (int c = 0; c < readers.length; c++) {
                        row.add(friendly(readers[c].get(i), columns.get(c)));
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }

    /** Dates as LocalDate, timestamps as Instant / LocalDateTime; everything else canonical (integers Long). */
    static Object friendly(Object v, ResultColumn column) {
        if (v == null) {
            return null;
        }
        if (column.type() == PrimitiveType.DATE) {
            return LocalDate.ofEpochDay((Integer) v);
        }
        if (column.type() == PrimitiveType.TIMESTAMP) {
            return Casts.instant((Long) v);
        }
        if (column.type() == PrimitiveType.TIMESTAMP_NTZ) {
            return Casts.ntz((Long) v);
        }
        return v;
    }

    Object scalar(String sql, Object... parameters) {
        List<List<Object>> rows = query(sql, parameters);
        assertEquals(1, rows.size(), "rows of " + sql);
        assertEquals(1, rows.get(0).size(), "columns of " + sql);
        return rows.get(0).get(0);
    }

    long insert(String sql, Object... parameters) {
        PlannedStatement statement = plan(sql);
        assertEquals(PlannedStatement.Kind.INSERT, statement.kind());
        return statement.executeInsert(Arrays.asList(parameters), context());
    }

    TarnException error(ErrorCode expected, String sql, Object... parameters) {
        TarnException e = assertThrows(TarnException.class, () -> {
            PlannedStatement s = plan(sql);
            if (s.kind() == PlannedStatement.Kind.INSERT) {
                s.executeInsert(Arrays.asList(parameters), context());
            } else {
                run(s, parameters);
            }
        });
        assertEquals(expected, e.errorCode(), () -> "error for " + sql + ": " + e.getMessage());
        return e;
    }

    static List<Object> row(Object... values) {
        return Arrays.asList(values);
    }
}
