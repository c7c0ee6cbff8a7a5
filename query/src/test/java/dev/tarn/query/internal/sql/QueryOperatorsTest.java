package dev.tarn.query.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.catalog.PushedFilter;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryOperatorsTest extends EngineFixture {

    @Test
    void projectsAndFiltersAcrossBatches() {
        assertEquals(List.of(row(2L, "Bob"), row(5L, null)),
                query("SELECT id, name FROM people WHERE age > 40 ORDER BY id"));
        assertEquals(List.of(row("Ann", 35L), row("Bob", 46L)),
                query("SELECT name, age + 1 AS next_age FROM people WHERE id < 3"));
    }

    @Test
    void resultColumnsFollowAliasesAndTypes() {
        PlannedStatement s = plan("SELECT id AS ident, name, salary, age * 2 FROM people");
        assertEquals(PlannedStatement.Kind.QUERY, s.kind());
        assertEquals(List.of(
                new ResultColumn("ident", PrimitiveType.INTEGER, false),
                new ResultColumn("name", PrimitiveType.STRING, true),
                new ResultColumn("salary", new DecimalType(10, 2), true),
                new ResultColumn("(age * 2)", PrimitiveType.INTEGER, true)), s.columns());
    }

    @Test
    void filterOverScanPushesSimpleConjunctsAndPrunesColumns() {
        assertEquals(List.of(row("Ann")),
                query("SELECT name FROM people WHERE age = 34 AND dept IS NOT NULL AND name LIKE 'A%'"));
        List<PushedFilter> pushed = people.pushedFilters.get(people.pushedFilters.size() - 1);
        assertTrue(pushed.contains(new PushedFilter(2, PushedFilter.Op.EQ, List.of(34))), pushed.toString());
        assertTrue(pushed.contains(new PushedFilter(4, PushedFilter.Op.IS_NOT_NULL, List.of())), pushed.toString());
        assertEquals(2, pushed.size(), "LIKE is not pushed: " + pushed);
        assertArrayEquals(new int[] {1, 2, 4}, people.scannedColumns.get(people.scannedColumns.size() - 1));
    }

    @Test
    void inListAndRangesArePushed() {
        assertEquals(List.of(row(2L), row(4L), row(6L)), query("SELECT id FROM people WHERE id IN (2, 4, 6) ORDER BY id"));
        List<PushedFilter> pushed = people.pushedFilters.get(people.pushedFilters.size() - 1);
        assertEquals(1, pushed.size(), pushed.toString());
        assertEquals(PushedFilter.Op.IN, pushed.get(0).op());
        assertEquals(new HashSet<>(List.of(2, 4, 6)), new HashSet<>(pushed.get(0).values()));

        assertEquals(List.of(row(3L), row(4L)), query("SELECT id FROM people WHERE id BETWEEN 3 AND 4 ORDER BY id"));
        pushed = people.pushedFilters.get(people.pushedFilters.size() - 1);
        assertTrue(pushed.contains(new PushedFilter(0, PushedFilter.Op.GE, List.of(3))), pushed.toString());
        assertTrue(pushed.contains(new PushedFilter(0, PushedFilter.Op.LE, List.of(4))), pushed.toString());
    }

    @Test
    void countStarScansAtLeastOneColumn() {
        assertEquals(7L, scalar("SELECT COUNT(*) FROM people"));
        assertEquals(1, people.scannedColumns.get(people.scannedColumns.size() - 1).length);
    }

    @Test
    void groupByTreatsNullAsAGroup() {
        assertEquals(List.of(row(null, 1L, 3000.75), row("eng", 3L, 5500.5), row("ops", 2L, 1500.25), row("sales", 1L, 900.0)),
                query("SELECT dept, COUNT(*), CAST(SUM(salary) AS DOUBLE) FROM people GROUP BY dept ORDER BY dept"));
    }

    @Test
    void aggregateFunctions() {
        assertEquals(List.of(row(7L, 6L, 5L, 22L, 51L, new java.math.BigDecimal("10901.50"))),
                query("SELECT COUNT(*), COUNT(age), COUNT(DISTINCT age), MIN(age), MAX(age), SUM(salary) FROM people"));
        assertEquals(List.of(row(new java.math.BigDecimal("1816.916667"), 1.75)),
                query("SELECT AVG(salary), AVG(score) FROM people"));
        assertEquals(PrimitiveType.DOUBLE, plan("SELECT AVG(age) FROM people").columns().get(0).type());
        assertEquals(PrimitiveType.LONG, plan("SELECT SUM(age) FROM people").columns().get(0).type());
        assertEquals(List.of(row("eng", 2L), row("ops", 1L)),
                query("SELECT dept, COUNT(DISTINCT age) FROM people WHERE dept IN ('eng', 'ops') AND age IS NOT NULL "
                        + "GROUP BY dept ORDER BY dept"));
        assertEquals(List.of(row("Ann", "Fay")), query("SELECT MIN(name), MAX(name) FROM people"));
    }

    @Test
    void globalAggregateOverNoRowsReturnsOneRow() {
        assertEquals(List.of(row(0L, null, null)), query("SELECT COUNT(*), SUM(age), MAX(name) FROM people WHERE id > 100"));
        assertEquals(List.of(), query("SELECT dept, COUNT(*) FROM people WHERE id > 100 GROUP BY dept"));
    }

    @Test
    void havingFiltersGroups() {
        assertEquals(List.of(row("eng", 3L)), query("SELECT dept, COUNT(*) AS n FROM people GROUP BY dept HAVING COUNT(*) > 2"));
    }

    @Test
    void sortDefaultsToSparkNullOrdering() {
        assertEquals(List.of(row(3L, null), row(7L, 22L), row(4L, 28L)),
                query("SELECT id, age FROM people ORDER BY age LIMIT 3"));
        assertEquals(List.of(row(5L, 51L), row(2L, 45L)), query("SELECT id, age FROM people ORDER BY age DESC LIMIT 2"));
        assertEquals(List.of(row(3L, null)),
                query("SELECT id, age FROM people ORDER BY age DESC NULLS FIRST LIMIT 1"));
        assertEquals(List.of(row(1L, 34L)), query("SELECT id, age FROM people ORDER BY age NULLS LAST, id LIMIT 1 OFFSET 2"));
    }

    @Test
    void multiKeySort() {
        assertEquals(List.of(row(null, 5L), row("eng", 6L), row("eng", 2L), row("eng", 1L), row("ops", 3L), row("ops", 4L),
                        row("sales", 7L)),
                query("SELECT dept, id FROM people ORDER BY dept ASC, salary DESC"));
    }

    @Test
    void limitAndOffsetWithoutOrder() {
        assertEquals(3, query("SELECT id FROM people LIMIT 3").size());
        assertEquals(List.of(row(5L), row(6L)), query("SELECT id FROM people ORDER BY id LIMIT 2 OFFSET 4"));
        assertEquals(List.of(), query("SELECT id FROM people LIMIT 0"));
        assertEquals(2, query("SELECT id FROM people LIMIT 10 OFFSET 5").size());
    }

    @Test
    void valuesAndSelectWithoutFrom() {
        assertEquals(List.of(row(1L, "a"), row(2L, "b")), query("SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS t(x, y)"));
        assertEquals(List.of(row(3L)), query("SELECT 1 + 2"));
        // Exact and approximate literals in one column: the column is DOUBLE and every row reads as one.
        assertEquals(List.of(row(0.1), row(-1500.0)), query("SELECT * FROM (VALUES (0.1), (-1.5E3)) AS t(x)"));
        assertEquals(List.of(row((Object) null), row(-1499.0), row(1.1)),
                query("SELECT x + 1 FROM (VALUES (0.1), (-1.5E3), (NULL)) AS t(x) ORDER BY 1"));
    }

    @Test
    void unionAllAndUnion() {
        assertEquals(List.of(row(1L), row(1L), row(2L)),
                query("SELECT * FROM (SELECT id FROM people WHERE id = 1 UNION ALL SELECT id FROM people WHERE id <= 2) t ORDER BY id"));
        assertEquals(List.of(row(1L), row(2L)),
                query("SELECT * FROM (SELECT id FROM people WHERE id = 1 UNION SELECT id FROM people WHERE id <= 2) t ORDER BY id"));
        assertEquals(List.of(row(1L), row(1000L)),
                query("SELECT * FROM (SELECT id FROM people WHERE id = 1 UNION ALL SELECT CAST(1000 AS BIGINT)) t ORDER BY 1"));
    }

    @Test
    void exceptAndIntersect() {
        assertEquals(List.of(row(3L), row(4L), row(5L), row(6L), row(7L)),
                query("SELECT * FROM (SELECT id FROM people EXCEPT SELECT person_id FROM sales.orders) t ORDER BY 1"));
        assertEquals(List.of(row(1L), row(2L)),
                query("SELECT * FROM (SELECT id FROM people INTERSECT SELECT person_id FROM sales.orders) t ORDER BY 1"));
    }

    @Test
    void namesResolveAcrossSchemasAndPaths() {
        assertEquals(3L, scalar("SELECT COUNT(*) FROM sales.orders"));
        assertEquals(3L, scalar("SELECT COUNT(*) FROM SALES.Orders"));
        assertEquals(3L, scalar("SELECT COUNT(*) FROM `sales`.`orders`"));
        assertEquals(3L, scalar("SELECT COUNT(*) FROM delta.`/lake/orders`"));
        assertEquals(7L, scalar("SELECT COUNT(*) FROM default.people"));
        assertEquals(List.of(row("Ann")), query("SELECT NAME FROM PEOPLE WHERE ID = 1"));
        PlannedStatement s = engine.plan("SELECT * FROM orders", new SessionState(catalog, "sales", ZONE));
        assertEquals("order_id", s.columns().get(0).name());
    }

    @Test
    void eachTableIsResolvedOncePerStatement() {
        int before = catalog.tableLookups;
        query("SELECT a.id FROM people a WHERE a.id = 1 UNION ALL SELECT b.id FROM people b WHERE b.id = 2");
        assertEquals(1, catalog.tableLookups - before);
    }

    @Test
    void timestampsOfBothKinds() {
        List<List<Object>> rows = query("SELECT ts, local_ts FROM sales.orders WHERE order_id = 100");
        assertEquals(java.time.Instant.ofEpochSecond(1_700_000_000L), rows.get(0).get(0));
        assertEquals(java.time.LocalDateTime.ofEpochSecond(1_700_000_000L, 0, java.time.ZoneOffset.UTC), rows.get(0).get(1));
        assertEquals(2L, scalar("SELECT COUNT(*) FROM sales.orders WHERE ts >= TIMESTAMP '2023-11-14 22:13:20'"));
    }

    @Test
    void physicalPlanIsReusableAcrossExecutions() {
        PlannedStatement s = plan("SELECT COUNT(*) FROM people WHERE age > ?");
        assertEquals(List.of(row(2L)), run(s, 40));
        assertEquals(List.of(row(5L)), run(s, 25));
    }

    @Test
    void cancellationStopsBetweenBatches() {
        PlannedStatement s = plan("SELECT id FROM people WHERE age > 0");
        dev.tarn.query.internal.execution.ExecutionContext context = context();
        try (dev.tarn.query.internal.execution.Operator op = s.bindQuery(List.of())) {
            op.open(context);
            assertTrue(op.next() != null);
            context.cancel();
            dev.tarn.error.TarnException e = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.tarn.error.TarnException.class, op::next);
            assertEquals(dev.tarn.error.ErrorCode.QUERY_CANCELLED, e.errorCode());
        }
    }

    @Test
    void commonTableExpressionsAndQuotedNames() {
        assertEquals(List.of(row("eng", 3L)),
                query("WITH d AS (SELECT dept, COUNT(*) AS n FROM people GROUP BY dept) SELECT * FROM d WHERE n > 2"));
        assertEquals(List.of(row(1L, "Ann")), query("SELECT `ID`, `name` AS `Name` FROM `people` WHERE `id` = 1"));
        assertEquals("Name", plan("SELECT `name` AS `Name` FROM people").columns().get(0).name());
    }

    @Test
    void insertIntoPathNamedTable() {
        PlannedStatement s = plan("INSERT INTO delta.`/lake/orders` (order_id, person_id) VALUES (200, 7)");
        assertEquals(1L, s.executeInsert(List.of(), context()));
        assertEquals(List.of(row(200L, 7L)), query("SELECT order_id, person_id FROM sales.orders WHERE order_id = 200"));
    }

    @Test
    void pushedLiteralsUseTheDocumentedJavaClasses() {
        query("SELECT id FROM people WHERE salary > 1000.5 AND name = 'Ann' AND born = DATE '1990-01-15' AND score < 2");
        List<PushedFilter> pushed = people.pushedFilters.get(people.pushedFilters.size() - 1);
        assertTrue(pushed.contains(new PushedFilter(1, PushedFilter.Op.EQ, List.of("Ann"))), pushed.toString());
        assertTrue(pushed.contains(new PushedFilter(5, PushedFilter.Op.EQ, List.of(java.time.LocalDate.of(1990, 1, 15)))),
                pushed.toString());
        assertTrue(pushed.contains(new PushedFilter(6, PushedFilter.Op.LT, List.of(2.0))), pushed.toString());
        PushedFilter salary = pushed.stream().filter(f -> f.column() == 3).findFirst().orElseThrow();
        assertEquals(PushedFilter.Op.GT, salary.op());
        assertEquals(0, new java.math.BigDecimal("1000.5").compareTo((java.math.BigDecimal) salary.values().get(0)));

        query("SELECT order_id FROM sales.orders WHERE ts < CAST('2023-11-15 00:00:00' AS TIMESTAMP) "
                + "AND local_ts >= CAST('2020-01-01 00:00:00' AS TIMESTAMP_NTZ) AND order_id <> 7");
        pushed = orders.pushedFilters.get(orders.pushedFilters.size() - 1);
        assertTrue(pushed.contains(new PushedFilter(3, PushedFilter.Op.LT, List.of(java.time.Instant.parse("2023-11-15T00:00:00Z")))),
                pushed.toString());
        assertTrue(pushed.contains(new PushedFilter(4, PushedFilter.Op.GE,
                List.of(java.time.LocalDateTime.of(2020, 1, 1, 0, 0)))), pushed.toString());
        assertTrue(pushed.contains(new PushedFilter(0, PushedFilter.Op.NE, List.of(7L))), pushed.toString());
    }
}
