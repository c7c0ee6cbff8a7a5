package dev.tarn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Bad input becomes an SQLException with Tarn's SQLState, code and message; tables stay as they were. */
class ErrorsTest {
    @TempDir
    Path lake;

    private Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:tarn:" + lake + ";create=true");
    }

    private static SQLException expect(ErrorCode code, String messagePart, Executable action) {
        SQLException e = assertThrows(SQLException.class, action);
        assertEquals(code.sqlState(), e.getSQLState(), e.toString());
        assertEquals(code.code(), e.getErrorCode(), e.toString());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        TarnException cause = assertInstanceOf(TarnException.class, e.getCause());
        assertEquals(code, cause.errorCode());
        return e;
    }

    private static List<String> rows(Statement s, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getInt(1) + ":" + rs.getString(2));
            }
        }
        return out;
    }

    @Test
    void badStatementsLeaveTheTableUnchanged() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.executeUpdate("create table t (id int not null, name string)");
            s.executeUpdate("insert into t values (1, 'one'), (2, 'two')");
            List<String> before = rows(s, "select id, name from t order by id");

            expect(ErrorCode.SYNTAX_ERROR, "", () -> s.executeUpdate("insert into t valuez (3, 'x')"));
            expect(ErrorCode.TABLE_NOT_FOUND, "nope", () -> s.executeQuery("select * from nope"));
            expect(ErrorCode.COLUMN_NOT_FOUND, "missing", () -> s.executeQuery("select missing from t"));
            SQLException mismatch = assertThrows(SQLException.class,
                    () -> s.executeUpdate("insert into t values ('abc', 'x')"));
            assertTrue(mismatch.getCause() instanceof TarnException, mismatch.toString());
            ErrorCode mismatchCode = ((TarnException) mismatch.getCause()).errorCode();
            assertEquals(mismatchCode.sqlState(), mismatch.getSQLState());
            assertTrue(mismatch.getMessage().contains("abc"), mismatch.getMessage());
            expect(ErrorCode.NOT_NULL_VIOLATION, "id",
                    () -> s.executeUpdate("insert into t values (4, 'ok'), (null, 'x')"));

            assertEquals(before, rows(s, "select id, name from t order by id"));
        }
    }

    @Test
    void preparedStatementErrorsCarryTheSqlState() throws Exception {
        try (Connection c = connect()) {
            expect(ErrorCode.TABLE_NOT_FOUND, "ghost", () -> c.prepareStatement("select * from ghost"));
            try (Statement s = c.createStatement()) {
                s.executeUpdate("create table p (id int not null)");
            }
            try (PreparedStatement p = c.prepareStatement("insert into p values (?)")) {
                p.setNull(1, java.sql.Types.INTEGER);
                expect(ErrorCode.NOT_NULL_VIOLATION, "id", p::executeUpdate);
                p.setLong(1, 1L << 40);
                expect(ErrorCode.NUMERIC_OVERFLOW, "Parameter 1", p::executeUpdate);
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from p")) {
                assertTrue(rs.next());
                assertEquals(0, rs.getLong(1));
            }
        }
    }

    @Test
    void missingLakeDirectoryIsAnError() {
        Path missing = lake.resolve("does-not-exist");
        expect(ErrorCode.LAKE_NOT_FOUND, missing.toString(),
                () -> DriverManager.getConnection("jdbc:tarn:" + missing).close());
        assertFalse(Files.exists(missing), "nothing was created");
    }

    @Test
    void invalidPropertiesAreErrors() {
        expect(ErrorCode.INVALID_VALUE, "threads",
                () -> DriverManager.getConnection("jdbc:tarn:" + lake + ";threads=zero").close());
        expect(ErrorCode.INVALID_VALUE, "time_zone",
                () -> DriverManager.getConnection("jdbc:tarn:" + lake + ";time_zone=Mars/Base").close());
        expect(ErrorCode.INVALID_VALUE, "no lake", () -> DriverManager.getConnection("jdbc:tarn:").close());
    }

    @Test
    void unknownSchemaIsAnError() throws Exception {
        expect(ErrorCode.SCHEMA_NOT_FOUND, "nowhere",
                () -> DriverManager.getConnection("jdbc:tarn:" + lake + ";create=true;schema=nowhere").close());
        try (Connection c = connect()) {
            expect(ErrorCode.SCHEMA_NOT_FOUND, "elsewhere", () -> c.setSchema("elsewhere"));
            expect(ErrorCode.TRANSACTION_NOT_SUPPORTED, "auto-commit", () -> c.setAutoCommit(false));
        }
    }
}
