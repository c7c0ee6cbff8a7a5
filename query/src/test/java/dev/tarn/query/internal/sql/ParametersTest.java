package dev.tarn.query.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.error.ErrorCode;
import dev.tarn.query.ResultColumn;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParametersTest extends EngineFixture {

    @Test
    void parameterTypesAreInferred() {
        PlannedStatement s = plan("SELECT name FROM people WHERE age > ? AND name = ? AND salary < ? AND born = ?");
        assertEquals(List.of(
                new ResultColumn("?1", PrimitiveType.INTEGER, true),
                new ResultColumn("?2", PrimitiveType.STRING, true),
                new ResultColumn("?3", new DecimalType(10, 2), true),
                new ResultColumn("?4", PrimitiveType.DATE, true)), s.parameters());
    }

    @Test
    void bindsJdbcValueClasses() {
        assertEquals(List.of(row("Ann")), query("SELECT name FROM people WHERE id = ?", 1));
        assertEquals(List.of(row("Ann")), query("SELECT name FROM people WHERE id = ?", 1L));
        assertEquals(List.of(row("Ann")), query("SELECT name FROM people WHERE id = ?", (short) 1));
        assertEquals(List.of(row("Ann")), query("SELECT name FROM people WHERE id = ?", (byte) 1));
        assertEquals(List.of(row("Ann")), query("SELECT name FROM people WHERE id = ?", "1"));
        assertEquals(List.of(row("Ann")), query("SELECT name FROM people WHERE name = ?", "Ann"));
        assertEquals(List.of(row("Ann")), query("SELECT name FROM people WHERE salary = ?", new BigDecimal("1000.5")));
        assertEquals(List.of(row("Ann")), query("SELECT name FROM people WHERE score = ?", 1.5));
        assertEquals(List.of(row("Ann")), query("SELECT name FROM people WHERE score = ?", 1.5f));
        assertEquals(List.of(row("Ann")), query("SELECT name FROM people WHERE born = ?", LocalDate.of(1990, 1, 15)));
        assertEquals(List.of(row("Ann")), query("SELECT name FROM people WHERE born = ?", java.sql.Date.valueOf("1990-01-15")));
        assertEquals(List.of(row("Ann")), query("SELECT name FROM people WHERE (age > 30) = ? AND id = 1", true));
        assertEquals(List.of(row(100L)), query("SELECT order_id FROM sales.orders WHERE ts = ?",
                Instant.ofEpochSecond(1_700_000_000L)));
        assertEquals(List.of(row(100L)), query("SELECT order_id FROM sales.orders WHERE local_ts = ?",
                LocalDateTime.ofEpochSecond(1_700_000_000L, 0, java.time.ZoneOffset.UTC)));
        assertEquals(List.of(row(100L)), query("SELECT order_id FROM sales.orders WHERE local_ts = ?",
                java.sql.Timestamp.from(Instant.ofEpochSecond(1_700_000_000L))));
        assertEquals(List.of(), query("SELECT name FROM people WHERE name = ?", (Object) null));
    }

    @Test
    void parametersInExpressionsAndLimit() {
        assertEquals(List.of(row(11L)), query("SELECT id + ? FROM people WHERE id = 1", 10));
        assertEquals(List.of(row(1L), row(2L)), query("SELECT id FROM people ORDER BY id LIMIT ?", 2));
    }

    @Test
    void badParameterValues() {
        error(ErrorCode.INVALID_CAST, "SELECT name FROM people WHERE id = ?", "one");
        error(ErrorCode.NUMERIC_OVERFLOW, "SELECT name FROM people WHERE id = ?", 1L << 40);
        error(ErrorCode.INVALID_VALUE, "SELECT name FROM people WHERE id = ?");
        error(ErrorCode.TYPE_MISMATCH, "SELECT name FROM people WHERE id = ?", new Object());
    }
}
