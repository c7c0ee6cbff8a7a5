package dev.tarn.query.internal.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.internal.Lakes;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GROUP BY results checked against values computed here from the formulas that generated table {@code t}
 * ({@link ParallelTables}), on one thread and on four: few groups (keys packed into a long), keys that only partly
 * pack, many groups (the partitioned parallel merge), DECIMAL sums exact past a long and failing past their
 * precision, NULL keys and values, and empty input.
 */
class AggregationTest extends ParallelTableTest {
    private static final int ROWS = ParallelTables.FILES * ParallelTables.ROWS_PER_FILE;

    @BeforeAll
    static void createMoreTables() {
        session.execute("CREATE TABLE k (s STRING, b BOOLEAN, i BIGINT, d DATE, v DECIMAL(15,2))").close();
        session.execute("INSERT INTO k VALUES ('a', true, 1, DATE '2024-01-01', 1.50), "
                + "('a', true, 1, DATE '2024-01-01', 2.25), ('', true, 1, DATE '2024-01-01', 1.00), "
                + "(NULL, true, 1, DATE '2024-01-01', 4.00), ('a', NULL, 1, DATE '2024-01-01', 8.00), "
                + "('a', false, NULL, DATE '2024-01-01', 16.00), ('a', false, -1, NULL, NULL), "
                + "('abcdefg', false, 72057594037927936, DATE '1970-01-01', 0.01), "
                + "('abcdefgh', false, 72057594037927936, DATE '1970-01-01', 0.02), "
                + "('abcdefgh', false, 72057594037927936, DATE '1970-01-01', 0.04), "
                + "('a', false, -1, NULL, 32.00)").close();
        session.execute("CREATE TABLE big (g INT, v DECIMAL(18,0), w DECIMAL(38,0))").close();
        // 4e17 fits a long; eight of them (3.2e18) still do, 24 (9.6e18) do not.
        session.execute("INSERT INTO big SELECT a.v % 2, 400000000000000000, "
                + "40000000000000000000000000000000000000 FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), "
                + "(9), (10), (11), (12), (13), (14), (15), (16), (17), (18), (19), (20), (21), (22), (23)) AS a(v)")
                .close();
    }

    private static List<String> run(int threads, String sql) {
        session.execute("SET threads = " + threads).close();
        return Lakes.rows(session.execute(sql));
    }

    /** The same rows, in any order, on one and on four threads; returns them sorted. */
    private static List<String> sameOnOneAndFour(String sql) {
        List<String> single = Lakes.sorted(run(1, sql));
        assertEquals(single, Lakes.sorted(run(4, sql)), sql);
        return single;
    }

    /** A row as {@link Lakes#rows} encodes it: a JSON array, decimals and dates as strings. */
    private static String row(Object... values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            b.append(i == 0 ? "" : ",");
            if (v instanceof String || v instanceof BigDecimal) {
                b.append('"').append(v instanceof BigDecimal d ? d.toPlainString() : v).append('"');
            } else {
                b.append(v);
            }
        }
        return b.append(']').toString();
    }

    /** Equal lists, reporting the first difference rather than both lists (tens of thousands of rows). */
    private static void assertSameRows(List<String> expected, List<String> actual) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), "row " + i);
        }
        assertEquals(expected.size(), actual.size(), "rows");
    }

    private static BigDecimal amount(long id) {
        return BigDecimal.valueOf(id % 1000).divide(BigDecimal.TEN).setScale(2);
    }

    @Test
    void fewStringGroupsMatchTheGeneratingFormula() {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, BigDecimal> sums = new TreeMap<>();
        for (long id = 0; id < ROWS; id++) {
            String name = "n" + id % 101;
            counts.computeIfAbsent(name, k -> new long[1])[0]++;
            sums.merge(name, amount(id), BigDecimal::add);
        }
        List<String> expected = new ArrayList<>();
        counts.forEach((name, c) -> expected.add(row(name, c[0], sums.get(name))));
        List<String> actual = sameOnOneAndFour("SELECT name, count(*), sum(amount) FROM t GROUP BY name");
        assertEquals(Lakes.sorted(expected), actual);
    }

    @Test
    void keysThatOnlyPartlyPackGroupAsTheirValues() {
        // Names longer than seven bytes do not pack into a long: both kinds of key in one aggregation.
        Map<String, long[]> counts = new TreeMap<>();
        for (long id = 0; id < ROWS; id++) {
            String name = id % 37 < 5 ? "n" + id % 101 : "n" + id % 101 + "-long-suffix";
            counts.computeIfAbsent(row(name, id % 2 == 0), k -> new long[1])[0]++;
        }
        List<String> expected = new ArrayList<>();
        counts.forEach((key, c) -> expected.add(key.substring(0, key.length() - 1) + "," + c[0] + "]"));
        List<String> actual = sameOnOneAndFour("SELECT CASE WHEN grp < 5 THEN name ELSE name || '-long-suffix' END, "
                + "id % 2 = 0, count(*) FROM t GROUP BY CASE WHEN grp < 5 THEN name ELSE name || '-long-suffix' END, "
                + "id % 2 = 0");
        assertEquals(Lakes.sorted(expected), actual);
    }

    @ParameterizedTest
    @ValueSource(strings = {"id % 50000", "CAST(id % 50000 AS STRING)", "name || CAST(id % 40000 AS STRING)"})
    void manyGroupsMergeAcrossWorkers(String key) {
        // Tens of thousands of groups: above the partitioned merge's threshold.
        List<String> actual = sameOnOneAndFour("SELECT " + key + ", count(*), sum(amount), avg(amount), min(id), "
                + "max(x) FROM t GROUP BY " + key);
        Map<Object, List<Long>> ids = new TreeMap<>();
        for (long id = 0; id < ROWS; id++) {
            Object k = key.startsWith("name") ? "n" + id % 101 + id % 40000
                    : key.startsWith("CAST") ? String.valueOf(id % 50000) : (Object) (id % 50000);
            ids.computeIfAbsent(k, x -> new ArrayList<>()).add(id);
        }
        List<String> expected = new ArrayList<>();
        ids.forEach((k, list) -> {
            BigDecimal sum = list.stream().map(AggregationTest::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
            // AVG of DECIMAL(10,2) is DECIMAL(14,6): four more digits of scale, as Spark.
            BigDecimal avg = sum.divide(BigDecimal.valueOf(list.size()), 6, RoundingMode.HALF_UP);
            long min = list.stream().mapToLong(Long::longValue).min().orElseThrow();
            long max = list.stream().mapToLong(i -> i % 13).max().orElseThrow();
            expected.add(row(k, list.size(), sum, avg, min, (double) max));
        });
        assertSameRows(Lakes.sorted(expected), actual);
    }

    @Test
    void nullKeysEmptyStringsAndLongKeysAreGroupsOfTheirOwn() {
        List<String> actual = sameOnOneAndFour("SELECT s, b, i, d, count(*), sum(v), count(v) FROM k GROUP BY s, b, i, d");
        assertEquals(Lakes.sorted(List.of(
                row("a", true, 1, "2024-01-01", 2, new BigDecimal("3.75"), 2),
                row("", true, 1, "2024-01-01", 1, new BigDecimal("1.00"), 1),
                row(null, true, 1, "2024-01-01", 1, new BigDecimal("4.00"), 1),
                row("a", null, 1, "2024-01-01", 1, new BigDecimal("8.00"), 1),
                row("a", false, null, "2024-01-01", 1, new BigDecimal("16.00"), 1),
                row("a", false, -1, null, 2, new BigDecimal("32.00"), 1),
                row("abcdefg", false, 72057594037927936L, "1970-01-01", 1, new BigDecimal("0.01"), 1),
                row("abcdefgh", false, 72057594037927936L, "1970-01-01", 2, new BigDecimal("0.06"), 2))), actual);
    }

    @Test
    void decimalSumsStayExactPastALong() {
        // Twelve values of 4e17 per group: 4.8e18, beyond a long's 9.2e18 only for the total of both groups.
        BigDecimal half = new BigDecimal("4800000000000000000");
        assertEquals(List.of(row(0, half, 12), row(1, half, 12)),
                run(4, "SELECT g, sum(v), count(*) FROM big GROUP BY g ORDER BY g"));
        List<String> total = List.of(row(new BigDecimal("9600000000000000000"),
                new BigDecimal("400000000000000000.0000")));
        assertEquals(total, run(4, "SELECT sum(v), avg(v) FROM big"));
        assertEquals(total, run(1, "SELECT sum(v), avg(v) FROM big"));
    }

    @Test
    void decimalSumsCrossingTheUncheckedBoundStayExact() {
        // Values below 2^46: batches are added unchecked until the sums near 2^62, then with checks.
        BigDecimal base = new BigDecimal("70000000000000");
        BigDecimal total = base.multiply(BigDecimal.valueOf(ROWS)).add(BigDecimal.valueOf((long) ROWS * (ROWS - 1) / 2));
        String sql = "SELECT sum(CAST(id AS DECIMAL(38,0)) + 70000000000000) FROM t";
        assertEquals(List.of(row(total)), run(1, sql));
        assertEquals(List.of(row(total)), run(4, sql));
    }

    @Test
    void runsOfEqualIntegerKeysGroupTogether() {
        // id / 4: four consecutive rows per key, then keys seen again after other keys (id % 3 = 0 rows).
        List<String> actual = sameOnOneAndFour("SELECT k, count(*) FROM (SELECT id / 4 AS k FROM t UNION ALL "
                + "SELECT id / 4 AS k FROM t WHERE id % 3 = 0) GROUP BY k");
        Map<Long, long[]> counts = new TreeMap<>();
        for (long id = 0; id < ROWS; id++) {
            counts.computeIfAbsent(id / 4, k -> new long[1])[0] += id % 3 == 0 ? 2 : 1;
        }
        List<String> expected = new ArrayList<>();
        counts.forEach((k, c) -> expected.add(row(k, c[0])));
        assertSameRows(Lakes.sorted(expected), actual);
    }

    @Test
    void avgNextToASumOfTheSameArgumentCountsOnlyItsValues() {
        // SUM(v) and AVG(v) add v once: AVG divides by the non-NULL values its FILTER keeps, NULL when none.
        List<String> actual = sameOnOneAndFour("SELECT i, sum(v), avg(v), sum(v) FILTER (WHERE b), "
                + "avg(v) FILTER (WHERE b), count(*) FROM k GROUP BY i");
        assertEquals(Lakes.sorted(List.of(
                row(1, new BigDecimal("16.75"), new BigDecimal("3.350000"), new BigDecimal("8.75"),
                        new BigDecimal("2.187500"), 5),
                row(null, new BigDecimal("16.00"), new BigDecimal("16.000000"), null, null, 1),
                row(-1, new BigDecimal("32.00"), new BigDecimal("32.000000"), null, null, 2),
                row(72057594037927936L, new BigDecimal("0.07"), new BigDecimal("0.023333"), null, null, 3))), actual);
        assertEquals(List.of(row(null, null, 1)), sameOnOneAndFour("SELECT sum(v), avg(v), count(*) FROM k WHERE v IS NULL"));
    }

    @Test
    void decimalSumsPastTheirPrecisionFail() {
        // 24 x 4e37 has 39 digits: DECIMAL(38,0) cannot hold it.
        TarnException e = assertThrows(TarnException.class, () -> run(4, "SELECT sum(w) FROM big"));
        assertEquals(ErrorCode.NUMERIC_OVERFLOW, e.errorCode());
    }

    @Test
    void emptyInputGivesNoGroupsOrOneRowOfNulls() {
        assertEquals(List.of(), sameOnOneAndFour("SELECT grp, count(*), sum(amount) FROM t WHERE id < 0 GROUP BY grp"));
        assertEquals(List.of(row(0, null, null, null)),
                sameOnOneAndFour("SELECT count(*), sum(amount), avg(amount), min(name) FROM t WHERE id < 0"));
    }

    @Test
    void decimalArithmeticInsideSumsIsExact() {
        // TPC-H Q1's shape: price * (1 - discount) * (1 + tax), summed per few groups.
        Map<Long, BigDecimal> expected = new TreeMap<>();
        for (long id = 0; id < ROWS; id++) {
            BigDecimal discount = BigDecimal.valueOf(id % 11, 2);
            BigDecimal tax = BigDecimal.valueOf(id % 9, 2);
            BigDecimal charge = amount(id).multiply(BigDecimal.ONE.subtract(discount))
                    .multiply(BigDecimal.ONE.add(tax));
            expected.merge(id % 3, charge, BigDecimal::add);
        }
        List<String> rows = new ArrayList<>();
        expected.forEach((k, v) -> rows.add(row(k, v)));
        assertEquals(rows, sameOnOneAndFour("SELECT id % 3, CAST(sum(amount * (1 - CAST(id % 11 AS DECIMAL(15,2)) / 100) "
                + "* (1 + CAST(id % 9 AS DECIMAL(15,2)) / 100)) AS DECIMAL(38,6)) FROM t GROUP BY id % 3"));
    }

    @Test
    void countDistinctOfIntegersAndDatesPerGroupCountsEachValueOnceAcrossWorkers() {
        // Each worker sees some of every group's values: the partial sets merge pair by pair.
        Map<Integer, java.util.Set<Long>> ids = new TreeMap<>();
        Map<Integer, java.util.Set<Long>> evens = new TreeMap<>();
        for (long id = 0; id < ROWS; id++) {
            int g = (int) (id % 37);
            ids.computeIfAbsent(g, k -> new java.util.HashSet<>()).add(id % 1009);
            if (id % 2 == 0) {
                evens.computeIfAbsent(g, k -> new java.util.HashSet<>()).add(id % 1009);
            }
        }
        List<String> expected = new ArrayList<>();
        ids.forEach((g, set) -> expected.add(row(g, set.size(), evens.get(g).size(), Math.min(set.size(), 365))));
        assertEquals(Lakes.sorted(expected), sameOnOneAndFour("SELECT grp, count(DISTINCT id % 1009), "
                + "count(DISTINCT CASE WHEN id % 2 = 0 THEN id % 1009 END), "
                + "count(DISTINCT date_add(DATE '2024-01-01', CAST(id % 1009 % 365 AS INT))) FROM t GROUP BY grp"));
        // NULLs are not counted; a group of only NULLs counts zero; FILTER applies before DISTINCT.
        assertEquals(Lakes.sorted(List.of(row("a", 2, 1), row("", 1, 1), row(null, 1, 1), row("abcdefg", 1, 0),
                        row("abcdefgh", 1, 0))),
                sameOnOneAndFour("SELECT s, count(DISTINCT i), count(DISTINCT i) FILTER (WHERE b) FROM k GROUP BY s"));
    }

    @Test
    void integerKeysOutOfOrderOverADenseRangeGroupByValue() {
        // Keys 0..49999 in a scrambled order (not ascending): the dense key array, not a hash table.
        Map<Long, long[]> counts = new TreeMap<>();
        for (long id = 0; id < ROWS; id++) {
            counts.computeIfAbsent((id * 7919) % 50_000, k -> new long[1])[0]++;
        }
        List<String> expected = new ArrayList<>();
        counts.forEach((k, c) -> expected.add(row(k, c[0])));
        assertSameRows(Lakes.sorted(expected),
                sameOnOneAndFour("SELECT (id * 7919) % 50000, count(*) FROM t GROUP BY (id * 7919) % 50000"));
    }

    @Test
    void singleByteStringKeysGroupByValueAlsoWhenSomeBatchesHoldLongerEmptyOrNullKeys() {
        // One-byte flags (the byte-code path); the last file's rows also hold '', NULL and two-byte keys.
        Map<String, long[]> counts = new TreeMap<>();
        for (long id = 0; id < ROWS; id++) {
            String digit = String.valueOf(("n" + id % 101).charAt(1));
            String flag = id >= 70_000 && id % 3 == 0 ? "" : id >= 70_000 && id % 3 == 1 ? null
                    : id >= 70_000 && id % 7 == 2 ? "xy" : digit;
            counts.computeIfAbsent(row(flag, id % 2 == 0 ? "a" : "b"), k -> new long[1])[0]++;
        }
        List<String> expected = new ArrayList<>();
        counts.forEach((key, c) -> expected.add(key.substring(0, key.length() - 1) + "," + c[0] + "]"));
        String flag = "CASE WHEN id >= 70000 AND id % 3 = 0 THEN '' WHEN id >= 70000 AND id % 3 = 1 THEN NULL "
                + "WHEN id >= 70000 AND id % 7 = 2 THEN 'xy' ELSE SUBSTRING(name, 2, 1) END";
        String parity = "CASE WHEN id % 2 = 0 THEN 'a' ELSE 'b' END";
        assertEquals(Lakes.sorted(expected), sameOnOneAndFour("SELECT " + flag + ", " + parity + ", count(*) FROM t "
                + "GROUP BY " + flag + ", " + parity));
    }
}
