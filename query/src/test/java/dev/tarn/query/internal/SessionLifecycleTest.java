package dev.tarn.query.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.PreparedQuery;
import dev.tarn.query.QueryResult;
import dev.tarn.query.Session;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void cancelFromAnotherThreadStopsTheRunningStatement() throws Exception {
        try (Database db = Database.open(DatabaseConfig.of(dir))) {
            Session s = db.newSession();
            QueryResult r = s.execute("SHOW SCHEMAS");
            Thread t = new Thread(s::cancel);
            t.start();
            t.join();
            TarnException e = assertThrows(TarnException.class, r::nextBatch);
            assertEquals(ErrorCode.QUERY_CANCELLED, e.errorCode());
            r.close();
            // The next statement is not affected.
            assertEquals(1, Lakes.rows(s.execute("SHOW SCHEMAS")).size());
        }
    }

    @Test
    void perQueryMemoryLimitIsEnforced() {
        try (Database db = Database.open(DatabaseConfig.of(dir).withQueryMemoryLimit(16))) {
            Session s = db.newSession();
            QueryResult r = s.execute("SHOW SCHEMAS");
            TarnException e = assertThrows(TarnException.class, r::nextBatch);
            assertEquals(ErrorCode.MEMORY_LIMIT_EXCEEDED, e.errorCode());
            assertTrue(e.getMessage().contains("16 bytes"), e.getMessage());
            r.close();
        }
    }

    @Test
    void closingTheDatabaseClosesOpenResults() {
        Database db = Database.open(DatabaseConfig.of(dir));
        Session s = db.newSession();
        QueryResult r = s.execute("SHOW SCHEMAS");
        assertNotNull(r.nextBatch());
        db.close(); // would fail on leaked Arrow memory if the open result kept its batch
        TarnException e = assertThrows(TarnException.class, () -> s.execute("SHOW SCHEMAS"));
        assertEquals(ErrorCode.VALIDATION_ERROR, e.errorCode());
    }

    @Test
    void preparedDdlRunsAndRejectsParameters() {
        try (Database db = Database.open(DatabaseConfig.of(dir))) {
            Session s = db.newSession();
            try (PreparedQuery p = s.prepare("CREATE SCHEMA IF NOT EXISTS x")) {
                assertEquals(List.of(), p.parameters());
                assertEquals(QueryResult.Kind.OK, p.execute(List.of()).kind());
                assertEquals(QueryResult.Kind.OK, p.execute(List.of()).kind());
                TarnException e = assertThrows(TarnException.class, () -> p.execute(List.of(1)));
                assertEquals(ErrorCode.VALIDATION_ERROR, e.errorCode());
            }
            assertEquals(List.of("[\"default\"]", "[\"x\"]"), Lakes.rows(s.execute("SHOW SCHEMAS")));
            s.setCurrentSchema("X");
            assertEquals("x", s.currentSchema());
            TarnException e = assertThrows(TarnException.class, () -> s.setCurrentSchema("nope"));
            assertEquals(ErrorCode.SCHEMA_NOT_FOUND, e.errorCode());
        }
    }

    @Test
    void scansThatExceedTheLimitFailCleanly() {
        try (Database db = Database.open(DatabaseConfig.of(dir))) {
            Session s = db.newSession();
            s.execute("CREATE TABLE t (id BIGINT, name STRING)").close();
            s.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')").close();
        }
        try (Database db = Database.open(DatabaseConfig.of(dir).withQueryMemoryLimit(64))) {
            Session s = db.newSession();
            TarnException e = assertThrows(TarnException.class, () -> Lakes.rows(s.execute("SELECT * FROM t")));
            assertEquals(ErrorCode.MEMORY_LIMIT_EXCEEDED, e.errorCode(), e.getMessage());
        }
    }
}
