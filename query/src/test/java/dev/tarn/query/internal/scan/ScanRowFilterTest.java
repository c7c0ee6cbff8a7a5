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
        session.execute("CREATE TABLE t (id BIGINT NOT NULL, d DATE, amount DECIMAL(15,2), name STRING, small SMALLINT)"
                + " TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')").close();
        StringBuilder sql = new StringBuilder("INSERT INTO t VALUES ");
        for (int i = 0; i < ROWS; i++) {
            sql.append(i == 0 ? "" : ", ").append("(").append(i).append(", DATE '").append(day(i)).append("', ")
                    .append(amount(i) == null ? "NULL" : amount(i).toPlainString()).append(", ")
                    .append(name(i) == null ? "NULL" : "'" + name(i) + "'").append(", ").append(small(i)).append(")");
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
                new Case("amount IS NOT NULL AND name = 'n12'", i -> amount(i) != null && "n12".equals(name(i))));
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
