package dev.tarn.query.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.error.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

class JoinTest extends EngineFixture {

    @Test
    void innerJoinOnEquality() {
        assertEquals(List.of(row("Ann", 100L), row("Ann", 101L), row("Bob", 102L)),
                query("SELECT p.name, o.order_id FROM people p JOIN sales.orders o ON p.id = o.person_id ORDER BY o.order_id"));
    }

    @Test
    void leftAndRightJoinsKeepUnmatchedRows() {
        List<List<Object>> rows = query("SELECT p.id, o.order_id FROM people p LEFT JOIN sales.orders o ON p.id = o.person_id "
                + "ORDER BY p.id, o.order_id");
        assertEquals(8, rows.size());
        assertEquals(row(1L, 100L), rows.get(0));
        assertEquals(row(3L, null), rows.get(3));
        assertEquals(List.of(row(100L, "Ann"), row(101L, "Ann"), row(102L, "Bob")),
                query("SELECT o.order_id, p.name FROM people p RIGHT JOIN sales.orders o ON p.id = o.person_id ORDER BY 1"));
    }

    @Test
    void joinWithFiltersAndResidualCondition() {
        assertEquals(List.of(row("Ann", 101L)),
                query("SELECT p.name, o.order_id FROM people p, sales.orders o "
                        + "WHERE p.id = o.person_id AND o.total > p.id * 15 AND p.dept = 'eng'"));
        assertEquals(List.of(row(2L, 2L)),
                query("SELECT dept_count.n, COUNT(*) FROM (SELECT dept, COUNT(*) AS n FROM people GROUP BY dept) dept_count "
                        + "JOIN people p ON p.dept = dept_count.dept WHERE dept_count.n = 2 GROUP BY dept_count.n"));
    }

    @Test
    void nullKeysNeverMatch() {
        assertEquals(0L, scalar("SELECT COUNT(*) FROM people a JOIN people b ON a.age = b.age WHERE a.age IS NULL"));
        assertEquals(8L, scalar("SELECT COUNT(*) FROM people a JOIN people b ON a.age = b.age"));
    }

    @Test
    void crossJoin() {
        assertEquals(21L, scalar("SELECT COUNT(*) FROM people CROSS JOIN sales.orders"));
    }

    @Test
    void fullOuterJoinKeepsBothSides() {
        catalog.add("default", "extra", new InMemoryTable("default.extra", dev.tarn.txlog.types.StructType.of(
                new dev.tarn.txlog.types.StructField("pid", dev.tarn.txlog.types.PrimitiveType.INTEGER, true),
                new dev.tarn.txlog.types.StructField("note", dev.tarn.txlog.types.PrimitiveType.STRING, true)), 2)
                .row(1L, "one").row(99L, "orphan").row(null, "nothing"));
        assertEquals(List.of(row(null, "nothing"), row(null, "orphan"), row(1L, "one"), row(2L, null)),
                query("SELECT p.id, e.note FROM (SELECT id FROM people WHERE id <= 2) p FULL JOIN extra e ON p.id = e.pid "
                        + "ORDER BY p.id NULLS FIRST, e.note"));
    }

    @Test
    void semiAndAntiJoinsFromRewrites() {
        assertEquals(List.of(row(3L), row(4L), row(5L), row(6L), row(7L)),
                query("SELECT id FROM people p WHERE NOT EXISTS (SELECT 1 FROM sales.orders o WHERE o.person_id = p.id) "
                        + "ORDER BY id"));
    }

    @Test
    void outerJoinsWithConditionsAcrossBothSides() {
        // Ann (34) has orders of 10.00 and 20.50: only 20.50 exceeds half her age; Bob (45) has 5.25.
        assertEquals(List.of(row(1L, 101L), row(2L, null), row(3L, null)),
                query("SELECT p.id, o.order_id FROM people p LEFT JOIN sales.orders o "
                        + "ON p.id = o.person_id AND o.total > p.age / 2 WHERE p.id <= 3 ORDER BY p.id"));
        assertEquals(List.of(row(null, 100L), row(null, 102L), row(1L, 101L)),
                query("SELECT p.id, o.order_id FROM (SELECT * FROM people WHERE id <= 2) p RIGHT JOIN sales.orders o "
                        + "ON p.id = o.person_id AND o.total > p.age / 2 ORDER BY p.id NULLS FIRST, o.order_id"));
        assertEquals(5L, scalar("SELECT COUNT(*) FROM (SELECT * FROM people WHERE id <= 2) p FULL JOIN sales.orders o "
                + "ON p.id = o.person_id AND o.total > p.age"));
    }
}
