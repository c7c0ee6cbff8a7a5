package dev.tarn.query.internal.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.QueryResult;
import dev.tarn.query.Session;
import dev.tarn.query.internal.Lakes;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pushed filters evaluated inside the scan while decoding ({@link ScanRowFilter}): every shape it evaluates, and the
 * literals it must leave to the filter operator (a DECIMAL literal with more digits than the column's scale), give
 * the rows the query asks for, over a table with nulls and rows removed by a deletion vector. Expected rows are
 * computed here from the generator, not by the engine.
 */
class ScanRowFilterTest {
    private static final int ROWS = 3000;
    private static final LocalDate START = LocalDate.of(2020, 1, 1);

    @TempDir
    static Path dir;
    static Database db;
    static Session session;

    record Case(String where, IntPredicate expected) {
        @Override
        public String toString() {
            return where;
        }
    }

    @BeforeAll
    static void createTable() {
        db = Database.open(DatabaseConfig.of(dir.resolve("lake")));
        session = db.newSession();
        session.execute("CREATE TABLE t (id BIGINT NOT NULL, d DATE, amount DECIMAL(15,2), name STRING, small SMALLINT,"
                + " d2 DATE, amount2 DECIMAL(15,2))"
                + " TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')").close();
        StringBuilder sql = new StringBuilder("INSERT INTO t VALUES ");
        for (int i = 0; i < ROWS; i++) {
            sql.append(i == 0 ? "" : ", ").append("(").append(i).append(", DATE '").append(day(i)).append("', ")
                    .append(amount(i) == null ? "NULL" : amount(i).toPlainString()).append(", ")
                    .append(name(i) == null ? "NULL" : "'" + name(i) + "'").append(", ").append(small(i))
                    .append(", ").append(d2(i) == null ? "NULL" : "DATE '" + d2(i) + "'").append(", ")
                    .append(amount2(i) == null ? "NULL" : amount2(i).toPlainString()).append(")");
        }
        session.execute(sql.toString()).close();
        try (QueryResult r = session.execute("DELETE FROM t WHERE id % 7 = 0")) {
            assertEquals((ROWS + 6) / 7, r.updateCount());
        }
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static LocalDate day(int i) {
        return START.plusDays(i % 400);
    }

    private static BigDecimal amount(int i) {
        return i % 5 == 0 ? null : BigDecimal.valueOf(i - 1500L, 2);
    }

    private static String name(int i) {
        return i % 11 == 0 ? null : "n" + (i % 13);
    }

    private static int small(int i) {
        return i % 100 - 50;
    }

    private static LocalDate d2(int i) {
        return i % 9 == 0 ? null : START.plusDays((i * 37L) % 400);
    }

    private static BigDecimal amount2(int i) {
        return i % 3 == 0 ? null : BigDecimal.valueOf((i * 7919L) % 3000 - 1500, 2);
    }

    /** Both of row {@code i}'s values are not NULL and pass {@code p}. */
    private static <T> boolean both(T a, T b, java.util.function.BiPredicate<T, T> p) {
        return a != null && b != null && p.test(a, b);
    }

    private static boolean amountIs(int i, java.util.function.Predicate<BigDecimal> p) {
        return amount(i) != null && p.test(amount(i));
    }

    static List<Case> cases() {
        BigDecimal cent = new BigDecimal("1.005");
        return List.of(
                new Case("amount < 1.005", i -> amountIs(i, a -> a.compareTo(cent) < 0)),
                new Case("amount > 1.005", i -> amountIs(i, a -> a.compareTo(cent) > 0)),
                new Case("amount >= -0.995 AND amount <= 2", i -> amountIs(i, a -> a.compareTo(new BigDecimal("-0.995")) >= 0
                        && a.compareTo(BigDecimal.valueOf(2)) <= 0)),
                new Case("amount = 0.005", i -> false),
                new Case("amount = 0.10", i -> amountIs(i, a -> a.compareTo(new BigDecimal("0.10")) == 0)),
                new Case("amount IN (0.20, -3, 7.77)", i -> amountIs(i, a -> a.compareTo(new BigDecimal("0.20")) == 0
                        || a.compareTo(BigDecimal.valueOf(-3)) == 0 || a.compareTo(new BigDecimal("7.77")) == 0)),
                new Case("name IN ('n3', 'n5')", i -> "n3".equals(name(i)) || "n5".equals(name(i))),
                new Case("name = 'n0' AND small > 0", i -> "n0".equals(name(i)) && small(i) > 0),
                new Case("d >= DATE '2020-06-01' AND d < DATE '2020-07-01'",
                        i -> !day(i).isBefore(LocalDate.of(2020, 6, 1)) && day(i).isBefore(LocalDate.of(2020, 7, 1))),
                new Case("small BETWEEN -3 AND 4", i -> small(i) >= -3 && small(i) <= 4),
                new Case("small <> 0 AND id IN (1, 2, 3, 14, 50)", i -> small(i) != 0 && List.of(1, 2, 3, 14, 50).contains(i)),
                new Case("name IS NULL", i -> name(i) == null),
                new Case("amount IS NOT NULL AND name = 'n12'", i -> amount(i) != null && "n12".equals(name(i))),
                // Several bounds on one column merge into one range; contradictory ones keep nothing.
                new Case("small > 10 AND id >= 100 AND small <= 20 AND id < 2000 AND small <> 15",
                        i -> small(i) > 10 && small(i) <= 20 && small(i) != 15 && i >= 100 && i < 2000),
                new Case("small > 10 AND small < 11", i -> false),
                new Case("amount > 1.005 AND amount < 3.5 AND amount >= 2", i -> amountIs(i, a -> a.compareTo(
                        BigDecimal.valueOf(2)) >= 0 && a.compareTo(new BigDecimal("3.5")) < 0)),
                // Two columns of one table compared (pushed as a column pair; NULL on either side drops the row).
                new Case("d < d2", i -> both(day(i), d2(i), LocalDate::isBefore)),
                new Case("d2 <= d AND small > 10", i -> both(d2(i), day(i), (a, b) -> !a.isAfter(b)) && small(i) > 10),
                new Case("d = d2", i -> both(day(i), d2(i), LocalDate::equals)),
                new Case("d <> d2 AND name = 'n4'", i -> both(day(i), d2(i), (a, b) -> !a.equals(b)) && "n4".equals(name(i))),
                new Case("amount > amount2", i -> both(amount(i), amount2(i), (a, b) -> a.compareTo(b) > 0)),
                new Case("amount2 >= amount AND id < 1000", i -> both(amount2(i), amount(i), (a, b) -> a.compareTo(b) >= 0)
                        && i < 1000),
                new Case("id > small", i -> i > small(i)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void scanKeepsExactlyTheMatchingRows(Case c) {
        long count = 0;
        long sum = 0;
        for (int i = 0; i < ROWS; i++) {
            if (i % 7 != 0 && c.expected().test(i)) {
                count++;
                sum += i;
            }
        }
        List<String> rows = Lakes.rows(session.execute("SELECT COUNT(*), SUM(id) FROM t WHERE " + c.where()));
        assertEquals(List.of("[" + count + "," + (count == 0 ? "null" : String.valueOf(sum)) + "]"), rows, c.where());
        List<String> listed = Lakes.rows(session.execute("SELECT id, name FROM t WHERE " + c.where()));
        assertEquals(count, listed.size());
        for (String row : listed) {
            int id = Integer.parseInt(row.substring(1, row.indexOf(',')));
            assertTrue(id % 7 != 0 && c.expected().test(id), row);
            assertEquals(name(id) == null ? "null" : "\"" + name(id) + "\"", row.substring(row.indexOf(',') + 1,
                    row.length() - 1), row);
        }
    }

    /** A comparison of two columns is pushed into the scan and drops rows there, before the other columns decode. */
    @org.junit.jupiter.api.Test
    void columnComparisonFiltersInsideTheScan() {
        String scan = Lakes.rows(session.execute("EXPLAIN ANALYZE SELECT id, name FROM t WHERE d < d2"))
                .stream().filter(l -> l.contains("Scan[")).findFirst().orElseThrow();
        assertTrue(scan.contains("filters=[d LT d2 (exact)]"), scan);
        // The scan applies the comparison exactly: its columns are read but not returned, and no filter remains.
        assertTrue(scan.contains("columns=[id, name]"), scan);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(".*rowsFilteredInScan=(\\d+).*").matcher(scan);
        assertTrue(m.matches(), scan);
        assertTrue(Long.parseLong(m.group(1)) > ROWS / 3, scan);
    }

    /**
     * A DELETE whose condition compares two columns reads its target through the same pushed pair (file skipping
     * ignores it: statistics bound each column alone) and removes exactly the matching rows.
     */
    @org.junit.jupiter.api.Test
    void deleteWithAColumnComparisonRemovesExactlyTheMatchingRows() {
        session.execute("CREATE TABLE pairs (a INT, b INT)").close();
        StringBuilder sql = new StringBuilder("INSERT INTO pairs VALUES ");
        long expected = 0;
        for (int i = 0; i < 500; i++) {
            Integer a = i % 10 == 0 ? null : i % 37;
            int b = i % 23;
            expected += a != null && a < b ? 1 : 0;
            sql.append(i == 0 ? "" : ", ").append("(").append(a).append(", ").append(b).append(")");
        }
        session.execute(sql.toString()).close();
        try (QueryResult r = session.execute("DELETE FROM pairs WHERE a < b")) {
            assertEquals(expected, r.updateCount());
        }
        assertEquals(List.of("[" + (500 - expected) + ",0]"),
                Lakes.rows(session.execute("SELECT COUNT(*), COUNT(CASE WHEN a < b THEN 1 END) FROM pairs")));
    }

    @org.junit.jupiter.api.Test
    void explainAnalyzeCountsTheRowsTheScanFiltered() {
        String scan = Lakes.rows(session.execute("EXPLAIN ANALYZE SELECT id FROM t WHERE name IN ('n3', 'n5')"))
                .stream().filter(l -> l.contains("Scan[")).findFirst().orElseThrow();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(".*rowsFilteredInScan=(\\d+).*").matcher(scan);
        assertTrue(m.matches(), scan);
        long filtered = Long.parseLong(m.group(1));
        assertTrue(filtered > ROWS / 2, scan);
    }
}
