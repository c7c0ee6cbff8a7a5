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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** RESTORE TABLE: the commit it writes (adds, removes, metadata, metrics) and the rows afterwards. */
class RestoreTableTest extends LakeTest {
    @Test
    void restoreToAnEarlierVersionAddsAndRemovesTheDifference() throws Exception {
        ok("CREATE TABLE t (id INT)");
        ok("INSERT INTO t VALUES (1), (2)");
        ok("INSERT INTO t VALUES (3)");
        ok("ALTER TABLE t ADD COLUMN name STRING");
        ok("INSERT INTO t VALUES (4, 'd')");
        Path table = lake.resolve("default").resolve("t");
        List<String> metrics = query("RESTORE TABLE t TO VERSION AS OF 1");
        long v1Size = actions(table, 1, "add").get(0).get("size").asLong();
        long removedSize = actions(table, 2, "add").get(0).get("size").asLong()
                + actions(table, 4, "add").get(0).get("size").asLong();
        assertEquals(List.of("[" + v1Size + ",1,2,0," + removedSize + ",0]"), metrics);
        assertEquals(List.of("[1]", "[2]"), query("SELECT * FROM t ORDER BY id"));
        JsonNode info = actions(table, 5, "commitInfo").get(0);
        assertEquals("RESTORE", info.get("operation").asText());
        assertEquals("1", info.get("operationParameters").get("version").asText());
        assertEquals("2", info.get("operationMetrics").get("numRemovedFiles").asText());
        assertEquals("0", info.get("operationMetrics").get("numRestoredFiles").asText());
        List<JsonNode> removes = actions(table, 5, "remove");
        assertEquals(2, removes.size());
        assertTrue(removes.stream().allMatch(r -> r.get("dataChange").asBoolean()));
        // The schema of version 1 comes back: no column "name".
        assertFalse(actions(table, 5, "metaData").get(0).get("schemaString").asText().contains("\"name\":\"name\""));
        assertEquals(List.of("[\"id\",\"INT\",null]"), query("DESCRIBE t"));

        // Forward again: the files of version 4 are restored as adds with dataChange true.
        assertEquals(1, query("RESTORE t TO VERSION AS OF 4").size());
        List<JsonNode> adds = actions(table, 6, "add");
        assertEquals(2, adds.size());
        assertTrue(adds.stream().allMatch(a -> a.get("dataChange").asBoolean()));
        assertEquals(List.of("[1,null]", "[2,null]", "[3,null]", "[4,\"d\"]"), query("SELECT * FROM t ORDER BY id"));
        ok("INSERT INTO t VALUES (5, 'e')");
        assertEquals(List.of("[5]"), query("SELECT COUNT(*) FROM t"));
    }

    @Test
    void restoreByTimestamp() throws Exception {
        ok("CREATE TABLE t (id INT)");
        ok("INSERT INTO t VALUES (1)");
        Thread.sleep(20); // commits need distinct timestamps to be told apart by TIMESTAMP AS OF
        String at = query("SELECT CAST(CURRENT_TIMESTAMP AS STRING)").get(0).replace("[\"", "").replace("\"]", "");
        Thread.sleep(20);
        ok("INSERT INTO t VALUES (2)");
        query("RESTORE TABLE t TO TIMESTAMP AS OF '" + at + "'");
        assertEquals(List.of("[1]"), query("SELECT * FROM t"));
        JsonNode info = actions(lake.resolve("default").resolve("t"), 3, "commitInfo").get(0);
        assertEquals("1", info.get("operationParameters").get("version").asText());
        assertEquals(at, info.get("operationParameters").get("timestamp").asText());
    }

    @Test
    void restoreIsDeletionVectorAware() throws IOException {
        // dv-small (written by Databricks): version 0 has the file without a DV, version 1 the same path with one.
        Path source = Path.of(System.getProperty("tarn.test-data", "/nonexistent"), "delta-tables", "dv-small");
        assertTrue(Files.isDirectory(source), "shared test data missing: " + source);
        Path copy = dir.resolve("dv-small");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        String name = "delta.`" + copy + "`";
        assertEquals(List.of("[8]"), query("SELECT COUNT(*) FROM " + name));
        assertEquals(List.of("[635,1,1,1,635,635]"), query("RESTORE TABLE " + name + " TO VERSION AS OF 0"));
        assertEquals(List.of("[10]"), query("SELECT COUNT(*) FROM " + name));
        JsonNode remove = actions(copy, 2, "remove").get(0);
        JsonNode add = actions(copy, 2, "add").get(0);
        assertEquals(remove.get("path").asText(), add.get("path").asText());
        assertTrue(remove.has("deletionVector"), remove.toString());
        assertFalse(add.has("deletionVector"), add.toString());
        query("RESTORE TABLE " + name + " TO VERSION AS OF 1");
        assertEquals(List.of("[8]"), query("SELECT COUNT(*) FROM " + name));
        assertTrue(actions(copy, 3, "add").get(0).has("deletionVector"));
    }

    @Test
    void errors() {
        ok("CREATE TABLE t (id INT)");
        TarnException e = assertThrows(TarnException.class, () -> session.execute("RESTORE TABLE t TO VERSION AS OF 7"));
        assertEquals(ErrorCode.VALIDATION_ERROR, e.errorCode());
        assertTrue(e.getMessage().contains("latest version is 0"), e.getMessage());
        e = assertThrows(TarnException.class, () -> session.execute("RESTORE TABLE nope TO VERSION AS OF 0"));
        assertEquals(ErrorCode.TABLE_NOT_FOUND, e.errorCode());
        e = assertThrows(TarnException.class, () -> session.execute("RESTORE TABLE t TO VERSION 0"));
        assertEquals(ErrorCode.SYNTAX_ERROR, e.errorCode());
    }
}
