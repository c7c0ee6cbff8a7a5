package dev.tarn.query.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * [NOT] EXISTS of a few rows against a table many times larger, over real Delta tables (the larger one in eight
 * files, so four workers split its probe): the semi/anti join builds its hash table on the few rows and streams
 * the many (a mark join), with the same answers on one worker and on four: duplicates on both sides, NULL keys on
 * both sides, residual conditions that are TRUE, FALSE and NULL.
 */
class MarkJoinTest {
    @TempDir
    static Path lake;

    private static SmallAndBigTables tables;

    @BeforeAll
    static void load() {
        tables = new SmallAndBigTables(lake, "(1, 10, 'a'), (2, 20, 'b'), (NULL, 30, 'n'), (3, 30, 'c'), "
                + "(2, 21, 'b2'), (4, 40, 'd'), (6, NULL, 'e')", Map.of(
                1, "(2, 20), (6, 1)",
                4, "(3, 31), (NULL, 30)",
                6, "(2, 20), (5, 50), (6, NULL)"));
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

    private static List<String> names(String sql) {
        return query(sql).stream().map(row -> (String) row.get(0)).toList();
    }

    private static String plan(String sql) {
        return tables.plan(sql);
    }

    private static final String OTHER_S = "EXISTS (SELECT 1 FROM big b WHERE b.k = o.k AND b.s <> o.s)";
    private static final String SAME_KEY = "EXISTS (SELECT 1 FROM big b WHERE b.k = o.k)";

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 4})
    void existsBuildsOnTheFewRows(int threads) {
        tables.setThreads(threads);
        String semi = "SELECT name FROM small o WHERE " + SAME_KEY + " ORDER BY name";
        String plan = plan(semi);
        assertTrue(plan.contains("MarkJoin[SEMI"), plan);
        // Key 2 is twice on each side: each small row once.
        assertEquals(List.of("b", "b2", "c", "e"), names(semi));
        // NULL keys match nothing: NOT EXISTS keeps the NULL-key row.
        String anti = "SELECT name FROM small o WHERE NOT " + SAME_KEY + " ORDER BY name";
        assertTrue(plan(anti).contains("MarkJoin[ANTI"), plan(anti));
        assertEquals(List.of("a", "d", "n"), names(anti));
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 4})
    void residualConditionsDecidePerPair(int threads) {
        tables.setThreads(threads);
        // b (2, 20) meets only s = 20 rows; b2 (2, 21) meets them with s <> 21; c (3, 30) meets (3, 31); e (6, NULL)
        // meets (6, 1) and (6, NULL), where s <> s is NULL: no match.
        String semi = "SELECT name FROM small o WHERE " + OTHER_S + " ORDER BY name";
        assertTrue(plan(semi).contains("MarkJoin[SEMI"), plan(semi));
        assertEquals(List.of("b2", "c"), names(semi));
        String anti = "SELECT name FROM small o WHERE NOT " + OTHER_S + " ORDER BY name";
        assertEquals(List.of("a", "b", "d", "e", "n"), names(anti));
        // Both at once, as TPC-H Q21 has them.
        assertEquals(List.of("b2"), names("SELECT name FROM small o WHERE " + OTHER_S
                + " AND NOT EXISTS (SELECT 1 FROM big b WHERE b.k = o.k AND b.s > 30) ORDER BY name"));
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 4})
    void inAndNotInKeepTheirNullSemantics(int threads) {
        tables.setThreads(threads);
        assertEquals(List.of("b", "b2", "c", "e"), names("SELECT name FROM small WHERE k IN (SELECT k FROM big) "
                + "ORDER BY name"));
        // big has a NULL k: NOT IN is never TRUE.
        assertEquals(List.of(), names("SELECT name FROM small WHERE k NOT IN (SELECT k FROM big)"));
        // Without it, a NULL k on the left is still not TRUE.
        assertEquals(List.of("a", "d"), names("SELECT name FROM small WHERE k NOT IN (SELECT k FROM big "
                + "WHERE k IS NOT NULL) ORDER BY name"));
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 4})
    void noMatchingRowsOnTheLargeSide(int threads) {
        tables.setThreads(threads);
        assertEquals(List.of(), names("SELECT name FROM small o WHERE EXISTS (SELECT 1 FROM big b WHERE b.k = o.k "
                + "AND b.s > o.s + 1000)"));
        assertEquals(List.of("a", "b", "b2", "c", "d", "e", "n"), names("SELECT name FROM small o WHERE NOT EXISTS "
                + "(SELECT 1 FROM big b WHERE b.k = o.k AND b.s > o.s + 1000) ORDER BY name"));
    }
}
