package dev.tarn.query.internal.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.internal.Lakes;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code SET memory_limit} caps each query: a hash aggregation, join build or sort that outgrows it fails with
 * MEMORY_LIMIT_EXCEEDED naming the operator and the limit, on one thread and on several, releases all its memory
 * (closing the database checks for leaks), and the session goes on working.
 */
class MemoryLimitTest extends ParallelTableTest {
    @ParameterizedTest(name = "{0} threads={2}")
    @CsvSource(delimiter = ';', value = {
        "HashAggregate;SELECT id, count(*) FROM t GROUP BY id;1",
        // With four workers, one of their scans may be the allocation refused.
        "HashAggregate|Scan of default.t;SELECT id, count(*) FROM t GROUP BY id;4",
        // String and composite keys use the normalized-key tables, which count their key bytes too.
        "HashAggregate;SELECT name, id, count(*) FROM t GROUP BY name, id;1",
        "HashJoin build;SELECT count(*) FROM t a JOIN t b ON a.id = b.id;1",
        "HashJoin build;SELECT count(*) FROM t a JOIN t b ON a.name = b.name AND a.id = b.id;1",
        // Four workers read the build side through a gather and probe in parallel: any of them may be refused.
        "HashJoin|Gather|Scan of default.t;SELECT count(*) FROM t a JOIN t b ON a.id = b.id;4",
        "Sort;SELECT id, name FROM t ORDER BY name, id;1",
        // Four workers each hold a scan batch besides their sort run: either may be the one refused.
        "Sort|Scan of default.t;SELECT id, name FROM t ORDER BY name, id;4",
    })
    void queryOverTheLimitFailsClearlyAndTheSessionGoesOn(String operator, String sql, int threads) {
        session.execute("SET threads = " + threads).close();
        session.execute("SET memory_limit = '2MB'").close();
        TarnException e = assertThrows(TarnException.class, () -> Lakes.rows(session.execute(sql)));
        assertEquals(ErrorCode.MEMORY_LIMIT_EXCEEDED, e.errorCode());
        assertTrue(java.util.Arrays.stream(operator.split("\\|")).anyMatch(e.getMessage()::contains), e.getMessage());
        assertTrue(e.getMessage().contains("2 MB"), e.getMessage());

        session.execute("SET tarn.memory.limit = none").close();
        List<String> rows = Lakes.rows(session.execute("SELECT count(*) FROM (" + sql + ") q"));
        assertEquals(1, rows.size());
    }
}
