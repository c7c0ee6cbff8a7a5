package dev.tarn.query.internal.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.Session;
import dev.tarn.query.internal.Lakes;
import dev.tarn.query.internal.catalog.DeltaLakeCatalog;
import dev.tarn.query.internal.catalog.TableHandle;
import dev.tarn.query.internal.write.WriteSettings;
import dev.tarn.storage.fs.LocalFileIO;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A table of one data file (one row group) is still scanned by every worker: its scan is cut into parts of the file
 * (row ranges at page boundaries), and results, deletion vectors, {@code _metadata.row_index} and the EXPLAIN
 * ANALYZE scan counters are the same on one thread and on four.
 */
class FilePartsExecutionTest {
    @TempDir
    static Path lake;

    private static Database db;
    private static Session session;
    private static final int ROWS = 200_000;
    /** Ids {@code 3, 10, ..., 199998}: those with {@code id % 7 = 3}. */
    private static final int DELETED = 28_571;

    @BeforeAll
    static void createTable() {
        db = Database.open(DatabaseConfig.of(lake).withThreads(4));
        session = db.newSession();
        session.execute("CREATE TABLE solo (id BIGINT, grp INT, name STRING, amount DECIMAL(10,2)) TBLPROPERTIES "
                + "('delta.enableDeletionVectors' = 'true')").close();
        session.execute("INSERT INTO solo SELECT id, CAST(id % 37 AS INT), 'n' || CAST(id % 101 AS STRING), "
                + "CAST(id % 1000 AS DECIMAL(10,2)) / 10 FROM (SELECT a.v * 2000 + b.v * 20 + c.v AS id FROM "
                + values(100) + " AS a(v) CROSS JOIN " + values(100) + " AS b(v) CROSS JOIN " + values(20)
                + " AS c(v))").close();
        session.execute("DELETE FROM solo WHERE id % 7 = 3").close();
        session.execute("CREATE TABLE sorted AS SELECT id, grp FROM solo ORDER BY id").close();
        assertEquals(1, Lakes.dataFiles(lake.resolve("default").resolve("solo")).size());
    }

    @AfterAll
    static void close() {
        session.close();
        db.close(); // fails on leaked Arrow memory
    }

    private static String values(int n) {
        StringBuilder b = new StringBuilder("(VALUES ");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ", ").append('(').append(i).append(')');
        }
        return b.append(')').toString();
    }

    private static List<String> run(int threads, String sql) {
        session.execute("SET threads = " + threads).close();
        return Lakes.rows(session.execute(sql));
    }

    @Test
    void theOneFileIsCutIntoParts() {
        TableHandle handle = new DeltaLakeCatalog(lake, new LocalFileIO(), WriteSettings.DEFAULTS)
                .tableByPath(lake.resolve("default").resolve("solo").toString()).orElseThrow();
        try (Operator scan = handle.scan(new int[] {0, 1}, List.of())) {
            assertEquals(1, ((MorselScan) scan).morsels(1).size());
            assertEquals(4, ((MorselScan) scan).morsels(4).size());
            // 200,000 rows: parts of 50,000 rows (the minimum) for two workers too.
            assertEquals(4, ((MorselScan) scan).morsels(2).size());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT id, grp, name FROM solo WHERE grp < 3",
        "SELECT id, name FROM solo WHERE id % 1000 = 1 LIMIT 50 OFFSET 7",
        "SELECT count(*), sum(amount), count(DISTINCT name), min(id), max(id) FROM solo",
        "SELECT grp, count(*), sum(amount) FROM solo GROUP BY grp ORDER BY grp",
        "SELECT id, _metadata.row_index FROM solo WHERE id % 997 = 5",
        "SELECT id FROM solo WHERE id BETWEEN 99000 AND 101000",
    })
    void sameRowsOnOneAndFourThreads(String sql) {
        List<String> single = run(1, sql);
        assertTrue(!single.isEmpty(), sql);
        assertEquals(single, run(4, sql), sql);
    }

    @Test
    void deletedRowsStayDeletedAndRowIndexesArePositionsInTheFile() {
        assertEquals(List.of("[" + (ROWS - DELETED) + "]"), run(4, "SELECT count(*) FROM solo"));
        // Every remaining row keeps its own position in the file, whichever part read it.
        assertEquals(run(1, "SELECT count(DISTINCT _metadata.row_index), max(_metadata.row_index) FROM solo"),
                run(4, "SELECT count(DISTINCT _metadata.row_index), max(_metadata.row_index) FROM solo"));
        assertEquals(List.of("[" + (ROWS - DELETED) + "]"),
                run(4, "SELECT count(DISTINCT _metadata.row_index) FROM solo WHERE _metadata.row_index < " + ROWS));
        assertEquals(List.of("[0]"), run(4, "SELECT count(*) FROM solo WHERE id % 7 = 3"));
    }

    @Test
    void explainAnalyzeCountsTheFileAndRowGroupOnce() {
        String one = scanLine(1);
        String four = scanLine(4);
        assertTrue(four.contains("workers=4"), four);
        for (String counters : List.of("files=1 filesPruned=0 rowGroups=1 rowGroupsPruned=0",
                "rowsRemovedByDeletionVectors=" + DELETED)) {
            assertTrue(one.contains(counters), one);
            assertTrue(four.contains(counters), four);
        }
    }

    /**
     * On a file sorted by id, a range filter reads only the pages (20,000 rows each) its column-index statistics
     * allow: the rows the scan decoded and dropped are fewer than two pages, not the 190,000 rows before the range.
     */
    @Test
    void pageStatisticsSkipThePagesBeforeARange() {
        for (int threads : new int[] {1, 4}) {
            List<String> lines = run(threads, "EXPLAIN ANALYZE SELECT count(*) FROM sorted WHERE id >= 190000");
            String scan = lines.stream().filter(l -> l.contains("Scan[")).findFirst().orElseThrow();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(".*rowsFilteredInScan=(\\d+).*").matcher(scan);
            assertTrue(m.matches(), scan);
            assertTrue(Long.parseLong(m.group(1)) < 40_000, scan);
        }
        assertEquals(List.of("[" + (10_000 - 10_000 / 7) + "]"),
                run(4, "SELECT count(*) FROM sorted WHERE id >= 190000"));
    }

    private static String scanLine(int threads) {
        return run(threads, "EXPLAIN ANALYZE SELECT grp, count(*) FROM solo GROUP BY grp").stream()
                .filter(l -> l.contains("Scan[")).findFirst().orElseThrow();
    }
}
