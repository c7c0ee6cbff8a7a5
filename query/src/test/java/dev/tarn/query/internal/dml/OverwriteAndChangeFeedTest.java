package dev.tarn.query.internal.dml;

import static dev.tarn.query.internal.dml.DmlFixture.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** INSERT OVERWRITE, INSERT INTO ... REPLACE WHERE, and the change data feed of every DML statement. */
class OverwriteAndChangeFeedTest {
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

    private void createT(DmlFixture.Features features, String extra) {
        f.execute("CREATE TABLE t (id INT, name STRING, part STRING) PARTITIONED BY (part)"
                + features.properties(extra));
        assertEquals(4, f.update("INSERT INTO t VALUES (1, 'a', 'x'), (2, 'b', 'x'), (3, 'c', 'y'), (4, 'd', 'y')"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("features")
    void insertOverwriteReplacesEveryRow(DmlFixture.Features features) {
        createT(features, "");
        f.execute("CREATE TABLE src (id INT, name STRING, part STRING)");
        f.update("INSERT INTO src VALUES (10, 'j', 'x'), (11, 'k', 'z')");
        assertEquals(2, f.update("INSERT OVERWRITE TABLE t SELECT * FROM src"));
        assertEquals(List.of("[10,\"j\",\"x\"]", "[11,\"k\",\"z\"]"), f.query("SELECT * FROM t"));
        long v = f.version("t");
        assertEquals(2, f.actions("t", v, "remove").size());
        JsonNode info = f.actions("t", v, "commitInfo").get(0);
        assertEquals("WRITE", info.get("operation").asText());
        assertEquals("Overwrite", info.get("operationParameters").get("mode").asText());
        // Reading itself: the source sees the version before the overwrite.
        assertEquals(2, f.update("INSERT OVERWRITE t SELECT id + 1, name, part FROM t"));
        assertEquals(List.of("[11]", "[12]"), f.query("SELECT id FROM t"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("features")
    void replaceWhereReplacesOnlyMatchingRows(DmlFixture.Features features) {
        createT(features, "");
        assertEquals(1, f.update("INSERT INTO t REPLACE WHERE part = 'x' VALUES (20, 'new', 'x')"));
        assertEquals(List.of("[20,\"new\",\"x\"]", "[3,\"c\",\"y\"]", "[4,\"d\",\"y\"]"), f.query("SELECT * FROM t"));
        long v = f.version("t");
        assertEquals(1, f.actions("t", v, "remove").size(), "the partition's file is removed whole");
        assertTrue(f.actions("t", v, "commitInfo").get(0).get("operationParameters").get("predicate").asText()
                .contains("part = 'x'"));
        // A data predicate deletes single rows (a deletion vector when enabled).
        assertEquals(1, f.update("INSERT INTO t REPLACE WHERE id = 3 SELECT 3, 'three', 'y'"));
        assertEquals(List.of("[20,\"new\"]", "[3,\"three\"]", "[4,\"d\"]"), f.query("SELECT id, name FROM t"));
        assertEquals(features.deletionVectors() ? 1 : 0, f.dvFiles("t").size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("features")
    void changeFeedOfDeleteUpdateAndOverwrite(DmlFixture.Features features) {
        createT(features, "'delta.enableChangeDataFeed' = 'true'");
        assertEquals(1, f.update("DELETE FROM t WHERE id = 1"));
        long deleted = f.version("t");
        assertEquals(1, f.update("UPDATE t SET name = 'B' WHERE id = 2"));
        long updated = f.version("t");
        assertFalse(f.actions("t", updated, "cdc").isEmpty(), "UPDATE writes change data files");
        assertTrue(f.allFiles("t").stream().anyMatch(p -> p.startsWith("_change_data/")));
        assertEquals(List.of(
                        "[1,\"a\",\"x\",\"delete\"," + deleted + "]",
                        "[2,\"B\",\"x\",\"update_postimage\"," + updated + "]",
                        "[2,\"b\",\"x\",\"update_preimage\"," + updated + "]"),
                f.query("SELECT id, name, part, _change_type, _commit_version FROM table_changes('t', " + deleted
                        + ", " + updated + ")"));
        f.execute("TRUNCATE TABLE t");
        long truncated = f.version("t");
        assertEquals(List.of("[2,\"delete\"]", "[3,\"delete\"]", "[4,\"delete\"]"),
                f.query("SELECT id, _change_type FROM table_changes('t', " + truncated + ", " + truncated + ")"));
        assertEquals(1, f.update("INSERT INTO t VALUES (5, 'e', 'z')"));
        assertEquals(1, f.update("INSERT OVERWRITE t VALUES (6, 'f', 'z')"));
        long overwritten = f.version("t");
        assertEquals(List.of("[5,\"delete\"]", "[6,\"insert\"]"),
                f.query("SELECT id, _change_type FROM table_changes('t', " + overwritten + ", " + overwritten + ")"));
    }

    @Test
    void overwriteErrorsLeaveTheTableUnchanged() {
        createT(new DmlFixture.Features(true, true), "");
        long v = f.version("t");
        List<String> files = f.allFiles("t");
        assertError(ErrorCode.COLUMN_NOT_FOUND, () -> f.update("INSERT INTO t REPLACE WHERE nope = 1 VALUES (1, 'a', 'x')"));
        assertError(ErrorCode.DIVISION_BY_ZERO, () -> f.update("INSERT OVERWRITE t SELECT id / 0, name, part FROM t"));
        assertError(ErrorCode.UNSUPPORTED_STATEMENT, () -> f.update("INSERT OVERWRITE t PARTITION (part = 'x') VALUES (1, 'a')"));
        assertError(ErrorCode.CHECK_VIOLATION,
                () -> f.update("INSERT INTO t REPLACE WHERE part = 'x' VALUES (9, 'i', 'x'), (10, 'j', 'y')"));
        assertError(ErrorCode.CHECK_VIOLATION,
                () -> f.update("INSERT INTO t REPLACE WHERE part = 'x' VALUES (9, 'i', NULL)"));
        assertEquals(v, f.version("t"));
        assertEquals(files, f.allFiles("t"));
    }
}
