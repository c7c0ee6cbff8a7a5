package dev.tarn.query.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import java.util.List;
import org.junit.jupiter.api.Test;

class InsertTest extends EngineFixture {

    @Test
    void insertValuesInTableOrder() {
        assertEquals(2L, insert("INSERT INTO target VALUES (1, 'a', 1.5, DATE '2020-01-01'), (2, NULL, NULL, NULL)"));
        assertEquals(List.of(row(1L, "a", dec("1.50"), day("2020-01-01")), row(2L, null, null, null)), target.rowList());
        assertEquals(1, target.appends);
        assertTrue(plan("INSERT INTO target VALUES (1, 'a', 1.5, NULL)").writes());
        assertEquals(List.of(), plan("INSERT INTO target VALUES (1, 'a', 1.5, NULL)").columns());
    }

    @Test
    void columnListReordersAndFillsNulls() {
        assertEquals(1L, insert("INSERT INTO target (amount, id) VALUES (10, 7)"));
        assertEquals(List.of(row(7L, null, dec("10.00"), null)), target.rowList());
    }

    @Test
    void missingTrailingValuesAreNull() {
        // Spark 3.4+ fills columns missing at the end of a VALUES row with NULL (their default).
        insert("INSERT INTO target VALUES (1, 'a')");
        assertEquals(List.of(row(1L, "a", null, null)), target.rowList());
    }

    @Test
    void insertCastsToTargetTypes() {
        insert("INSERT INTO target (id, name, amount, created) VALUES (CAST(3 AS TINYINT), 'x', 2, '2021-05-06')");
        assertEquals(List.of(row(3L, "x", dec("2.00"), day("2021-05-06"))), target.rowList());
    }

    @Test
    void insertSelect() {
        assertEquals(3L, insert("INSERT INTO target SELECT id, name, salary, born FROM people WHERE dept = 'eng'"));
        assertEquals(3, target.rows.size());
        assertEquals(1L, insert("INSERT INTO target (id, name) SELECT CAST(order_id AS INT), 'order' FROM sales.orders "
                + "WHERE order_id = 100"));
        assertEquals(row(100L, "order", null, null), target.rowList().get(3));
    }

    @Test
    void insertWithParameters() {
        PlannedStatement s = plan("INSERT INTO target (id, name, amount) VALUES (?, ?, ?)");
        assertEquals(3, s.parameters().size());
        s.executeInsert(List.of(1, "p", new java.math.BigDecimal("3.25")), context());
        s.executeInsert(java.util.Arrays.asList(2L, null, 4), context());
        assertEquals(List.of(row(1L, "p", dec("3.25"), null), row(2L, null, dec("4.00"), null)), target.rowList());
    }

    @Test
    void notNullViolationNamesTheColumnAndWritesNothing() {
        TarnException e = error(ErrorCode.NOT_NULL_VIOLATION, "INSERT INTO target VALUES (1, 'a', 1, NULL), (NULL, 'b', 2, NULL)");
        assertTrue(e.getMessage().contains("id"), e.getMessage());
        e = error(ErrorCode.NOT_NULL_VIOLATION, "INSERT INTO target (name) VALUES ('no id')");
        assertTrue(e.getMessage().contains("id"), e.getMessage());
        error(ErrorCode.NOT_NULL_VIOLATION, "INSERT INTO target (id, name) SELECT age, name FROM people");
        assertEquals(0, target.rows.size());
    }

    @Test
    void validationErrors() {
        TarnException e = error(ErrorCode.COLUMN_NOT_FOUND, "INSERT INTO target (id, nope) VALUES (1, 2)");
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        error(ErrorCode.VALIDATION_ERROR, "INSERT INTO target (id, name) VALUES (1, 'a', 3)");
        e = error(ErrorCode.TYPE_MISMATCH, "INSERT INTO target (id, created) VALUES (1, TRUE)");
        assertTrue(e.getMessage().contains("created") || e.getMessage().contains("CREATED"), e.getMessage());
        error(ErrorCode.TABLE_NOT_FOUND, "INSERT INTO nowhere VALUES (1)");
        assertEquals(0, target.appends);
    }

    @Test
    void invalidValueFailsBeforeCommit() {
        error(ErrorCode.INVALID_CAST, "INSERT INTO target (id, created) VALUES (1, 'not a date')");
        error(ErrorCode.NUMERIC_OVERFLOW, "INSERT INTO target (id, amount) VALUES (1, 123456789012.5)");
        assertEquals(0, target.rows.size());
    }
}
