package dev.tarn.txlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.storage.parquet.ColumnStatistics;
import dev.tarn.storage.parquet.DataFileStatistics;
import dev.tarn.txlog.skipping.DataSkipping;
import dev.tarn.txlog.skipping.FileStats;
import dev.tarn.txlog.skipping.Predicate;
import dev.tarn.txlog.skipping.Predicate.Column;
import dev.tarn.txlog.skipping.Predicate.Comparison;
import dev.tarn.txlog.skipping.Predicate.Literal;
import dev.tarn.txlog.skipping.Predicate.Op;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsAndSkippingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StructType SCHEMA = StructType.of(
            new StructField("id", PrimitiveType.LONG, true),
            new StructField("ts", PrimitiveType.TIMESTAMP, true),
            new StructField("d", PrimitiveType.DATE, true),
            new StructField("amount", new DecimalType(10, 2), true),
            new StructField("s", StructType.of(new StructField("name", PrimitiveType.STRING, true)), true),
            new StructField("mapped", PrimitiveType.INTEGER, true,
                    Map.of("delta.columnMapping.physicalName", "col-123", "delta.columnMapping.id", 5L)),
            new StructField("flag", PrimitiveType.BOOLEAN, true));

    private static DataFileStatistics stats() {
        return new DataFileStatistics(100, 4096, List.of(
                new ColumnStatistics(List.of("id"), 1L, 100L, 0),
                new ColumnStatistics(List.of("ts"), Instant.parse("2024-01-01T00:00:00.123456Z"),
                        Instant.parse("2024-01-02T00:00:00.999999Z"), 3),
                new ColumnStatistics(List.of("d"), LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31), 0),
                new ColumnStatistics(List.of("amount"), new BigDecimal("-1.50"), new BigDecimal("99.99"), 0),
                new ColumnStatistics(List.of("s", "name"), "a", "z".repeat(40), 100),
                new ColumnStatistics(List.of("col-123"), 5, 7, 0),
                new ColumnStatistics(List.of("flag"), false, true, 1)));
    }

    @Test
    void statsJsonInSparkFormat() throws Exception {
        String json = StatsJson.of(SCHEMA, stats(), 32);
        String expected = "{\"numRecords\":100,"
                + "\"minValues\":{\"id\":1,\"ts\":\"2024-01-01T00:00:00.123Z\",\"d\":\"2024-01-01\",\"amount\":-1.50,"
                + "\"s\":{\"name\":\"a\"},\"col-123\":5},"
                + "\"maxValues\":{\"id\":100,\"ts\":\"2024-01-02T00:00:00.999Z\",\"d\":\"2024-12-31\",\"amount\":99.99,"
                + "\"s\":{\"name\":\"" + "z".repeat(32) + "\uFFFD\"},\"col-123\":7},"
                + "\"nullCount\":{\"id\":0,\"ts\":3,\"d\":0,\"amount\":0,\"s\":{\"name\":100},\"col-123\":0,\"flag\":1}}";
        assertEquals(JSON.readTree(expected), JSON.readTree(json));
        // Only the first N leaf columns are indexed.
        assertEquals(JSON.readTree("{\"numRecords\":100,\"minValues\":{\"id\":1,\"ts\":\"2024-01-01T00:00:00.123Z\"},"
                + "\"maxValues\":{\"id\":100,\"ts\":\"2024-01-02T00:00:00.999Z\"},\"nullCount\":{\"id\":0,\"ts\":3}}"),
                JSON.readTree(StatsJson.of(SCHEMA, stats(), 2)));
    }

    private static boolean keep(Predicate p, String stats) {
        DataSkipping ds = new DataSkipping(SCHEMA, List.of());
        return ds.mightMatch(DataSkipping.pushNot(p, false), Map.of(), () -> FileStats.parse(stats));
    }

    private static Comparison cmp(String col, Op op, Object v, dev.tarn.txlog.types.DataType t) {
        return new Comparison(Column.of(col), op, new Literal(v, t));
    }

    @Test
    void skippingOverStatistics() {
        String stats = StatsJson.of(SCHEMA, stats(), 32);
        assertTrue(keep(cmp("id", Op.EQ, 50L, PrimitiveType.LONG), stats));
        assertFalse(keep(cmp("id", Op.EQ, 101L, PrimitiveType.LONG), stats));
        assertFalse(keep(cmp("id", Op.LT, 1, PrimitiveType.INTEGER), stats));
        assertTrue(keep(cmp("id", Op.LE, 1, PrimitiveType.INTEGER), stats));
        assertFalse(keep(cmp("id", Op.GT, 100L, PrimitiveType.LONG), stats));
        assertFalse(keep(new Predicate.Not(cmp("id", Op.LE, 100L, PrimitiveType.LONG)), stats));
        assertTrue(keep(cmp("amount", Op.GE, new BigDecimal("99.99"), new DecimalType(10, 2)), stats));
        assertFalse(keep(cmp("amount", Op.GT, new BigDecimal("99.99"), new DecimalType(10, 2)), stats));
        assertFalse(keep(cmp("d", Op.LT, LocalDate.of(2024, 1, 1), PrimitiveType.DATE), stats));
        // Millisecond-truncated max: a value 0.5 ms above the written max may still be in the file.
        assertTrue(keep(cmp("ts", Op.EQ, Instant.parse("2024-01-02T00:00:00.9995Z"), PrimitiveType.TIMESTAMP), stats));
        assertFalse(keep(cmp("ts", Op.GT, Instant.parse("2024-01-02T00:00:01Z"), PrimitiveType.TIMESTAMP), stats));
        // Column mapping: the stats are keyed by physical name.
        assertFalse(keep(cmp("mapped", Op.GT, 7, PrimitiveType.INTEGER), stats));
        // Nested column, all null: no comparison can be true, IS NULL can.
        assertFalse(keep(new Comparison(new Column(List.of("s", "name")), Op.EQ, new Literal("m", PrimitiveType.STRING)), stats));
        assertTrue(keep(new Predicate.IsNull(new Column(List.of("s", "name"))), stats));
        assertFalse(keep(new Predicate.IsNull(Column.of("id")), stats));
        assertFalse(keep(new Predicate.IsNotNull(new Column(List.of("s", "name"))), stats));
        assertTrue(keep(new Predicate.In(Column.of("id"), List.of(new Literal(0L, PrimitiveType.LONG),
                new Literal(100L, PrimitiveType.LONG))), stats));
        assertFalse(keep(new Predicate.In(Column.of("id"), List.of(new Literal(0L, PrimitiveType.LONG))), stats));
        // Comparisons with NULL are never true.
        assertFalse(keep(cmp("id", Op.EQ, null, PrimitiveType.LONG), stats));
        // Missing statistics and unknown columns keep the file.
        assertTrue(keep(cmp("id", Op.EQ, 101L, PrimitiveType.LONG), null));
        assertTrue(keep(cmp("nope", Op.EQ, 1L, PrimitiveType.LONG), stats));
        assertTrue(keep(cmp("flag", Op.EQ, true, PrimitiveType.BOOLEAN), stats));
    }

    @Test
    void wideBoundsDoNotProveAllNull() {
        String wide = "{\"numRecords\":3,\"minValues\":{\"id\":1},\"maxValues\":{\"id\":3},\"nullCount\":{\"id\":3},"
                + "\"tightBounds\":false}";
        String tight = wide.replace("false", "true");
        assertTrue(keep(new Predicate.IsNotNull(Column.of("id")), wide));
        assertFalse(keep(new Predicate.IsNotNull(Column.of("id")), tight));
        // min/max remain valid bounds either way.
        assertFalse(keep(cmp("id", Op.GT, 3L, PrimitiveType.LONG), wide));
    }
}
