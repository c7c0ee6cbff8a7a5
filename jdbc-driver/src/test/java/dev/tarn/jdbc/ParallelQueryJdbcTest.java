package dev.tarn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection properties {@code threads} and {@code memory_limit} are per connection, and a query running on
 * several worker threads stops on {@code setQueryTimeout} and {@code cancel()} with SQLState 57014.
 */
class ParallelQueryJdbcTest {
    /**
     * A self-join of 40 000 rows on 10 key values (160 M pairs), aggregated: seconds of work however fast the join
     * gets, so a 1 s timeout or a cancel after half a second lands mid-query.
     */
    private static final String SLOW = "select a.g, count(*) from t a join t b on a.id % 10 = b.id % 10 group by a.g";

    @TempDir
    Path lake;

    private Connection connect(String properties) throws SQLException {
        return DriverManager.getConnection("jdbc:tarn:" + lake + ";create=true" + properties);
    }

    /** Table t in four commits (four data files, so four morsels for parallel scans). */
    private static void createTable(Statement s) throws SQLException {
        String values = IntStream.range(0, 100).mapToObj(i -> "(" + i + ")").collect(Collectors.joining(", "));
        s.execute("create table t (id bigint, g int)");
        for (int f = 0; f < 4; f++) {
            s.execute("insert into t select a.v * 100 + b.v + " + (f * 10_000) + ", cast(b.v % 7 as int) from (values "
                    + values + ") as a(v) cross join (values " + values + ") as b(v)");
        }
    }

    private static String explainAnalyze(Statement s, String sql) throws SQLException {
        StringBuilder b = new StringBuilder();
        try (ResultSet rs = s.executeQuery("explain analyze " + sql)) {
            while (rs.next()) {
                b.append(rs.getString(1)).append('\n');
            }
        }
        return b.toString();
    }

    @Test
    void threadsPropertyIsTheConnectionsThreadCount() throws Exception {
        try (Connection four = connect(";threads=4"); Statement s = four.createStatement()) {
            createTable(s);
            assertTrue(explainAnalyze(s, "select g, count(*) from t group by g").contains("workers=4"));
            try (Connection one = connect(";threads=1"); Statement s1 = one.createStatement()) {
                assertFalse(explainAnalyze(s1, "select g, count(*) from t group by g").contains("workers="));
            }
        }
    }

    @Test
    void memoryLimitPropertyLimitsEachQuery() throws Exception {
        try (Connection setup = connect(""); Statement create = setup.createStatement()) {
            createTable(create);
        }
        try (Connection c = connect(";threads=2;memory_limit=2m"); Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> s.executeQuery("select id, count(*) from t group by id"));
            assertEquals("53200", e.getSQLState(), e.getMessage());
            // Which operator's allocation crosses the limit first depends on the workers' timing (the aggregate's
            // hash table, or a scan batch while the table holds most of the budget); MemoryLimitTest checks the
            // naming. Here: the connection property became the session's limit.
            assertTrue(e.getMessage().contains("per-query limit of 2 MB"), e.getMessage());
            s.execute("set memory_limit = 'none'");
            try (ResultSet rs = s.executeQuery("select count(*) from (select id, count(*) from t group by id) q")) {
                assertTrue(rs.next());
                assertEquals(40_000L, rs.getLong(1));
            }
        }
    }

    @Test
    void queryTimeoutStopsAParallelQuery() throws Exception {
        try (Connection c = connect(";threads=4"); Statement s = c.createStatement()) {
            createTable(s);
            s.setQueryTimeout(1);
            SQLException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> assertThrows(SQLException.class, () -> {
                        try (ResultSet rs = s.executeQuery(SLOW)) {
                            while (rs.next()) {
                                // drain
                            }
                        }
                    }));
            assertEquals("57014", e.getSQLState(), e.getMessage());
            s.setQueryTimeout(0);
            try (ResultSet rs = s.executeQuery("select count(*) from t")) {
                assertTrue(rs.next());
                assertEquals(40_000L, rs.getLong(1));
            }
        }
    }

    @Test
    void cancelStopsAParallelQuery() throws Exception {
        try (Connection c = connect(";threads=4"); Statement s = c.createStatement()) {
            createTable(s);
            CompletableFuture<SQLException> failure = CompletableFuture.supplyAsync(() -> {
                try (ResultSet rs = s.executeQuery(SLOW)) {
                    while (rs.next()) {
                        // drain
                    }
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            // A cancel while the statement is still being planned is a JDBC no-op: cancel until the query stops.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!failure.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(200);
                s.cancel();
            }
            SQLException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> failure.get());
            assertEquals("57014", e == null ? "finished" : e.getSQLState());
        }
    }
}
