package dev.tarn.query.internal.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.QueryResult;
import dev.tarn.query.StatementTimeout;
import dev.tarn.query.internal.Lakes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code SET statement_timeout}: a statement running past the session's limit is cancelled with QUERY_CANCELLED
 * naming the limit, the session goes on, and turning the timeout off lets statements run as long as they need.
 */
class StatementTimeoutTest extends ParallelTableTest {
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aStatementPastTheTimeoutIsCancelledAndTheSessionGoesOn() {
        session.execute("SET statement_timeout = '300ms'").close();
        try {
            TarnException e = assertThrows(TarnException.class, () -> {
                try (QueryResult r = session.execute(ParallelTables.LONG_QUERY)) {
                    while (r.nextBatch() != null) {
                        // drain
                    }
                }
            });
            assertEquals(ErrorCode.QUERY_CANCELLED, e.errorCode(), e.getMessage());
            assertTrue(e.getMessage().contains("statement_timeout of 300 ms expired"), e.getMessage());
            // Statements that finish in time are not affected.
            assertEquals(1, Lakes.rows(session.execute("SELECT count(*) FROM t")).size());
        } finally {
            session.execute("SET statement_timeout = 0").close();
        }
    }

    @Test
    void settingsParseLikePostgres() {
        assertEquals(Duration.ofMillis(1500), StatementTimeout.parse("1500"));
        assertEquals(Duration.ofSeconds(30), StatementTimeout.parse("30s"));
        assertEquals(Duration.ofMinutes(2), StatementTimeout.parse("2 min"));
        assertEquals(Duration.ofHours(1), StatementTimeout.parse("1h"));
        assertEquals(Duration.ZERO, StatementTimeout.parse("0"));
        assertEquals(Duration.ZERO, StatementTimeout.parse("none"));
        TarnException bad = assertThrows(TarnException.class, () -> StatementTimeout.parse("soon"));
        assertEquals(ErrorCode.INVALID_VALUE, bad.errorCode());
        TarnException badSql = assertThrows(TarnException.class,
                () -> session.execute("SET statement_timeout = '5 fortnights'"));
        assertTrue(badSql.getMessage().contains("5 fortnights"), badSql.getMessage());
        // Unquoted forms are accepted too.
        session.execute("SET tarn.statement_timeout = 30s").close();
        session.execute("SET statement_timeout 0").close();
    }
}
