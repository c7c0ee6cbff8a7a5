package dev.tarn.query.internal.scan;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conjuncts a Delta scan applies exactly are left out of the filter above it, and the columns only they read
 * are not returned by the scan (EXPLAIN shows both), while the answers stay right on the paths the page decoder
 * cannot stage: a column the older files lack, a type widened after files were written (the reader converts those
 * values), column mapping, partition columns (left to the filter), DECIMALs wider than a long and deletion vectors.
 */
class ExactScanFilterTest {
    @TempDir
    static Path dir;
    static Database db;
    static Session session;

    @BeforeAll
    static void createTables() {
        db = Database.open(DatabaseConfig.of(dir.resolve("lake")));
        session = db.newSession();
        session.execute("CREATE TABLE t (id INT, d DATE, name STRING, big DECIMAL(20,2)) TBLPROPERTIES"
                + " ('delta.enableDeletionVectors' = 'true')").close();
        StringBuilder sql = new StringBuilder("INSERT INTO t VALUES ");
        for (int i = 0; i < 200; i++) {
            sql.append(i == 0 ? "" : ", ").append("(").append(i).append(", ")
                    .append(i % 10 == 0 ? "NULL" : "DATE '" + java.time.LocalDate.of(2020, 1, 1).plusDays(i) + "'").append(", ")
                    .append(i % 7 == 0 ? "NULL" : "'n" + (i % 5) + "'").append(", ").append(i).append(".25)");
        }
        session.execute(sql.toString()).close();
        session.execute("DELETE FROM t WHERE id % 9 = 0").close();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static List<String> rows(String sql) {
        return Lakes.rows(session.execute(sql));
    }

    private static List<String> plan(String sql) {
        return rows("EXPLAIN " + sql);
    }

    private static String line(List<String> plan, String text) {
        return plan.stream().filter(l -> l.contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + text + " in " + plan));
    }

    private static boolean hasFilter(List<String> plan) {
        return plan.stream().anyMatch(l -> l.contains("Filter["));
    }

    @Test
    void exactConjunctsLeaveTheFilterAndTheirColumnsTheScanOutput() {
        String q = "SELECT id FROM t WHERE d >= DATE '2020-03-01' AND d < DATE '2020-05-01' AND name IN ('n1', 'n2')";
        List<String> plan = plan(q);
        assertFalse(hasFilter(plan), plan.toString());
        String scan = line(plan, "Scan[default.t");
        assertTrue(scan.contains("columns=[id]"), scan);
        assertTrue(scan.contains("d GE [2020-03-01] (exact)"), scan);
        assertTrue(scan.contains("name IN [n1, n2] (exact)"), scan);
        long expected = 0;
        for (int i = 0; i < 200; i++) {
            boolean inRange = i % 10 != 0 && i >= 60 && i < 121; // 2020-03-01 is day 60, 2020-05-01 day 121
            boolean named = i % 7 != 0 && (i % 5 == 1 || i % 5 == 2);
            expected += inRange && named && i % 9 != 0 ? 1 : 0;
        }
        assertEquals(List.of("[" + expected + "]"), rows("SELECT COUNT(*) FROM (" + q + ")"));
    }

    @Test
    void otherConjunctsStayInTheFilter() {
        String q = "SELECT id FROM t WHERE d IS NOT NULL AND name LIKE 'n1%' AND big > 100.5";
        List<String> plan = plan(q);
        assertTrue(hasFilter(plan), plan.toString());
        String scan = line(plan, "Scan[default.t");
        assertTrue(scan.contains("d IS_NOT_NULL (exact)"), scan);
        // DECIMAL(20,2) does not fit the kernels' longs: the filter evaluates it, so the scan returns the column.
        assertTrue(scan.contains("big GT [100.50],"), scan);
        assertTrue(scan.contains("columns=[id, name, big]"), scan);
        long expected = 0;
        for (int i = 0; i < 200; i++) {
            expected += i % 10 != 0 && i % 7 != 0 && i % 5 == 1 && i > 100 && i % 9 != 0 ? 1 : 0;
        }
        assertEquals(List.of("[" + expected + "]"), rows("SELECT COUNT(*) FROM (" + q + ")"));
    }

    @Test
    void aCountOverExactFiltersReadsOnlyTheFilterColumn() {
        List<String> plan = plan("SELECT COUNT(*) FROM t WHERE d IS NULL");
        assertFalse(hasFilter(plan), plan.toString());
        assertTrue(line(plan, "Scan[default.t").contains("columns=[d]"), plan.toString());
        // Rows 0, 10, ..., 190 have no date; 0, 90 and 180 are deleted.
        assertEquals(List.of("[17]"), rows("SELECT COUNT(*) FROM t WHERE d IS NULL"));
    }

    @Test
    void partitionColumnsStayInTheFilter() {
        session.execute("CREATE TABLE p (id INT, part STRING) PARTITIONED BY (part)").close();
        session.execute("INSERT INTO p VALUES (1, 'a'), (2, 'b'), (3, 'a'), (4, NULL), (5, 'a')").close();
        List<String> plan = plan("SELECT id FROM p WHERE part = 'a' AND id > 1");
        assertTrue(hasFilter(plan), plan.toString());
        String scan = line(plan, "Scan[default.p");
        assertTrue(scan.contains("part EQ [a]") && !scan.contains("part EQ [a] (exact)"), scan);
        assertTrue(scan.contains("id GT [1] (exact)"), scan);
        assertEquals(List.of("[3]", "[5]"), Lakes.sorted(rows("SELECT id FROM p WHERE part = 'a' AND id > 1")));
    }

    @Test
    void filesWrittenBeforeATypeChangeOrAnAddedColumnAreFilteredExactly() {
        session.execute("CREATE TABLE w (id INT, v INT, s SMALLINT) TBLPROPERTIES"
                + " ('delta.enableTypeWidening' = 'true', 'delta.enableDeletionVectors' = 'true')").close();
        session.execute("INSERT INTO w VALUES (1, 10, 1), (2, NULL, 2), (3, 30, NULL), (4, 40, 4)").close();
        session.execute("ALTER TABLE w ALTER COLUMN v TYPE BIGINT").close();
        session.execute("ALTER TABLE w ADD COLUMNS (extra INT)").close();
        session.execute("INSERT INTO w VALUES (5, 5000000000, 5, 7), (6, 60, 6, NULL), (7, 25, 7, 9)").close();
        session.execute("DELETE FROM w WHERE id = 4").close();
        List<String> plan = plan("SELECT id FROM w WHERE v > 20");
        assertFalse(hasFilter(plan), plan.toString());
        assertEquals(List.of("[3]", "[5]", "[6]", "[7]"), Lakes.sorted(rows("SELECT id FROM w WHERE v > 20")));
        assertEquals(List.of("[5]"), rows("SELECT id FROM w WHERE v >= 5000000000"));
        assertEquals(List.of("[2]"), rows("SELECT id FROM w WHERE v IS NULL"));
        assertEquals(List.of("[6]", "[7]"), Lakes.sorted(rows("SELECT id FROM w WHERE s > 5")));
        // The older file lacks the added column: every one of its rows is NULL there.
        assertEquals(List.of("[7]"), rows("SELECT id FROM w WHERE extra > 7"));
        assertEquals(List.of("[1]", "[2]", "[3]", "[6]"), Lakes.sorted(rows("SELECT id FROM w WHERE extra IS NULL")));
        assertEquals(List.of("[5]", "[7]"), Lakes.sorted(rows("SELECT id FROM w WHERE extra IS NOT NULL")));
        // Column mapping (a rename upgrades the table): the filter names the logical column.
        session.execute("ALTER TABLE w RENAME COLUMN v TO amount").close();
        assertEquals(List.of("[3]", "[5]", "[6]", "[7]"), Lakes.sorted(rows("SELECT id FROM w WHERE amount > 20")));
        assertEquals(List.of("[6]"), rows("SELECT id FROM w WHERE amount IN (60, 61) AND s <> 7"));
    }
}
