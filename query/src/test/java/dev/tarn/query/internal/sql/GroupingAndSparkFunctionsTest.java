package dev.tarn.query.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.error.ErrorCode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GROUPING SETS / ROLLUP / CUBE with GROUPING(), COUNT over several columns, correlated EXISTS with a non-equality
 * condition (semi/anti joins with a residual), INTERSECT/EXCEPT ALL, TRY_CAST and Spark's DATEDIFF and DATE_TRUNC,
 * over the fixture's people table.
 */
class GroupingAndSparkFunctionsTest extends EngineFixture {

    @Test
    void rollupAddsTheTotalRowAndGroupingTellsItApart() {
        assertEquals(List.of(row(null, 1L, 0L), row("eng", 3L, 0L), row("ops", 2L, 0L), row("sales", 1L, 0L),
                        row(null, 7L, 1L)),
                query("SELECT dept, COUNT(*) AS n, GROUPING(dept) AS g FROM people GROUP BY ROLLUP(dept) ORDER BY g, dept"));
    }

    @Test
    void cubeAndGroupingSets() {
        // 6 (dept, age) pairs, 4 departments, 6 ages, 1 total.
        assertEquals(17L, scalar("SELECT COUNT(*) FROM (SELECT dept, age FROM people GROUP BY CUBE(dept, age)) t"));
        assertEquals(List.of(row(0L, 6L), row(1L, 4L), row(2L, 6L), row(3L, 1L)),
                query("SELECT g, COUNT(*) FROM (SELECT GROUPING(dept, age) AS g FROM people GROUP BY CUBE(dept, age)) t"
                        + " GROUP BY g ORDER BY g"));
        assertEquals(List.of(row(null, 7L), row("eng", 3L), row("ops", 2L)),
                query("SELECT dept, COUNT(*) FROM people GROUP BY GROUPING SETS ((dept), ()) HAVING COUNT(*) > 1"
                        + " ORDER BY dept NULLS FIRST"));
    }

    @Test
    void countOverSeveralColumns() {
        assertEquals(4L, scalar("SELECT COUNT(DISTINCT dept, age) FROM people"));
        assertEquals(5L, scalar("SELECT COUNT(dept, age) FROM people"));
        assertEquals(List.of(row("eng", 2L), row("ops", 1L)),
                query("SELECT dept, COUNT(DISTINCT dept, age) FROM people WHERE dept IN ('eng', 'ops')"
                        + " GROUP BY dept ORDER BY dept"));
    }

    @Test
    void existsWithNonEqualityCorrelation() {
        String someoneEarnsMore = "EXISTS (SELECT 1 FROM people q WHERE q.dept = p.dept AND q.salary > p.salary)";
        assertEquals(List.of(row(1L), row(2L)), query("SELECT id FROM people p WHERE " + someoneEarnsMore + " ORDER BY id"));
        assertEquals(List.of(row(3L), row(4L), row(5L), row(6L), row(7L)),
                query("SELECT id FROM people p WHERE NOT " + someoneEarnsMore + " ORDER BY id"));
    }

    @Test
    void intersectAndExceptAllKeepDuplicates() {
        assertEquals(List.of(row((Object) null), row("eng"), row("ops"), row("ops"), row("sales")),
                query("SELECT dept FROM (SELECT dept FROM people INTERSECT ALL SELECT dept FROM people WHERE id > 2) t"
                        + " ORDER BY dept"));
        assertEquals(List.of(row("eng"), row("eng")),
                query("SELECT dept FROM people EXCEPT ALL SELECT dept FROM people WHERE id > 2"));
        assertEquals(List.of(row("eng"), row("ops"), row("sales")),
                query("SELECT dept FROM people INTERSECT SELECT dept FROM people WHERE id > 2 AND dept IS NOT NULL"
                        + " ORDER BY dept"));
    }

    @Test
    void tryCastYieldsNullInsteadOfFailing() {
        assertEquals(List.of(row(12L, null)), query("SELECT TRY_CAST('12' AS INT), TRY_CAST('abc' AS INT)"));
        error(ErrorCode.INVALID_CAST, "SELECT CAST(name AS INT) FROM people");
        assertEquals(7L, scalar("SELECT COUNT(*) FROM people WHERE TRY_CAST(name AS INT) IS NULL"));
    }

    @Test
    void sparkDateDiffAndDateTrunc() {
        assertEquals(29L, scalar("SELECT DATEDIFF(DATE '2024-03-01', DATE '2024-02-01')"));
        assertEquals(-29L, scalar("SELECT DATEDIFF(DATE '2024-02-01', DATE '2024-03-01')"));
        assertEquals(List.of(row(14L)), query("SELECT DATEDIFF(born, DATE '1990-01-01') FROM people WHERE id = 1"));
        // An instant (TIMESTAMP) truncates on the session wall clock (UTC here): 2023-11-14T22:13:20Z, a Tuesday.
        String ts = " FROM sales.orders WHERE order_id = 100";
        assertEquals(Instant.parse("2023-11-01T00:00:00Z"), scalar("SELECT DATE_TRUNC('MONTH', ts)" + ts));
        assertEquals(Instant.parse("2023-11-13T00:00:00Z"), scalar("SELECT DATE_TRUNC('week', ts)" + ts));
        assertEquals(Instant.parse("2023-10-01T00:00:00Z"), scalar("SELECT DATE_TRUNC('QUARTER', ts)" + ts));
        assertEquals(Instant.parse("2023-11-14T22:00:00Z"), scalar("SELECT DATE_TRUNC('HOUR', ts)" + ts));
        assertEquals(Instant.parse("2023-01-01T00:00:00Z"), scalar("SELECT DATE_TRUNC('yyyy', ts)" + ts));
        assertEquals(LocalDateTime.parse("2024-01-01T00:00:00"),
                scalar("SELECT DATE_TRUNC('YEAR', CAST('2024-05-17 10:11:12' AS TIMESTAMP_NTZ))"));
        assertEquals(null, scalar("SELECT DATE_TRUNC('fortnight', TIMESTAMP '2024-05-17 10:11:12')"));
    }
}
