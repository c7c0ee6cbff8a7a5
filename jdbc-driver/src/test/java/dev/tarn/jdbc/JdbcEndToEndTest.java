package dev.tarn.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Create, insert, select and prepared statements through {@link DriverManager}. */
class JdbcEndToEndTest {
    @TempDir
    Path lake;

    private Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:tarn:" + lake + ";create=true");
    }

    @Test
    void driverIsRegisteredForTarnUrls() throws Exception {
        assertTrue(DriverManager.getDriver("jdbc:tarn:/x") instanceof TarnDriver);
    }

    @Test
    void createInsertSelect() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertEquals(0, s.executeUpdate("create table people (id int, name string)"));
            assertEquals(3, s.executeUpdate("insert into people values (1, 'ann'), (2, 'bob'), (3, null)"));
            assertFalse(s.execute("insert into people values (4, 'dee')"));
            assertEquals(1, s.getUpdateCount());
            try (ResultSet rs = s.executeQuery("select id, name from people order by id")) {
                ResultSetMetaData md = rs.getMetaData();
                assertEquals(2, md.getColumnCount());
                assertEquals("id", md.getColumnLabel(1));
                assertEquals(Types.INTEGER, md.getColumnType(1));
                assertEquals(Types.VARCHAR, md.getColumnType(2));
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(rs.getInt(1) + ":" + rs.getString("name"));
                }
                assertEquals(List.of("1:ann", "2:bob", "3:null", "4:dee"), rows);
            }
            assertTrue(s.execute("select count(*) from people"));
            try (ResultSet rs = s.getResultSet()) {
                assertTrue(rs.next());
                assertEquals(4L, rs.getLong(1));
            }
        }
    }

    @Test
    void preparedStatementsWithParameters() throws Exception {
        try (Connection c = connect()) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("create table items (id bigint, label string, price decimal(10,2))");
            }
            try (PreparedStatement insert = c.prepareStatement("insert into items values (?, ?, ?)")) {
                ParameterMetaData pm = insert.getParameterMetaData();
                assertEquals(3, pm.getParameterCount());
                assertEquals(Types.BIGINT, pm.getParameterType(1));
                assertEquals(Types.VARCHAR, pm.getParameterType(2));
                assertEquals(Types.DECIMAL, pm.getParameterType(3));
                assertEquals(10, pm.getPrecision(3));
                assertEquals(2, pm.getScale(3));
                for (int i = 1; i <= 5; i++) {
                    insert.setLong(1, i);
                    insert.setString(2, "item-" + i);
                    insert.setBigDecimal(3, new java.math.BigDecimal(i + ".50"));
                    assertEquals(1, insert.executeUpdate());
                }
                insert.setLong(1, 6);
                insert.setNull(2, Types.VARCHAR);
                insert.setNull(3, Types.DECIMAL);
                assertEquals(1, insert.executeUpdate());
            }
            try (PreparedStatement q = c.prepareStatement("select label, price from items where id >= ? order by id")) {
                q.setLong(1, 4);
                try (ResultSet rs = q.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals("item-4", rs.getString(1));
                    assertEquals(new java.math.BigDecimal("4.50"), rs.getBigDecimal(2));
                    assertTrue(rs.next());
                    assertEquals("item-5", rs.getString(1));
                    assertTrue(rs.next());
                    assertNull(rs.getString(1));
                    assertTrue(rs.wasNull());
                    assertFalse(rs.next());
                }
                // The same statement again, with another value.
                q.setLong(1, 6);
                try (ResultSet rs = q.executeQuery()) {
                    assertTrue(rs.next());
                    assertNull(rs.getBigDecimal(2));
                    assertFalse(rs.next());
                }
            }
        }
    }

    @Test
    void smallFetchSizeAndMaxRowsStreamAcrossFrames() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.executeUpdate("create table n (v int)");
            StringBuilder values = new StringBuilder();
            for (int i = 0; i < 2500; i++) {
                values.append(i == 0 ? "" : ",").append('(').append(i).append(')');
            }
            assertEquals(2500, s.executeUpdate("insert into n values " + values));
            s.setFetchSize(7);
            long sum = 0;
            int count = 0;
            try (ResultSet rs = s.executeQuery("select v from n")) {
                while (rs.next()) {
                    sum += rs.getInt(1);
                    count++;
                }
            }
            assertEquals(2500, count);
            assertEquals(2499L * 2500 / 2, sum);

            s.setMaxRows(10);
            count = 0;
            try (ResultSet rs = s.executeQuery("select v from n")) {
                while (rs.next()) {
                    count++;
                }
            }
            assertEquals(10, count);
        }
    }

    @Test
    void connectionSettingsReachTheSession() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertTrue(c.getAutoCommit());
            assertEquals("default", c.getSchema());
            s.executeUpdate("create schema other");
            s.executeUpdate("create table other.t (a int)");
            c.setSchema("other");
            assertEquals("other", c.getSchema());
            assertEquals(1, s.executeUpdate("insert into t values (7)"));
            c.setReadOnly(true);
            assertTrue(c.isReadOnly());
            java.sql.SQLException e = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> s.executeUpdate("insert into t values (8)"));
            assertEquals("25006", e.getSQLState());
            c.setReadOnly(false);
            c.commit();
            c.rollback();
            try (ResultSet rs = s.executeQuery("select a from t")) {
                assertTrue(rs.next());
                assertEquals(7, rs.getInt(1));
                assertFalse(rs.next());
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:tarn:" + lake + ";schema=other");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from t")) {
            assertEquals("other", c.getSchema());
            assertTrue(rs.next());
            assertEquals(1L, rs.getLong(1));
        }
    }

    @Test
    void batchesRunEveryParameterSet() throws Exception {
        try (Connection c = connect()) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("create table b (a int)");
            }
            try (PreparedStatement p = c.prepareStatement("insert into b values (?)")) {
                for (int i = 0; i < 3; i++) {
                    p.setInt(1, i);
                    p.addBatch();
                }
                assertArrayEquals(new int[] {1, 1, 1}, p.executeBatch());
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select sum(a) from b")) {
                assertTrue(rs.next());
                assertEquals(3, rs.getLong(1));
            }
        }
    }

    @Test
    void resultSetsInterleaveAndCloseEarly() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.executeUpdate("create table a (x int)");
            s.executeUpdate("insert into a values (1), (2), (3)");
            try (Statement outer = c.createStatement(); Statement inner = c.createStatement()) {
                outer.setFetchSize(1);
                inner.setFetchSize(1);
                int pairs = 0;
                try (ResultSet o = outer.executeQuery("select x from a")) {
                    while (o.next()) {
                        try (ResultSet i = inner.executeQuery("select x from a where x >= " + o.getInt(1))) {
                            while (i.next()) {
                                pairs++;
                            }
                        }
                    }
                }
                assertEquals(6, pairs);
                ResultSet early = outer.executeQuery("select x from a");
                assertTrue(early.next());
                early.close();
                try (ResultSet again = outer.executeQuery("select count(*) from a")) {
                    assertTrue(again.next());
                    assertEquals(3L, again.getLong(1));
                }
            }
        }
    }
}
