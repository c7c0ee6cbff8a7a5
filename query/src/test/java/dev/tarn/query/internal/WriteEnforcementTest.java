package dev.tarn.query.internal;

import static dev.tarn.query.internal.Lakes.actions;
import static dev.tarn.query.internal.Lakes.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.QueryResult;
import dev.tarn.txlog.types.DataTypeJson;
import dev.tarn.txlog.types.StructType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Constraints and generated columns hold for the rows UPDATE writes too (the write checks sit in the common data
 * file writer), and INSERT with extra columns evolves the schema only when the session asks for it.
 */
class WriteEnforcementTest extends LakeTest {
    private void run(String sql) {
        try (QueryResult r = session.execute(sql)) {
            assertTrue(r.kind() == QueryResult.Kind.OK || r.kind() == QueryResult.Kind.UPDATE_COUNT
                    || r.kind() == QueryResult.Kind.ROWS, sql);
        }
    }

    @ParameterizedTest(name = "deletion vectors {0}")
    @ValueSource(booleans = {true, false})
    void updateRowsPassTheConstraintsAndRecomputeGeneratedColumns(boolean deletionVectors) {
        run("CREATE TABLE t (id INT NOT NULL, price INT, qty INT, total INT GENERATED ALWAYS AS (price * qty)) "
                + "TBLPROPERTIES ('delta.enableDeletionVectors' = '" + deletionVectors + "')");
        run("INSERT INTO t (id, price, qty) VALUES (1, 2, 3), (2, 5, 5)");
        run("ALTER TABLE t ADD CONSTRAINT cheap CHECK (price < 10)");
        long v = latestVersion("t");
        TarnException e = assertError(ErrorCode.CHECK_VIOLATION,
                () -> session.execute("UPDATE t SET price = 20 WHERE id = 1"));
        assertTrue(e.getMessage().contains("cheap") && e.getMessage().contains("price < 10")
                && e.getMessage().contains("price = 20"), e.getMessage());
        assertError(ErrorCode.NOT_NULL_VIOLATION, () -> session.execute("UPDATE t SET id = NULL WHERE id = 2"));
        assertEquals(v, latestVersion("t"));
        run("UPDATE t SET qty = 4 WHERE id = 1");
        assertEquals(List.of("[1,2,4,8]", "[2,5,5,25]"), query("SELECT * FROM t ORDER BY id"));
    }

    @ParameterizedTest(name = "deletion vectors {0}")
    @ValueSource(booleans = {true, false})
    void mergeRowsPassTheConstraintsAndGetIdentityValues(boolean deletionVectors) {
        run("CREATE TABLE t (id BIGINT GENERATED ALWAYS AS IDENTITY, k INT, v INT, twice INT GENERATED ALWAYS AS (v * 2)) "
                + "TBLPROPERTIES ('delta.enableDeletionVectors' = '" + deletionVectors + "')");
        run("INSERT INTO t (k, v) VALUES (1, 10), (2, 20)");
        run("ALTER TABLE t ADD CONSTRAINT small CHECK (v < 100)");
        long v = latestVersion("t");
        TarnException e = assertError(ErrorCode.CHECK_VIOLATION, () -> session.execute(
                "MERGE INTO t USING (SELECT 1 AS k, 500 AS v) AS s ON t.k = s.k WHEN MATCHED THEN UPDATE SET v = s.v"));
        assertTrue(e.getMessage().contains("small"), e.getMessage());
        assertError(ErrorCode.CHECK_VIOLATION, () -> session.execute(
                "MERGE INTO t USING (SELECT 9 AS k, 900 AS v) AS s ON t.k = s.k WHEN NOT MATCHED THEN INSERT (k, v) VALUES (s.k, s.v)"));
        assertEquals(v, latestVersion("t"));
        run("MERGE INTO t USING (SELECT 2 AS k, 21 AS v UNION ALL SELECT 3, 30) AS s ON t.k = s.k "
                + "WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT (k, v) VALUES (s.k, s.v)");
        assertEquals(List.of("[1,1,10,20]", "[2,2,21,42]", "[3,3,30,60]"), query("SELECT * FROM t ORDER BY k"));
        StructType schema = DataTypeJson.parseSchema(actions(lake.resolve("default").resolve("t"), latestVersion("t"),
                "metaData").get(0).get("schemaString").asText());
        assertEquals(3L, ((Number) schema.field("id").orElseThrow().metadata().get("delta.identity.highWaterMark"))
                .longValue());
        run("INSERT INTO t (k, v) VALUES (4, 40)");
        assertEquals(List.of("[4]"), query("SELECT id FROM t WHERE k = 4"));
    }

    @Test
    void insertWithExtraColumnsIsAnErrorUnlessAutoMergeIsOn() {
        run("CREATE TABLE t (id INT, name STRING)");
        run("INSERT INTO t VALUES (1, 'a')");
        long v = latestVersion("t");
        assertThrows(TarnException.class, () -> session.execute("INSERT INTO t SELECT 2, 'b', 2.5 AS score"));
        assertEquals(v, latestVersion("t"));

        run("SET spark.databricks.delta.schema.autoMerge.enabled = true");
        run("INSERT INTO t SELECT 2 AS id, 'b' AS name, 2.5 AS score, DATE '2024-01-01' AS day_added");
        assertEquals(v + 1, latestVersion("t"));
        StructType schema = DataTypeJson.parseSchema(actions(lake.resolve("default").resolve("t"), v + 1, "metaData")
                .get(0).get("schemaString").asText());
        assertEquals(List.of("id", "name", "score", "day_added"), schema.fieldNames());
        assertEquals(1, actions(lake.resolve("default").resolve("t"), v + 1, "add").size());
        assertEquals(List.of("[1,\"a\",null,null]", "[2,\"b\",\"2.5\",\"2024-01-01\"]"), query("SELECT * FROM t ORDER BY id"));
        // Fewer or equal columns insert as usual.
        run("INSERT INTO t VALUES (3, 'c', 1.0, NULL)");
        assertEquals(v + 2, latestVersion("t"));
        assertError(ErrorCode.VALIDATION_ERROR, () -> session.execute("INSERT INTO t SELECT 4, 'd', 1.0, NULL, 'x' AS id"));

        run("SET tarn.schema.autoMerge = false");
        assertThrows(TarnException.class, () -> session.execute("INSERT INTO t SELECT 5, 'e', 1.0, NULL, 'x' AS other"));
        assertEquals(v + 2, latestVersion("t"));
    }

    @Test
    void autoMergeOnAColumnMappedTableGivesTheNewColumnsIdsAndPhysicalNames() {
        run("CREATE TABLE t (id INT) TBLPROPERTIES ('delta.columnMapping.mode' = 'name')");
        run("SET tarn.schema.autoMerge = true");
        run("INSERT INTO t SELECT 1 AS id, 'x' AS extra");
        var md = actions(lake.resolve("default").resolve("t"), 1, "metaData").get(0);
        StructType schema = DataTypeJson.parseSchema(md.get("schemaString").asText());
        assertEquals(2, schema.field("extra").orElseThrow().fieldId());
        assertTrue(schema.field("extra").orElseThrow().physicalName().startsWith("col-"));
        assertEquals("2", md.get("configuration").get("delta.columnMapping.maxColumnId").asText());
        assertEquals(List.of("[1,\"x\"]"), query("SELECT * FROM t"));
    }
}
