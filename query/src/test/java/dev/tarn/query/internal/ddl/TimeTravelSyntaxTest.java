package dev.tarn.query.internal.ddl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.query.internal.catalog.TimeTravel;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pre-parse rewrite of time-travel clauses and the table-name suffix it produces. */
class TimeTravelSyntaxTest {
    private static String rewrite(String sql) {
        return TimeTravelSyntax.rewrite(sql, ZoneOffset.UTC);
    }

    @Test
    void clausesBecomeSuffixes() {
        assertEquals("SELECT * FROM `t@v3` AS `t`", rewrite("SELECT * FROM t VERSION AS OF 3"));
        assertEquals("SELECT * FROM `t@v3` AS `t`;", rewrite("SELECT * FROM t VERSION AS OF 3;"));
        assertEquals("SELECT * FROM s.`t@v3` x", rewrite("SELECT * FROM s.t version as of 3 x"));
        assertEquals("SELECT * FROM delta.`/a/b@v0` AS `/a/b` WHERE 1 = 1",
                rewrite("SELECT * FROM delta.`/a/b` VERSION AS OF 0 WHERE 1 = 1"));
        assertEquals("SELECT * FROM `t@20240101000000000` AS `t`",
                rewrite("SELECT * FROM t TIMESTAMP AS OF '2024-01-01 00:00:00'"));
        assertEquals("SELECT * FROM a JOIN `b@v1` AS `b` ON a.x = b.x, `c@v2` AS z",
                rewrite("SELECT * FROM a JOIN b FOR SYSTEM_VERSION AS OF 1 ON a.x = b.x, c VERSION AS OF 2 AS z"));
        assertEquals("SELECT * FROM `we``ird@v1` `w`", rewrite("SELECT * FROM `we``ird` VERSION AS OF 1 `w`"));
    }

    @Test
    void otherTextIsLeftAlone() {
        String sql = "SELECT 'FROM t VERSION AS OF 3' /* FROM t VERSION AS OF 3 */ FROM t";
        assertSame(sql, rewrite(sql));
        String noClause = "SELECT version FROM t";
        assertSame(noClause, rewrite(noClause));
        String unterminated = "SELECT 'AS OF";
        assertSame(unterminated, rewrite(unterminated));
    }

    @Test
    void zoneLessTimestampsUseTheSessionZone() {
        ZoneId la = ZoneId.of("America/Los_Angeles");
        assertEquals(Instant.parse("2024-01-01T08:00:00Z"), TimeTravelSyntax.parseInstant("2024-01-01 00:00:00", la));
        assertEquals(Instant.parse("2024-01-01T08:00:00Z"), TimeTravelSyntax.parseInstant("2024-01-01", la));
        assertEquals(Instant.parse("2024-01-01T00:00:00.123456Z"),
                TimeTravelSyntax.parseInstant("2024-01-01T00:00:00.123456Z", la));
        assertEquals(Instant.parse("2023-12-31T22:00:00Z"),
                TimeTravelSyntax.parseInstant("2024-01-01 00:00:00+02:00", la));
    }

    @Test
    void suffixesSplit() {
        assertEquals(Optional.of(new TimeTravel.Split("t", new TimeTravel.Version(3))), TimeTravel.split("t@v3"));
        assertEquals(Optional.of(new TimeTravel.Split("/a/t", new TimeTravel.Version(12))), TimeTravel.split("/a/t@V12"));
        Optional<TimeTravel.Split> ts = TimeTravel.split("t@20240102030405006");
        assertTrue(ts.isPresent());
        assertEquals(Instant.parse("2024-01-02T03:04:05.006Z").toEpochMilli(),
                ((TimeTravel.Timestamp) ts.get().timeTravel()).epochMillis());
        assertEquals("@20240102030405006", ts.get().timeTravel().suffix());
        assertEquals(Optional.empty(), TimeTravel.split("t@x"));
        assertEquals(Optional.empty(), TimeTravel.split("@v3"));
        assertEquals(Optional.empty(), TimeTravel.split("t@20241399000000000"));
        assertEquals(Optional.empty(), TimeTravel.split("t"));
    }
}
