package dev.tarn.query.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LEFT and RIGHT joins of a few preserved rows with a table many times larger, under an aggregation, over real
 * Delta tables (the larger one in eight files, so four workers split its probe): the hash table is built on the
 * preserved rows and the unmatched ones come out padded with NULLs once every worker's probe is done, with the same
 * answers on one worker and on four: duplicates on both sides, NULL keys on both sides, residual conditions that
 * are TRUE, FALSE and NULL, empty sides.
 */
class BuildOuterJoinTest {
    @TempDir
    static Path lake;

    private static SmallAndBigTables tables;

    @BeforeAll
    static void load() {
        tables = new SmallAndBigTables(lake, "(1, 10, 'a'), (2, 20, 'b'), (NULL, 0, 'n'), (3, 31, 'c'), "
                + "(2, 21, 'b2'), (4, 0, 'd')", Map.of(
                1, "(2, 20), (NULL, 5)",
                4, "(3, 31), (3, 32)",
                6, "(2, 21), (5, 50), (3, NULL)"));
    }

    @AfterAll
    static void close() {
        if (tables != null) {
            tables.close();
        }
    }

    private static List<List<Object>> query(String sql) {
        return tables.query(sql);
    }

    private static String plan(String sql) {
        return tables.plan(sql);
    }

    /** Runs {@code sql}, checking that its outer join is built on the preserved side. */
    private static List<List<Object>> buildOuter(String sql, String buildSide) {
        String plan = plan(sql);
        assertTrue(plan.contains("build=" + buildSide + "]"), plan);
        return query(sql);
    }

    private static List<Object> row(Object... values) {
        return Arrays.asList(values);
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 4})
    void leftJoinCountsPerPreservedRow(int threads) {
        tables.setThreads(threads);
        // Key 2 twice on each side; key 3 three times in big (one with a NULL s); NULL keys never match.
        assertEquals(List.of(row("a", 0L, null), row("b", 2L, 41L), row("b2", 2L, 41L), row("c", 3L, 63L),
                row("d", 0L, null), row("n", 0L, null)), buildOuter("SELECT o.name, COUNT(b.k), SUM(b.s) "
                + "FROM small o LEFT JOIN big b ON o.k = b.k GROUP BY o.name ORDER BY o.name", "left"));
        // TPC-H Q13's shape: a count per preserved row, then the distribution of the counts.
        assertEquals(List.of(row(0L, 3L), row(2L, 2L), row(3L, 1L)), buildOuter("SELECT c, COUNT(*) FROM ("
                + "SELECT o.name, COUNT(b.s) + COUNT(b.k) - COUNT(b.s) AS c FROM small o LEFT OUTER JOIN big b "
                + "ON o.k = b.k GROUP BY o.name) GROUP BY c ORDER BY c", "left"));
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 4})
    void rightJoinBuildsOnTheRightInput(int threads) {
        tables.setThreads(threads);
        assertEquals(List.of(row("a", 0L), row("b", 2L), row("b2", 2L), row("c", 3L), row("d", 0L), row("n", 0L)),
                buildOuter("SELECT o.name, COUNT(b.k) FROM big b RIGHT JOIN small o ON b.k = o.k "
                        + "GROUP BY o.name ORDER BY o.name", "right"));
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 4})
    void residualConditionsDecidePerPair(int threads) {
        tables.setThreads(threads);
        // b (2, 20) meets big s 21; b2 (2, 21) none; c (3, 31) meets 32 (31 is not greater, NULL is no match).
        assertEquals(List.of(row("a", 0L, null), row("b", 1L, 21L), row("b2", 0L, null), row("c", 1L, 32L),
                row("d", 0L, null), row("n", 0L, null)), buildOuter("SELECT o.name, COUNT(b.k), MAX(b.s) "
                + "FROM small o LEFT JOIN big b ON o.k = b.k AND b.s > o.s GROUP BY o.name ORDER BY o.name", "left"));
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 4})
    void emptySides(int threads) {
        tables.setThreads(threads);
        assertEquals(List.of(row(6L, 0L)), buildOuter("SELECT COUNT(*), COUNT(b.k) FROM small o "
                + "LEFT JOIN (SELECT * FROM big WHERE s * 2 = 7) b ON o.k = b.k", "left"));
        assertEquals(List.of(row(0L, 0L)), query("SELECT COUNT(*), COUNT(b.k) FROM (SELECT * FROM small "
                + "WHERE s > 1000) o LEFT JOIN big b ON o.k = b.k"));
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 4})
    void rowsInOrderKeepTheProbeOnThePreservedSide(int threads) {
        tables.setThreads(threads);
        // Not under an aggregation: the order of the rows is the single-threaded one, so no build-side outer join.
        String sql = "SELECT o.name, b.s FROM small o LEFT JOIN big b ON o.k = b.k";
        assertFalse(plan(sql).contains("build="), plan(sql));
        List<List<Object>> rows = query(sql);
        assertEquals(List.of(row("a", null), row("b", 20L), row("b", 21L), row("n", null), row("c", 31L),
                row("c", 32L), row("c", null), row("b2", 20L), row("b2", 21L), row("d", null)), rows);
    }
}
