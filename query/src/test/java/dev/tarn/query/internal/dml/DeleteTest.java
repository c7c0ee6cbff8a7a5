package dev.tarn.query.internal.dml;

import static dev.tarn.query.internal.dml.DmlFixture.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.error.ErrorCode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** DELETE FROM and TRUNCATE TABLE through SQL, with deletion vectors and row tracking on and off. */
class DeleteTest {
    @TempDir
    Path dir;
    DmlFixture f;

    @BeforeEach
    void open() {
        f = new DmlFixture(dir);
    }

    @AfterEach
    void close() {
        f.close();
    }

    static List<DmlFixture.Features> features() {
        return DmlFixture.features();
    }

    private void createT(DmlFixture.Features features) {
        f.execute("CREATE TABLE t (id INT NOT NULL, name STRING, part STRING) PARTITIONED BY (part)"
                + features.properties(""));
        assertEquals(6, f.update("INSERT INTO t VALUES (1, 'a', 'x'), (2, 'b', 'x'), (3, 'c', 'x'), "
                + "(4, 'd', 'y'), (5, 'e', 'y'), (6, NULL, 'y')"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("features")
    void deleteSomeRowsOfAFile(DmlFixture.Features features) {
        createT(features);
        List<String> idsBefore = features.rowTracking() ? f.query("SELECT id, _metadata.row_id FROM t") : List.of();
        assertEquals(2, f.update("DELETE FROM t WHERE id IN (2, 5)"));
        assertEquals(List.of("[1,\"a\",\"x\"]", "[3,\"c\",\"x\"]", "[4,\"d\",\"y\"]", "[6,null,\"y\"]"),
                f.query("SELECT * FROM t"));
        long v = f.version("t");
        List<JsonNode> removes = f.actions("t", v, "remove");
        List<JsonNode> adds = f.actions("t", v, "add");
        assertEquals(2, removes.size());
        if (features.deletionVectors()) {
            assertEquals(2, adds.size());
            assertEquals(removes.stream().map(r -> r.get("path").asText()).sorted().toList(),
                    adds.stream().map(a -> a.get("path").asText()).sorted().toList(), "remove + add of the same path");
            for (JsonNode add : adds) {
                JsonNode dv = add.get("deletionVector");
                assertNotNull(dv, add.toString());
                assertEquals("u", dv.get("storageType").asText());
                assertEquals(1, dv.get("cardinality").asLong());
                assertTrue(add.get("stats").asText().contains("\"tightBounds\":false"), add.toString());
            }
            assertEquals(1, f.dvFiles("t").size(), "one DV file per commit");
        } else {
            assertTrue(f.dvFiles("t").isEmpty());
            for (JsonNode add : adds) {
                assertNull(add.get("deletionVector"));
                assertFalse(removes.stream().anyMatch(r -> r.get("path").equals(add.get("path"))),
                        "copy-on-write writes new files");
            }
        }
        if (features.rowTracking()) {
            List<String> after = f.query("SELECT id, _metadata.row_id FROM t");
            List<String> expected = idsBefore.stream()
                    .filter(r -> !r.startsWith("[2,") && !r.startsWith("[5,")).toList();
            assertEquals(expected, after, "row ids survive the delete");
        }
        JsonNode info = f.actions("t", v, "commitInfo").get(0);
        assertEquals("DELETE", info.get("operation").asText());
        assertEquals("2", info.get("operationMetrics").get("numDeletedRows").asText());
        assertEquals("WriteSerializable", info.get("isolationLevel").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("features")
    void secondDeleteUnionsWithTheExistingDeletionVector(DmlFixture.Features features) {
        createT(features);
        assertEquals(1, f.update("DELETE FROM t WHERE id = 1"));
        assertEquals(1, f.update("DELETE FROM t WHERE id = 3"));
        assertEquals(0, f.update("DELETE FROM t WHERE id = 3"), "already deleted");
        assertEquals(List.of("[2]", "[4]", "[5]", "[6]"), f.query("SELECT id FROM t"));
        if (features.deletionVectors()) {
            JsonNode add = f.actions("t", f.version("t") , "add").get(0);
            assertEquals(2, add.get("deletionVector").get("cardinality").asLong(), add.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("features")
    void wholeFileDeleteRemovesTheFileWithoutADeletionVector(DmlFixture.Features features) {
        createT(features);
        assertEquals(3, f.update("DELETE FROM t WHERE part = 'x'"));
        long v = f.version("t");
        assertEquals(1, f.actions("t", v, "remove").size());
        assertTrue(f.actions("t", v, "add").isEmpty());
        assertTrue(f.dvFiles("t").isEmpty());
        assertEquals(List.of("[4]", "[5]", "[6]"), f.query("SELECT id FROM t"));
        // Deleting the remaining rows of a file one statement at a time also ends in a remove.
        assertEquals(2, f.update("DELETE FROM t WHERE id IN (4, 5)"));
        assertEquals(1, f.update("DELETE FROM t WHERE name IS NULL"));
        assertTrue(f.actions("t", f.version("t"), "add").isEmpty());
        assertEquals(List.of(), f.query("SELECT id FROM t"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("features")
    void deleteWithoutWhereAndTruncate(DmlFixture.Features features) {
        createT(features);
        assertEquals(6, f.update("DELETE FROM t"));
        assertEquals(List.of("[0]"), f.query("SELECT COUNT(*) FROM t"));
        assertEquals(2, f.update("INSERT INTO t VALUES (7, 'g', 'x'), (8, 'h', 'z')"));
        f.execute("TRUNCATE TABLE t");
        assertEquals(List.of("[0]"), f.query("SELECT COUNT(*) FROM t"));
        assertEquals("TRUNCATE", f.actions("t", f.version("t"), "commitInfo").get(0).get("operation").asText());
        assertEquals(2, f.actions("t", f.version("t"), "remove").size());
    }

    @Test
    void newTablesUseDeletionVectorsByDefault() {
        f.execute("CREATE TABLE d (id INT)");
        JsonNode protocol = f.actions("d", 0, "protocol").get(0);
        assertTrue(protocol.get("readerFeatures").toString().contains("deletionVectors"), protocol.toString());
        assertEquals("true", f.actions("d", 0, "metaData").get(0).get("configuration")
                .get("delta.enableDeletionVectors").asText());
        f.update("INSERT INTO d VALUES (1), (2), (3)");
        assertEquals(1, f.update("DELETE FROM d WHERE id = 2"));
        assertEquals(1, f.dvFiles("d").size());
    }

    @Test
    void deletionVectorsGoUnderRandomPrefixFoldersWhenAsked() {
        f.execute("CREATE TABLE d (id INT) TBLPROPERTIES ('delta.randomizeFilePrefixes' = 'true', "
                + "'delta.randomPrefixLength' = '3')");
        f.update("INSERT INTO d VALUES (1), (2), (3), (4)");
        assertEquals(1, f.update("DELETE FROM d WHERE id = 2"));
        assertEquals(1, f.update("DELETE FROM d WHERE id = 4"));
        JsonNode dv = f.actions("d", f.version("d"), "add").get(0).get("deletionVector");
        assertEquals("u", dv.get("storageType").asText());
        // PROTOCOL.md: for storage type u, pathOrInlineDv is the random prefix followed by 20 Z85 characters.
        String pathOrInline = dv.get("pathOrInlineDv").asText();
        assertEquals(3 + 20, pathOrInline.length(), pathOrInline);
        assertEquals(2, dv.get("cardinality").asLong(), "the second delete unions with the first");
        List<String> files = f.dvFiles("d");
        assertEquals(2, files.size(), files.toString());
        assertTrue(files.stream().allMatch(x -> x.matches("[A-Za-z0-9]{3}/deletion_vector_[0-9a-f-]{36}\\.bin")),
                files.toString());
        assertTrue(files.stream().anyMatch(x -> x.startsWith(pathOrInline.substring(0, 3) + "/")), files.toString());
        assertEquals(List.of("[1]", "[3]"), f.query("SELECT * FROM d ORDER BY id"));
    }

    @Test
    void deleteWithAliasParametersAndSubquery() {
        f.execute("CREATE TABLE d (id INT, v STRING)");
        f.update("INSERT INTO d VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')");
        f.execute("CREATE TABLE keep (id INT)");
        f.update("INSERT INTO keep VALUES (1), (4)");
        assertEquals(1, f.update("DELETE FROM d AS x WHERE x.id > 2 AND x.id NOT IN (SELECT id FROM keep)"));
        try (var r = f.session.execute("DELETE FROM d WHERE v = ?", List.of("b"))) {
            assertEquals(1, r.updateCount());
        }
        assertEquals(List.of("[1]", "[4]"), f.query("SELECT id FROM d"));
    }

    @Test
    void errorsLeaveTheTableUnchanged() {
        f.execute("CREATE TABLE d (id INT)");
        f.update("INSERT INTO d VALUES (1), (2)");
        long v = f.version("d");
        List<String> files = f.allFiles("d");
        assertError(ErrorCode.COLUMN_NOT_FOUND, () -> f.update("DELETE FROM d WHERE nope = 1"));
        assertError(ErrorCode.TABLE_NOT_FOUND, () -> f.update("DELETE FROM missing WHERE id = 1"));
        assertError(ErrorCode.DIVISION_BY_ZERO, () -> f.update("DELETE FROM d WHERE 1 / (id - id) = 1"));
        assertError(ErrorCode.SYNTAX_ERROR, () -> f.update("DELETE d WHERE id = 1"));
        assertEquals(v, f.version("d"));
        assertEquals(files, f.allFiles("d"));
        f.execute("CREATE TABLE ao (id INT) TBLPROPERTIES ('delta.appendOnly' = 'true')");
        f.update("INSERT INTO ao VALUES (1)");
        assertError(ErrorCode.VALIDATION_ERROR, () -> f.update("DELETE FROM ao WHERE id = 1"));
        assertTrue(f.dvFiles("ao").isEmpty(), "the DV file of the failed commit is deleted");
    }
}
