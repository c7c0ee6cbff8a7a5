package dev.tarn.query.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpressionsTest extends EngineFixture {

    @Test
    void integerArithmeticFailsOnOverflow() {
        assertEquals(7L, scalar("SELECT 1 + 2 * 3"));
        assertEquals(2L, scalar("SELECT 7 / 3"));
        assertEquals(1L, scalar("SELECT 7 % 3"));
        assertEquals(-1L, scalar("SELECT -7 % 3"));
        TarnException e = error(ErrorCode.NUMERIC_OVERFLOW, "SELECT 2147483647 + id FROM people WHERE id = 1");
        assertTrue(e.getMessage().toLowerCase().contains("overflow"), e.getMessage());
        error(ErrorCode.NUMERIC_OVERFLOW, "SELECT CAST(9223372036854775807 AS BIGINT) + 1");
    }

    @Test
    void divisionByZeroFails() {
        error(ErrorCode.DIVISION_BY_ZERO, "SELECT id / 0 FROM people");
        error(ErrorCode.DIVISION_BY_ZERO, "SELECT id % (id - id) FROM people");
        error(ErrorCode.DIVISION_BY_ZERO, "SELECT salary / 0 FROM people WHERE id = 1");
        assertEquals(List.of(row((Object) null)), query("SELECT age / 0 FROM people WHERE id = 3"));
    }

    @Test
    void decimalArithmeticIsExact() {
        assertEquals(new BigDecimal("0.3"), scalar("SELECT 0.1 + 0.2"));
        assertEquals(new BigDecimal("2001.00"), scalar("SELECT salary * 2 FROM people WHERE id = 1"));
        assertEquals(new DecimalType(11, 2), plan("SELECT salary + salary FROM people").columns().get(0).type());
        assertEquals(new BigDecimal("1500.50"), scalar("SELECT salary + 0.25 FROM people WHERE id = 3"));
        Object q = scalar("SELECT salary / 3 FROM people WHERE id = 2");
        assertEquals(0, new BigDecimal("666.666667").compareTo(((BigDecimal) q).setScale(6, java.math.RoundingMode.HALF_UP)), q.toString());
        assertEquals(2.5 * 2, scalar("SELECT score * 2 FROM people WHERE id = 2"));
    }

    @Test
    void sharedArithmeticIsComputedOnceButNeverOutOfAGuard() {
        // salary * 2 appears in both columns: computed once by a projection below, with the same results.
        assertEquals(List.of(row(new BigDecimal("2001.00"), new BigDecimal("2002.00"))),
                query("SELECT salary * 2, salary * 2 + 1 FROM people WHERE id = 1"));
        String explain = query("EXPLAIN SELECT salary * 2, salary * 2 + 1 FROM people").toString();
        assertTrue(explain.contains("Project[$0, ($0 * 2)]") && explain.contains("Project[$1, ($1 + 1)]"), explain);
        // A division guarded by CASE stays inside it: hoisting it would divide by zero for id 1's row.
        assertEquals(7, query("SELECT CASE WHEN id - 1 <> 0 THEN 10 / (id - 1) END, "
                + "CASE WHEN id - 1 <> 0 THEN 10 / (id - 1) + 1 END FROM people").size());
    }

    @Test
    void comparisonsAndThreeValuedLogic() {
        assertEquals(List.of(row(true, null, false, null, true, null)),
                query("SELECT 1 < 2, age > 1, 1 = 2 AND age > 1, 1 = 1 AND age > 1, 1 = 1 OR age > 1, NOT (age > 1) "
                        + "FROM people WHERE id = 3"));
        assertEquals(List.of(row(true, false, false, true)),
                query("SELECT age IS NULL, age IS NOT NULL, (age > 1) IS TRUE, (age > 1) IS NOT TRUE FROM people WHERE id = 3"));
        assertEquals(4L, scalar("SELECT COUNT(*) FROM people WHERE dept != 'ops'"));
        assertEquals(4L, scalar("SELECT COUNT(*) FROM people WHERE NOT (dept = 'ops')"));
        assertEquals(1L, scalar("SELECT COUNT(*) FROM people WHERE age IS NULL"));
        assertEquals(List.of(row(true)), query("SELECT name IS NOT DISTINCT FROM NULL FROM people WHERE id = 5"));
    }

    @Test
    void caseCoalesceNullifInBetween() {
        assertEquals(List.of(row("young"), row("old"), row("unknown")),
                query("SELECT CASE WHEN age < 40 THEN 'young' WHEN age >= 40 THEN 'old' ELSE 'unknown' END "
                        + "FROM people WHERE id IN (1, 2, 3) ORDER BY id"));
        assertEquals(List.of(row(-1L), row(28L)),
                query("SELECT COALESCE(age, -1) FROM people WHERE id IN (3, 4) ORDER BY id"));
        assertEquals(List.of(row((Object) null), row(45L)), query("SELECT NULLIF(age, 34) FROM people WHERE id IN (1, 2) ORDER BY id"));
        assertEquals(List.of(row(true, false, null)), query("SELECT 2 IN (1, 2), 3 IN (1, 2), age IN (1, 2) FROM people WHERE id = 3"));
        assertEquals(3L, scalar("SELECT COUNT(*) FROM people WHERE age BETWEEN 30 AND 50"));
        assertEquals(3L, scalar("SELECT COUNT(*) FROM people WHERE age NOT BETWEEN 30 AND 50"));
        assertEquals(List.of(row("x")), query("SELECT CASE WHEN name = 'Ann' THEN 'x' ELSE 'longer' END FROM people WHERE id = 1"));
    }

    @Test
    void caseBranchesOnlySeeTheirRows() {
        assertEquals(List.of(row(-1L), row(0L), row(1L)),
                query("SELECT CASE WHEN id - 2 <> 0 THEN 1 / (id - 2) ELSE 0 END FROM people WHERE id IN (1, 2, 3) ORDER BY id"));
        assertEquals(List.of(row(-1L), row(0L), row(1L)),
                query("SELECT CASE WHEN id = 2 THEN 0 ELSE 1 / (id - 2) END FROM people WHERE id IN (1, 2, 3) ORDER BY id"));
        assertEquals(List.of(row(0L), row(0L)),
                query("SELECT CASE WHEN age IS NULL THEN 0 ELSE 0 * (1 / (id - 3)) END FROM people WHERE id IN (3, 4) ORDER BY id"));
    }

    @Test
    void stringFunctions() {
        assertEquals(List.of(row("ANN", "ann", 3L, "Ann!", "An", "nn", "x")),
                query("SELECT UPPER(name), LOWER(name), CHAR_LENGTH(name), name || '!', SUBSTRING(name, 1, 2), "
                        + "SUBSTRING(name FROM 2), TRIM('  x  ') FROM people WHERE id = 1"));
        assertEquals(List.of(row("Ann-eng", 3L, "xx  ", "  xx")),
                query("SELECT CONCAT(name, '-', dept), LENGTH(name), TRIM(LEADING FROM '  xx  '), TRIM(TRAILING FROM '  xx  ') "
                        + "FROM people WHERE id = 1"));
        assertEquals(List.of(row((Object) null)), query("SELECT name || 'x' FROM people WHERE id = 5"));
        assertEquals(3L, scalar("SELECT COUNT(*) FROM people WHERE name LIKE '%e%' OR name LIKE 'A__'"));
        assertEquals(1L, scalar("SELECT COUNT(*) FROM people WHERE 'a_b' LIKE 'a\\_%' ESCAPE '\\' AND id = 1"));
        assertEquals(5L, scalar("SELECT COUNT(*) FROM people WHERE name NOT LIKE 'A%'"));
    }

    @Test
    void sparkSubstringAndPosition() {
        assertEquals(List.of(row("An", "n", "nn", "", 2L, 0L)),
                query("SELECT SUBSTRING(name, 0, 2), SUBSTRING(name, -1), SUBSTRING(name, 2, 100), SUBSTRING(name, 2, -1), "
                        + "POSITION('n' IN name), POSITION('z' IN name) FROM people WHERE id = 1"));
    }

    @Test
    void inListsOverExpressionsKeepThreeValuedLogic() {
        // One evaluation of SUBSTRING per row: the expanded IN list is compiled to a single IN test.
        String explain = query("EXPLAIN SELECT id FROM people WHERE SUBSTRING(name, 1, 1) IN ('A', 'C', 'F')").toString();
        assertTrue(explain.contains("IN(SUBSTRING("), explain);
        assertEquals(List.of(row(1L), row(3L), row(7L)),
                query("SELECT id FROM people WHERE SUBSTRING(name, 1, 1) IN ('A', 'C', 'F') ORDER BY id"));
        assertEquals(List.of(row(1L, true), row(2L, false), row(5L, null)),
                query("SELECT id, SUBSTRING(name, 1, 1) IN ('A', 'C') FROM people WHERE id IN (1, 2, 5) ORDER BY id"));
        assertEquals(List.of(row(4L), row(5L), row(7L)), query("SELECT id FROM people WHERE age NOT IN (34, 45) ORDER BY id"));
        assertEquals(List.of(row(2L, false), row(3L, null), row(4L, true)),
                query("SELECT id, age + 0 NOT IN (34, 45) FROM people WHERE id BETWEEN 2 AND 4 ORDER BY id"));
        assertEquals(List.of(row(1L, true), row(2L, null), row(5L, null)),
                query("SELECT id, name IN ('Ann', NULL) FROM people WHERE id IN (1, 2, 5) ORDER BY id"));
        assertEquals(List.of(row(1L), row(7L)),
                query("SELECT id FROM people WHERE born IN (DATE '1990-01-15', DATE '2002-08-08') ORDER BY id"));
        assertEquals(List.of(row(1L), row(7L)),
                query("SELECT id FROM people WHERE salary * 1 IN (1000.50, 900) ORDER BY id"));
        assertEquals(List.of(row(2L), row(3L), row(4L), row(6L)),
                query("SELECT id FROM people WHERE UPPER(name) = 'BOB' OR UPPER(name) = 'CID' OR id = 4 "
                        + "OR UPPER(name) = 'EVE' ORDER BY id"));
    }

    @Test
    void stringsCompareByCodePoint() {
        // U+FFFD sorts below U+1F600 by code point (and in UTF-8), though not by UTF-16 unit.
        assertEquals(List.of(row(true, true, "\uD83D\uDE00")),
                query("SELECT a < b, a > 'z' || b, b FROM (VALUES ('\uFFFD', '\uD83D\uDE00')) AS t(a, b)"));
        assertEquals(List.of(row(true, false)), query("SELECT name < 'B', name > 'Bob' FROM people WHERE id = 1"));
        assertEquals(List.of(row("Ann")), query("SELECT name FROM people WHERE 'Ann' = name"));
        assertEquals(4L, scalar("SELECT COUNT(*) FROM people WHERE name >= 'Cid'"));
    }

    @Test
    void coalesceOverStringsAcrossBatches() {
        assertEquals(List.of(row("Ann"), row("Bob"), row("Cid"), row("Dee"), row("x"), row("Eve"), row("Fay")),
                query("SELECT COALESCE(name, dept, 'x') FROM people ORDER BY id"));
    }

    @Test
    void sparkFunctions() {
        assertEquals(List.of(row("b", "eng", "x", "An", "nn", "", "Ann", "a ", " a", true, false, "nnA", "Amm")),
                query("SELECT IF(id > 1, 'a', 'b'), NVL(dept, 'x'), IFNULL(NULL, 'x'), LEFT(name, 2), RIGHT(name, 2), "
                        + "LEFT(name, 0), RIGHT(name, 10), LTRIM(' a '), RTRIM(' a '), STARTS_WITH(name, 'A'), "
                        + "ENDS_WITH(name, 'A'), REVERSE(name), REPLACE(name, 'n', 'm') FROM people WHERE id = 1"));
        assertEquals(List.of(row(LocalDate.of(1990, 1, 25), LocalDate.of(1990, 1, 5), LocalDate.of(1990, 2, 15))),
                query("SELECT DATE_ADD(born, 10), DATE_SUB(born, 10), ADD_MONTHS(born, 1) FROM people WHERE id = 1"));
        assertEquals(List.of(row(8.0, 3.0, 1.0, 2.0, new BigDecimal("1000"), new BigDecimal("1001"))),
                query("SELECT POWER(2, 3), SQRT(9), FLOOR(score), CEIL(score), FLOOR(salary), CEIL(salary) "
                        + "FROM people WHERE id = 1"));
    }

    @Test
    void numericFunctions() {
        assertEquals(List.of(row(34L, 1.0, new BigDecimal("1000.50"), new BigDecimal("1001.00"), 3.0)),
                query("SELECT ABS(-age), ABS(score - 2.5), ABS(salary), ROUND(salary), ROUND(2.5e0) FROM people WHERE id = 1"));
        assertEquals(new BigDecimal("1000.50"), scalar("SELECT ROUND(salary, 1) FROM people WHERE id = 1"));
    }

    @Test
    void dateFunctionsAndIntervals() {
        assertEquals(List.of(row(1990L, 1L, 15L)),
                query("SELECT EXTRACT(YEAR FROM born), EXTRACT(MONTH FROM born), EXTRACT(DAY FROM born) FROM people WHERE id = 1"));
        assertEquals(LocalDate.of(2020, 1, 11), scalar("SELECT DATE '2020-01-01' + INTERVAL '10' DAY"));
        assertEquals(LocalDate.of(2019, 12, 22), scalar("SELECT DATE '2020-01-01' - INTERVAL '10' DAY"));
        assertEquals(LocalDate.of(2020, 2, 29), scalar("SELECT DATE '2020-01-31' + INTERVAL '1' MONTH"));
        assertEquals(LocalDate.of(2001, 2, 28), scalar("SELECT born + INTERVAL '1' YEAR FROM people WHERE id = 3"));
        assertEquals(2L, scalar("SELECT COUNT(*) FROM people WHERE born < DATE '1980-01-01'"));
        assertEquals(PrimitiveType.DATE, plan("SELECT CURRENT_DATE").columns().get(0).type());
        LocalDate today = (LocalDate) scalar("SELECT CURRENT_DATE");
        assertTrue(Math.abs(today.toEpochDay() - LocalDate.now(ZONE).toEpochDay()) <= 1);
        assertEquals(PrimitiveType.TIMESTAMP, plan("SELECT CURRENT_TIMESTAMP").columns().get(0).type());
        Instant now = (Instant) scalar("SELECT CURRENT_TIMESTAMP");
        assertTrue(Math.abs(now.getEpochSecond() - Instant.now().getEpochSecond()) < 60, now.toString());
    }

    @Test
    void monthsMoveInstantsAlongTheSessionCalendar() {
        // 2020-01-31 23:30 in Los Angeles is 2020-02-01 07:30 UTC; a month later in LA is 2020-02-29 23:30.
        PlannedStatement s = engine.plan("SELECT CAST('2020-01-31 23:30:00' AS TIMESTAMP) + INTERVAL '1' MONTH",
                new SessionState(catalog, "default", java.time.ZoneId.of("America/Los_Angeles")));
        try (dev.tarn.query.internal.execution.Operator op = s.bindQuery(List.of())) {
            op.open(new dev.tarn.query.internal.execution.ExecutionContext(allocator, executor, 1,
                    java.time.ZoneId.of("America/Los_Angeles")));
            org.apache.arrow.vector.VectorSchemaRoot b = op.next();
            assertEquals(Instant.parse("2020-03-01T07:30:00Z"),
                    dev.tarn.query.internal.expression.Casts.instant((Long) dev.tarn.query.internal.expression.Values
                            .reader(b.getVector(0)).get(0)));
        }
        assertEquals(Instant.parse("2020-01-02T00:00:00Z"), scalar("SELECT TIMESTAMP '2020-01-01 00:00:00' + INTERVAL '1' DAY"
                .replace("TIMESTAMP '2020-01-01 00:00:00'", "CAST('2020-01-01 00:00:00' AS TIMESTAMP)")));
    }

    @Test
    void castsBetweenTypes() {
        assertEquals(List.of(row(12L, 12L, 1.5, new BigDecimal("1.50"), "12", true, LocalDate.of(2020, 2, 3))),
                query("SELECT CAST('12' AS INT), CAST(' 12 ' AS BIGINT), CAST('1.5' AS DOUBLE), CAST('1.5' AS DECIMAL(5,2)), "
                        + "CAST(12 AS STRING), CAST('true' AS BOOLEAN), CAST('2020-02-03' AS DATE)"));
        assertEquals(List.of(row(1L, 2L, -1L, "1000.50", "1990-01-15", 1.5f * 1.0)),
                query("SELECT CAST(1.9 AS INT), CAST(2.5e0 AS TINYINT), CAST(-1.5 AS SMALLINT), CAST(salary AS STRING), "
                        + "CAST(born AS VARCHAR(20)), CAST(score AS FLOAT) FROM people WHERE id = 1"));
        assertEquals(PrimitiveType.FLOAT, plan("SELECT CAST(1 AS FLOAT)").columns().get(0).type());
        assertEquals(PrimitiveType.STRING, plan("SELECT CAST(1 AS STRING)").columns().get(0).type());
        assertEquals(PrimitiveType.TIMESTAMP, plan("SELECT CAST('2020-01-01' AS TIMESTAMP)").columns().get(0).type());
        assertEquals(PrimitiveType.TIMESTAMP_NTZ, plan("SELECT CAST('2020-01-01' AS TIMESTAMP_NTZ)").columns().get(0).type());
        assertEquals(PrimitiveType.BINARY, plan("SELECT CAST('ab' AS BINARY)").columns().get(0).type());
        assertEquals(Instant.parse("2020-01-02T03:04:05.123456Z"), scalar("SELECT CAST('2020-01-02 03:04:05.123456' AS TIMESTAMP)"));
        assertEquals(LocalDateTime.of(2020, 1, 2, 3, 4, 5), scalar("SELECT CAST('2020-01-02 03:04:05' AS TIMESTAMP_NTZ)"));
        assertEquals("2023-11-14 22:13:20", scalar("SELECT CAST(ts AS STRING) FROM sales.orders WHERE order_id = 100"));
        // Zero seconds stay in the text, also before a fraction (it read 13:47.5 when the clock was at :00).
        assertEquals("2020-01-02 13:47:00.5", scalar("SELECT CAST(TIMESTAMP '2020-01-02 13:47:00.5' AS STRING)"));
        assertEquals("2020-01-02 13:47:00", scalar("SELECT CAST(TIMESTAMP '2020-01-02 13:47:00' AS STRING)"));
        assertEquals("2020-01-02 00:00:00.000001",
                scalar("SELECT CAST(CAST('2020-01-02 00:00:00.000001' AS TIMESTAMP_NTZ) AS STRING)"));
        assertEquals(LocalDate.of(2023, 11, 14), scalar("SELECT CAST(ts AS DATE) FROM sales.orders WHERE order_id = 100"));
        assertEquals(Instant.parse("2020-01-01T00:00:00Z"), scalar("SELECT CAST(DATE '2020-01-01' AS TIMESTAMP)"));
        assertEquals(List.of(row((Object) null)), query("SELECT CAST(name AS INT) FROM people WHERE id = 5"));
    }

    @Test
    void invalidCastsNameTheValue() {
        TarnException e = error(ErrorCode.INVALID_CAST, "SELECT CAST(name AS INT) FROM people WHERE id = 1");
        assertTrue(e.getMessage().contains("'Ann'"), e.getMessage());
        error(ErrorCode.INVALID_CAST, "SELECT CAST('2020-13-01' AS DATE)");
        error(ErrorCode.INVALID_CAST, "SELECT CAST('maybe' AS BOOLEAN)");
        error(ErrorCode.NUMERIC_OVERFLOW, "SELECT CAST(300 AS TINYINT)");
        error(ErrorCode.NUMERIC_OVERFLOW, "SELECT CAST(salary AS DECIMAL(4,2)) FROM people WHERE id = 1");
    }

    @Test
    void largeInputsProcessedInBatches() {
        InMemoryTable big = new InMemoryTable("default.big", dev.tarn.txlog.types.StructType.of(
                new dev.tarn.txlog.types.StructField("k", PrimitiveType.LONG, false),
                new dev.tarn.txlog.types.StructField("v", PrimitiveType.LONG, true)), 4096);
        for (long i = 0; i < 20_000; i++) {
            big.row(i, i % 7 == 0 ? null : i % 10);
        }
        catalog.add("default", "big", big);
        assertEquals(List.of(row(20_000L, 17_142L, 77_139L)),
                query("SELECT COUNT(*), COUNT(v), SUM(v) FROM big"));
        List<List<Object>> groups = query("SELECT v, COUNT(*) FROM big GROUP BY v ORDER BY v");
        assertEquals(11, groups.size());
        assertEquals(List.of(row(20_000L, 20_000L)),
                query("SELECT COUNT(*), SUM(n) FROM (SELECT k, COUNT(*) AS n FROM big GROUP BY k) g"));
        assertEquals(List.of(row(7L, 2858L)), query("SELECT k % 7, COUNT(*) FROM big WHERE k % 7 = 0 GROUP BY k % 7"
                .replace("k % 7, COUNT(*)", "CAST(7 AS BIGINT), COUNT(*)")));
        assertEquals(null, groups.get(0).get(0));
        assertEquals(List.of(row(19_999L), row(19_998L)), query("SELECT k FROM big ORDER BY k DESC LIMIT 2"));
        assertEquals(List.of(row(19_990L), row(19_989L)), query("SELECT k FROM big ORDER BY k DESC LIMIT 2 OFFSET 9"));
    }

    @Test
    void topNOverManyBatchesIsStable() {
        InMemoryTable huge = new InMemoryTable("default.huge", dev.tarn.txlog.types.StructType.of(
                new dev.tarn.txlog.types.StructField("k", PrimitiveType.LONG, false),
                new dev.tarn.txlog.types.StructField("v", PrimitiveType.LONG, true)), 5000);
        for (long i = 0; i < 100_000; i++) {
            huge.row(i, i % 1000);
        }
        catalog.add("default", "huge", huge);
        // Ties keep input order and OFFSET applies, although the buffer is cut down to the top rows several times.
        assertEquals(List.of(row(1999L, 999L), row(2999L, 999L), row(3999L, 999L)),
                query("SELECT k, v FROM huge ORDER BY v DESC LIMIT 3 OFFSET 1"));
        assertEquals(List.of(row(0L), row(1000L)), query("SELECT k FROM huge ORDER BY v, k LIMIT 2"));
    }
}
