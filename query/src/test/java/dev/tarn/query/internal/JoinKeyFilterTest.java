package dev.tarn.query.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.query.TableAppender;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A hash join hands its build side's keys to the scan feeding its probe side, which then drops rows no build row
 * matches before decoding their other columns; joins whose unmatched probe rows count (outer, anti) and keys
 * computed on the way get no such filter, and every answer is the join's.
 */
class JoinKeyFilterTest extends LakeTest {
    private static final int KEYS = 4_000;
    private static final int ROWS = 40_000;
    private static final Pattern FILTERED = Pattern.compile("rowsFilteredInScan=(\\d+)");

    @BeforeEach
    void tables() {
        ok("CREATE TABLE facts (k INT, v BIGINT, d DATE, note STRING)");
        ok("CREATE TABLE dims (k INT, tag STRING, d DATE)");
        try (TableAppender facts = session.appender("default", "facts")) {
            for (int i = 0; i < ROWS; i++) {
                // Every 50th row has a NULL key; keys cycle through 0..KEYS-1.
                facts.appendRow(i % 50 == 49 ? null : i % KEYS, (long) i, LocalDate.ofEpochDay(i % 400),
                        "note " + i);
            }
        }
        try (TableAppender dims = session.appender("default", "dims")) {
            for (int k = 0; k < KEYS; k++) {
                dims.appendRow(k, k % 40 == 0 ? "x" : "y", LocalDate.ofEpochDay(k % 400));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void innerJoinScanSkipsRowsWithoutAMatchAndAnswersTheSame(int threads) {
        ok("SET threads = " + threads);
        String sql = "SELECT COUNT(*), SUM(f.v), COUNT(DISTINCT f.note) FROM facts f JOIN dims d ON f.k = d.k "
                + "WHERE d.tag = 'x'";
        long count = 0;
        long sum = 0;
        for (int i = 0; i < ROWS; i++) {
            if (i % 50 != 49 && (i % KEYS) % 40 == 0) {
                count++;
                sum += i;
            }
        }
        assertEquals(List.of("[" + count + "," + sum + "," + count + "]"), query(sql));
        assertTrue(filteredInScan(sql, "default.facts") > ROWS / 2, String.join("\n", query("EXPLAIN ANALYZE " + sql)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT COUNT(*) FROM facts f WHERE f.k IN (SELECT k FROM dims WHERE tag = 'x')",
        "SELECT COUNT(*) FROM facts f WHERE EXISTS (SELECT 1 FROM dims d WHERE d.k = f.k AND d.tag = 'x')",
        // The key comes up through another join's probe side.
        "SELECT COUNT(*) FROM facts f JOIN dims d2 ON f.d = d2.d JOIN dims d ON f.k = d.k "
                + "WHERE d.tag = 'x' AND d2.k < 400"})
    void semiJoinsAndKeysThroughJoinsAreFiltered(String sql) {
        // Each selected key's fact rows, once each (the second form's dates match exactly one of d2's rows).
        assertEquals(List.of("[" + selected() + "]"), query(sql));
        assertTrue(filteredInScan(sql, "default.facts") > 0, String.join("\n", query("EXPLAIN ANALYZE " + sql)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT COUNT(*), COUNT(d.k) FROM facts f LEFT JOIN (SELECT * FROM dims WHERE tag = 'x') d ON f.k = d.k",
        "SELECT COUNT(*), COUNT(f.k) FROM facts f WHERE NOT EXISTS "
                + "(SELECT 1 FROM dims d WHERE d.k = f.k AND d.tag = 'y')",
        "SELECT COUNT(*), COUNT(f.k) FROM facts f JOIN dims d ON CAST(f.k AS BIGINT) = d.k WHERE d.tag = 'x'"})
    void outerAndAntiJoinsAndComputedKeysKeepEveryProbeRow(String sql) {
        List<String> rows = query(sql);
        assertEquals(0, filteredInScan(sql, "default.facts"), String.join("\n", query("EXPLAIN ANALYZE " + sql)));
        long selected = selected();
        String expected = sql.contains("LEFT JOIN") ? "[" + ROWS + "," + selected + "]"
                : sql.contains("NOT EXISTS") ? "[" + (selected + ROWS / 50) + "," + selected + "]"
                : "[" + selected + "," + selected + "]";
        assertEquals(List.of(expected), rows, sql);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void dateKeysAndABuildWithEveryKeyGiveTheJoinsAnswer(int threads) {
        ok("SET threads = " + threads);
        // Every fact key is on the build side: the filter keeps all rows and stops testing; the answer is the same.
        assertEquals(List.of("[" + (ROWS - ROWS / 50) + "]"),
                query("SELECT COUNT(*) FROM facts f JOIN dims d ON f.k = d.k"));
        long expected = 0;
        for (int i = 0; i < ROWS; i++) {
            expected += (i % 400) < 10 ? KEYS / 400 : 0;
        }
        String sql = "SELECT COUNT(*) FROM facts f JOIN dims d ON f.d = d.d WHERE d.k % 400 < 10";
        assertEquals(List.of("[" + expected + "]"), query(sql));
    }

    /** Facts rows whose (non-NULL) key has tag 'x'. */
    private static long selected() {
        long n = 0;
        for (int i = 0; i < ROWS; i++) {
            if (i % 50 != 49 && (i % KEYS) % 40 == 0) {
                n++;
            }
        }
        return n;
    }

    private long filteredInScan(String sql, String table) {
        long total = 0;
        for (String line : query("EXPLAIN ANALYZE " + sql)) {
            if (line.contains("Scan[" + table)) {
                Matcher m = FILTERED.matcher(line);
                assertTrue(m.find(), line);
                total += Long.parseLong(m.group(1));
            }
        }
        return total;
    }
}
