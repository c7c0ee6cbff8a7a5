package dev.tarn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DatabaseMetaData answered from the lake's catalog. */
class MetadataTest {
    @TempDir
    Path lake;

    private Connection connection;

    @BeforeEach
    void createTables() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:tarn:" + lake + ";create=true");
             Statement s = c.createStatement()) {
            s.executeUpdate("create schema sales");
            s.executeUpdate("create table sales.orders (id bigint not null, amount decimal(12,3), note string, "
                    + "placed date, at timestamp)");
            s.executeUpdate("create table sales.order_lines (order_id bigint, qty int)");
            s.executeUpdate("create table customers (id int, name string)");
        }
    }

    private static List<String> column(ResultSet rs, String name) throws Exception {
        List<String> out = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                out.add(rs.getString(name));
            }
        }
        return out;
    }

    @Test
    void schemasAndTables() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:tarn:" + lake)) {
            DatabaseMetaData md = c.getMetaData();
            assertEquals("Tarn", md.getDatabaseProductName());
            assertEquals("`", md.getIdentifierQuoteString());
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select " + md.getIdentifierQuoteString() + "name"
                         + md.getIdentifierQuoteString() + " from customers")) {
                assertFalse(rs.next(), "the quote string quotes identifiers in Tarn's SQL");
            }
            assertTrue(column(md.getSchemas(), "TABLE_SCHEM").containsAll(List.of("default", "sales")));
            assertEquals(List.of("sales"), column(md.getSchemas(null, "sal%"), "TABLE_SCHEM"));

            assertEquals(List.of("order_lines", "orders"),
                    column(md.getTables(null, "sales", null, null), "TABLE_NAME"));
            assertEquals(List.of("orders"), column(md.getTables(null, "sales", "order_", null), "TABLE_NAME"));
            assertEquals(List.of("order_lines"),
                    column(md.getTables(null, "sales", "order\\_l%", new String[] {"TABLE"}), "TABLE_NAME"));
            assertEquals(List.of(), column(md.getTables(null, "sales", "%", new String[] {"VIEW"}), "TABLE_NAME"));
            assertEquals(List.of("customers", "order_lines", "orders"),
                    column(md.getTables(null, null, "%", null), "TABLE_NAME"));
            try (ResultSet rs = md.getTables(null, "default", "customers", null)) {
                assertTrue(rs.next());
                assertNull(rs.getString("TABLE_CAT"));
                assertEquals("default", rs.getString("TABLE_SCHEM"));
                assertEquals("TABLE", rs.getString("TABLE_TYPE"));
                assertFalse(rs.next());
            }
            assertEquals(List.of("TABLE", "VIEW"), column(md.getTableTypes(), "TABLE_TYPE"));
            assertEquals(List.of(), column(md.getCatalogs(), "TABLE_CAT"));
        }
    }

    @Test
    void columnsCarryTypesSizesAndNullability() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:tarn:" + lake)) {
            DatabaseMetaData md = c.getMetaData();
            try (ResultSet rs = md.getColumns(null, "sales", "orders", null)) {
                assertTrue(rs.next());
                assertEquals("id", rs.getString("COLUMN_NAME"));
                assertEquals(Types.BIGINT, rs.getInt("DATA_TYPE"));
                assertEquals("BIGINT", rs.getString("TYPE_NAME"));
                assertEquals(19, rs.getInt("COLUMN_SIZE"));
                assertEquals(DatabaseMetaData.columnNoNulls, rs.getInt("NULLABLE"));
                assertEquals("NO", rs.getString("IS_NULLABLE"));
                assertEquals(1, rs.getInt("ORDINAL_POSITION"));

                assertTrue(rs.next());
                assertEquals("amount", rs.getString("COLUMN_NAME"));
                assertEquals(Types.DECIMAL, rs.getInt("DATA_TYPE"));
                assertEquals("DECIMAL(12,3)", rs.getString("TYPE_NAME"));
                assertEquals(12, rs.getInt("COLUMN_SIZE"));
                assertEquals(3, rs.getInt("DECIMAL_DIGITS"));
                assertEquals(DatabaseMetaData.columnNullable, rs.getInt("NULLABLE"));
                assertEquals("YES", rs.getString("IS_NULLABLE"));
                assertEquals(2, rs.getInt("ORDINAL_POSITION"));

                assertTrue(rs.next());
                assertEquals(Types.VARCHAR, rs.getInt("DATA_TYPE"));
                assertTrue(rs.next());
                assertEquals(Types.DATE, rs.getInt("DATA_TYPE"));
                assertTrue(rs.next());
                assertEquals(Types.TIMESTAMP, rs.getInt("DATA_TYPE"));
                assertEquals(6, rs.getInt("DECIMAL_DIGITS"));
                assertEquals(5, rs.getInt("ORDINAL_POSITION"));
                assertFalse(rs.next());
            }
            assertEquals(List.of("qty"), column(md.getColumns(null, "sales", "order_lines", "q%"), "COLUMN_NAME"));
            try (ResultSet rs = md.getColumns(null, "sales", "order_lines", "qty")) {
                assertTrue(rs.next());
                assertEquals(2, rs.getInt("ORDINAL_POSITION"), "ordinal counts every column, not just matches");
            }
            assertEquals(List.of("order_id", "qty", "id", "amount", "note", "placed", "at"),
                    column(md.getColumns(null, "sales", null, null), "COLUMN_NAME"));
        }
    }

    @Test
    void typeInfoListsStorableTypes() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:tarn:" + lake)) {
            List<String> names = column(c.getMetaData().getTypeInfo(), "TYPE_NAME");
            assertTrue(names.containsAll(List.of("BOOLEAN", "TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE",
                    "DECIMAL", "STRING", "BINARY", "DATE", "TIMESTAMP", "TIMESTAMP_NTZ")), names.toString());
        }
    }
}
