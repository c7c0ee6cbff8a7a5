package dev.tarn.query.internal;

import static dev.tarn.query.internal.Lakes.actions;
import static dev.tarn.query.internal.Lakes.commit;
import static dev.tarn.query.internal.Lakes.rows;
import static dev.tarn.query.internal.Lakes.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.Session;
import dev.tarn.testdata.CountingFileIO;
import dev.tarn.testdata.SharedTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code CREATE TABLE ... CLUSTER BY (cols)} and its CTAS form write version 0 as delta-spark does: protocol (1, 7)
 * with the {@code domainMetadata} and {@code clustering} writer features, the {@code delta.clustering} domain with
 * physical column paths, and {@code clusterBy} in the commit's operation parameters.
 */
class CreateClusteredTableTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Database db;
    Session session;
    Path lake;

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

    private void run(String sql) {
        session.execute(sql).close();
    }

    private static JsonNode only(Path table, long version, String action) {
        List<JsonNode> found = actions(table, version, action);
        assertEquals(1, found.size(), action + " in " + commit(table, version));
        return found.get(0);
    }

    @Test
    void createTableClusterByWritesWhatDeltaSparkWrites() throws IOException {
        // delta-spark 3.2 did not turn deletion vectors on for new tables; Tarn does unless told not to.
        run("CREATE TABLE events (data STRING, year INT, month INT) USING delta CLUSTER BY (year, month)"
                + " TBLPROPERTIES ('delta.enableDeletionVectors' = 'false')");
        Path table = lake.resolve("default/events");

        // The same log delta-spark 3.2 wrote for this statement (shared test data clustering-log-only, version 0).
        Path spark = SharedTestData.deltaTable("clustering-log-only").resolve("_delta_log/00000000000000000000.json");
        List<JsonNode> expected = new ArrayList<>();
        for (String line : Files.readAllLines(spark)) {
            expected.add(JSON.readTree(line));
        }
        JsonNode sparkInfo = expected.get(0).get("commitInfo");
        JsonNode info = only(table, 0, "commitInfo");
        assertEquals(sparkInfo.get("operation"), info.get("operation"));
        assertEquals(sparkInfo.get("operationParameters").get("clusterBy"), info.get("operationParameters").get("clusterBy"));
        assertEquals(sparkInfo.get("operationParameters").get("partitionBy"),
                info.get("operationParameters").get("partitionBy"));
        JsonNode protocol = only(table, 0, "protocol");
        assertEquals(1, protocol.get("minReaderVersion").asInt());
        assertEquals(7, protocol.get("minWriterVersion").asInt());
        List<String> features = new ArrayList<>();
        protocol.get("writerFeatures").forEach(f -> features.add(f.asText()));
        assertTrue(features.containsAll(List.of("domainMetadata", "clustering")), features.toString());
        assertFalse(protocol.has("readerFeatures") && protocol.get("readerFeatures").size() > 0, protocol.toString());
        assertEquals(expected.get(3).get("domainMetadata"), only(table, 0, "domainMetadata"));

        run("INSERT INTO events VALUES ('a', 2024, 5), ('b', 2023, 1)");
        List<String> row = rows(session.execute("OPTIMIZE events"));
        assertTrue(row.get(0).startsWith("[\"default.events\",2,"), row.toString());
        for (JsonNode add : actions(table, 2, "add")) {
            assertEquals("liquid", add.get("clusteringProvider").asText(), add.toString());
        }
        assertEquals(List.of("[\"a\",2024,5]", "[\"b\",2023,1]"),
                sorted(rows(session.execute("SELECT * FROM events"))));
    }

    @Test
    void columnMappingPutsPhysicalNamesInTheDomainAndNestedFieldsArePaths() {
        run("CREATE TABLE m (id BIGINT, s STRUCT<x: INT, y: STRING>) CLUSTER BY (s.x, id)"
                + " TBLPROPERTIES ('delta.columnMapping.mode' = 'name')");
        Path table = lake.resolve("default/m");
        JsonNode schema = Lakes.json(only(table, 0, "metaData").get("schemaString").asText());
        String idPhysical = null;
        String sPhysical = null;
        String xPhysical = null;
        for (JsonNode f : schema.get("fields")) {
            String physical = f.get("metadata").get("delta.columnMapping.physicalName").asText();
            if (f.get("name").asText().equals("id")) {
                idPhysical = physical;
            } else {
                sPhysical = physical;
                for (JsonNode nested : f.get("type").get("fields")) {
                    if (nested.get("name").asText().equals("x")) {
                        xPhysical = nested.get("metadata").get("delta.columnMapping.physicalName").asText();
                    }
                }
            }
        }
        JsonNode config = Lakes.json(only(table, 0, "domainMetadata").get("configuration").asText());
        assertEquals("[[\"" + sPhysical + "\",\"" + xPhysical + "\"],[\"" + idPhysical + "\"]]",
                config.get("clusteringColumns").toString());
        assertEquals("[\"s.x\",\"id\"]", only(table, 0, "commitInfo").get("operationParameters").get("clusterBy")
                .asText());
    }

    @Test
    void createTableAsSelectClusterByCommitsDataAndClusteringInVersionZero() {
        run("CREATE TABLE src (a INT, b STRING)");
        run("INSERT INTO src VALUES (3, 'x'), (1, 'y'), (2, 'z')");
        run("CREATE TABLE c CLUSTER BY (a) AS SELECT * FROM src");
        Path table = lake.resolve("default/c");

        assertEquals("CREATE TABLE AS SELECT", only(table, 0, "commitInfo").get("operation").asText());
        assertTrue(only(table, 0, "domainMetadata").get("configuration").asText().contains("[[\"a\"]]"));
        assertFalse(actions(table, 0, "add").isEmpty());
        assertEquals(List.of("[1,\"y\"]", "[2,\"z\"]", "[3,\"x\"]"), sorted(rows(session.execute("SELECT * FROM c"))));
        rows(session.execute("OPTIMIZE c"));
        for (JsonNode add : actions(table, 1, "add")) {
            assertEquals("liquid", add.get("clusteringProvider").asText());
        }
    }

    @Test
    void badClusterByIsRefusedAndLeavesNoTable() {
        TarnException both = assertThrows(TarnException.class,
                () -> run("CREATE TABLE p (a INT, b STRING) PARTITIONED BY (b) CLUSTER BY (a)"));
        assertEquals(ErrorCode.VALIDATION_ERROR, both.errorCode(), both.getMessage());
        TarnException unknown = assertThrows(TarnException.class,
                () -> run("CREATE TABLE u (a INT) CLUSTER BY (nope)"));
        assertEquals(ErrorCode.COLUMN_NOT_FOUND, unknown.errorCode(), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("default.u"), unknown.getMessage());
        TarnException twice = assertThrows(TarnException.class,
                () -> run("CREATE TABLE w (a INT) CLUSTER BY (a) CLUSTER BY (a)"));
        assertTrue(twice.getMessage().contains("CLUSTER BY is given twice"), twice.getMessage());
        TarnException tooMany = assertThrows(TarnException.class,
                () -> run("CREATE TABLE x (a INT, b INT, c INT, d INT, e INT) CLUSTER BY (a, b, c, d, e)"));
        assertEquals(ErrorCode.VALIDATION_ERROR, tooMany.errorCode());
        for (String name : List.of("p", "u", "w", "x")) {
            assertFalse(Files.exists(lake.resolve("default/" + name + "/_delta_log")), name);
        }
        assertEquals(List.of(), session.catalog().tableNames("default"));
    }

    @Test
    void clusteringMakesAPointQueryOpenAFractionOfTheFiles() {
        CountingFileIO io = new CountingFileIO(new dev.tarn.storage.fs.LocalFileIO());
        try (Database counted = Database.open(DatabaseConfig.of(dir.resolve("counted")).withFileIO(io));
             Session s = counted.newSession()) {
            s.execute("CREATE TABLE c (k BIGINT, v STRING) CLUSTER BY (k)"
                    + " TBLPROPERTIES ('delta.targetFileSize' = '8192')").close();
            // Eight appends, each spanning the whole key range: every file overlaps every point query.
            for (int b = 0; b < 8; b++) {
                try (dev.tarn.query.TableAppender a = s.appender("default", "c")) {
                    for (long k = b; k < 100_000; k += 8) {
                        a.appendRow(k, "value " + k);
                    }
                }
            }
            String point = "SELECT v FROM c WHERE k = 4321";
            io.reset();
            assertEquals(List.of("[\"value 4321\"]"), rows(s.execute(point)));
            long before = io.dataFilesOpened();
            assertEquals(8, before, "unclustered: every file may hold the key");

            s.execute("OPTIMIZE c").close();
            int files = counted.tableLog("default", "c").latestSnapshot().activeFiles().size();
            io.reset();
            assertEquals(List.of("[\"value 4321\"]"), rows(s.execute(point)));
            long after = io.dataFilesOpened();

            assertTrue(files >= 8, "clustering wrote files of the target size: " + files);
            assertTrue(after * 4 <= files, "a point query opens a small fraction: " + after + " of " + files);
            assertEquals("[100000,100000]", rows(s.execute("SELECT count(*), count(DISTINCT k) FROM c")).get(0));
        }
    }
}
