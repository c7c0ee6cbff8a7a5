package dev.tarn.query.internal.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.query.internal.Lakes;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Results do not depend on the session's thread count: every query returns exactly the same rows in the same order
 * on one worker thread and on four, over a table of eight files (eight morsels), including queries whose order SQL
 * leaves open (the gather keeps the single-threaded order) and sorts with ties (broken by input order).
 */
class ParallelExecutionTest extends ParallelTableTest {
    private static List<String> run(int threads, String sql) {
        session.execute("SET threads = " + threads).close();
        return Lakes.rows(session.execute(sql));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT id, grp, name FROM t WHERE grp < 10",
        "SELECT id, name FROM t WHERE id % 3 = 0 LIMIT 50 OFFSET 7",
        "SELECT grp, count(*), count(DISTINCT name), sum(amount), avg(amount), min(name), max(id), sum(x) FROM t "
                + "GROUP BY grp ORDER BY grp",
        "SELECT count(*), sum(amount), avg(x), count(DISTINCT grp) FROM t WHERE name <> 'n7'",
        "SELECT grp, name, id FROM t ORDER BY grp, name LIMIT 100",
        "SELECT grp, id FROM t WHERE id % 5 = 1 ORDER BY grp DESC",
        "SELECT id, amount FROM t ORDER BY amount DESC, grp LIMIT 20 OFFSET 5",
        "SELECT a.id, b.name FROM t a JOIN t b ON a.id = b.id + 1 WHERE a.grp = 3",
        "SELECT a.id, b.id FROM t a LEFT JOIN t b ON a.id = b.id * 2 AND b.grp < 5 WHERE a.grp = 4",
        "SELECT a.id, b.id FROM (SELECT id FROM t WHERE grp = 1) a RIGHT JOIN (SELECT id FROM t WHERE grp = 2) b "
                + "ON a.id + 1 = b.id",
        "SELECT id FROM t a WHERE EXISTS (SELECT 1 FROM t b WHERE b.id = a.id * 3 AND b.grp > 20)",
        "SELECT id FROM t a WHERE a.grp = 7 AND NOT EXISTS (SELECT 1 FROM t b WHERE b.id = a.id + 37)",
        "SELECT a.grp, count(*) FROM t a JOIN t b ON a.id = b.id GROUP BY a.grp ORDER BY 2 DESC, 1",
        "SELECT id, row_number() OVER (PARTITION BY grp ORDER BY id DESC) FROM t WHERE id < 700",
        "SELECT id FROM t WHERE grp = 1 UNION ALL SELECT id FROM t WHERE grp = 2",
        "SELECT grp, sum(amount) FROM t GROUP BY ROLLUP(grp) ORDER BY grp",
        "SELECT name FROM t WHERE grp = 5 INTERSECT ALL SELECT name FROM t WHERE grp = 6",
    })
    void sameRowsInTheSameOrderOnOneAndFourThreads(String sql) {
        List<String> single = run(1, sql);
        List<String> parallel = run(4, sql);
        assertTrue(!single.isEmpty(), "the query should return rows: " + sql);
        assertEquals(single, parallel, sql);
    }

    @Test
    void groupsWithoutOrderByAreTheSameSet() {
        String sql = "SELECT name, count(*), sum(amount) FROM t GROUP BY name";
        List<String> single = Lakes.sorted(run(1, sql));
        assertEquals(101, single.size());
        assertEquals(single, Lakes.sorted(run(4, sql)));
    }

    @Test
    void explainAnalyzeShowsTheWorkersAndScanCounters() {
        List<String> lines = run(4, "EXPLAIN ANALYZE SELECT grp, count(*) FROM t WHERE id >= 70000 GROUP BY grp");
        String scan = lines.stream().filter(l -> l.contains("Scan[")).findFirst().orElseThrow();
        // Statistics leave out the seven files whose ids are all below 70000.
        assertTrue(scan.contains("workers=4"), scan);
        assertTrue(scan.contains("files=1 filesPruned=7"), scan);
        assertTrue(scan.contains("rows=10000 "), scan);
        String aggregate = lines.stream().filter(l -> l.contains("HashAggregate")).findFirst().orElseThrow();
        assertTrue(aggregate.contains("(rows=37 "), aggregate);
    }
}
