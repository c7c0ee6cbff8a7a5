package dev.tarn.query.internal.dml.merge;

import static dev.tarn.query.internal.Lakes.rows;
import static dev.tarn.query.internal.Lakes.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.QueryResult;
import dev.tarn.query.Session;
import dev.tarn.query.internal.Lakes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MERGE INTO through SQL, end to end, with deletion vectors on and off and row tracking on and off: the rows after
 * the statement, the files and log actions it committed, row ids, the change feed, and failures that change
 * nothing.
 */
class MergeTest {
    @TempDir
    Path dir;
    Path lake;
    Database db;
    Session session;

    /** The table features a parameterized test runs with. */
    record Features(boolean deletionVectors, boolean rowTracking) {
        String properties() {
            return " TBLPROPERTIES ('delta.enableDeletionVectors' = '" + deletionVectors
                    + "', 'delta.enableRowTracking' = '" + rowTracking + "', 'delta.enableChangeDataFeed' = 'true')";
        }

        @Override
        public String toString() {
            return (deletionVectors ? "DVs" : "no DVs") + ", " + (rowTracking ? "row tracking" : "no row tracking");
        }
    }

    static List<Features> features() {
        return List.of(new Features(true, true), new Features(true, false), new Features(false, true),
                new Features(false, false));
    }

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

    long update(String sql) {
        QueryResult r = session.execute(sql);
        assertEquals(QueryResult.Kind.UPDATE_COUNT, r.kind(), sql);
        return r.updateCount();
    }

    List<String> query(String sql) {
        return sorted(rows(session.execute(sql)));
    }

    Path table(String name) {
        return lake.resolve("default").resolve(name);
    }

    long version(String name) {
        return Lakes.commitCount(table(name)) - 1;
    }

    List<JsonNode> actions(String name, long version, String action) {
        return Lakes.actions(table(name), version, action);
    }

    List<String> files(String name, String prefix) {
        Path t = table(name);
        try (Stream<Path> s = Files.walk(t)) {
            return s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith(prefix))
                    .map(p -> t.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> allFiles(String name) {
        return files(name, "");
    }

    /** Target t: ids 1..3 in one file, 4..6 in another; source s. */
    void createTables(Features features) {
        session.execute("CREATE TABLE t (id INT NOT NULL, v STRING, n BIGINT)" + features.properties()).close();
        update("INSERT INTO t VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', 30)");
        update("INSERT INTO t VALUES (4, 'd', 40), (5, 'e', 50), (6, 'f', 60)");
        session.execute("CREATE TABLE s (id INT, v STRING, op STRING)").close();
        update("INSERT INTO s VALUES (1, 'A', 'u'), (2, 'B', 'd'), (4, 'D', 'u'), (7, 'G', 'i'), (8, 'H', 'skip')");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("features")
    void everyClauseKindTogether(Features features) {
        createTables(features);
        long before = version("t");
        assertEquals(6, update("MERGE INTO t USING s ON t.id = s.id "
                + "WHEN MATCHED AND s.op = 'd' THEN DELETE "
                + "WHEN MATCHED THEN UPDATE SET v = s.v, n = t.n + 1 "
                + "WHEN NOT MATCHED AND s.op = 'i' THEN INSERT (id, v) VALUES (s.id, s.v) "
                + "WHEN NOT MATCHED BY SOURCE AND t.id = 6 THEN DELETE "
                + "WHEN NOT MATCHED BY SOURCE AND t.id = 5 THEN UPDATE SET n = -1"));
        assertEquals(List.of("[1,\"A\",11]", "[3,\"c\",30]", "[4,\"D\",41]", "[5,\"e\",-1]", "[7,\"G\",null]"),
                query("SELECT * FROM t"));
        long v = version("t");
        assertEquals(before + 1, v, "one commit");
        JsonNode info = actions("t", v, "commitInfo").get(0);
        assertEquals("MERGE", info.get("operation").asText());
        JsonNode m = info.get("operationMetrics");
        assertEquals("1", m.get("numTargetRowsInserted").asText());
        assertEquals("3", m.get("numTargetRowsUpdated").asText());
        assertEquals("2", m.get("numTargetRowsMatchedUpdated").asText());
        assertEquals("1", m.get("numTargetRowsNotMatchedBySourceUpdated").asText());
        assertEquals("2", m.get("numTargetRowsDeleted").asText());
        assertEquals("1", m.get("numTargetRowsMatchedDeleted").asText());
        assertEquals("1", m.get("numTargetRowsNotMatchedBySourceDeleted").asText());
        JsonNode params = info.get("operationParameters");
        assertEquals("[\"t.id = s.id\"]", params.get("predicate").asText());
        assertEquals("[{\"predicate\":\"s.op = 'd'\",\"actionType\":\"delete\"},{\"actionType\":\"update\"}]",
                params.get("matchedPredicates").asText());
        assertEquals(2, actions("t", v, "remove").size(), "both data files lost rows");
        List<JsonNode> adds = actions("t", v, "add");
        if (features.deletionVectors()) {
            // File 1 keeps row 3 behind a DV; every row of file 2 changed, so it is removed outright.
            assertEquals(1, adds.stream().filter(a -> a.has("deletionVector")).count());
            assertEquals(1, files("t", "deletion_vector_").size(), "one DV file for the commit");
            for (JsonNode a : adds) {
                if (a.has("deletionVector")) {
                    assertTrue(a.get("stats").asText().contains("\"tightBounds\":false"), a.toString());
                }
            }
            assertEquals(0, info.get("operationMetrics").path("numCopiedRows").asLong());
        } else {
            assertTrue(adds.stream().noneMatch(a -> a.has("deletionVector")));
            assertTrue(files("t", "deletion_vector_").isEmpty());
            // Copy-on-write: the untouched rows 3 (file 1) were copied.
            assertEquals(1, info.get("operationMetrics").path("numCopiedRows").asLong());
        }
        // Change data feed: every change of the commit, read back through table_changes.
        assertEquals(List.of("[1,\"A\",11,\"update_postimage\"]", "[1,\"a\",10,\"update_preimage\"]",
                        "[2,\"b\",20,\"delete\"]", "[4,\"D\",41,\"update_postimage\"]", "[4,\"d\",40,\"update_preimage\"]",
                        "[5,\"e\",-1,\"update_postimage\"]", "[5,\"e\",50,\"update_preimage\"]", "[6,\"f\",60,\"delete\"]",
                        "[7,\"G\",null,\"insert\"]"),
                query("SELECT id, v, n, _change_type FROM table_changes('t', " + v + ", " + v + ")"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("features")
    void eachClauseKindAlone(Features features) {
        createTables(features);
        assertEquals(2, update("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED AND s.op = 'u' THEN UPDATE SET v = s.v"));
        assertEquals(List.of("[1,\"A\",10]", "[2,\"b\",20]", "[3,\"c\",30]", "[4,\"D\",40]", "[5,\"e\",50]",
                "[6,\"f\",60]"), query("SELECT * FROM t"));
        assertEquals(1, update("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED AND s.op = 'd' THEN DELETE"));
        assertEquals(List.of("[1]", "[3]", "[4]", "[5]", "[6]"), query("SELECT id FROM t"));
        assertEquals(3, update("MERGE INTO t USING s ON t.id = s.id WHEN NOT MATCHED THEN INSERT (id, v, n) "
                + "VALUES (s.id, s.v, 0)"));
        assertEquals(List.of("[1]", "[2]", "[3]", "[4]", "[5]", "[6]", "[7]", "[8]"), query("SELECT id FROM t"));
        assertEquals(3, update("MERGE INTO t USING s ON t.id = s.id WHEN NOT MATCHED BY SOURCE THEN DELETE"));
        assertEquals(List.of("[1]", "[2]", "[4]", "[7]", "[8]"), query("SELECT id FROM t"));
        long v = version("t");
        assertEquals(0, update("MERGE INTO t USING s ON t.id = s.id WHEN NOT MATCHED BY SOURCE THEN DELETE"));
        assertEquals(v, version("t"), "a MERGE that changes nothing commits nothing");
        // UPDATE SET * takes every target column by name from the source, here a subquery.
        assertEquals(5, update("MERGE INTO t USING (SELECT id, v, id * 100 AS n FROM s WHERE id < 5) s ON t.id = s.id "
                + "WHEN NOT MATCHED BY SOURCE THEN UPDATE SET v = 'gone' WHEN MATCHED THEN UPDATE SET *"));
        assertEquals(List.of("[1,\"A\",100]", "[2,\"B\",200]", "[4,\"D\",400]", "[7,\"gone\",0]",
                "[8,\"gone\",0]"), query("SELECT * FROM t"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("features")
    void rowIdsStayStableAcrossMergeUpdates(Features features) {
        createTables(features);
        if (!features.rowTracking()) {
            assertTrue(query("SELECT * FROM t").size() == 6);
            return;
        }
        Map<Long, Long> before = rowIds();
        update("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED AND s.op = 'u' THEN UPDATE SET n = 0 "
                + "WHEN NOT MATCHED AND s.op = 'i' THEN INSERT (id, v, n) VALUES (s.id, s.v, 7)");
        long v = version("t");
        Map<Long, Long> after = rowIds();
        for (long id = 1; id <= 6; id++) {
            assertEquals(before.get(id), after.get(id), "row " + id + " keeps its row id");
        }
        long max = before.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(after.get(7L) > max, "an inserted row gets a fresh id: " + after);
        assertEquals(List.of("[1," + v + "]", "[2,1]", "[3,1]", "[4," + v + "]", "[5,2]", "[6,2]", "[7," + v + "]"),
                query("SELECT id, _metadata.row_commit_version FROM t"));
        JsonNode domain = actions("t", v, "domainMetadata").get(0);
        assertEquals("delta.rowTracking", domain.get("domain").asText());
        assertTrue(domain.get("configuration").asText().contains("rowIdHighWaterMark"));
        // A second MERGE updating the same rows again keeps them once more.
        update("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET n = 1");
        Map<Long, Long> again = rowIds();
        for (long id = 1; id <= 7; id++) {
            assertEquals(after.get(id), again.get(id), "row " + id + " keeps its row id again");
        }
    }

    private Map<Long, Long> rowIds() {
        Map<Long, Long> ids = new HashMap<>();
        for (String row : query("SELECT id, _metadata.row_id FROM t")) {
            String[] parts = row.substring(1, row.length() - 1).split(",");
            ids.put(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        }
        assertEquals(ids.size(), ids.values().stream().distinct().count(), "row ids are unique: " + ids);
        return ids;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("features")
    void multipleMatchesFailAndChangeNothing(Features features) {
        createTables(features);
        update("INSERT INTO s VALUES (1, 'A2', 'u')");
        long v = version("t");
        List<String> files = allFiles("t");
        TarnException e = assertThrows(TarnException.class, () -> update("MERGE INTO t USING s ON t.id = s.id "
                + "WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT (id) VALUES (s.id)"));
        assertEquals(ErrorCode.MERGE_MULTIPLE_SOURCE_ROWS, e.errorCode());
        assertTrue(e.getMessage().contains("multiple source rows matched"), e.getMessage());
        assertEquals(v, version("t"));
        assertEquals(files, allFiles("t"), "no file left behind");
        // Only deleting the row is unambiguous.
        assertEquals(2, update("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED AND s.op <> 'u' OR s.id = 1 THEN DELETE"));
        assertEquals(List.of("[3]", "[4]", "[5]", "[6]"), query("SELECT id FROM t"));
        assertEquals(List.of("[1,\"a\",\"delete\"]", "[2,\"b\",\"delete\"]"),
                query("SELECT id, v, _change_type FROM table_changes('t', " + version("t") + ")"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("features")
    void failuresLeaveTheTableUnchanged(Features features) {
        createTables(features);
        long v = version("t");
        List<String> files = allFiles("t");
        TarnException e = assertThrows(TarnException.class, () -> update("MERGE INTO t USING s ON t.id = s.id "
                + "WHEN MATCHED THEN DELETE WHEN NOT MATCHED THEN INSERT (v) VALUES (s.v)"));
        assertEquals(ErrorCode.NOT_NULL_VIOLATION, e.errorCode());
        e = assertThrows(TarnException.class, () -> update("MERGE INTO t USING s ON t.id = s.id "
                + "WHEN MATCHED THEN UPDATE SET n = 1 / (t.id - t.id)"));
        assertEquals(ErrorCode.DIVISION_BY_ZERO, e.errorCode(), e.getMessage());
        assertEquals(v, version("t"));
        assertEquals(files, allFiles("t"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("features")
    void valuesSourceAndTypeCoercion(Features features) {
        createTables(features);
        assertEquals(3, update("MERGE INTO t AS target USING (VALUES (1, 'one', 1.9), (9, 'nine', 9.4), (10, 'ten', "
                + "CAST(NULL AS DOUBLE))) AS src(id, name, amount) ON target.id = src.id "
                + "WHEN MATCHED THEN UPDATE SET target.n = src.amount, v = src.name "
                + "WHEN NOT MATCHED THEN INSERT (id, v, n) VALUES (src.id, src.name, src.amount)"));
        // DOUBLE into BIGINT casts as Spark's store assignment does.
        assertEquals(List.of("[1,\"one\",1]", "[10,\"ten\",null]", "[2,\"b\",20]", "[3,\"c\",30]", "[4,\"d\",40]",
                "[5,\"e\",50]", "[6,\"f\",60]", "[9,\"nine\",9]"), query("SELECT * FROM t"));
    }

    @Test
    void schemaEvolutionAddsSourceColumns() {
        createTables(new Features(true, true));
        session.execute("CREATE TABLE s2 (id INT, v STRING, n BIGINT, score DOUBLE)").close();
        update("INSERT INTO s2 VALUES (1, 'A', 11, 0.5), (9, 'I', 90, 9.5)");
        TarnException e = assertThrows(TarnException.class, () -> update("MERGE INTO t USING s ON t.id = s.id "
                + "WHEN NOT MATCHED THEN INSERT *"));
        assertEquals(ErrorCode.COLUMN_NOT_FOUND, e.errorCode());
        // Without evolution, extra source columns are ignored.
        assertEquals(2, update("MERGE INTO t USING s2 ON t.id = s2.id WHEN MATCHED THEN UPDATE SET * "
                + "WHEN NOT MATCHED THEN INSERT *"));
        assertEquals(List.of("id", "v", "n"), columns("t"));
        assertEquals(2, update("MERGE WITH SCHEMA EVOLUTION INTO t USING s2 ON t.id = s2.id "
                + "WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *"));
        assertEquals(List.of("id", "v", "n", "score"), columns("t"));
        assertEquals(List.of("[1,\"A\",11,0.5]", "[2,\"b\",20,null]", "[3,\"c\",30,null]", "[4,\"d\",40,null]",
                "[5,\"e\",50,null]", "[6,\"f\",60,null]", "[9,\"I\",90,9.5]"), query("SELECT * FROM t"));
        long v = version("t");
        assertFalse(actions("t", v, "metaData").isEmpty(), "the new schema is committed with the rows");
        assertTrue(actions("t", v, "metaData").get(0).get("schemaString").asText().contains("\"score\""));
    }

    @Test
    void schemaEvolutionKeepsIdentityHighWaterMarks() {
        session.execute("CREATE TABLE g (k BIGINT GENERATED ALWAYS AS IDENTITY, v STRING)").close();
        update("INSERT INTO g (v) VALUES ('a')");
        session.execute("CREATE TABLE s3 (v STRING, score DOUBLE)").close();
        update("INSERT INTO s3 VALUES ('b', 1.5)");
        assertEquals(1, update("MERGE WITH SCHEMA EVOLUTION INTO g USING s3 ON g.v = s3.v WHEN NOT MATCHED THEN INSERT *"));
        assertEquals(List.of("k", "v", "score"), columns("g"));
        assertEquals(List.of("[1,\"a\",null]", "[2,\"b\",1.5]"), query("SELECT * FROM g"));
        update("INSERT INTO g (v) VALUES ('c')");
        assertEquals(List.of("[3,\"c\"]"), query("SELECT k, v FROM g WHERE v = 'c'"));
    }

    private List<String> columns(String table) {
        try (QueryResult r = session.execute("SELECT * FROM " + table)) {
            return r.columns().stream().map(c -> c.name()).toList();
        }
    }
}
