package dev.tarn.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.storage.parquet.ArrowParquetReader;
import dev.tarn.storage.parquet.ParquetReadRequest;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import dev.tarn.txlog.action.AddFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OPTIMIZE keeps row ids and row commit versions by materializing them (PROTOCOL.md "Row Tracking"). */
class RowTrackingOptimizeTest {
    private static final String ROW_ID = "_row-id-col-test";
    private static final String COMMIT_VERSION = "_row-commit-version-col-test";

    @Test
    void compactionMaterializesRowIdsAndCommitVersions(@TempDir Path dir) {
        TableLog log = TestTables.create(dir.resolve("t"), false, Map.of("delta.enableRowTracking", "true",
                "delta.enableDeletionVectors", "true",
                "delta.rowTracking.materializedRowIdColumnName", ROW_ID,
                "delta.rowTracking.materializedRowCommitVersionColumnName", COMMIT_VERSION));
        TestTables.append(log, null, TestTables.range(100, 110));   // version 1
        TestTables.append(log, null, TestTables.range(200, 210));   // version 2
        Snapshot written = log.latestSnapshot();
        // Expected identity of each row: id -> (row id, commit version), from the files' baseRowId/defaultRowCommitVersion.
        Map<Long, long[]> expected = new TreeMap<>();
        for (AddFile f : written.activeFiles()) {
            long first = f.stats().contains("\"id\":100,") || f.stats().contains("\"id\":100}") ? 100 : 200;
            for (int i = 0; i < 10; i++) {
                expected.put(first + i, new long[] {f.baseRowId() + i, f.defaultRowCommitVersion()});
            }
        }
        AddFile firstFile = written.activeFiles().stream().filter(f -> f.baseRowId() == 0).findFirst().orElseThrow();
        TestTables.deleteRows(log, firstFile, 3);
        expected.remove(103L);

        RewriteResult result = new OptimizeTask(log, OptimizeOptions.defaults().withTargetFileSize(1 << 20)).run();

        assertTrue(result.committed(), result.toString());
        Snapshot after = log.latestSnapshot();
        assertEquals(1, after.activeFiles().size());
        AddFile compacted = after.activeFiles().get(0);
        assertTrue(compacted.baseRowId() >= 20, "new files get fresh base row ids: " + compacted.baseRowId());
        Map<Long, long[]> actual = new TreeMap<>();
        FieldType int64 = FieldType.nullable(new ArrowType.Int(64, true));
        Schema schema = new Schema(List.of(new Field("id", int64, null), new Field(ROW_ID, int64, null),
                new Field(COMMIT_VERSION, int64, null)));
        try (BufferAllocator allocator = new RootAllocator();
             ArrowParquetReader r = ArrowParquetReader.open(log.fileIO().newInputFile(log.location() + "/"
                     + compacted.decodedPath()), ParquetReadRequest.of(schema, false), allocator)) {
            for (VectorSchemaRoot b = r.next(); b != null; b = r.next()) {
                for (int i = 0; i < b.getRowCount(); i++) {
                    actual.put(((BigIntVector) b.getVector(0)).get(i), new long[] {
                            ((BigIntVector) b.getVector(1)).get(i), ((BigIntVector) b.getVector(2)).get(i)});
                }
            }
        }
        assertEquals(expected.keySet(), actual.keySet());
        for (Long id : expected.keySet()) {
            assertEquals(expected.get(id)[0], actual.get(id)[0], "row id of " + id);
            assertEquals(expected.get(id)[1], actual.get(id)[1], "row commit version of " + id);
        }
    }
}
