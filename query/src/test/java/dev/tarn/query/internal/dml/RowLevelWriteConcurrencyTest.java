package dev.tarn.query.internal.dml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.internal.catalog.DeltaLakeCatalog;
import dev.tarn.query.internal.catalog.DeltaTableHandle;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.write.WriteSettings;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.txlog.ScanFile;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two writers on one snapshot, interleaved by hand through {@link RowLevelWrite}: DML touching the same file
 * conflicts, appends do not conflict with DML that did not read them, and row ids are reassigned on retry.
 */
class RowLevelWriteConcurrencyTest {
    @TempDir
    Path dir;
    DmlFixture f;
    DeltaLakeCatalog catalog;
    RootAllocator allocator;
    ExecutorService executor;
    ExecutionContext context;

    @BeforeEach
    void open() {
        f = new DmlFixture(dir);
        catalog = new DeltaLakeCatalog(f.lake, new LocalFileIO(), WriteSettings.DEFAULTS);
        allocator = new RootAllocator();
        executor = Executors.newSingleThreadExecutor();
        context = new ExecutionContext(allocator, executor, 1, ZoneOffset.UTC);
    }

    @AfterEach
    void close() {
        executor.shutdownNow();
        allocator.close();
        f.close();
    }

    private DeltaTableHandle handle(String table) {
        return (DeltaTableHandle) catalog.table("default", table).orElseThrow();
    }

    private static String onlyFile(RowLevelWrite w) {
        List<ScanFile> files = List.copyOf(w.files().values());
        assertEquals(1, files.size());
        return files.get(0).location();
    }

    private void createT(String properties) {
        f.execute("CREATE TABLE t (id INT, name STRING)" + properties);
        f.update("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    }

    @Test
    void concurrentDeletesOfOneFileConflict() {
        createT("");
        DeltaTableHandle snapshot = handle("t");
        try (RowLevelWrite first = RowLevelWrite.begin(snapshot, "DELETE", Map.of(), context);
             RowLevelWrite second = RowLevelWrite.begin(snapshot, "DELETE", Map.of(), context)) {
            first.deleteRows(onlyFile(first), new long[] {0}, 1);
            second.deleteRows(onlyFile(second), new long[] {1}, 1);
            assertEquals(1, first.commit().deletedRows());
            TarnException e = assertThrows(TarnException.class, second::commit);
            assertEquals(ErrorCode.CONCURRENT_MODIFICATION, e.errorCode());
            assertTrue(e.getMessage().contains("removed files this transaction read or removed"), e.getMessage());
        }
        assertEquals(1, f.dvFiles("t").size(), "the loser's DV file is deleted");
        assertEquals(List.of("[2]", "[3]"), f.query("SELECT id FROM t"));
    }

    @Test
    void appendsDoNotConflictWithDmlThatDidNotReadThem() {
        createT("");
        try (RowLevelWrite delete = RowLevelWrite.begin(handle("t"), "DELETE", Map.of(), context)) {
            delete.deleteRows(onlyFile(delete), new long[] {2}, 1);
            delete.readWholeTable();
            f.update("INSERT INTO t VALUES (4, 'd')");
            assertEquals(3, delete.commit().version(), "WriteSerializable: a blind append never conflicts");
        }
        assertEquals(List.of("[1]", "[2]", "[4]"), f.query("SELECT id FROM t"));
    }

    @Test
    void serializableTablesConflictWithAppendsTheDmlWouldHaveRead() {
        createT(" TBLPROPERTIES ('delta.isolationLevel' = 'Serializable')");
        try (RowLevelWrite delete = RowLevelWrite.begin(handle("t"), "DELETE", Map.of(), context)) {
            delete.deleteRows(onlyFile(delete), new long[] {2}, 1);
            delete.readWholeTable();
            f.update("INSERT INTO t VALUES (4, 'd')");
            TarnException e = assertThrows(TarnException.class, delete::commit);
            assertEquals(ErrorCode.CONCURRENT_MODIFICATION, e.errorCode());
            assertTrue(e.getMessage().contains("added files"), e.getMessage());
        }
        assertEquals(List.of("[1]", "[2]", "[3]", "[4]"), f.query("SELECT id FROM t"));
    }

    @Test
    void rowIdsAreReassignedWhenTheCommitRetries() {
        createT(" TBLPROPERTIES ('delta.enableRowTracking' = 'true')");
        try (RowLevelWrite w = RowLevelWrite.begin(handle("t"), "WRITE", Map.of(), context);
             VectorSchemaRoot rows = VectorSchemaRoot.create(
                     dev.tarn.txlog.types.ArrowTypes.toArrowSchema(handle("t").schema()), allocator)) {
            IntVector id = (IntVector) rows.getVector(0);
            VarCharVector name = (VarCharVector) rows.getVector(1);
            id.setSafe(0, 5);
            name.setSafe(0, "e".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            rows.setRowCount(1);
            w.insert(rows);
            f.update("INSERT INTO t VALUES (4, 'd')");
            assertEquals(3, w.commit().version());
        }
        assertEquals(List.of("[5,5]"), f.query("SELECT COUNT(*), COUNT(DISTINCT _metadata.row_id) FROM t"));
        assertEquals(List.of("[5,3]"), f.query("SELECT id, _metadata.row_commit_version FROM t WHERE id = 5"));
    }
}
