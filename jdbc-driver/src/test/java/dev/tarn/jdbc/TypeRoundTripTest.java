package dev.tarn.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.Calendar;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every scalar type written through SQL literals and through parameters and read back through JDBC, with NULLs,
 * extreme values and Unicode. (The tests run with -Duser.timezone=UTC and the driver's default time_zone=UTC.)
 */
class TypeRoundTripTest {
    @TempDir
    Path lake;

    private static final String COLUMNS = "id int, b boolean, t tinyint, s smallint, i int, l bigint, f float, "
            + "d double, dec decimal(20,4), str string, dt date, ts timestamp, ntz timestamp_ntz, bin binary";

    private Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:tarn:" + lake + ";create=true");
    }

    @Test
    void scalarTypesThroughLiterals() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.executeUpdate("create table v (" + COLUMNS + ")");
            s.executeUpdate("insert into v values (1, true, -128, 32767, -2147483648, 9223372036854775807, 1.5, "
                    + "0.1, -1234567890123456.7890, 'plain', DATE '0001-01-01', "
                    + "TIMESTAMP '2024-01-01 12:34:56.123456', TIMESTAMP '1969-12-31 23:59:59.999999', X'00FF')");
            s.executeUpdate("insert into v (id) values (2)");
            try (ResultSet rs = s.executeQuery("select * from v order by id")) {
                ResultSetMetaData md = rs.getMetaData();
                int[] types = {Types.INTEGER, Types.BOOLEAN, Types.TINYINT, Types.SMALLINT, Types.INTEGER,
                    Types.BIGINT, Types.REAL, Types.DOUBLE, Types.DECIMAL, Types.VARCHAR, Types.DATE, Types.TIMESTAMP,
                    Types.TIMESTAMP, Types.VARBINARY};
                String[] names = {"INT", "BOOLEAN", "TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE",
                    "DECIMAL(20,4)", "STRING", "DATE", "TIMESTAMP", "TIMESTAMP_NTZ", "BINARY"};
                for (int col = 1; col <= types.length; col++) {
                    assertEquals(types[col - 1], md.getColumnType(col), md.getColumnLabel(col));
                    assertEquals(names[col - 1], md.getColumnTypeName(col), md.getColumnLabel(col));
                }
                assertEquals(20, md.getPrecision(9));
                assertEquals(4, md.getScale(9));
                assertEquals("java.math.BigDecimal", md.getColumnClassName(9));
                assertEquals("java.sql.Timestamp", md.getColumnClassName(12));

                assertTrue(rs.next());
                assertEquals(Boolean.TRUE, rs.getObject("b"));
                assertEquals((byte) -128, rs.getObject("t"));
                assertEquals((short) 32767, rs.getObject("s"));
                assertEquals(Integer.MIN_VALUE, rs.getObject("i"));
                assertEquals(Long.MAX_VALUE, rs.getObject("l"));
                assertEquals(1.5f, rs.getObject("f"));
                assertEquals(0.1, rs.getObject("d"));
                assertEquals(new BigDecimal("-1234567890123456.7890"), rs.getObject("dec"));
                assertEquals("plain", rs.getObject("str"));
                assertEquals(Date.valueOf("0001-01-01"), rs.getObject("dt"));
                assertEquals("0001-01-01", rs.getString("dt"));
                Timestamp ts = rs.getTimestamp("ts");
                assertEquals(Timestamp.valueOf("2024-01-01 12:34:56.123456"), ts);
                assertEquals(123_456_000, ts.getNanos(), "microseconds survive");
                assertEquals("2024-01-01 12:34:56.123456", rs.getString("ts"));
                assertEquals(Timestamp.valueOf("1969-12-31 23:59:59.999999"), rs.getObject("ntz"));
                assertArrayEquals(new byte[] {0, (byte) 0xFF}, rs.getBytes("bin"));
                Calendar tokyo = Calendar.getInstance(TimeZone.getTimeZone("Asia/Tokyo"));
                assertEquals(Timestamp.valueOf("2024-01-01 03:34:56.123456"), rs.getTimestamp("ts", tokyo));

                assertTrue(rs.next());
                for (int col = 2; col <= types.length; col++) {
                    assertNull(rs.getObject(col), md.getColumnLabel(col));
                    assertTrue(rs.wasNull());
                }
                assertEquals(0, rs.getInt("i"));
                assertTrue(rs.wasNull());
                assertFalse(rs.next());
            }
        }
    }

    @Test
    void scalarTypesThroughParameters() throws Exception {
        String unicode = "héllo ✓ 😀 汉字 \"quoted\" 'single'";
        try (Connection c = connect()) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("create table p (" + COLUMNS + ")");
            }
            try (PreparedStatement p = c.prepareStatement(
                    "insert into p values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                p.setInt(1, 1);
                p.setBoolean(2, false);
                p.setByte(3, Byte.MAX_VALUE);
                p.setShort(4, Short.MIN_VALUE);
                p.setInt(5, Integer.MAX_VALUE);
                p.setLong(6, Long.MIN_VALUE);
                p.setFloat(7, Float.MAX_VALUE);
                p.setDouble(8, Double.MAX_VALUE);
                p.setBigDecimal(9, new BigDecimal("9999999999999999.9999"));
                p.setString(10, unicode);
                p.setDate(11, Date.valueOf("9999-12-31"));
                p.setString(12, "2024-02-29 23:59:59.654321");
                p.setTimestamp(13, Timestamp.valueOf("2000-01-01 00:00:00.5"));
                p.setBytes(14, new byte[] {1, 2, 3});
                assertEquals(1, p.executeUpdate());
                p.setInt(1, 2);
                for (int col = 2; col <= 14; col++) {
                    p.setNull(col, Types.NULL);
                }
                assertEquals(1, p.executeUpdate());
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select * from p order by id")) {
                assertTrue(rs.next());
                assertFalse(rs.getBoolean("b"));
                assertFalse(rs.wasNull());
                assertEquals(Byte.MAX_VALUE, rs.getByte("t"));
                assertEquals(Short.MIN_VALUE, rs.getShort("s"));
                assertEquals(Integer.MAX_VALUE, rs.getInt("i"));
                assertEquals(Long.MIN_VALUE, rs.getLong("l"));
                assertEquals(Float.MAX_VALUE, rs.getFloat("f"));
                assertEquals(Double.MAX_VALUE, rs.getDouble("d"));
                assertEquals(new BigDecimal("9999999999999999.9999"), rs.getBigDecimal("dec"));
                assertEquals(unicode, rs.getString("str"));
                assertEquals(Date.valueOf("9999-12-31"), rs.getDate("dt"));
                assertEquals(Timestamp.valueOf("2024-02-29 23:59:59.654321"), rs.getTimestamp("ts"));
                assertEquals(Timestamp.valueOf("2000-01-01 00:00:00.5"), rs.getTimestamp("ntz"));
                assertArrayEquals(new byte[] {1, 2, 3}, rs.getBytes("bin"));
                assertTrue(rs.next());
                for (int col = 2; col <= 14; col++) {
                    assertNull(rs.getObject(col));
                }
                assertFalse(rs.next());
            }
        }
    }

    @Test
    void floatingPointSpecialValuesThroughParameters() throws Exception {
        try (Connection c = connect()) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("create table fp (id int, f float, d double)");
            }
            double[] doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE};
            try (PreparedStatement p = c.prepareStatement("insert into fp values (?, ?, ?)")) {
                for (int i = 0; i < doubles.length; i++) {
                    p.setInt(1, i);
                    p.setFloat(2, (float) doubles[i]);
                    p.setDouble(3, doubles[i]);
                    p.executeUpdate();
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select f, d from fp order by id")) {
                for (double d : doubles) {
                    assertTrue(rs.next());
                    assertEquals(Double.doubleToLongBits(d), Double.doubleToLongBits(rs.getDouble(2)));
                    assertEquals(Float.floatToIntBits((float) d), Float.floatToIntBits(rs.getFloat(1)));
                }
            }
        }
    }
}
