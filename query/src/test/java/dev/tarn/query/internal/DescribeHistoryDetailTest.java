package dev.tarn.query.internal;

import static dev.tarn.query.internal.Lakes.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.QueryResult;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.Session;
import dev.tarn.testdata.ExpectedTable;
import dev.tarn.testdata.SharedTestData;
import dev.tarn.txlog.types.PrimitiveType;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code DESCRIBE HISTORY} and {@code DESCRIBE DETAIL} as typed result rows. */
class DescribeHistoryDetailTest {
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
    }

    @AfterEach
    void close() {
        db.close();
    }

    private List<JsonNode> json(String sql) {
        return rows(session.execute(sql)).stream().map(Lakes::json).toList();
    }

    private static List<String> names(QueryResult r) {
        return r.columns().stream().map(ResultColumn::name).toList();
    }

    @Test
    void historyListsCommitsNewestFirst() {
        session.execute("CREATE TABLE t (id INT, region STRING) PARTITIONED BY (region) COMMENT 'sales'").close();
        session.execute("INSERT INTO t VALUES (1, 'eu'), (2, 'us')").close();
        session.execute("INSERT INTO t VALUES (3, 'eu')").close();
        try (QueryResult r = session.execute("DESCRIBE HISTORY t")) {
            assertEquals(List.of("version", "timestamp", "operation", "operationParameters", "readVersion",
                    "isolationLevel", "isBlindAppend", "operationMetrics", "engineInfo"), names(r));
            assertEquals(PrimitiveType.TIMESTAMP, r.columns().get(1).type());
        }
        List<JsonNode> rows = json("DESCRIBE HISTORY t");
        assertEquals(List.of(2L, 1L, 0L), rows.stream().map(n -> n.get(0).asLong()).toList());
        assertEquals(List.of("WRITE", "WRITE", "CREATE TABLE"), rows.stream().map(n -> n.get(2).asText()).toList());
        // operationParameters is a map: [key, value] pairs
        assertTrue(rows.get(0).get(3).toString().contains("[\"mode\",\"Append\"]"), rows.get(0).toString());
        assertEquals(1, rows.get(0).get(4).asLong(), "readVersion of version 2");
        assertTrue(rows.get(0).get(7).toString().contains("[\"numOutputRows\",\"1\"]"), rows.get(0).toString());
        Instant newest = Instant.parse(rows.get(0).get(1).asText());
        Instant oldest = Instant.parse(rows.get(2).get(1).asText());
        assertTrue(!newest.isBefore(oldest));

        List<JsonNode> limited = json("DESCRIBE HISTORY default.t LIMIT 1");
        assertEquals(1, limited.size());
        assertEquals(2, limited.get(0).get(0).asLong());
    }

    @Test
    void historyUsesInCommitTimestamps() {
        Path table = SharedTestData.deltaTable("cdf-in-commit-timestamps");
        JsonNode expected = ExpectedTable.named("cdf-in-commit-timestamps").expectations().stream()
                .filter(e -> e.kind().equals("log")).findFirst().orElseThrow()
                .json().get("checks").get("in_commit_timestamps");
        List<JsonNode> rows = json("DESCRIBE HISTORY delta.`" + table + "`");
        assertEquals(4, rows.size());
        for (JsonNode row : rows) {
            long version = row.get(0).asLong();
            assertEquals(Instant.ofEpochMilli(expected.get(Long.toString(version)).asLong()),
                    Instant.parse(row.get(1).asText()), "version " + version);
        }
    }

    @Test
    void historyOfLogWithoutCommitInfo() {
        Path table = SharedTestData.deltaTable("delta-0.1.0-legacy");
        List<JsonNode> rows = json("DESCRIBE HISTORY delta.`" + table + "`");
        assertEquals(List.of(3L, 2L, 1L, 0L), rows.stream().map(n -> n.get(0).asLong()).toList());
    }

    @Test
    void detailDescribesCurrentVersion() {
        session.execute("CREATE TABLE t (id INT, region STRING) PARTITIONED BY (region) COMMENT 'sales' "
                + "TBLPROPERTIES ('delta.appendOnly' = 'true')").close();
        session.execute("INSERT INTO t VALUES (1, 'eu'), (2, 'us')").close();
        try (QueryResult r = session.execute("DESCRIBE DETAIL t")) {
            assertEquals(List.of("format", "id", "name", "description", "location", "createdAt", "lastModified",
                    "partitionColumns", "clusteringColumns", "numFiles", "sizeInBytes", "properties",
                    "minReaderVersion", "minWriterVersion", "tableFeatures"), names(r));
        }
        List<JsonNode> rows = json("DESCRIBE DETAIL t");
        assertEquals(1, rows.size());
        JsonNode row = rows.get(0);
        assertEquals("delta", row.get(0).asText());
        assertEquals("default.t", row.get(2).asText());
        assertEquals("sales", row.get(3).asText());
        assertEquals(lake.resolve("default").resolve("t").toString(), row.get(4).asText());
        assertEquals("[\"region\"]", row.get(7).toString());
        assertEquals("[]", row.get(8).toString());
        assertEquals(2, row.get(9).asLong());
        assertTrue(row.get(10).asLong() > 0);
        assertTrue(row.get(11).toString().contains("[\"delta.appendOnly\",\"true\"]"), row.toString());
        assertTrue(row.get(14).toString().contains("\"appendOnly\""), row.toString());
    }

    @Test
    void detailOfPathTableWithFeatures() {
        Path table = SharedTestData.deltaTable("row-tracking-liquid-preview");
        JsonNode row = json("DESCRIBE DETAIL delta.`" + table + "`").get(0);
        assertTrue(row.get(2).isNull(), "path tables have no name");
        assertEquals("6ca3020b-3cd9-4048-82e3-1417a0abb98f", row.get(1).asText());
        assertEquals(10, row.get(9).asLong());
        assertEquals(3, row.get(12).asInt());
        assertEquals(7, row.get(13).asInt());
        assertEquals("[\"deletionVectors\",\"domainMetadata\",\"liquid\",\"rowTracking\"]", row.get(14).toString());
    }

    @Test
    void missingTableAndTableNamedHistory() {
        TarnException e = assertThrows(TarnException.class, () -> session.execute("DESCRIBE HISTORY nope"));
        assertEquals(ErrorCode.TABLE_NOT_FOUND, e.errorCode());
        session.execute("CREATE TABLE history (a INT)").close();
        assertEquals(1, rows(session.execute("DESCRIBE history")).size());
        assertEquals(1, rows(session.execute("DESCRIBE HISTORY history")).size());
    }
}
