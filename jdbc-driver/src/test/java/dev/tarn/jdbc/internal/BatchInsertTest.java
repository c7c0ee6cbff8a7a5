package dev.tarn.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class BatchInsertTest {
    @Test
    void repeatsTheValuesRow() {
        assertEquals("insert into t values (?, ?), (?, ?), (?, ?)",
                BatchInsert.multiRow("insert into t values (?, ?)", 3));
        assertEquals("INSERT INTO s.t (a, b) VALUES (?, cast(? as int)), (?, cast(? as int))",
                BatchInsert.multiRow("INSERT INTO s.t (a, b) VALUES (?, cast(? as int));", 2));
        assertEquals("insert into t values ('a '')', ?), ('a '')', ?)",
                BatchInsert.multiRow("insert into t values ('a '')', ?)", 2));
        assertEquals("insert into `values` values (?), (?)", BatchInsert.multiRow("insert into `values` values (?)", 2));
    }

    @Test
    void leavesOtherStatementsAlone() {
        assertNull(BatchInsert.multiRow("insert into t select ? from u", 2));
        assertNull(BatchInsert.multiRow("insert into t values (?), (?)", 2));
        assertNull(BatchInsert.multiRow("insert into t values (?) -- note", 2));
        assertNull(BatchInsert.multiRow("update t set a = ?", 2));
        assertNull(BatchInsert.multiRow("insert into t values (?", 2));
    }
}
