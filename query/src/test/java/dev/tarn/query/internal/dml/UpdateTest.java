package dev.tarn.query.internal.dml;

import static dev.tarn.query.internal.dml.DmlFixture.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

/** UPDATE through SQL, with deletion vectors and row tracking on and off. */
class UpdateTest {
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
        f.execute("CREATE TABLE t (id INT NOT NULL, qty BIGINT, price DECIMAL(10,2), part STRING) "
                + "PARTITIONED BY (part)" + features.properties(""));
        assertEquals(5, f.update("INSERT INTO t VALUES (1, 10, 1.50, 'x'), (2, 20, 2.50, 'x'), (3, 30, NULL, 'x'), "
                + "(4, 40, 4.00, 'y'), (5, 50, 5.00, 'y')"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("features")
    void updateSetsValuesAndKeepsOtherRows(DmlFixture.Features features) {
        createT(features);
        assertEquals(2, f.update("UPDATE t SET qty = qty * 2, price = price + 1 WHERE id IN (2, 4)"));
        assertEquals(List.of("[1,10,\"1.50\",\"x\"]", "[2,40,\"3.50\",\"x\"]", "[3,30,null,\"x\"]",
                "[4,80,\"5.00\",\"y\"]", "[5,50,\"5.00\",\"y\"]"), f.query("SELECT * FROM t"));
        long v = f.version("t");
        JsonNode info = f.actions("t", v, "commitInfo").get(0);
        assertEquals("UPDATE", info.get("operation").asText());
        assertEquals("2", info.get("operationMetrics").get("numUpdatedRows").asText());
        List<JsonNode> adds = f.actions("t", v, "add");
        if (features.deletionVectors()) {
            long withDv = adds.stream().filter(a -> a.has("deletionVector")).count();
            assertEquals(2, withDv, "both touched files get a DV");
            assertEquals(1, f.dvFiles("t").size());
        } else {
            assertTrue(adds.stream().noneMatch(a -> a.has("deletionVector")));
            assertTrue(f.dvFiles("t").isEmpty());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("features")
    void rowIdsAreStableAcrossUpdates(DmlFixture.Features features) {
        createT(features);
        if (!features.rowTracking()) {
            assertEquals(1, f.update("UPDATE t SET qty = 0 WHERE id = 1"));
            assertEquals(List.of("[0]"), f.query("SELECT qty FROM t WHERE id = 1"));
            return;
        }
        List<String> before = f.query("SELECT id, _metadata.row_id, _metadata.row_commit_version FROM t");
        assertEquals(1, f.update("UPDATE t SET qty = 0 WHERE id = 3"));
        long updateVersion = f.version("t");
        List<String> after = f.query("SELECT id, _metadata.row_id, _metadata.row_commit_version FROM t");
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            String[] b = before.get(i).replaceAll("[\\[\\]]", "").split(",");
            String[] a = after.get(i).replaceAll("[\\[\\]]", "").split(",");
            assertEquals(b[0], a[0]);
            assertEquals(b[1], a[1], "row id of id " + a[0] + " is stable");
            if (a[0].equals("3")) {
                assertEquals(Long.toString(updateVersion), a[2], "the updated row has the update's version");
            } else {
                assertEquals(b[2], a[2], "untouched rows keep their commit version");
            }
        }
        // A second update of the same row still keeps the id (now read from the materialized column).
        assertEquals(1, f.update("UPDATE t SET qty = 1 WHERE id = 3"));
        assertEquals(f.query("SELECT _metadata.row_id FROM t VERSION AS OF 1 WHERE id = 3"),
                f.query("SELECT _metadata.row_id FROM t WHERE id = 3"));
        // And so does a delete of a neighbour that rewrites the file without DVs.
        assertEquals(1, f.update("DELETE FROM t WHERE id = 1"));
        assertEquals(f.query("SELECT _metadata.row_id FROM t VERSION AS OF 1 WHERE id <> 1"),
                f.query("SELECT _metadata.row_id FROM t"));
        JsonNode domain = f.actions("t", f.version("t"), "domainMetadata").stream()
                .filter(d -> d.get("domain").asText().equals("delta.rowTracking")).findFirst().orElse(null);
        if (!features.deletionVectors()) {
            assertNotNull(domain, "copy-on-write adds files, which moves the high-water mark");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("features")
    void updateOfAPartitionColumnMovesTheRow(DmlFixture.Features features) {
        createT(features);
        assertEquals(1, f.update("UPDATE t SET part = 'z' WHERE id = 5"));
        assertEquals(List.of("[4,\"y\"]", "[5,\"z\"]"), f.query("SELECT id, part FROM t WHERE id > 3"));
        assertEquals(List.of("[1]"), f.query("SELECT COUNT(*) FROM t WHERE part = 'z'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("features")
    void updateWithoutWhereChangesEveryRow(DmlFixture.Features features) {
        createT(features);
        assertEquals(5, f.update("UPDATE t SET price = NULL"));
        assertEquals(List.of("[5]"), f.query("SELECT COUNT(*) FROM t WHERE price IS NULL"));
        assertEquals(0, f.update("UPDATE t SET qty = 1 WHERE id > 100"));
    }

    @Test
    void errorsLeaveTheTableUnchanged() {
        createT(new DmlFixture.Features(true, true));
        long v = f.version("t");
        List<String> files = f.allFiles("t");
        assertError(ErrorCode.NOT_NULL_VIOLATION, () -> f.update("UPDATE t SET id = NULL WHERE id = 1"));
        assertError(ErrorCode.COLUMN_NOT_FOUND, () -> f.update("UPDATE t SET nope = 1"));
        assertError(ErrorCode.VALIDATION_ERROR, () -> f.update("UPDATE t SET qty = 1, QTY = 2"));
        assertError(ErrorCode.DIVISION_BY_ZERO, () -> f.update("UPDATE t SET qty = qty / (id - id)"));
        assertEquals(v, f.version("t"));
        assertEquals(files, f.allFiles("t"));
    }

    @Test
    void constraintsAndGeneratedColumnsHoldForChangedRows() {
        f.execute("CREATE TABLE g (id BIGINT GENERATED ALWAYS AS IDENTITY, price DOUBLE, qty INT, "
                + "total DOUBLE GENERATED ALWAYS AS (price * qty)) TBLPROPERTIES ('delta.enableChangeDataFeed' = 'true')");
        assertEquals(2, f.update("INSERT INTO g (price, qty) VALUES (1.5, 2), (2.0, 3)"));
        f.execute("ALTER TABLE g ADD CONSTRAINT positive CHECK (qty > 0)");
        long v = f.version("g");
        assertError(ErrorCode.CHECK_VIOLATION, () -> f.update("UPDATE g SET qty = -1 WHERE qty = 2"));
        assertEquals(v, f.version("g"));
        assertEquals(1, f.update("UPDATE g SET qty = 4 WHERE qty = 2"));
        assertEquals(List.of("[1,4,6.0]", "[2,3,6.0]"), f.query("SELECT id, qty, total FROM g"));
        assertEquals(List.of("[1,2,3.0,\"update_preimage\"]", "[1,4,6.0,\"update_postimage\"]"),
                f.query("SELECT id, qty, total, _change_type FROM table_changes('g', " + f.version("g") + ")"));
        // INSERT OVERWRITE assigns identity values to new rows, above the ones handed out before.
        assertEquals(1, f.update("INSERT OVERWRITE g (price, qty) VALUES (3.0, 1)"));
        assertEquals(List.of("[3,3.0]"), f.query("SELECT id, total FROM g"));
    }

    @Test
    void aliasAndParameters() {
        createT(new DmlFixture.Features(true, false));
        try (var r = f.session.execute("UPDATE t AS a SET a.qty = ? WHERE a.id = ?", List.of(7L, 1))) {
            assertEquals(1, r.updateCount());
        }
        assertEquals(List.of("[7]"), f.query("SELECT qty FROM t WHERE id = 1"));
        var prepared = f.session.prepare("UPDATE t SET qty = qty + 1 WHERE id = ?");
        assertEquals(1, prepared.execute(List.of(1)).updateCount());
        assertEquals(1, prepared.execute(List.of(1)).updateCount(), "each execution reads the latest version");
        assertEquals(List.of("[9]"), f.query("SELECT qty FROM t WHERE id = 1"));
    }
}
