package dev.tarn.txlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.txlog.action.Action;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.CheckpointMetadata;
import dev.tarn.txlog.action.CommitInfo;
import dev.tarn.txlog.action.DeletionVectorDescriptor;
import dev.tarn.txlog.action.DeletionVectorDescriptor.StorageType;
import dev.tarn.txlog.action.DomainMetadata;
import dev.tarn.txlog.action.Protocol;
import dev.tarn.txlog.internal.checkpoint.ParquetCheckpoints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing and re-reading tables that use deletion vectors, V2 checkpoints, in-commit timestamps, row tracking. */
class FeatureRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void deletionVectorsReconcileByPathAndDvAndSurviveCheckpoints() {
        TableLog log = TestTables.create(dir, Map.of("delta.enableDeletionVectors", "true"));
        assertEquals(Set.of("deletionVectors"), log.latestSnapshot().protocol().readerFeatures());
        AddFile f = TestTables.file("f.parquet", "a", 1, 10);
        TestTables.append(log, f);
        DeletionVectorDescriptor dv1 = new DeletionVectorDescriptor(StorageType.UUID_RELATIVE, "ab^-aqEH.-t@S}K{vb[*k^", 1, 36, 2, null);
        DeletionVectorDescriptor dv2 = new DeletionVectorDescriptor(StorageType.UUID_RELATIVE, "ab^-aqEH.-t@S}K{vb[*k^", 41, 38, 3, null);
        for (DeletionVectorDescriptor[] step : new DeletionVectorDescriptor[][] {{null, dv1}, {dv1, dv2}}) {
            Snapshot read = log.latestSnapshot();
            AddFile current = read.activeFiles().get(0);
            assertEquals(step[0], current.deletionVector());
            Transaction tx = log.newTransaction(read, "DELETE", Map.of());
            tx.readFiles(List.of(current));
            tx.removeFiles(List.of(current.toRemove(System.currentTimeMillis(), true)));
            tx.addFiles(List.of(current.withDeletionVector(step[1])));
            tx.commit();
        }
        Snapshot latest = log.latestSnapshot();
        assertEquals(1, latest.activeFiles().size());
        assertEquals(dv2, latest.activeFiles().get(0).deletionVector());
        assertEquals(dv1, log.snapshotAt(2).activeFiles().get(0).deletionVector());
        assertEquals(10 - 3, latest.estimatedRowCount());
        Checkpoints.writeClassic(log.fileIO(), latest);
        Snapshot reloaded = TableLog.forPath(new LocalFileIO(), dir.toString()).latestSnapshot();
        assertEquals(latest.version(), reloaded.checkpointVersion());
        assertEquals(latest.activeFiles(), reloaded.activeFiles());
        assertEquals(2, reloaded.tombstones().size(), "tombstones for (f, none) and (f, dv1)");
    }

    @Test
    void v2CheckpointPolicyWritesCheckpointMetadata() {
        TableLog log = TestTables.create(dir, Map.of("delta.checkpointPolicy", "v2", "delta.checkpointInterval", "2"));
        Protocol p = log.latestSnapshot().protocol();
        assertTrue(p.readerFeatures().contains("v2Checkpoint") && p.writerFeatures().contains("v2Checkpoint"));
        TestTables.append(log, TestTables.file("a.parquet", "a", 1, 2));
        TestTables.append(log, TestTables.file("b.parquet", "b", 3, 4));
        // The automatic checkpoint is UUID-named (V2 spec, JSON top level).
        String name = log.readLastCheckpoint().orElseThrow().v2CheckpointPath().orElseThrow();
        List<Action> top = dev.tarn.txlog.internal.json.ActionJson.parseFile(
                new LocalFileIO().newInputFile(log.logDirectory() + "/" + name).readAllBytes(), name);
        assertTrue(top.contains(new CheckpointMetadata(2, Map.of())), top.toString());
        Snapshot s = TableLog.forPath(new LocalFileIO(), dir.toString()).latestSnapshot();
        assertEquals(2, s.checkpointVersion());
        assertEquals(2, s.activeFiles().size());
        // A classic-named checkpoint of a v2Checkpoint table follows the V2 spec too.
        Checkpoints.writeClassic(new LocalFileIO(), s);
        String checkpoint = dir.resolve("_delta_log/00000000000000000002.checkpoint.parquet").toString();
        List<Action> actions = new ArrayList<>();
        ParquetCheckpoints.readActions(new LocalFileIO(), checkpoint, actions::add);
        assertTrue(actions.contains(new CheckpointMetadata(2, Map.of())), actions.toString());
    }

    @Test
    void inCommitTimestampsIncreaseAndDriveSnapshotTime() {
        TableLog log = TestTables.create(dir, Map.of("delta.enableInCommitTimestamps", "true", "delta.checkpointInterval", "2"));
        assertEquals(new Protocol(1, 7, Set.of(), Set.of("inCommitTimestamp")), log.latestSnapshot().protocol());
        long previous = -1;
        for (int i = 0; i < 3; i++) {
            CommitResult r = TestTables.append(log, TestTables.file("f" + i + ".parquet", "a", i, i));
            CommitInfo ci = (CommitInfo) log.readCommit(r.version()).get(0);
            assertTrue(ci.inCommitTimestamp() > previous);
            assertEquals(ci.inCommitTimestamp().longValue(), r.snapshot().timestamp());
            assertEquals(ci.inCommitTimestamp().longValue(), log.snapshotAt(r.version()).timestamp());
            previous = ci.inCommitTimestamp();
        }
    }

    @Test
    void rowTrackingAssignsBaseRowIdsAndHighWaterMark() {
        TableLog log = TestTables.create(dir, Map.of("delta.enableRowTracking", "true"));
        TestTables.append(log, TestTables.file("a.parquet", "a", 1, 10), TestTables.file("b.parquet", "a", 11, 15));
        CommitResult r = TestTables.append(log, TestTables.file("c.parquet", "b", 1, 3));
        Map<String, Long> baseIds = new java.util.HashMap<>();
        for (AddFile a : r.snapshot().activeFiles()) {
            baseIds.put(a.path().substring(a.path().lastIndexOf('/') + 1), a.baseRowId());
        }
        assertEquals(Map.of("a.parquet", 0L, "b.parquet", 10L, "c.parquet", 15L), baseIds);
        DomainMetadata hwm = r.snapshot().domainMetadata().get("delta.rowTracking");
        assertEquals("{\"rowIdHighWaterMark\":17}", hwm.configuration());
        assertEquals(2L, r.snapshot().activeFiles().stream().filter(a -> a.path().endsWith("c.parquet"))
                .findFirst().orElseThrow().defaultRowCommitVersion());
    }

    @Test
    void columnMappingAssignsIdsAndPhysicalNames() {
        TableLog log = TableLog.forPath(new LocalFileIO(), dir.toString());
        Transaction tx = log.newTransaction(null, "CREATE TABLE", Map.of());
        dev.tarn.txlog.types.StructType schema = dev.tarn.txlog.types.StructType.of(
                new dev.tarn.txlog.types.StructField("id", dev.tarn.txlog.types.PrimitiveType.LONG, true),
                new dev.tarn.txlog.types.StructField("s", dev.tarn.txlog.types.StructType.of(
                        new dev.tarn.txlog.types.StructField("x", dev.tarn.txlog.types.PrimitiveType.INTEGER, true)), true),
                new dev.tarn.txlog.types.StructField("part", dev.tarn.txlog.types.PrimitiveType.STRING, true));
        tx.updateMetadata(dev.tarn.txlog.action.Metadata.create(schema, List.of("part"),
                Map.of("delta.columnMapping.mode", "name"), null, null));
        Snapshot s = tx.commit().snapshot();
        assertEquals(new Protocol(2, 5), s.protocol());
        assertEquals("4", s.configuration().get("delta.columnMapping.maxColumnId"));
        var fields = s.schema().fields();
        assertEquals(List.of(1L, 2L, 4L), fields.stream().map(f -> f.fieldId()).toList());
        var nested = ((dev.tarn.txlog.types.StructType) fields.get(1).type()).fields().get(0);
        assertEquals(3L, nested.fieldId());
        assertTrue(fields.stream().allMatch(f -> f.physicalName().startsWith("col-")));
        // Partition values are keyed by the physical name.
        String physical = fields.get(2).physicalName();
        Transaction append = log.newTransaction(s, "WRITE", Map.of());
        append.addFiles(List.of(AddFile.create("f.parquet", Map.of(physical, "a"), 1, 1, true, null)));
        CommitResult r = append.commit();
        assertEquals(Map.of("part", "a"), r.snapshot().scanBuilder().build().files().get(0).partitionValues());
        Transaction wrong = log.newTransaction(r.snapshot(), "WRITE", Map.of());
        wrong.addFiles(List.of(AddFile.create("g.parquet", Map.of("part", "a"), 1, 1, true, null)));
        assertEquals(dev.tarn.error.ErrorCode.VALIDATION_ERROR,
                org.junit.jupiter.api.Assertions.assertThrows(dev.tarn.error.TarnException.class, wrong::commit).errorCode());
    }

    @Test
    void featurePropertiesBecomeProtocolFeaturesAndAreNotStored() {
        TableLog log = TestTables.create(dir, Map.of("delta.feature.deletionVectors", "supported",
                "delta.feature.inCommitTimestamp", "supported", "delta.appendOnly", "false"));
        Snapshot s = log.latestSnapshot();
        assertEquals(new Protocol(3, 7, Set.of("deletionVectors"), Set.of("deletionVectors", "inCommitTimestamp")),
                s.protocol());
        assertEquals(Map.of("delta.appendOnly", "false"), s.configuration());
        // Enabling a feature later upgrades the protocol in the same commit.
        Transaction alter = log.newTransaction(s, "SET TBLPROPERTIES", Map.of());
        alter.updateMetadata(s.metadata().withConfiguration(Map.of("delta.enableChangeDataFeed", "true")));
        Snapshot after = alter.commit().snapshot();
        assertTrue(after.protocol().writerFeatures().contains("changeDataFeed"), after.protocol().toString());
    }
}
