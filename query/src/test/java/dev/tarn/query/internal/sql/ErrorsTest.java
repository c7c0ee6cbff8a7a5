package dev.tarn.query.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import org.junit.jupiter.api.Test;

class ErrorsTest extends EngineFixture {

    @Test
    void syntaxErrorsCarryPositionAndToken() {
        TarnException e = error(ErrorCode.SYNTAX_ERROR, "SELECT id FROM FROM people");
        assertTrue(e.getMessage().contains("line 1, column 16"), e.getMessage());
        assertTrue(e.getMessage().contains("FROM"), e.getMessage());
        assertNotNull(e.getCause());
        e = error(ErrorCode.SYNTAX_ERROR, "SELECT id\nFROM people\nWHERE id = = 1");
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        error(ErrorCode.SYNTAX_ERROR, "SELECT 'unterminated FROM people");
    }

    @Test
    void unknownNames() {
        TarnException e = error(ErrorCode.TABLE_NOT_FOUND, "SELECT * FROM nope");
        assertTrue(e.getMessage().startsWith("Table 'nope' not found"), e.getMessage());
        error(ErrorCode.TABLE_NOT_FOUND, "SELECT * FROM sales.nope");
        error(ErrorCode.TABLE_NOT_FOUND, "SELECT * FROM delta.`/no/such/path`");
        e = error(ErrorCode.SCHEMA_NOT_FOUND, "SELECT * FROM nowhere.people");
        assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
        e = error(ErrorCode.COLUMN_NOT_FOUND, "SELECT nope FROM people");
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        error(ErrorCode.COLUMN_NOT_FOUND, "SELECT p.nope FROM people p");
        error(ErrorCode.FUNCTION_NOT_FOUND, "SELECT no_such_function(id) FROM people");
    }

    @Test
    void typeErrors() {
        error(ErrorCode.TYPE_MISMATCH, "SELECT id + TRUE FROM people");
        error(ErrorCode.TYPE_MISMATCH, "SELECT * FROM people WHERE born = TRUE");
    }

    @Test
    void otherValidationErrors() {
        TarnException e = error(ErrorCode.VALIDATION_ERROR, "SELECT name, COUNT(*) FROM people");
        assertEquals(ErrorCode.VALIDATION_ERROR, e.errorCode());
    }

    @Test
    void unsupportedStatements() {
        error(ErrorCode.UNSUPPORTED_STATEMENT, "DELETE FROM people WHERE id = 1");
    }
}
