package dev.tarn.query.internal;

import static dev.tarn.query.internal.Lakes.actions;
import static dev.tarn.query.internal.Lakes.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.types.DataTypeJson;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ALTER TABLE schema and property changes: rows afterwards, the metaData/protocol committed, errors. */
class AlterTableTest extends LakeTest {
    private JsonNode metadata(String name) {
        return actions(table(name), latestVersion(name), "metaData").get(0);
    }

    private StructType schema(String name) {
        return DataTypeJson.parseSchema(metadata(name).get("schemaString").asText());
    }

    private JsonNode commitInfo(String name) {
        return actions(table(name), latestVersion(name), "commitInfo").get(0);
    }

    private List<JsonNode> protocols(String name) {
        return actions(table(name), latestVersion(name), "protocol");
    }

    @Test
    void addColumnsAppendsNullableColumnsThatOldRowsReadAsNull() {
        ok("CREATE TABLE t (id INT)");
        ok("INSERT INTO t VALUES (1)");
        ok("ALTER TABLE t ADD COLUMNS (name STRING COMMENT 'who', score DOUBLE)");
        assertEquals("ADD COLUMNS", commitInfo("t").get("operation").asText());
        StructType s = schema("t");
        assertEquals(List.of("id", "name", "score"), s.fieldNames());
        assertEquals("who", s.field("name").orElseThrow().comment());
        assertTrue(s.field("score").orElseThrow().nullable());
        ok("INSERT INTO t VALUES (2, 'b', 1.5)");
        assertEquals(List.of("[1,null,null]", "[2,\"b\",1.5]"), query("SELECT * FROM t ORDER BY id"));
        ok("ALTER TABLE t ADD COLUMN extra BIGINT");
        assertEquals(List.of("id", "name", "score", "extra"), schema("t").fieldNames());
        assertError(ErrorCode.VALIDATION_ERROR, () -> session.execute("ALTER TABLE t ADD COLUMN id BIGINT"));
        TarnException e = assertError(ErrorCode.VALIDATION_ERROR,
                () -> session.execute("ALTER TABLE t ADD COLUMNS (z INT NOT NULL)"));
        assertTrue(e.getMessage().contains("NOT NULL"), e.getMessage());
    }

    @Test
    void renameColumnUpgradesToColumnMappingWithCurrentNamesAsPhysicalNames() {
        ok("CREATE TABLE t (id INT, name STRING, dt DATE) PARTITIONED BY (dt)");
        ok("INSERT INTO t VALUES (1, 'a', DATE '2024-01-01'), (2, 'b', DATE '2024-01-02')");
        long before = latestVersion("t");
        ok("ALTER TABLE t RENAME COLUMN name TO label");
        assertEquals(before + 1, latestVersion("t"));
        JsonNode md = metadata("t");
        assertEquals("name", md.get("configuration").get("delta.columnMapping.mode").asText());
        assertEquals("3", md.get("configuration").get("delta.columnMapping.maxColumnId").asText());
        StructType s = schema("t");
        assertEquals(List.of("id", "label", "dt"), s.fieldNames());
        StructField label = s.field("label").orElseThrow();
        assertEquals("name", label.physicalName());
        assertEquals(2, label.fieldId());
        JsonNode protocol = protocols("t").get(0);
        assertTrue(protocol.get("minReaderVersion").asInt() >= 2, protocol.toString());
        assertTrue(protocol.get("minWriterVersion").asInt() >= 5, protocol.toString());
        assertEquals("RENAME COLUMN", commitInfo("t").get("operation").asText());
        assertEquals(List.of("[1,\"a\",\"2024-01-01\"]", "[2,\"b\",\"2024-01-02\"]"),
                query("SELECT id, label, dt FROM t ORDER BY id"));
        // Partition column renames keep its partition values readable.
        ok("ALTER TABLE t RENAME COLUMN dt TO d");
        assertEquals("[\"d\"]", metadata("t").get("partitionColumns").toString());
        ok("INSERT INTO t VALUES (3, 'c', DATE '2024-01-03')");
        assertEquals(List.of("[2,\"b\",\"2024-01-02\"]", "[3,\"c\",\"2024-01-03\"]"),
                query("SELECT id, label, d FROM t WHERE d >= DATE '2024-01-02' ORDER BY id"));
        assertError(ErrorCode.COLUMN_NOT_FOUND, () -> session.execute("ALTER TABLE t RENAME COLUMN nope TO x"));
        assertError(ErrorCode.VALIDATION_ERROR, () -> session.execute("ALTER TABLE t RENAME COLUMN id TO label"));
    }

    @Test
    void dropColumnsHidesThemAndKeepsTheData() {
        ok("CREATE TABLE t (id INT, a STRING, b STRING, c STRING)");
        ok("INSERT INTO t VALUES (1, 'a', 'b', 'c')");
        ok("ALTER TABLE t DROP COLUMN a");
        ok("ALTER TABLE t DROP COLUMNS (b, c)");
        assertEquals(List.of("id"), schema("t").fieldNames());
        assertEquals("DROP COLUMNS", commitInfo("t").get("operation").asText());
        assertEquals(List.of("[1]"), query("SELECT * FROM t"));
        ok("ALTER TABLE t ADD COLUMN a STRING");
        // The new column a is a different column (a new physical name): the old values do not come back.
        assertEquals(List.of("[1,null]"), query("SELECT * FROM t"));
        assertError(ErrorCode.COLUMN_NOT_FOUND, () -> session.execute("ALTER TABLE t DROP COLUMN nope"));
        ok("ALTER TABLE t DROP COLUMN IF EXISTS nope");
        assertError(ErrorCode.VALIDATION_ERROR, () -> session.execute("ALTER TABLE t DROP COLUMNS (id, a)"));
    }

    @Test
    void setAndDropNotNullChecksExistingRows() {
        ok("CREATE TABLE t (id INT, name STRING)");
        ok("INSERT INTO t VALUES (1, 'a'), (2, NULL)");
        TarnException e = assertError(ErrorCode.NOT_NULL_VIOLATION,
                () -> session.execute("ALTER TABLE t ALTER COLUMN name SET NOT NULL"));
        assertTrue(e.getMessage().contains("1 existing row"), e.getMessage());
        long v = latestVersion("t");
        ok("ALTER TABLE t ALTER COLUMN id SET NOT NULL");
        assertEquals(v + 1, latestVersion("t"));
        assertFalse(schema("t").field("id").orElseThrow().nullable());
        assertEquals("CHANGE COLUMN", commitInfo("t").get("operation").asText());
        assertError(ErrorCode.NOT_NULL_VIOLATION, () -> session.execute("INSERT INTO t VALUES (NULL, 'x')"));
        ok("ALTER TABLE t CHANGE COLUMN id DROP NOT NULL");
        ok("INSERT INTO t VALUES (NULL, 'x')");
        assertEquals(List.of("[1,\"a\"]", "[2,null]", "[null,\"x\"]"), Lakes.sorted(query("SELECT * FROM t")));
    }

    @Test
    void columnComment() {
        ok("CREATE TABLE t (id INT)");
        ok("ALTER TABLE t ALTER COLUMN id COMMENT 'the key'");
        assertEquals("the key", schema("t").field("id").orElseThrow().comment());
        assertEquals(List.of("[\"id\",\"INT\",\"the key\"]"), query("DESCRIBE t"));
    }

    @Test
    void typeWideningRecordsTypeChangesAndReadsOldFilesWidened() {
        ok("CREATE TABLE t (i INT, s SMALLINT, f FLOAT, d DATE, dec DECIMAL(5,2))");
        ok("INSERT INTO t VALUES (2147483647, CAST(7 AS SMALLINT), CAST(1.5 AS FLOAT), DATE '2024-02-29', 123.45)");
        ok("ALTER TABLE t ALTER COLUMN i TYPE BIGINT");
        StructField i = schema("t").field("i").orElseThrow();
        assertEquals("long", i.type().simpleString());
        assertEquals("[{fromType=integer, toType=long}]", String.valueOf(i.metadata().get("delta.typeChanges")));
        JsonNode protocol = protocols("t").get(0);
        assertTrue(protocol.toString().contains("typeWidening"), protocol.toString());
        assertEquals("true", metadata("t").get("configuration").get("delta.enableTypeWidening").asText());
        ok("ALTER TABLE t ALTER COLUMN s TYPE INT");
        ok("ALTER TABLE t ALTER COLUMN f TYPE DOUBLE");
        ok("ALTER TABLE t ALTER COLUMN d TYPE TIMESTAMP_NTZ");
        ok("ALTER TABLE t ALTER COLUMN dec TYPE DECIMAL(10,4)");
        ok("INSERT INTO t VALUES (4000000000, 70000, 2.25, CAST('2024-03-01 10:00:00' AS TIMESTAMP_NTZ), 123456.7891)");
        assertEquals(List.of("[2147483647,7,1.5,\"2024-02-29T00:00:00.000000\",\"123.4500\"]",
                        "[4000000000,70000,2.25,\"2024-03-01T10:00:00.000000\",\"123456.7891\"]"),
                query("SELECT * FROM t ORDER BY i"));
        assertEquals(List.of("[4000000000]"), query("SELECT i FROM t WHERE i > 2147483647"));
        TarnException e = assertError(ErrorCode.VALIDATION_ERROR,
                () -> session.execute("ALTER TABLE t ALTER COLUMN i TYPE INT"));
        assertTrue(e.getMessage().contains("BIGINT to INT"), e.getMessage());
        assertError(ErrorCode.VALIDATION_ERROR, () -> session.execute("ALTER TABLE t ALTER COLUMN dec TYPE DECIMAL(10,1)"));
    }

    @Test
    void setAndUnsetTableProperties() {
        ok("CREATE TABLE t (id INT) TBLPROPERTIES ('delta.enableDeletionVectors' = 'false')");
        ok("INSERT INTO t VALUES (1), (2)");
        ok("ALTER TABLE t SET TBLPROPERTIES ('delta.enableChangeDataFeed' = 'TRUE', 'owner' = 'me')");
        JsonNode conf = metadata("t").get("configuration");
        assertEquals("true", conf.get("delta.enableChangeDataFeed").asText());
        assertEquals("me", conf.get("owner").asText());
        assertEquals("SET TBLPROPERTIES", commitInfo("t").get("operation").asText());
        JsonNode protocol = protocols("t").get(0);
        assertTrue(protocol.get("minWriterVersion").asInt() >= 4, protocol.toString());
        ok("ALTER TABLE t SET TBLPROPERTIES (delta.enableDeletionVectors = true)");
        protocol = protocols("t").get(0);
        assertTrue(protocol.get("readerFeatures").toString().contains("deletionVectors"), protocol.toString());
        assertTrue(protocol.get("writerFeatures").toString().contains("changeDataFeed"), protocol.toString());
        ok("ALTER TABLE t SET TBLPROPERTIES (delta.enableRowTracking = true)");
        // Existing files get row ids in the same commit.
        List<JsonNode> adds = actions(table("t"), latestVersion("t"), "add");
        assertEquals(1, adds.size());
        assertTrue(adds.get(0).has("baseRowId"), adds.get(0).toString());
        assertFalse(adds.get(0).get("dataChange").asBoolean());
        assertEquals(List.of("[1,0]", "[2,1]"), query("SELECT id, _metadata.row_id FROM t ORDER BY id"));
        assertError(ErrorCode.INVALID_TABLE_PROPERTY,
                () -> session.execute("ALTER TABLE t SET TBLPROPERTIES (delta.enableChangeDataFeed = 'maybe')"));
        assertError(ErrorCode.INVALID_TABLE_PROPERTY,
                () -> session.execute("ALTER TABLE t SET TBLPROPERTIES (delta.noSuchThing = 1)"));
        assertError(ErrorCode.INVALID_TABLE_PROPERTY,
                () -> session.execute("ALTER TABLE t SET TBLPROPERTIES ('delta.constraints.c' = 'id > 0')"));
        ok("ALTER TABLE t UNSET TBLPROPERTIES ('owner')");
        assertFalse(metadata("t").get("configuration").has("owner"));
        assertEquals("UNSET TBLPROPERTIES", commitInfo("t").get("operation").asText());
        assertError(ErrorCode.INVALID_TABLE_PROPERTY, () -> session.execute("ALTER TABLE t UNSET TBLPROPERTIES ('owner')"));
        ok("ALTER TABLE t UNSET TBLPROPERTIES IF EXISTS ('owner')");
    }

    @Test
    void setColumnMappingModeNameUpgrades() {
        ok("CREATE TABLE t (id INT, name STRING)");
        ok("ALTER TABLE t SET TBLPROPERTIES ('delta.columnMapping.mode' = 'name')");
        assertEquals("name", metadata("t").get("configuration").get("delta.columnMapping.mode").asText());
        assertEquals("id", schema("t").field("id").orElseThrow().physicalName());
        TarnException e = assertError(ErrorCode.UNSUPPORTED_FEATURE,
                () -> session.execute("ALTER TABLE t SET TBLPROPERTIES ('delta.columnMapping.mode' = 'id')"));
        assertTrue(e.getMessage().contains("from name to id"), e.getMessage());
    }

    @Test
    void addConstraintChecksExistingRowsAndEveryLaterWrite() {
        ok("CREATE TABLE t (id INT, amount DECIMAL(10,2))");
        ok("INSERT INTO t VALUES (1, 5.00), (2, -1.00)");
        long v = latestVersion("t");
        TarnException e = assertError(ErrorCode.CHECK_VIOLATION,
                () -> session.execute("ALTER TABLE t ADD CONSTRAINT positive CHECK (amount > 0)"));
        assertTrue(e.getMessage().contains("positive") && e.getMessage().contains("amount > 0")
                && e.getMessage().contains("-1.00"), e.getMessage());
        assertEquals(v, latestVersion("t"));
        ok("ALTER TABLE t ADD CONSTRAINT small CHECK (amount < 100 AND id IS NOT NULL)");
        JsonNode md = metadata("t");
        assertEquals("amount < 100 AND id IS NOT NULL", md.get("configuration").get("delta.constraints.small").asText());
        assertEquals("ADD CONSTRAINT", commitInfo("t").get("operation").asText());
        assertTrue(protocols("t").get(0).get("minWriterVersion").asInt() >= 3);
        e = assertError(ErrorCode.CHECK_VIOLATION, () -> session.execute("INSERT INTO t VALUES (3, 100.00)"));
        assertTrue(e.getMessage().contains("CHECK constraint small (amount < 100 AND id IS NOT NULL)")
                && e.getMessage().contains("100.00"), e.getMessage());
        assertError(ErrorCode.CHECK_VIOLATION, () -> session.execute("INSERT INTO t VALUES (NULL, 1.00)"));
        assertEquals(v + 1, latestVersion("t"));
        ok("INSERT INTO t VALUES (3, 99.00)");
        assertError(ErrorCode.VALIDATION_ERROR,
                () -> session.execute("ALTER TABLE t ADD CONSTRAINT small CHECK (id > 0)"));
        assertError(ErrorCode.VALIDATION_ERROR,
                () -> session.execute("ALTER TABLE t ADD CONSTRAINT bad CHECK (nope > 0)"));
        assertError(ErrorCode.VALIDATION_ERROR, () -> session.execute("ALTER TABLE t RENAME COLUMN amount TO a"));
        ok("ALTER TABLE t DROP CONSTRAINT small");
        assertFalse(metadata("t").get("configuration").has("delta.constraints.small"));
        assertEquals("DROP CONSTRAINT", commitInfo("t").get("operation").asText());
        ok("INSERT INTO t VALUES (4, 1000.00)");
        assertError(ErrorCode.VALIDATION_ERROR, () -> session.execute("ALTER TABLE t DROP CONSTRAINT small"));
        ok("ALTER TABLE t DROP CONSTRAINT IF EXISTS small");
        assertEquals(List.of("[1,\"5.00\"]", "[2,\"-1.00\"]", "[3,\"99.00\"]", "[4,\"1000.00\"]"),
                query("SELECT * FROM t ORDER BY id"));
    }

    @Test
    void unsupportedFormsAreClearErrors() {
        ok("CREATE TABLE t (id INT, s STRUCT<a: INT>)");
        assertError(ErrorCode.UNSUPPORTED_STATEMENT, () -> session.execute("ALTER TABLE t RENAME TO u"));
        assertError(ErrorCode.UNSUPPORTED_STATEMENT, () -> session.execute("ALTER TABLE t RENAME COLUMN s.a TO b"));
        assertError(ErrorCode.UNSUPPORTED_STATEMENT, () -> session.execute("ALTER TABLE t SET LOCATION '/x'"));
        assertError(ErrorCode.TABLE_NOT_FOUND, () -> session.execute("ALTER TABLE nope ADD COLUMN x INT"));
        assertError(ErrorCode.SYNTAX_ERROR, () -> session.execute("ALTER TABLE t ALTER COLUMN id FOO"));
    }
}
