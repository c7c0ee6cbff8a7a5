package dev.tarn.query.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.query.TableAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An aggregation that an inner join filters by its group key is first semi-joined with the few keys the join can
 * find (the decorrelated shape of TPC-H Q2, Q17 and Q20), with the same answers; joins that keep groups the other
 * side lacks are left alone.
 */
class SemiJoinReductionTest extends LakeTest {
    private static final int KEYS = 5_000;
    private static final int ROWS = 60_000;

    /** Per key of the selected dimension rows (tag 'x', every hundredth key): sum and count of facts.v. */
    private final TreeMap<Integer, long[]> selected = new TreeMap<>();

    @BeforeEach
    void tables() {
        ok("CREATE TABLE facts (k INT, v INT)");
        ok("CREATE TABLE dims (k INT, tag STRING)");
        try (TableAppender facts = session.appender("default", "facts")) {
            for (int i = 0; i < ROWS; i++) {
                int k = (int) ((i * 7919L) % KEYS);
                int v = i % 97;
                facts.appendRow(k, v);
                if (k % 100 == 0) {
                    long[] s = selected.computeIfAbsent(k, x -> new long[2]);
                    s[0] += v;
                    s[1]++;
                }
            }
        }
        try (TableAppender dims = session.appender("default", "dims")) {
            for (int k = 0; k < KEYS; k++) {
                dims.appendRow(k, k % 100 == 0 ? "x" : "y");
            }
        }
    }

    @Test
    void aggregateJoinedWithFewKeysIsReducedWithTheSameAnswer() {
        String sql = "SELECT d.k, a.s FROM dims d JOIN (SELECT k, SUM(v) AS s FROM facts GROUP BY k) a "
                + "ON a.k = d.k WHERE d.tag = 'x' ORDER BY d.k";
        String plan = String.join("\n", query("EXPLAIN " + sql));
        assertTrue(plan.contains("HashJoin[SEMI"), plan);
        List<String> expected = new ArrayList<>();
        selected.forEach((k, s) -> expected.add("[" + k + "," + s[0] + "]"));
        assertEquals(expected, query(sql));
    }

    @Test
    void correlatedAggregateSubqueryIsReducedWithTheSameAnswer() {
        // TPC-H Q17's shape: each fact row against the average of its own key, for the selected keys only.
        String sql = "SELECT COUNT(*), SUM(f.v) FROM facts f JOIN dims d ON f.k = d.k WHERE d.tag = 'x' "
                + "AND f.v < (SELECT AVG(f2.v) FROM facts f2 WHERE f2.k = d.k)";
        String plan = String.join("\n", query("EXPLAIN " + sql));
        assertTrue(plan.contains("HashJoin[SEMI"), plan);
        long count = 0;
        long sum = 0;
        for (int i = 0; i < ROWS; i++) {
            int k = (int) ((i * 7919L) % KEYS);
            int v = i % 97;
            long[] s = selected.get(k);
            if (s != null && v * s[1] < s[0]) {
                count++;
                sum += v;
            }
        }
        assertEquals(List.of("[" + count + "," + sum + "]"), query(sql));
    }

    @Test
    void joinsThatKeepUnmatchedGroupsAreNotReduced() {
        String sql = "SELECT COUNT(*), COUNT(d.k) FROM (SELECT k, SUM(v) AS s FROM facts GROUP BY k) a "
                + "LEFT JOIN (SELECT * FROM dims WHERE tag = 'x') d ON a.k = d.k";
        String plan = String.join("\n", query("EXPLAIN " + sql));
        assertFalse(plan.contains("SEMI"), plan);
        assertEquals(List.of("[" + KEYS + "," + selected.size() + "]"), query(sql));
    }
}
