package dev.tarn.query.internal.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.Session;
import dev.tarn.query.internal.Lakes;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A parallel part of a plan whose scan has one morsel runs in the consumer's thread ({@link Region#runsInline}) when
 * {@value ExecutionContext#INLINE_SINGLE_MORSEL_PROPERTY} allows it (the default; this module's other tests turn it
 * off): the same rows in the same order as one thread and as four workers, and EXPLAIN ANALYZE shows which path ran.
 * A table of several morsels ({@link ParallelTables}) is still read by every worker.
 */
class InlineExecutionTest {
    @TempDir
    static Path lake;

    static Database db;
    static Session session;
    /** The property as this module's test configuration sets it, restored after every test. */
    static String configured;

    @BeforeAll
    static void createTables() {
        configured = System.getProperty(ExecutionContext.INLINE_SINGLE_MORSEL_PROPERTY);
        db = Database.open(DatabaseConfig.of(lake).withThreads(4));
        session = db.newSession();
        ParallelTables.create(session);
        // One INSERT, one file of 3,000 rows: one morsel at any thread count (parts are at least 50,000 rows).
        session.execute("CREATE TABLE small (id BIGINT, grp INT, name STRING)").close();
        session.execute("INSERT INTO small SELECT id, CAST(id % 7 AS INT), 'n' || CAST(id % 11 AS STRING) "
                + "FROM t WHERE id < 3000").close();
    }

    @AfterAll
    static void closeLake() {
        session.close();
        db.close();
    }

    @AfterEach
    void restoreProperty() {
        if (configured == null) {
            System.clearProperty(ExecutionContext.INLINE_SINGLE_MORSEL_PROPERTY);
        } else {
            System.setProperty(ExecutionContext.INLINE_SINGLE_MORSEL_PROPERTY, configured);
        }
    }

    private static List<String> run(int threads, boolean inline, String sql) {
        System.setProperty(ExecutionContext.INLINE_SINGLE_MORSEL_PROPERTY, Boolean.toString(inline));
        session.execute("SET threads = " + threads).close();
        return Lakes.rows(session.execute(sql));
    }

    private static String scanLine(List<String> explain) {
        return explain.stream().filter(l -> l.contains("Scan[")).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT id, grp, name FROM small WHERE grp < 3",
        "SELECT grp, count(*), sum(id), min(name) FROM small GROUP BY grp ORDER BY grp",
        "SELECT count(*), sum(id) FROM small WHERE name <> 'n3'",
        "SELECT name, id FROM small ORDER BY name, id DESC LIMIT 25 OFFSET 3",
        "SELECT a.id, b.name FROM small a JOIN small b ON a.id = b.id + 1 WHERE a.grp = 3",
        "SELECT id FROM small a WHERE a.grp = 2 AND NOT EXISTS (SELECT 1 FROM small b WHERE b.id = a.id + 14)",
        "SELECT id FROM small a WHERE EXISTS (SELECT 1 FROM small b WHERE b.id = a.id * 3 AND b.grp > 4)",
        // Built on the small preserved side, probed by every worker, unmatched rows returned by the last probe.
        "SELECT s.grp, count(b.id), count(*) FROM (SELECT id, grp FROM small WHERE id < 60) s LEFT JOIN small b "
                + "ON s.id = b.id * 2 GROUP BY s.grp ORDER BY s.grp",
    })
    void inlineGivesTheSameRowsAsOneThreadAndAsFourWorkers(String sql) {
        List<String> single = run(1, false, sql);
        List<String> inline = run(4, true, sql);
        List<String> parallel = run(4, false, sql);
        assertFalse(single.isEmpty(), "the query should return rows: " + sql);
        assertEquals(single, inline, sql);
        assertEquals(single, parallel, sql);
    }

    @Test
    void aOneMorselScanRunsInTheConsumersThreadOnlyWhenAllowed() {
        String sql = "EXPLAIN ANALYZE SELECT grp, count(*) FROM small WHERE id >= 10 GROUP BY grp";
        String inline = scanLine(run(4, true, sql));
        // One instance ran it, so EXPLAIN ANALYZE shows no worker count, as with one thread.
        assertFalse(inline.contains("workers="), inline);
        assertTrue(inline.contains("files=1 ") && inline.contains("rows=2990 "), inline);
        String parallel = scanLine(run(4, false, sql));
        assertTrue(parallel.contains("workers=4"), parallel);
        assertTrue(parallel.contains("rows=2990 "), parallel);
    }

    @Test
    void aScanOfSeveralMorselsStillRunsOnEveryWorker() {
        String sql = "EXPLAIN ANALYZE SELECT grp, count(*) FROM t GROUP BY grp";
        String scan = scanLine(run(4, true, sql));
        assertTrue(scan.contains("workers=4"), scan);
        assertTrue(scan.contains("files=8 "), scan);
    }
}
