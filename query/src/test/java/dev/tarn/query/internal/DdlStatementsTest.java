package dev.tarn.query.internal;

import static dev.tarn.query.internal.Lakes.actions;
import static dev.tarn.query.internal.Lakes.rows;
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
import dev.tarn.query.TableInfo;
import dev.tarn.txlog.types.DataTypeJson;
import dev.tarn.txlog.types.PrimitiveType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class DdlStatementsTest {
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

    private QueryResult ok(String sql) {
        QueryResult r = session.execute(sql);
        assertEquals(QueryResult.Kind.OK, r.kind(), sql);
        return r;
    }

    private static void assertError(ErrorCode code, Executable e) {
        TarnException ex = assertThrows(TarnException.class, e);
        assertEquals(code, ex.errorCode(), ex.getMessage());
    }

    @Test
    void openingCreatesTheLakeAndSchemaDefault() {
        assertTrue(Files.isDirectory(lake.resolve("default")));
        assertEquals(List.of("[\"default\"]"), rows(session.execute("SHOW SCHEMAS")));
        assertEquals("default", session.currentSchema());
    }

    @Test
    void missingLakeIsAnErrorWithoutCreate() {
        Path missing = dir.resolve("nope");
        TarnException e = assertThrows(TarnException.class,
                () -> Database.open(DatabaseConfig.of(missing).withCreateIfMissing(false)));
        assertEquals(ErrorCode.LAKE_NOT_FOUND, e.errorCode());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void schemas() {
        ok("CREATE SCHEMA Sales");
        assertTrue(Files.isDirectory(lake.resolve("sales")));
        assertError(ErrorCode.SCHEMA_ALREADY_EXISTS, () -> session.execute("CREATE SCHEMA sales"));
        ok("CREATE SCHEMA IF NOT EXISTS SALES");
        assertEquals(List.of("[\"default\"]", "[\"sales\"]"), rows(session.execute("SHOW DATABASES")));
        ok("USE SALES");
        assertEquals("sales", session.currentSchema());
        ok("CREATE TABLE t (a INT)");
        assertEquals(List.of("[\"sales\",\"t\"]"), rows(session.execute("SHOW TABLES")));
        assertEquals(List.of(), rows(session.execute("SHOW TABLES IN default")));
        assertError(ErrorCode.VALIDATION_ERROR, () -> session.execute("DROP SCHEMA sales"));
        ok("DROP SCHEMA sales CASCADE");
        assertFalse(Files.exists(lake.resolve("sales")));
        assertEquals("default", session.currentSchema());
        assertError(ErrorCode.SCHEMA_NOT_FOUND, () -> session.execute("DROP SCHEMA sales"));
        ok("DROP SCHEMA IF EXISTS sales");
        assertError(ErrorCode.SCHEMA_NOT_FOUND, () -> session.execute("USE sales"));
        assertError(ErrorCode.SCHEMA_NOT_FOUND, () -> session.execute("SHOW TABLES IN sales"));
        assertError(ErrorCode.VALIDATION_ERROR, () -> session.execute("DROP SCHEMA default"));
    }

    @Test
    void createTableWritesASparkCompatibleVersionZero() {
        ok("""
                CREATE TABLE Events (id BIGINT NOT NULL COMMENT 'event id', kind STRING, amount DECIMAL(10,2),
                  tags ARRAY<STRING>, attrs MAP<STRING, INT>, loc STRUCT<lat: DOUBLE, lon: DOUBLE>, day DATE)
                USING DELTA PARTITIONED BY (day) COMMENT 'all events'
                TBLPROPERTIES ('delta.appendOnly'='true', 'team'='core', 'delta.enableDeletionVectors'='false')""");
        Path table = lake.resolve("default").resolve("events");
        assertEquals(1, Lakes.commitCount(table));

        JsonNode protocol = actions(table, 0, "protocol").get(0);
        assertEquals(1, protocol.get("minReaderVersion").asInt());
        assertEquals(2, protocol.get("minWriterVersion").asInt());

        JsonNode metaData = actions(table, 0, "metaData").get(0);
        assertEquals("parquet", metaData.get("format").get("provider").asText());
        assertEquals("day", metaData.get("partitionColumns").get(0).asText());
        assertEquals("all events", metaData.get("description").asText());
        assertEquals("true", metaData.get("configuration").get("delta.appendOnly").asText());
        assertEquals("core", metaData.get("configuration").get("team").asText());
        JsonNode schema = Lakes.json(metaData.get("schemaString").asText());
        assertEquals("struct", schema.get("type").asText());
        JsonNode id = schema.get("fields").get(0);
        assertEquals("id", id.get("name").asText());
        assertEquals("long", id.get("type").asText());
        assertFalse(id.get("nullable").asBoolean());
        assertEquals("event id", id.get("metadata").get("comment").asText());
        assertEquals("decimal(10,2)", schema.get("fields").get(2).get("type").asText());
        assertEquals("array", schema.get("fields").get(3).get("type").get("type").asText());
        assertEquals("map", schema.get("fields").get(4).get("type").get("type").asText());
        assertEquals(DataTypeJson.parseSchema(metaData.get("schemaString").asText()).fields().get(6).type(),
                PrimitiveType.DATE);
        JsonNode commitInfo = actions(table, 0, "commitInfo").get(0);
        assertEquals("CREATE TABLE", commitInfo.get("operation").asText());

        TableInfo info = session.catalog().table("default", "EVENTS").orElseThrow();
        assertEquals("events", info.name());
        assertEquals(List.of("day"), info.partitionColumns());
        assertEquals(0, info.version());
        assertEquals("all events", info.comment());
        assertEquals(table.toString(), info.location());
        assertEquals(List.of("events"), session.catalog().tables("DEFAULT").stream().map(TableInfo::name).toList());
        assertEquals(List.of("default"), session.catalog().schemas());
        assertTrue(session.catalog().table("default", "nope").isEmpty());
        assertTrue(session.catalog().tables("nope").isEmpty());
    }

    @Test
    void describeShowsColumnsAndPartitions() {
        ok("CREATE TABLE t (a INT COMMENT 'x', b STRING, p DATE) PARTITIONED BY (p)");
        assertEquals(List.of(
                "[\"a\",\"INT\",\"x\"]",
                "[\"b\",\"STRING\",null]",
                "[\"p\",\"DATE\",null]",
                "[\"# Partition Information\",\"\",\"\"]",
                "[\"# col_name\",\"data_type\",\"comment\"]",
                "[\"p\",\"DATE\",null]"), rows(session.execute("DESCRIBE TABLE default.T")));
        assertError(ErrorCode.TABLE_NOT_FOUND, () -> session.execute("DESCRIBE nope"));
    }

    @Test
    void createTableErrors() {
        ok("CREATE TABLE t (a INT)");
        assertError(ErrorCode.TABLE_ALREADY_EXISTS, () -> session.execute("CREATE TABLE T (b INT)"));
        ok("CREATE TABLE IF NOT EXISTS t (b INT)");
        assertError(ErrorCode.SCHEMA_NOT_FOUND, () -> session.execute("CREATE TABLE nope.t (a INT)"));
        assertError(ErrorCode.COLUMN_NOT_FOUND, () -> session.execute("CREATE TABLE u (a INT) PARTITIONED BY (b)"));
        assertError(ErrorCode.VALIDATION_ERROR, () -> session.execute("CREATE TABLE u (a INT) PARTITIONED BY (a)"));
        assertError(ErrorCode.VALIDATION_ERROR,
                () -> session.execute("CREATE TABLE u (a INT, m MAP<INT,INT>) PARTITIONED BY (m)"));
        assertError(ErrorCode.INVALID_TABLE_PROPERTY,
                () -> session.execute("CREATE TABLE u (a INT) TBLPROPERTIES ('delta.nonsense' = 'true')"));
        assertError(ErrorCode.INVALID_TABLE_PROPERTY,
                () -> session.execute("CREATE TABLE u (a INT) TBLPROPERTIES ('delta.enableDeletionVectors' = 'maybe')"));
        assertError(ErrorCode.SYNTAX_ERROR, () -> session.execute("CREATE TABLE u (a INT"));
        assertError(ErrorCode.VALIDATION_ERROR, () -> session.execute("CREATE TABLE u (`a b` INT)"));
        assertError(ErrorCode.VALIDATION_ERROR, () -> session.execute("CREATE TABLE u (s STRUCT<`x,y`: INT>)"));
        assertError(ErrorCode.VALIDATION_ERROR, () -> session.execute("CREATE TABLE u (v VOID)"));
        assertFalse(Files.exists(lake.resolve("default").resolve("u")), "failed CREATE TABLE left a directory");
    }

    @Test
    void dropTable() {
        ok("CREATE TABLE t (a INT)");
        ok("DROP TABLE t");
        assertFalse(Files.exists(lake.resolve("default").resolve("t")));
        assertError(ErrorCode.TABLE_NOT_FOUND, () -> session.execute("DROP TABLE t"));
        ok("DROP TABLE IF EXISTS t");
        assertEquals(List.of(), rows(session.execute("SHOW TABLES")));
    }

    @Test
    void pathNamedTables() {
        Path location = dir.resolve("elsewhere").resolve("t1");
        ok("CREATE TABLE delta.`" + location + "` (a INT, b STRING) PARTITIONED BY (b)");
        assertTrue(Files.exists(location.resolve("_delta_log").resolve("00000000000000000000.json")));
        assertEquals(5, rows(session.execute("DESCRIBE delta.`" + location + "`")).size());
        assertError(ErrorCode.TABLE_ALREADY_EXISTS, () -> session.execute("CREATE TABLE delta.`" + location + "` (a INT)"));
        assertError(ErrorCode.UNSUPPORTED_STATEMENT, () -> session.execute("DROP TABLE delta.`" + location + "`"));
    }

    @Test
    void readOnlySessionsRefuseWrites() {
        session.setReadOnly(true);
        assertError(ErrorCode.READ_ONLY, () -> session.execute("CREATE SCHEMA s"));
        assertError(ErrorCode.READ_ONLY, () -> session.execute("CREATE TABLE t (a INT)"));
        assertEquals(1, rows(session.execute("SHOW SCHEMAS")).size());
        session.setReadOnly(false);
        ok("CREATE TABLE t (a INT)");
        session.setReadOnly(true);
        assertError(ErrorCode.READ_ONLY, () -> session.execute("DROP TABLE t"));
        assertTrue(Files.exists(lake.resolve("default").resolve("t")));
    }

    @Test
    void tablePropertiesChooseTheProtocol() {
        ok("CREATE TABLE dv (a INT) TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')");
        JsonNode protocol = actions(lake.resolve("default").resolve("dv"), 0, "protocol").get(0);
        assertEquals(3, protocol.get("minReaderVersion").asInt());
        assertEquals(7, protocol.get("minWriterVersion").asInt());
        assertTrue(protocol.get("readerFeatures").toString().contains("deletionVectors"), protocol.toString());

        ok("CREATE TABLE feat (a INT) TBLPROPERTIES ('delta.feature.appendOnly' = 'supported')");
        Path feat = lake.resolve("default").resolve("feat");
        assertTrue(actions(feat, 0, "protocol").get(0).get("writerFeatures").toString().contains("appendOnly"));
        // delta.feature.* asks for a protocol feature; like delta-spark, it is not kept as a table property.
        assertFalse(actions(feat, 0, "metaData").get(0).get("configuration").has("delta.feature.appendOnly"));
    }

    @Test
    void columnMappingAllowsAnyColumnName() {
        ok("CREATE TABLE spaced (`a b` INT, `c=d` STRING) TBLPROPERTIES ('delta.columnMapping.mode' = 'id')");
        assertEquals(List.of("[\"a b\",\"INT\",null]", "[\"c=d\",\"STRING\",null]"), rows(session.execute("DESCRIBE spaced")));
    }

    @Test
    void columnMappingAssignsIdsAndPhysicalNames() {
        // Without deletion vectors (on by default), which would need table features.
        ok("CREATE TABLE cm (a INT, s STRUCT<x: INT>) TBLPROPERTIES ('delta.columnMapping.mode' = 'name', "
                + "'delta.enableDeletionVectors' = 'false')");
        Path table = lake.resolve("default").resolve("cm");
        JsonNode metaData = actions(table, 0, "metaData").get(0);
        assertEquals("3", metaData.get("configuration").get("delta.columnMapping.maxColumnId").asText());
        JsonNode a = Lakes.json(metaData.get("schemaString").asText()).get("fields").get(0);
        assertEquals(1, a.get("metadata").get("delta.columnMapping.id").asInt());
        assertTrue(a.get("metadata").get("delta.columnMapping.physicalName").asText().startsWith("col-"));
        JsonNode protocol = actions(table, 0, "protocol").get(0);
        assertEquals(2, protocol.get("minReaderVersion").asInt());
        assertEquals(5, protocol.get("minWriterVersion").asInt());
    }

    @Test
    void concurrentCreatesOfOneTableHaveOneWinner() throws Exception {
        for (int round = 0; round < 10; round++) {
            String name = "race" + round;
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
            java.util.List<Object> outcomes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            Runnable create = () -> {
                try (Session s = db.newSession()) {
                    start.await();
                    s.execute("CREATE TABLE " + name + " (a INT)").close();
                    outcomes.add("ok");
                } catch (TarnException e) {
                    outcomes.add(e.errorCode());
                } catch (Exception e) {
                    outcomes.add(e);
                }
            };
            Thread a = new Thread(create);
            Thread b = new Thread(create);
            a.start();
            b.start();
            a.join();
            b.join();
            assertEquals(1, outcomes.stream().filter("ok"::equals).count(), outcomes.toString());
            assertTrue(outcomes.contains(ErrorCode.TABLE_ALREADY_EXISTS), outcomes.toString());
            assertEquals(1, Lakes.commitCount(lake.resolve("default").resolve(name)));
        }
    }
}
