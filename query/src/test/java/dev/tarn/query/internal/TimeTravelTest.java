package dev.tarn.query.internal;

import static dev.tarn.query.internal.Lakes.rows;
import static dev.tarn.query.internal.Lakes.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.QueryResult;
import dev.tarn.query.Session;
import dev.tarn.testdata.SharedTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** {@code VERSION AS OF}, {@code TIMESTAMP AS OF} and Delta's {@code t@v3} suffix, end to end through SQL. */
class TimeTravelTest {
    @TempDir
    Path dir;
    Path lake;
    Database db;
    Session session;

    @BeforeEach
    void open() {
        lake = dir.resolve("lake");
        db = Database.open(DatabaseConfig.of(lake));
        session = db.newSession();
        ok("CREATE TABLE t (id INT, name STRING)");                   // version 0
        session.execute("INSERT INTO t VALUES (1, 'a')").close();     // version 1
        session.execute("INSERT INTO t VALUES (2, 'b')").close();     // version 2
        session.execute("INSERT INTO t VALUES (3, 'c')").close();     // version 3
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void ok(String sql) {
        assertEquals(QueryResult.Kind.OK, session.execute(sql).kind(), sql);
    }

    private List<String> query(String sql) {
        return sorted(rows(session.execute(sql)));
    }

    private static TarnException assertError(ErrorCode code, Executable e) {
        TarnException ex = assertThrows(TarnException.class, e);
        assertEquals(code, ex.errorCode(), ex.getMessage());
        return ex;
    }

    @Test
    void versionAsOfReadsThatVersion() {
        assertEquals(List.of(), query("SELECT * FROM t VERSION AS OF 0"));
        assertEquals(List.of("[1,\"a\"]"), query("SELECT * FROM t VERSION AS OF 1"));
        assertEquals(List.of("[1,\"a\"]", "[2,\"b\"]"), query("select id, name from default.t version as of 2"));
        assertEquals(List.of("[1,\"a\"]", "[2,\"b\"]", "[3,\"c\"]"), query("SELECT * FROM t"));
        assertEquals(List.of("[1,\"a\"]"), query("SELECT * FROM t FOR SYSTEM_VERSION AS OF '1'"));
        assertEquals(List.of("[1]"), query("SELECT t.id FROM t VERSION AS OF 1 WHERE t.id > 0"));
    }

    @Test
    void oneStatementMayReadSeveralVersions() {
        assertEquals(List.of("[3]"), query("SELECT n.id FROM t VERSION AS OF 3 n LEFT JOIN t VERSION AS OF 2 p "
                + "ON n.id = p.id WHERE p.id IS NULL"));
        assertEquals(List.of("[1]", "[2]"), query("SELECT id FROM t VERSION AS OF 2 AS earlier WHERE id IN "
                + "(SELECT id FROM t)"));
    }

    @Test
    void deltaSuffixSyntax() {
        assertEquals(List.of("[1,\"a\"]"), query("SELECT * FROM `t@v1`"));
        assertEquals(List.of("[1,\"a\"]", "[2,\"b\"]"), query("SELECT * FROM `default`.`t@v2`"));
        Path table = lake.resolve("default").resolve("t");
        assertEquals(List.of("[1,\"a\"]"), query("SELECT * FROM delta.`" + table + "` VERSION AS OF 1"));
        assertEquals(List.of("[1,\"a\"]", "[2,\"b\"]"), query("SELECT * FROM delta.`" + table + "@v2`"));
    }

    @Test
    void timestampAsOfUsesCommitTimes() throws IOException {
        // Commit times are the commit files' modification times here (no in-commit timestamps).
        Path log = lake.resolve("default").resolve("t").resolve("_delta_log");
        for (int v = 0; v <= 3; v++) {
            Files.setLastModifiedTime(log.resolve(String.format("%020d.json", v)),
                    FileTime.from(Instant.parse("2024-01-0" + (v + 1) + "T00:00:00Z")));
        }
        assertEquals(List.of("[1,\"a\"]"), query("SELECT * FROM t TIMESTAMP AS OF '2024-01-02 12:00:00'"));
        assertEquals(List.of("[1,\"a\"]"), query("SELECT * FROM t TIMESTAMP AS OF '2024-01-02'"));
        assertEquals(List.of("[1,\"a\"]", "[2,\"b\"]"),
                query("SELECT * FROM t TIMESTAMP AS OF TIMESTAMP '2024-01-03 00:00:00'"));
        assertEquals(List.of("[1,\"a\"]", "[2,\"b\"]"), query("SELECT * FROM `t@20240103000000000`"));
        assertEquals(List.of("[1,\"a\"]"), query("SELECT * FROM t FOR SYSTEM_TIME AS OF '2024-01-02T23:59:59Z'"));
        TarnException e = assertError(ErrorCode.VERSION_NOT_FOUND,
                () -> session.execute("SELECT * FROM t TIMESTAMP AS OF '2023-12-31 00:00:00'"));
        assertTrue(e.getMessage().contains("default.t"), e.getMessage());
    }

    @Test
    void timestampLiteralsAreInTheSessionTimeZone() throws IOException {
        Path log = lake.resolve("default").resolve("t").resolve("_delta_log");
        for (int v = 0; v <= 3; v++) {
            Files.setLastModifiedTime(log.resolve(String.format("%020d.json", v)),
                    FileTime.from(Instant.parse("2024-01-0" + (v + 1) + "T00:00:00Z")));
        }
        // 2024-01-02 17:00 in Los Angeles is 2024-01-03T01:00Z: version 2; in UTC it would be version 1.
        assertEquals(1, query("SELECT * FROM t TIMESTAMP AS OF '2024-01-02 17:00:00'").size());
        session.execute("SET TIME ZONE 'America/Los_Angeles'").close();
        assertEquals(2, query("SELECT * FROM t TIMESTAMP AS OF '2024-01-02 17:00:00'").size());
        session.execute("SET spark.sql.session.timeZone = UTC").close();
        assertEquals(1, query("SELECT * FROM t TIMESTAMP AS OF '2024-01-02 17:00:00'").size());
        session.execute("SET TIME ZONE America/Los_Angeles;").close();
        assertEquals(2, query("SELECT * FROM t TIMESTAMP AS OF '2024-01-02 17:00:00'").size());
        session.execute("SET TIME ZONE LOCAL").close();
        assertError(ErrorCode.INVALID_VALUE, () -> session.execute("SET TIME ZONE 'Mars/Olympus'"));
        assertError(ErrorCode.SYNTAX_ERROR, () -> session.execute("SET TIME ZONE 5"));
    }

    @Test
    void missingVersionNamesTableAndRange() {
        TarnException e = assertError(ErrorCode.VERSION_NOT_FOUND,
                () -> session.execute("SELECT * FROM t VERSION AS OF 7"));
        assertTrue(e.getMessage().contains("default.t") && e.getMessage().contains("0 to 3"), e.getMessage());
    }

    @Test
    void badClausesAreSyntaxErrors() {
        assertError(ErrorCode.SYNTAX_ERROR, () -> session.execute("SELECT * FROM t VERSION AS OF 1.5"));
        assertError(ErrorCode.SYNTAX_ERROR, () -> session.execute("SELECT * FROM t TIMESTAMP AS OF 5"));
        assertError(ErrorCode.VALIDATION_ERROR, () -> session.execute("SELECT * FROM t TIMESTAMP AS OF 'yesterday'"));
    }

    @Test
    void pastVersionsAreReadOnly() {
        assertError(ErrorCode.VALIDATION_ERROR, () -> session.execute("INSERT INTO `t@v1` VALUES (9, 'z')"));
        assertEquals(3, query("SELECT * FROM t").size());
    }

    @Test
    void createTableAsSelectFromPastVersion() {
        ok("CREATE TABLE snap AS SELECT * FROM t VERSION AS OF 2");
        assertEquals(List.of("[1,\"a\"]", "[2,\"b\"]"), query("SELECT * FROM snap"));
    }

    @Test
    void aWordVersionElsewhereIsLeftAlone() {
        ok("CREATE TABLE v (version BIGINT, note STRING)");
        session.execute("INSERT INTO v VALUES (1, 'x')").close();
        assertEquals(List.of("[1,\"t VERSION AS OF 3\"]"), query("SELECT version, 't VERSION AS OF 3' FROM v"));
    }

    @Test
    void oldVersionHasOldSchema() {
        Path table = SharedTestData.deltaTable("schema-evolution-add-column");
        try (QueryResult r = session.execute("SELECT * FROM delta.`" + table + "` VERSION AS OF 0")) {
            assertEquals(1, r.columns().size());
        }
        try (QueryResult r = session.execute("SELECT * FROM delta.`" + table + "`")) {
            assertEquals(2, r.columns().size());
        }
    }
}
