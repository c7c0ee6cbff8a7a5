package dev.tarn.query.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.QueryResult;
import dev.tarn.query.Session;
import dev.tarn.query.internal.expression.Values;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.apache.arrow.vector.VectorSchemaRoot;
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

    private static Database database;
    private static Session session;

    @BeforeAll
    static void load() {
        database = Database.open(DatabaseConfig.of(lake));
        session = database.newSession();
        session.execute("CREATE TABLE small (k BIGINT, s INT, name STRING)").close();
        session.execute("INSERT INTO small VALUES (1, 10, 'a'), (2, 20, 'b'), (NULL, 30, 'n'), (3, 30, 'c'), "
                + "(2, 21, 'b2'), (4, 40, 'd'), (6, NULL, 'e')").close();
        session.execute("CREATE TABLE big (k BIGINT, s INT)").close();
        for (int file = 0; file < 8; file++) {
            StringJoiner values = new StringJoiner(", ");
            for (int i = 0; i < 250; i++) {
                values.add("(" + (100 + (file * 250 + i) % 100) + ", " + i + ")"); // keys small never has
            }
            switch (file) {
                case 1 -> values.add("(2, 20)").add("(6, 1)");
                case 4 -> values.add("(3, 31)").add("(NULL, 30)");
                case 6 -> values.add("(2, 20)").add("(5, 50)").add("(6, NULL)");
                default -> { }
            }
            session.execute("INSERT INTO big VALUES " + values).close();
        }
    }

    @AfterAll
    static void close() {
        if (session != null) {
            session.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private static List<List<Object>> query(String sql) {
        List<List<Object>> out = new ArrayList<>();
        try (QueryResult r = session.execute(sql)) {
            for (VectorSchemaRoot b = r.nextBatch(); b != null; b = r.nextBatch()) {
                List<Values.Reader> readers = b.getFieldVectors().stream().map(Values::reader).toList();
                for (int i = 0; i < b.getRowCount(); i++) {
                    List<Object> row = new ArrayList<>();
                    for (Values.Reader reader : readers) {
                        row.add(reader.get(i));
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }

    private static List<String> names(String sql) {
        return query(sql).stream().map(row -> (String) row.get(0)).toList();
    }

    private static String plan(String sql) {
        StringBuilder b = new StringBuilder();
        query("EXPLAIN " + sql).forEach(row -> b.append(row.get(0)).append('\n'));
        return b.toString();
    }

    private static final String OTHER_S = "EXISTS (SELECT 1 FROM big b WHERE b.k = o.k AND b.s <> o.s)";
    private static final String SAME_KEY = "EXISTS (SELECT 1 FROM big b WHERE b.k = o.k)";

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 4})
    void existsBuildsOnTheFewRows(int threads) {
        session.execute("SET threads = " + threads).close();
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
        session.execute("SET threads = " + threads).close();
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
        session.execute("SET threads = " + threads).close();
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
        session.execute("SET threads = " + threads).close();
        assertEquals(List.of(), names("SELECT name FROM small o WHERE EXISTS (SELECT 1 FROM big b WHERE b.k = o.k "
                + "AND b.s > o.s + 1000)"));
        assertEquals(List.of("a", "b", "b2", "c", "d", "e", "n"), names("SELECT name FROM small o WHERE NOT EXISTS "
                + "(SELECT 1 FROM big b WHERE b.k = o.k AND b.s > o.s + 1000) ORDER BY name"));
    }
}
