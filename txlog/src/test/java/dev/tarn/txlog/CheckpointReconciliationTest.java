package dev.tarn.txlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.DeletionVectorDescriptor;
import dev.tarn.txlog.action.DeletionVectorDescriptor.StorageType;
import dev.tarn.txlog.action.RemoveFile;
import dev.tarn.txlog.skipping.Predicate;
import dev.tarn.txlog.skipping.Predicate.Column;
import dev.tarn.txlog.skipping.Predicate.Comparison;
import dev.tarn.txlog.skipping.Predicate.Literal;
import dev.tarn.txlog.skipping.Predicate.Op;
import dev.tarn.txlog.types.PrimitiveType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot loaded from a checkpoint (whose files are kept by column) plus later commits must equal the same
 * table replayed from its JSON commits alone (PROTOCOL.md "Action Reconciliation"): commits after the checkpoint
 * remove its files, update their deletion vectors (a new key), name them by absolute path, and re-add them; the
 * counts, sizes, row estimates and scan plans read from the columns must match the records.
 */
class CheckpointReconciliationTest {
    private static final DeletionVectorDescriptor DV = new DeletionVectorDescriptor(StorageType.UUID_RELATIVE,
            "ab^-aqEH.-t@S}K{vb[*k^", 4, 40, 3L, 9L);

    @TempDir
    Path dir;

    @Test
    void checkpointFilesChangedByLaterCommitsMatchAJsonReplay() throws Exception {
        TableLog log = TestTables.create(dir, Map.of("delta.checkpointInterval", "1000"));
        List<AddFile> files = new ArrayList<>();
        for (int i = 0; i < 5000; i++) { // more than one column chunk of the checkpoint
            files.add(TestTables.file("f" + i + " x.parquet", i % 3 == 0 ? null : "p" + (i % 7), i * 10L,
                    i * 10L + 9));
        }
        Transaction tx = log.newTransaction(log.latestSnapshot(), "WRITE", Map.of());
        tx.addFiles(files);
        Snapshot written = tx.commit().snapshot();
        Checkpoints.writeClassic(new LocalFileIO(), written);

        AddFile removed = files.get(10);
        AddFile dvUpdated = files.get(4097);
        AddFile byAbsolutePath = files.get(20);
        AddFile readded = files.get(0);
        commit(log, List.of(), List.of(removed.toRemove(System.currentTimeMillis(), true)));
        commit(log, List.of(dvUpdated.withDeletionVector(DV)),
                List.of(dvUpdated.toRemove(System.currentTimeMillis(), true)));
        String absolute = "file://" + dir.toAbsolutePath() + "/" + byAbsolutePath.path();
        commit(log, List.of(), List.of(new RemoveFile(absolute, System.currentTimeMillis(), true, null, null, null,
                null, null, null, null, null)));
        commit(log, List.of(), List.of(readded.toRemove(System.currentTimeMillis(), true)));
        commit(log, List.of(readded.withDataChange(false)), List.of());

        Snapshot fromCheckpoint = TableLog.forPath(new LocalFileIO(), dir.toString()).latestSnapshot();
        assertEquals(1, fromCheckpoint.checkpointVersion());
        Files.delete(dir.resolve("_delta_log/00000000000000000001.checkpoint.parquet"));
        Files.delete(dir.resolve("_delta_log/_last_checkpoint"));
        Snapshot fromJson = TableLog.forPath(new LocalFileIO(), dir.toString()).latestSnapshot();
        assertEquals(-1, fromJson.checkpointVersion());

        assertEquals(fromJson.activeFiles(), fromCheckpoint.activeFiles());
        assertEquals(4998, fromCheckpoint.activeFileCount());
        List<AddFile> last = fromCheckpoint.activeFiles().subList(4996, 4998);
        assertEquals(List.of(dvUpdated.withDeletionVector(DV), readded.withDataChange(false)), last);
        assertTrue(fromCheckpoint.activeFiles().stream().noneMatch(a -> a.equals(removed) || a.equals(byAbsolutePath)));
        assertEquals(fromJson.sizeInBytes(), fromCheckpoint.sizeInBytes());
        assertEquals(fromJson.estimatedRowCount(), fromCheckpoint.estimatedRowCount());
        assertEquals(4998 * 10L - DV.cardinality(), fromCheckpoint.estimatedRowCount());

        Predicate filter = new Comparison(Column.of("id"), Op.LT, new Literal(25L, PrimitiveType.LONG));
        ScanPlan plan = fromCheckpoint.scanBuilder().withFilter(filter).build();
        assertEquals(fromJson.scanBuilder().withFilter(filter).build(), plan);
        assertEquals(List.of(files.get(1), files.get(2), readded.withDataChange(false)),
                plan.files().stream().map(ScanFile::add).toList());
        assertEquals(4998, plan.totalFiles());

        // Refreshing the checkpoint-based snapshot by more commits shares its columns and stays equal.
        commit(log, List.of(), List.of(files.get(1).toRemove(System.currentTimeMillis(), true)));
        Snapshot refreshed = log.refresh(fromCheckpoint);
        assertEquals(TableLog.forPath(new LocalFileIO(), dir.toString()).latestSnapshot().activeFiles(),
                refreshed.activeFiles());
        assertEquals(4997, refreshed.activeFileCount());
        assertEquals(4998, fromCheckpoint.activeFileCount(), "the base snapshot must not change");
    }

    private static CommitResult commit(TableLog log, List<AddFile> adds, List<RemoveFile> removes) {
        Transaction tx = log.newTransaction(log.latestSnapshot(), "DELETE", Map.of());
        tx.removeFiles(removes);
        tx.addFiles(adds);
        return tx.commit();
    }
}
