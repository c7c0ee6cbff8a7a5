package dev.tarn.query.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.query.TableAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A WITH query read twice (TPC-H Q15's shape: the groups whose total equals the largest total) is computed once per
 * execution, with the same answers as two computations, at any thread count and on every re-execution.
 */
class SharedSubplanTest extends LakeTest {
    private static final int ROWS = 40_000;
    private static final int KEYS = 1_000;
    private static final Pattern SCAN_ROWS = Pattern.compile("Scan\\[default\\.facts.*\\(rows=(\\d+) ");

    private final TreeMap<Integer, Long> totals = new TreeMap<>();

    @BeforeEach
    void tables() {
        ok("CREATE TABLE facts (k INT, v INT)");
        ok("CREATE TABLE dims (k INT, name STRING)");
        try (TableAppender facts = session.appender("default", "facts")) {
            for (int i = 0; i < ROWS; i++) {
                int k = (int) ((i * 7919L) % KEYS);
                // Keys 7 and 700 tie for the largest total.
                int v = k == 7 || k == 700 ? 1_000 : i % 13;
                facts.appendRow(k, v);
                totals.merge(k, (long) v, Long::sum);
            }
        }
        try (TableAppender dims = session.appender("default", "dims")) {
            for (int k = 0; k < KEYS; k++) {
                dims.appendRow(k, "name" + k);
            }
        }
    }

    private static final String TOP = "WITH t AS (SELECT k, SUM(v) AS total FROM facts WHERE v >= 0 GROUP BY k) "
            + "SELECT d.k, d.name, t.total FROM dims d, t WHERE d.k = t.k "
            + "AND t.total = (SELECT MAX(total) FROM t) ORDER BY d.k";

    private List<String> expectedTop() {
        long max = totals.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        List<String> expected = new ArrayList<>();
        totals.forEach((k, total) -> {
            if (total == max) {
                expected.add("[" + k + ",\"name" + k + "\"," + total + "]");
            }
        });
        return expected;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void aWithQueryReadTwiceIsComputedOnceWithTheSameAnswer(int threads) {
        ok("SET threads = " + threads);
        String plan = String.join("\n", query("EXPLAIN " + TOP));
        assertTrue(plan.contains("Shared#1") && plan.contains("Reuse[Shared#1]"), plan);
        assertEquals(1, count(plan, "Scan[default.facts"), plan);
        assertEquals(List.of("[7,\"name7\"," + totals.get(7) + "]", "[700,\"name700\"," + totals.get(700) + "]"),
                expectedTop());
        // Twice in one session: each execution computes its own shared result and releases it.
        assertEquals(expectedTop(), query(TOP));
        assertEquals(expectedTop(), query(TOP));
    }

    @Test
    void explainAnalyzeCountsTheSharedInputOnce() {
        List<String> lines = query("EXPLAIN ANALYZE " + TOP);
        long scanned = 0;
        for (String line : lines) {
            Matcher m = SCAN_ROWS.matcher(line);
            if (m.find()) {
                scanned += Long.parseLong(m.group(1));
            }
        }
        assertEquals(ROWS, scanned, String.join("\n", lines));
    }

    @Test
    void aQueryReadOnceOrWithDifferentFiltersIsNotShared() {
        String once = "WITH t AS (SELECT k, SUM(v) AS total FROM facts GROUP BY k) SELECT MAX(total) FROM t";
        assertFalse(String.join("\n", query("EXPLAIN " + once)).contains("Shared#"));
        String different = "SELECT a.k FROM (SELECT k, SUM(v) AS s FROM facts WHERE v > 3 GROUP BY k) a "
                + "JOIN (SELECT k, SUM(v) AS s FROM facts WHERE v > 4 GROUP BY k) b ON a.k = b.k AND a.s = b.s "
                + "ORDER BY a.k";
        String plan = String.join("\n", query("EXPLAIN " + different));
        assertFalse(plan.contains("Shared#"), plan);
        assertEquals(2, count(plan, "Scan[default.facts"), plan);
    }

    @Test
    void aSharedResultFeedsBothSidesOfAJoin() {
        // Every group joins itself: the shared result is both the build and the probe input.
        String sql = "WITH t AS (SELECT k, SUM(v) AS total FROM facts GROUP BY k) "
                + "SELECT COUNT(*), SUM(a.total - b.total) FROM t a JOIN t b ON a.k = b.k";
        String plan = String.join("\n", query("EXPLAIN " + sql));
        assertTrue(plan.contains("Reuse[Shared#1]"), plan);
        assertEquals(List.of("[" + KEYS + ",0]"), query(sql));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aFailingSharedQueryFailsTheStatementAndTheSessionGoesOn(int threads) {
        ok("SET threads = " + threads);
        String sql = "WITH t AS (SELECT k, SUM(v / (k - 500)) AS total FROM facts GROUP BY k) "
                + "SELECT d.k FROM dims d, t WHERE d.k = t.k AND t.total = (SELECT MAX(total) FROM t)";
        assertError(ErrorCode.DIVISION_BY_ZERO, () -> query(sql));
        assertEquals(expectedTop(), query(TOP));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }
}
