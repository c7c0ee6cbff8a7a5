package dev.tarn.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What BI tools and pools call on the embedded driver, and what they rely on it to do. */
class BiToolConformanceTest {
    @TempDir
    Path lake;

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:tarn:" + lake + ";create=true");
    }

    /** A statement that runs for minutes unless cancelled: a cross join of 100^5 generated rows, counted. */
    private static String slowQuery() {
        String values = IntStream.range(0, 100).mapToObj(i -> "(" + i + ")").collect(Collectors.joining(", "));
        StringBuilder sql = new StringBuilder("select count(*) from ");
        for (int i = 0; i < 5; i++) {
            sql.append(i == 0 ? "" : ", ").append("(values ").append(values).append(") as t").append(i).append("(x)");
        }
        return sql.toString();
    }

    private static List<List<Object>> rows(ResultSet rs) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            List<Object> row = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                row.add(rs.getObject(i));
            }
            out.add(row);
        }
        return out;
    }

    @Test
    void connectTimeMetadata() throws Exception {
        try (Connection c = connect()) {
            DatabaseMetaData md = c.getMetaData();
            assertEquals("Tarn", md.getDatabaseProductName());
            assertFalse(md.getDatabaseProductVersion().isBlank());
            assertFalse(md.getDriverVersion().isBlank());
            assertEquals("`", md.getIdentifierQuoteString());
            assertEquals(".", md.getCatalogSeparator());
            assertEquals("schema", md.getSchemaTerm());
            assertEquals("\\", md.getSearchStringEscape());
            String keywords = md.getSQLKeywords();
            assertFalse(keywords.isBlank());
            assertFalse(List.of(keywords.split(",")).contains("SELECT"), "SQL:92 keywords are not listed");
            // Table and schema names are stored lower-case, quoted or not; all names match ignoring case.
            assertTrue(md.storesLowerCaseIdentifiers());
            assertTrue(md.storesLowerCaseQuotedIdentifiers());
            assertFalse(md.storesMixedCaseIdentifiers());
            assertFalse(md.supportsMixedCaseIdentifiers());
            assertFalse(md.supportsMixedCaseQuotedIdentifiers());
            assertTrue(md.supportsResultSetType(ResultSet.TYPE_FORWARD_ONLY));
            assertFalse(md.supportsResultSetType(ResultSet.TYPE_SCROLL_INSENSITIVE));
            assertTrue(md.supportsBatchUpdates());

            try (Statement s = c.createStatement()) {
                // The case rules the metadata reports are the parser's: names kept as written, matched ignoring case.
                s.execute("create table MixedCase (Id bigint comment 'the key', name string)");
                s.execute("insert into mixedcase values (1, 'a')");
                s.execute("create table `QuotedCase` (x int)");
                try (ResultSet rs = s.executeQuery("select ID, NAME from MIXEDCASE")) {
                    assertEquals(List.of(List.of(1L, "a")), rows(rs));
                }
            }
            try (ResultSet rs = md.getTables(null, "default", "MixedCase", null)) {
                assertTrue(rs.next());
                assertEquals("mixedcase", rs.getString("TABLE_NAME"));
            }
            try (ResultSet rs = md.getTables(null, "default", "QuotedCase", null)) {
                assertTrue(rs.next());
                assertEquals("quotedcase", rs.getString("TABLE_NAME"));
            }
            try (ResultSet rs = md.getTableTypes()) {
                assertEquals(List.of(List.of("TABLE"), List.of("VIEW")), rows(rs));
            }
            try (ResultSet rs = md.getCatalogs()) {
                assertEquals(List.of(), rows(rs));
            }
            try (ResultSet rs = md.getSchemas(null, "def%")) {
                assertTrue(rs.next());
                assertEquals("default", rs.getString("TABLE_SCHEM"));
                assertFalse(rs.next());
            }
            try (ResultSet rs = md.getTables(null, null, "%", new String[] {"VIEW"})) {
                assertFalse(rs.next());
            }
            try (ResultSet rs = md.getTables(null, null, "%", new String[] {"TABLE", "VIEW"})) {
                assertEquals(2, rows(rs).size());
            }
            try (ResultSet rs = md.getColumns(null, "default", "mixedcase", "id")) {
                assertTrue(rs.next());
                assertEquals("Id", rs.getString("COLUMN_NAME"));
                assertEquals("the key", rs.getString("REMARKS"));
                assertEquals(java.sql.Types.BIGINT, rs.getInt("DATA_TYPE"));
            }
            try (ResultSet rs = md.getTypeInfo()) {
                assertTrue(rows(rs).size() >= 10);
            }
            try (ResultSet rs = md.getPrimaryKeys(null, "default", "MixedCase")) {
                assertEquals(6, rs.getMetaData().getColumnCount());
                assertFalse(rs.next());
            }
            try (ResultSet rs = md.getImportedKeys(null, "default", "MixedCase")) {
                assertEquals(14, rs.getMetaData().getColumnCount());
                assertFalse(rs.next());
            }
            try (ResultSet rs = md.getIndexInfo(null, "default", "MixedCase", false, true)) {
                assertEquals(13, rs.getMetaData().getColumnCount());
                assertFalse(rs.next());
            }
        }
    }

    @Test
    void listedFunctionsAreTheOnesTheEngineRuns() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            DatabaseMetaData md = c.getMetaData();
            List<String> listed = new ArrayList<>();
            try (ResultSet rs = md.getFunctions(null, null, "%")) {
                while (rs.next()) {
                    listed.add(rs.getString("FUNCTION_NAME"));
                }
            }
            assertTrue(listed.containsAll(List.of("ABS", "UPPER", "SUBSTRING", "EXTRACT", "COALESCE", "SUM")), listed.toString());
            for (String name : listed) {
                String sample = null;
                try (ResultSet rs = md.getFunctions(null, null, name)) {
                    assertTrue(rs.next(), name);
                }
                for (var f : dev.tarn.jdbc.internal.EngineFunctionsAccess.all()) {
                    if (f[0].equals(name)) {
                        sample = f[1];
                    }
                }
                try (ResultSet rs = s.executeQuery("select " + sample)) {
                    assertTrue(rs.next(), sample);
                } catch (SQLException e) {
                    throw new AssertionError("listed function " + name + " fails: " + sample, e);
                }
            }
            assertTrue(List.of(md.getNumericFunctions().split(",")).containsAll(List.of("ABS", "ROUND", "MOD")));
            assertTrue(List.of(md.getStringFunctions().split(",")).containsAll(List.of("UPPER", "TRIM", "CONCAT")));
            assertTrue(List.of(md.getTimeDateFunctions().split(",")).contains("CURRENT_DATE"));
            assertTrue(List.of(md.getSystemFunctions().split(",")).contains("COALESCE"));
            assertFalse(md.getStringFunctions().contains("SOUNDEX"), "not implemented, so not listed");
        }
    }

    @Test
    void connectionBehaviour() throws Exception {
        Connection c = connect();
        try (Statement s = c.createStatement()) {
            assertTrue(c.isValid(1));
            assertEquals(Connection.TRANSACTION_SERIALIZABLE, c.getTransactionIsolation());
            assertTrue(c.getAutoCommit());
            SQLException noTx = assertThrows(SQLException.class, () -> c.setAutoCommit(false));
            assertEquals("0A000", noTx.getSQLState());
            assertTrue(noTx.getMessage().contains("auto-commit"), noTx.getMessage());

            s.execute("create schema sales");
            s.execute("create table sales.t (x int)");
            c.setSchema("sales");
            assertEquals("sales", c.getSchema());
            s.execute("insert into t values (1)");
            c.setCatalog("whatever");
            assertNull(c.getCatalog());

            c.setReadOnly(true);
            assertTrue(c.isReadOnly());
            SQLException ro = assertThrows(SQLException.class, () -> s.execute("insert into t values (2)"));
            assertEquals("25006", ro.getSQLState());
            c.setReadOnly(false);
            s.execute("insert into t values (2)");
        } finally {
            c.close();
        }
        assertFalse(c.isValid(1));
    }

    @Test
    void maxRowsAndForwardOnlyResults() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.setMaxRows(2);
            try (ResultSet rs = s.executeQuery("select * from (values (1), (2), (3), (4), (5)) as v(x)")) {
                assertEquals(ResultSet.TYPE_FORWARD_ONLY, rs.getType());
                assertEquals(ResultSet.CONCUR_READ_ONLY, rs.getConcurrency());
                assertEquals(2, rows(rs).size());
            }
            try (PreparedStatement ps = c.prepareStatement("select * from (values (1), (2), (3)) as v(x)")) {
                ps.setMaxRows(1);
                try (ResultSet rs = ps.executeQuery()) {
                    assertEquals(1, rows(rs).size());
                }
            }
            s.setMaxRows(0);
            try (ResultSet rs = s.executeQuery("select * from (values (1), (2)) as v(x)")) {
                assertTrue(rs.next());
                assertThrows(SQLException.class, rs::previous);
                assertThrows(SQLException.class, rs::first);
            }
            assertThrows(SQLFeatureNotSupportedException.class,
                    () -> c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY));
            assertThrows(SQLFeatureNotSupportedException.class,
                    () -> c.prepareStatement("select 1", ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE));
        }
    }

    @Test
    void queryTimeoutCancelsWith57014() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.setQueryTimeout(1);
            assertEquals(1, s.getQueryTimeout());
            long start = System.nanoTime();
            SQLException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> assertThrows(SQLException.class, () -> s.executeQuery(slowQuery())));
            assertEquals("57014", e.getSQLState(), e.getMessage());
            assertTrue(System.nanoTime() - start >= 900_000_000L, "cancelled before the timeout");
            // The connection stays usable, and the next statement is not cancelled by the old timer.
            s.setQueryTimeout(0);
            try (ResultSet rs = s.executeQuery("select 1")) {
                assertTrue(rs.next());
            }
        }
    }

    @Test
    void cancelFromAnotherThread() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            CompletableFuture<SQLException> failure = CompletableFuture.supplyAsync(() -> {
                try {
                    s.executeQuery(slowQuery()).close();
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            // A cancel that arrives while the statement is still being planned has nothing to stop (JDBC: a no-op),
            // so keep cancelling until the running query gives up: on a loaded machine planning can take a while.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!failure.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(200);
                s.cancel();
            }
            SQLException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> failure.get());
            assertEquals("57014", e == null ? "finished" : e.getSQLState());
        }
    }

    @Test
    void preparedInsertBatchIsOneCommit() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("create table t (id int, name string)");
            long before = version(s);
            try (PreparedStatement ps = c.prepareStatement("insert into t (id, name) values (?, ?)")) {
                for (int i = 1; i <= 50; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "n'" + i);
                    ps.addBatch();
                }
                long[] counts = ps.executeLargeBatch();
                assertEquals(50, counts.length);
                for (long n : counts) {
                    assertEquals(1, n);
                }
            }
            assertEquals(before + 1, version(s), "one commit for the whole batch");
            try (ResultSet rs = s.executeQuery("select count(*), sum(id), max(name) from t")) {
                assertEquals(List.of(List.of(50L, 1275L, "n'9")), rows(rs));
            }
            assertEquals(-1, s.getUpdateCount());
            assertEquals(2, s.executeUpdate("insert into t values (100, 'x'), (101, 'y')"));
        }
    }

    private static long version(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("describe history t limit 1")) {
            assertTrue(rs.next());
            return rs.getLong("version");
        }
    }

    @Test
    void getObjectClassesMatchTheColumnClassNames() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select true, cast(1 as tinyint), cast(2 as smallint), 3, cast(4 as bigint), "
                     + "cast(1.5 as float), cast(2.5 as double), cast(3.25 as decimal(10, 2)), 'text', "
                     + "cast(x'01' as binary), date '2024-01-02', timestamp '2024-01-02 03:04:05', "
                     + "cast(timestamp '2024-01-02 03:04:05' as timestamp_ntz)")) {
            ResultSetMetaData md = rs.getMetaData();
            assertTrue(rs.next());
            for (int i = 1; i <= md.getColumnCount(); i++) {
                Object v = rs.getObject(i);
                Class<?> declared = Class.forName(md.getColumnClassName(i));
                assertTrue(declared.isInstance(v), "column " + i + " (" + md.getColumnTypeName(i) + ") declares "
                        + declared.getName() + " but getObject returned " + v.getClass().getName());
            }
        }
    }
}
