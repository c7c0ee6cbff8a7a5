package dev.tarn.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tarn serve} end to end through Avatica's stock remote driver, on an ephemeral loopback port. */
class ServeTest {
    @TempDir
    Path dir;

    static {
        try {
            Class.forName("org.apache.calcite.avatica.remote.Driver");
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private TarnServer start(boolean readOnly, PasswordFile users) {
        return TarnServer.start(new TarnServer.Options(dir.resolve("lake"), "127.0.0.1", 0, users, null, null,
                readOnly, Duration.ofMinutes(10)));
    }

    /** A running {@code tarn serve} command with its captured streams. */
    private record Running(Future<Integer> exit, TarnServer server, ByteArrayOutputStream out,
                           ByteArrayOutputStream err) {
        String firstLine() {
            return out.toString(StandardCharsets.UTF_8).lines().findFirst().orElse("");
        }
    }

    private Running serve(ExecutorService pool, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), dir, false);
        CompletableFuture<TarnServer> started = new CompletableFuture<>();
        ServeCommand command = new ServeCommand(name -> null, started::complete);
        Future<Integer> exit = pool.submit(() -> command.run(List.of(args), io));
        TarnServer server;
        try {
            server = started.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("server did not start: " + err.toString(StandardCharsets.UTF_8)
                    + " exit " + (exit.isDone() ? exit.get() : "running"), e);
        }
        return new Running(exit, server, out, err);
    }

    @Test
    void printsTheRemoteUrlFirstAndServesSqlUntilStopped() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Running r = serve(pool, "--lake", "lake", "--port", "0");
            String url = r.firstLine();
            assertTrue(url.matches("jdbc:avatica:remote:url=http://127\\.0\\.0\\.1:\\d+;serialization=json"), url);
            assertTrue(url.endsWith(":" + r.server().port() + ";serialization=json"), url);
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("create table t (id int, name string)");
                assertEquals(2, s.executeUpdate("insert into t values (1, 'a'), (2, 'b')"));
                try (ResultSet rs = s.executeQuery("select id, name from t order by id")) {
                    assertTrue(rs.next());
                    assertEquals(1, rs.getInt(1));
                    assertEquals("a", rs.getString(2));
                    assertTrue(rs.next());
                    assertEquals(2, rs.getInt("id"));
                    assertFalse(rs.next());
                }
                try (PreparedStatement ps = c.prepareStatement("insert into t values (?, ?)")) {
                    ps.setInt(1, 3);
                    ps.setString(2, "c");
                    assertEquals(1, ps.executeUpdate());
                }
                try (PreparedStatement ps = c.prepareStatement("select name from t where id = ?")) {
                    ps.setInt(1, 3);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertTrue(rs.next());
                        assertEquals("c", rs.getString(1));
                    }
                }
                SQLException e = assertThrows(SQLException.class, () -> s.executeQuery("select * from missing"));
                assertEquals("42P01", e.getSQLState(), e.getMessage());
            }
            r.server().close();
            assertEquals(0, r.exit().get(30, TimeUnit.SECONDS));
            assertEquals(1, r.out().toString(StandardCharsets.UTF_8).lines().count());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void framesFollowTheFetchSizeAcrossALargeResult() throws Exception {
        try (TarnServer server = start(false, null);
             Connection c = DriverManager.getConnection(server.jdbcUrl());
             Statement s = c.createStatement()) {
            s.execute("create table n (x bigint)");
            StringBuilder values = new StringBuilder("insert into n values (0)");
            for (int i = 1; i < 5000; i++) {
                values.append(", (").append(i).append(')');
            }
            s.executeUpdate(values.toString());
            s.setFetchSize(700);
            long sum = 0;
            int count = 0;
            try (ResultSet rs = s.executeQuery("select x from n")) {
                while (rs.next()) {
                    sum += rs.getLong(1);
                    count++;
                }
            }
            assertEquals(5000, count);
            assertEquals(4999L * 5000 / 2, sum);
        }
    }

    @Test
    void typesSurviveTheJsonWire() throws Exception {
        try (TarnServer server = start(false, null);
             Connection c = DriverManager.getConnection(server.jdbcUrl());
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select cast('2024-02-29 13:14:15.123' as timestamp) as ts, "
                    + "date '2024-02-29' as d, cast(12345.6789 as decimal(20, 4)) as amount, "
                    + "cast(x'0102ff' as binary) as b, true as flag, cast(1.5 as double) as dbl")) {
                assertTrue(rs.next());
                assertEquals(java.sql.Timestamp.valueOf("2024-02-29 13:14:15.123"), rs.getTimestamp("ts"));
                assertEquals(java.sql.Date.valueOf("2024-02-29"), rs.getDate("d"));
                assertEquals(new BigDecimal("12345.6789"), rs.getBigDecimal("amount"));
                assertEquals(List.of((byte) 1, (byte) 2, (byte) -1), bytes(rs.getBytes("b")));
                assertTrue(rs.getBoolean("flag"));
                assertEquals(1.5, rs.getDouble("dbl"));
            }
        }
    }

    @Test
    void nestedValuesArriveAsJsonText() throws Exception {
        copyTable(dev.tarn.testdata.SharedTestData.deltaTable("maps"), dir.resolve("lake/default/maps"));
        try (TarnServer server = start(false, null);
             Connection c = DriverManager.getConnection(server.jdbcUrl()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select a, f from maps where i = 3")) {
            assertEquals(java.sql.Types.VARCHAR, rs.getMetaData().getColumnType(1));
            assertEquals("MAP<INT, INT>", rs.getMetaData().getColumnTypeName(1));
            assertTrue(rs.next());
            assertEquals("{\"3\":3}", rs.getString(1));
            assertTrue(rs.getString(2).startsWith("{\"3\":[[3],"), rs.getString(2));
        }
    }

    private static void copyTable(Path from, Path to) throws java.io.IOException {
        try (var files = java.nio.file.Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (java.nio.file.Files.isDirectory(p)) {
                    java.nio.file.Files.createDirectories(target);
                } else {
                    java.nio.file.Files.copy(p, target);
                }
            }
        }
    }

    private static List<Byte> bytes(byte[] b) {
        List<Byte> out = new ArrayList<>();
        for (byte x : b) {
            out.add(x);
        }
        return out;
    }

    @Test
    void basicAuthenticationAcceptsTheRightPasswordOnly() throws Exception {
        Path file = dir.resolve("users");
        PasswordFile.readOrEmpty(file).withUser("ana", "s3cret".toCharArray()).write(file);
        try (TarnServer server = start(false, PasswordFile.read(file))) {
            String url = server.jdbcUrl() + ";authentication=BASIC;avatica_user=ana;avatica_password=";
            try (Connection c = DriverManager.getConnection(url + "s3cret"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select 42")) {
                assertTrue(rs.next());
                assertEquals(42, rs.getInt(1));
            }
            Exception wrong = assertThrows(Exception.class, () -> {
                try (Connection c = DriverManager.getConnection(url + "wrong"); Statement s = c.createStatement()) {
                    s.executeQuery("select 1");
                }
            });
            assertTrue(String.valueOf(causes(wrong)).contains("401"), causes(wrong));
            assertThrows(Exception.class, () -> {
                try (Connection c = DriverManager.getConnection(server.jdbcUrl()); Statement s = c.createStatement()) {
                    s.executeQuery("select 1");
                }
            });
        }
    }

    private static String causes(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c).append(" | ");
        }
        return sb.toString();
    }

    @Test
    void readOnlyServerRejectsWrites() throws Exception {
        try (TarnServer writable = start(false, null);
             Connection c = DriverManager.getConnection(writable.jdbcUrl()); Statement s = c.createStatement()) {
            s.execute("create table t (id int)");
            s.execute("insert into t values (7)");
        }
        try (TarnServer server = start(true, null);
             Connection c = DriverManager.getConnection(server.jdbcUrl()); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select id from t")) {
                assertTrue(rs.next());
                assertEquals(7, rs.getInt(1));
            }
            SQLException e = assertThrows(SQLException.class, () -> s.execute("insert into t values (8)"));
            assertEquals("25006", e.getSQLState(), e.getMessage());
            SQLException ddl = assertThrows(SQLException.class, () -> s.execute("create table u (x int)"));
            assertEquals("25006", ddl.getSQLState(), ddl.getMessage());
            try {
                c.setReadOnly(false); // Avatica may send this lazily with the next statement
            } catch (SQLException expected) {
                assertEquals("25006", expected.getSQLState());
            }
            SQLException still = assertThrows(SQLException.class, () -> s.execute("insert into t values (9)"));
            assertEquals("25006", still.getSQLState());
        }
    }

    /** A table of 1,000 rows whose three-way non-equi self join is about a billion pairs: far past any timeout. */
    private static final String SLOW_QUERY =
            "select count(*) from t a, t b, t c where a.id + b.id + c.id > a.id * b.id * c.id";

    private static void createThousandRows(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("create table t (id int)");
            StringBuilder values = new StringBuilder("insert into t values (0)");
            for (int i = 1; i < 1000; i++) {
                values.append(", (").append(i).append(')');
            }
            assertEquals(1000, s.executeUpdate(values.toString()));
        }
    }

    private static void assertTimesOut(Statement s, String limit) {
        SQLException e = assertThrows(SQLException.class, () -> {
            try (ResultSet rs = s.executeQuery(SLOW_QUERY)) {
                while (rs.next()) {
                    // drain
                }
            }
        });
        assertEquals("57014", e.getSQLState(), e.getMessage());
        assertTrue(e.getMessage().contains("statement_timeout of " + limit + " expired"), e.getMessage());
    }

    @Test
    void aStatementTimeoutConnectionPropertyBoundsRemoteQueries() throws Exception {
        try (TarnServer server = start(false, null)) {
            createThousandRows(server.jdbcUrl());
            // Avatica's remote driver forwards the Properties given to getConnection (not the URL's own keys).
            Properties props = new Properties();
            props.setProperty("statement_timeout", "400ms");
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(), props);
                 Statement s = c.createStatement()) {
                assertTimesOut(s, "400 ms");
                // The session goes on, and SET changes its limit.
                try (ResultSet rs = s.executeQuery("select count(*) from t")) {
                    assertTrue(rs.next());
                    assertEquals(1000, rs.getLong(1));
                }
                s.execute("SET statement_timeout = '1s'");
                assertTimesOut(s, "1 s");
            }
        }
    }

    @Test
    void theServerDefaultStatementTimeoutAppliesToClientsThatSetNone() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Running r = serve(pool, "--lake", "lake", "--port", "0", "--statement-timeout", "500ms");
            createThousandRows(r.firstLine());
            try (Connection c = DriverManager.getConnection(r.firstLine()); Statement s = c.createStatement()) {
                assertTimesOut(s, "500 ms");
            }
            r.server().close();
            assertEquals(0, r.exit().get(30, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentClientsKeepTheirOwnSchema() throws Exception {
        try (TarnServer server = start(false, null)) {
            try (Connection c = DriverManager.getConnection(server.jdbcUrl()); Statement s = c.createStatement()) {
                s.execute("create schema sales");
                s.execute("create schema hr");
                s.execute("create table sales.t (v string)");
                s.execute("insert into sales.t values ('sales')");
                s.execute("create table hr.t (v string)");
                s.execute("insert into hr.t values ('hr')");
            }
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (String schema : List.of("sales", "hr")) {
                    results.add(pool.submit(() -> {
                        StringBuilder seen = new StringBuilder();
                        try (Connection c = DriverManager.getConnection(server.jdbcUrl())) {
                            c.setSchema(schema);
                            for (int i = 0; i < 20; i++) {
                                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select v from t")) {
                                    assertTrue(rs.next());
                                    seen.append(rs.getString(1)).append(';');
                                }
                            }
                            assertEquals(schema, c.getSchema());
                        }
                        return seen.toString();
                    }));
                }
                assertEquals("sales;".repeat(20), results.get(0).get(60, TimeUnit.SECONDS));
                assertEquals("hr;".repeat(20), results.get(1).get(60, TimeUnit.SECONDS));
            } finally {
                pool.shutdownNow();
            }
            assertEquals(0, server.openConnections());
        }
    }

    @Test
    void idleConnectionsAreClosedOnTheServer() throws Exception {
        try (TarnServer server = TarnServer.start(new TarnServer.Options(dir.resolve("lake"), "127.0.0.1", 0, null,
                null, null, false, Duration.ofMillis(300)))) {
            Connection c = DriverManager.getConnection(server.jdbcUrl() + ";transparent_reconnection=true");
            Statement s = c.createStatement();
            s.setFetchSize(1);
            ResultSet rs = s.executeQuery("select * from (values (1), (2), (3)) as v(x)");
            assertTrue(rs.next());
            assertEquals(1, server.openConnections());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, server.openConnections(), "the abandoned connection was not expired");
            // A client that asked for transparent reconnection carries on with a new session.
            try (Statement s2 = c.createStatement(); ResultSet r2 = s2.executeQuery("select 2")) {
                assertTrue(r2.next());
                assertEquals(2, r2.getInt(1));
            }
            assertEquals(1, server.openConnections());
            c.close();
            assertEquals(0, server.openConnections());
        }
    }

    @Test
    void bindingBeyondLoopbackWithoutUsersIsAUsageError() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), dir, false);
        int code = dev.tarn.shell.Main.run(new String[] {"serve", "--lake", "lake", "--bind", "0.0.0.0"}, io);
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("needs --auth-file"), err.toString());
        assertTrue(ServeCommand.isLoopback("127.0.0.1"));
        assertTrue(ServeCommand.isLoopback("localhost"));
        assertFalse(ServeCommand.isLoopback("0.0.0.0"));
        err.reset();
        code = dev.tarn.shell.Main.run(new String[] {"serve", "--lake", "lake", "--statement-timeout", "soon"}, io);
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--statement-timeout 'soon' is not a duration"),
                err.toString());
    }

    @Test
    void passwdWritesSaltedHashesAndUpdatesUsers() throws Exception {
        Path file = dir.resolve("auth");
        for (String[] userAndPassword : List.of(new String[] {"ana", "one"}, new String[] {"bo", "two"},
                new String[] {"ana", "three"})) {
            Io io = new Io(new ByteArrayInputStream((userAndPassword[1] + "\n").getBytes(StandardCharsets.UTF_8)),
                    new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()), dir,
                    false);
            assertEquals(0, dev.tarn.shell.Main.run(new String[] {"passwd", "--auth-file", "auth",
                userAndPassword[0]}, io));
        }
        List<String> lines = java.nio.file.Files.readAllLines(file).stream().filter(l -> !l.startsWith("#")).toList();
        assertEquals(2, lines.size());
        for (String line : lines) {
            String[] parts = line.split(":");
            assertEquals(5, parts.length, line);
            assertEquals("PBKDF2WithHmacSHA256", parts[1]);
            assertTrue(Integer.parseInt(parts[2]) >= 100_000);
            assertFalse(line.contains("three") || line.contains("two"));
        }
        assertFalse(lines.get(0).split(":")[3].equals(lines.get(1).split(":")[3]), "salts must differ");
        PasswordFile users = PasswordFile.read(file);
        assertTrue(users.verify("ana", "three".toCharArray()));
        assertFalse(users.verify("ana", "one".toCharArray()));
        assertTrue(users.verify("bo", "two".toCharArray()));
        assertFalse(users.verify("nobody", "two".toCharArray()));
    }
}
