package dev.tarn.query.internal;

import static dev.tarn.query.internal.Lakes.actions;
import static dev.tarn.query.internal.Lakes.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.QueryResult;
import dev.tarn.query.Session;
import dev.tarn.txlog.types.DataTypeJson;
import dev.tarn.txlog.types.StructType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Constraints and generated columns hold for the rows UPDATE writes too (the write checks sit in the common data
 * file writer), and INSERT with extra columns evolves the schema only when the session asks for it.
 */
class WriteEnforcementTest {
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

    private void ok(String sql) {
        try (QueryResult r = session.execute(sql)) {
            assertTrue(r.kind() == QueryResult.Kind.OK || r.kind() == QueryResult.Kind.UPDATE_COUNT
                    || r.kind() == QueryResult.Kind.ROWS, sql);
        }
    }

    private List<String> query(String sql) {
        return rows(session.execute(sql));
    }

    private static TarnException assertError(ErrorCode code, Executable e) {
        TarnException ex = assertThrows(TarnException.class, e);
        assertEquals(code, ex.errorCode(), ex.getMessage());
        return ex;
    }

    private long latestVersion(String name) {
        try (Stream<Path> files = Files.list(lake.resolve("default").resolve(name).resolve("_delta_log"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .mapToLong(n -> Long.parseLong(n.substring(0, 20))).max().orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "deletion vectors {0}")
    @ValueSource(booleans = {true, false})
    void updateRowsPassTheConstraintsAndRecomputeGeneratedColumns(boolean deletionVectors) {
        ok("CREATE TABLE t (id INT NOT NULL, price INT, qty INT, total INT GENERATED ALWAYS AS (price * qty)) "
                + "TBLPROPERTIES ('delta.enableDeletionVectors' = '" + deletionVectors + "')");
        ok("INSERT INTO t (id, price, qty) VALUES (1, 2, 3), (2, 5, 5)");
        ok("ALTER TABLE t ADD CONSTRAINT cheap CHECK (price < 10)");
        long v = latestVersion("t");
        TarnException e = assertError(ErrorCode.CHECK_VIOLATION,
                () -> session.execute("UPDATE t SET price = 20 WHERE id = 1"));
        assertTrue(e.getMessage().contains("cheap") && e.getMessage().contains("price < 10")
                && e.getMessage().contains("price = 20"), e.getMessage());
        assertError(ErrorCode.NOT_NULL_VIOLATION, () -> session.execute("UPDATE t SET id = NULL WHERE id = 2"));
        assertEquals(v, latestVersion("t"));
        ok("UPDATE t SET qty = 4 WHERE id = 1");
        assertEquals(List.of("[1,2,4,8]", "[2,5,5,25]"), query("SELECT * FROM t ORDER BY id"));
    }

    @ParameterizedTest(name = "deletion vectors {0}")
    @ValueSource(booleans = {true, false})
    void mergeRowsPassTheConstraintsAndGetIdentityValues(boolean deletionVectors) {
        ok("CREATE TABLE t (id BIGINT GENERATED ALWAYS AS IDENTITY, k INT, v INT, twice INT GENERATED ALWAYS AS (v * 2)) "
                + "TBLPROPERTIES ('delta.enableDeletionVectors' = '" + deletionVectors + "')");
        ok("INSERT INTO t (k, v) VALUES (1, 10), (2, 20)");
        ok("ALTER TABLE t ADD CONSTRAINT small CHECK (v < 100)");
        long v = latestVersion("t");
        TarnException e = assertError(ErrorCode.CHECK_VIOLATION, () -> session.execute(
                "MERGE INTO t USING (SELECT 1 AS k, 500 AS v) AS s ON t.k = s.k WHEN MATCHED THEN UPDATE SET v = s.v"));
        assertTrue(e.getMessage().contains("small"), e.getMessage());
        assertError(ErrorCode.CHECK_VIOLATION, () -> session.execute(
                "MERGE INTO t USING (SELECT 9 AS k, 900 AS v) AS s ON t.k = s.k WHEN NOT MATCHED THEN INSERT (k, v) VALUES (s.k, s.v)"));
        assertEquals(v, latestVersion("t"));
        ok("MERGE INTO t USING (SELECT 2 AS k, 21 AS v UNION ALL SELECT 3, 30) AS s ON t.k = s.k "
                + "WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT (k, v) VALUES (s.k, s.v)");
        assertEquals(List.of("[1,1,10,20]", "[2,2,21,42]", "[3,3,30,60]"), query("SELECT * FROM t ORDER BY k"));
        StructType schema = DataTypeJson.parseSchema(actions(lake.resolve("default").resolve("t"), latestVersion("t"),
                "metaData").get(0).get("schemaString").asText());
        assertEquals(3L, ((Number) schema.field("id").orElseThrow().metadata().get("delta.identity.highWaterMark"))
                .longValue());
        ok("INSERT INTO t (k, v) VALUES (4, 40)");
        assertEquals(List.of("[4]"), query("SELECT id FROM t WHERE k = 4"));
    }

    @Test
    void insertWithExtraColumnsIsAnErrorUnlessAutoMergeIsOn() {
        ok("CREATE TABLE t (id INT, name STRING)");
        ok("INSERT INTO t VALUES (1, 'a')");
        long v = latestVersion("t");
        assertThrows(TarnException.class, () -> session.execute("INSERT INTO t SELECT 2, 'b', 2.5 AS score"));
        assertEquals(v, latestVersion("t"));

        ok("SET spark.databricks.delta.schema.autoMerge.enabled = true");
        ok("INSERT INTO t SELECT 2 AS id, 'b' AS name, 2.5 AS score, DATE '2024-01-01' AS day_added");
        assertEquals(v + 1, latestVersion("t"));
        StructType schema = DataTypeJson.parseSchema(actions(lake.resolve("default").resolve("t"), v + 1, "metaData")
                .get(0).get("schemaString").asText());
        assertEquals(List.of("id", "name", "score", "day_added"), schema.fieldNames());
        assertEquals(1, actions(lake.resolve("default").resolve("t"), v + 1, "add").size());
        assertEquals(List.of("[1,\"a\",null,null]", "[2,\"b\",\"2.5\",\"2024-01-01\"]"), query("SELECT * FROM t ORDER BY id"));
        // Fewer or equal columns insert as usual.
        ok("INSERT INTO t VALUES (3, 'c', 1.0, NULL)");
        assertEquals(v + 2, latestVersion("t"));
        assertError(ErrorCode.VALIDATION_ERROR, () -> session.execute("INSERT INTO t SELECT 4, 'd', 1.0, NULL, 'x' AS id"));

        ok("SET tarn.schema.autoMerge = false");
        assertThrows(TarnException.class, () -> session.execute("INSERT INTO t SELECT 5, 'e', 1.0, NULL, 'x' AS other"));
        assertEquals(v + 2, latestVersion("t"));
    }

    @Test
    void autoMergeOnAColumnMappedTableGivesTheNewColumnsIdsAndPhysicalNames() {
        ok("CREATE TABLE t (id INT) TBLPROPERTIES ('delta.columnMapping.mode' = 'name')");
        ok("SET tarn.schema.autoMerge = true");
        ok("INSERT INTO t SELECT 1 AS id, 'x' AS extra");
        var md = actions(lake.resolve("default").resolve("t"), 1, "metaData").get(0);
        StructType schema = DataTypeJson.parseSchema(md.get("schemaString").asText());
        assertEquals(2, schema.field("extra").orElseThrow().fieldId());
        assertTrue(schema.field("extra").orElseThrow().physicalName().startsWith("col-"));
        assertEquals("2", md.get("configuration").get("delta.columnMapping.maxColumnId").asText());
        assertEquals(List.of("[1,\"x\"]"), query("SELECT * FROM t"));
    }
}
