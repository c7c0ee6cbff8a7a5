package dev.tarn.txlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.txlog.action.Action;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.CommitInfo;
import dev.tarn.txlog.action.Metadata;
import dev.tarn.txlog.action.Protocol;
import dev.tarn.txlog.action.RemoveFile;
import dev.tarn.txlog.skipping.Predicate;
import dev.tarn.txlog.skipping.Predicate.Column;
import dev.tarn.txlog.skipping.Predicate.Comparison;
import dev.tarn.txlog.skipping.Predicate.Literal;
import dev.tarn.txlog.skipping.Predicate.Op;
import dev.tarn.txlog.types.PrimitiveType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Create a table, append, remove, checkpoint (automatic and explicit), and reload every version. */
class RoundTripTest {
    @TempDir
    Path dir;

    private static Set<String> paths(Snapshot s) {
        Set<String> out = new TreeSet<>();
        s.activeFiles().forEach(a -> out.add(a.decodedPath()));
        return out;
    }

    @Test
    void createAppendRemoveCheckpointAndReloadEveryVersion() {
        TableLog log = TestTables.create(dir, Map.of("delta.checkpointInterval", "3"));
        assertTrue(log.exists());
        Snapshot v0 = log.latestSnapshot();
        assertEquals(0, v0.version());
        assertEquals(new Protocol(1, 2), v0.protocol());
        assertEquals(List.of("part"), v0.partitionColumns());
        assertEquals(TestTables.SCHEMA, v0.schema());

        AddFile f1 = TestTables.file("f1.parquet", "a", 1, 10);
        AddFile f2 = TestTables.file("f2.parquet", "b", 11, 20);
        AddFile f3 = TestTables.file("f3.parquet", "a b", 21, 30);
        AddFile f4 = TestTables.file("f4.parquet", null, 31, 40);
        assertEquals(1, TestTables.append(log, f1).version());
        assertEquals(2, TestTables.append(log, f2).version());
        CommitResult r3 = TestTables.append(log, f3);
        assertEquals(3, r3.version());
        // Version 3 is a multiple of delta.checkpointInterval: the commit wrote a checkpoint.
        assertTrue(Files.exists(dir.resolve("_delta_log/00000000000000000003.checkpoint.parquet")));
        assertEquals(3, log.readLastCheckpoint().orElseThrow().version());
        assertEquals(4, TestTables.append(log, f4).version());

        Transaction delete = log.newTransaction(log.latestSnapshot(), "DELETE", Map.of("predicate", "[\"id <= 10\"]"));
        delete.removeFiles(List.of(f1.toRemove(System.currentTimeMillis(), true)));
        CommitResult r5 = delete.commit();
        assertEquals(5, r5.version());
        assertEquals(Set.of("part=b/f2.parquet", "part=a b/f3.parquet", "part=__HIVE_DEFAULT_PARTITION__/f4.parquet"),
                paths(r5.snapshot()));

        TableLog fresh = TableLog.forPath(new LocalFileIO(), dir.toString());
        List<Set<String>> expected = List.of(
                Set.of(),
                Set.of("part=a/f1.parquet"),
                Set.of("part=a/f1.parquet", "part=b/f2.parquet"),
                Set.of("part=a/f1.parquet", "part=b/f2.parquet", "part=a b/f3.parquet"),
                Set.of("part=a/f1.parquet", "part=b/f2.parquet", "part=a b/f3.parquet",
                        "part=__HIVE_DEFAULT_PARTITION__/f4.parquet"),
                Set.of("part=b/f2.parquet", "part=a b/f3.parquet", "part=__HIVE_DEFAULT_PARTITION__/f4.parquet"));
        for (int v = 0; v <= 5; v++) {
            Snapshot s = fresh.snapshotAt(v);
            assertEquals(v, s.version());
            assertEquals(new TreeSet<>(expected.get(v)), paths(s), "files at version " + v);
            assertEquals(v >= 3 ? 3 : -1, s.checkpointVersion(), "checkpoint used at version " + v);
        }
        // The space in "a b" is URI-encoded in the log and decoded for readers.
        AddFile logged = fresh.snapshotAt(3).activeFiles().stream().filter(a -> a.path().contains("f3")).findFirst().orElseThrow();
        assertEquals("part=a%20b/f3.parquet", logged.path());

        // Explicit checkpoint at the latest version carries files, stats, partition values and the tombstone.
        LastCheckpoint lc = Checkpoints.writeClassic(fresh.fileIO(), fresh.latestSnapshot());
        assertEquals(5, lc.version());
        assertEquals(2 + 3 + 1, lc.size()); // protocol, metaData, 3 adds, 1 remove
        Snapshot reloaded = TableLog.forPath(new LocalFileIO(), dir.toString()).latestSnapshot();
        assertEquals(5, reloaded.checkpointVersion());
        assertEquals(paths(r5.snapshot()), paths(reloaded));
        assertEquals(Set.of("part=a/f1.parquet"),
                reloaded.tombstones().stream().map(RemoveFile::decodedPath).collect(java.util.stream.Collectors.toSet()));
        AddFile fromCheckpoint = reloaded.activeFiles().stream().filter(a -> a.path().contains("f2")).findFirst().orElseThrow();
        assertEquals(TestTables.file("f2.parquet", "b", 11, 20), fromCheckpoint);
        AddFile nullPartition = reloaded.activeFiles().stream().filter(a -> a.path().contains("f4")).findFirst().orElseThrow();
        assertTrue(nullPartition.partitionValues().containsKey("part"));
        assertEquals(null, nullPartition.partitionValues().get("part"));
        assertEquals(r5.snapshot().metadata(), reloaded.metadata());
    }

    @Test
    void commitInfoRecordsOperationAndMetrics() {
        TableLog log = TestTables.create(dir, Map.of());
        TestTables.append(log, TestTables.file("f1.parquet", "a", 1, 10));
        CommitInfo ci = (CommitInfo) log.readCommit(1).get(0);
        assertEquals("WRITE", ci.operation());
        assertEquals(Map.of("mode", "Append"), ci.operationParameters());
        assertTrue(ci.engineInfo().startsWith("Tarn/"), ci.engineInfo());
        assertEquals(Boolean.TRUE, ci.isBlindAppend());
        assertEquals(0L, ci.readVersion());
        assertEquals("WriteSerializable", ci.isolationLevel());
        assertEquals("1", ci.operationMetrics().get("numFiles"));
        assertEquals("10", ci.operationMetrics().get("numOutputRows"));
        assertEquals("1000", ci.operationMetrics().get("numOutputBytes"));
        List<Action> create = log.readCommit(0);
        assertTrue(create.get(0) instanceof CommitInfo c && c.readVersion() == null && "CREATE TABLE".equals(c.operation()));
        assertTrue(create.stream().anyMatch(a -> a instanceof Protocol));
        assertTrue(create.stream().anyMatch(a -> a instanceof Metadata));
    }

    @Test
    void scanSkipsFilesByPartitionAndStatistics() {
        TableLog log = TestTables.create(dir, Map.of());
        TestTables.append(log, TestTables.file("f1.parquet", "a", 1, 10), TestTables.file("f2.parquet", "b", 11, 20),
                TestTables.file("f3.parquet", null, 21, 30));
        Snapshot s = log.latestSnapshot();
        ScanPlan all = s.scanBuilder().build();
        assertEquals(3, all.totalFiles());
        assertEquals(0, all.skippedFiles());
        ScanFile f1 = all.files().stream().filter(f -> f.location().endsWith("f1.parquet")).findFirst().orElseThrow();
        assertEquals(dir + "/part=a/f1.parquet", f1.location());
        assertEquals(Map.of("part", "a"), f1.partitionValues());

        Literal fifteen = new Literal(15L, PrimitiveType.LONG);
        ScanPlan gt = s.scanBuilder().withFilter(new Comparison(Column.of("id"), Op.GT, fifteen)).build();
        assertEquals(Set.of("f2.parquet", "f3.parquet"), names(gt));
        assertEquals(1, gt.skippedFiles());
        ScanPlan part = s.scanBuilder().withFilter(new Comparison(Column.of("part"), Op.EQ,
                new Literal("b", PrimitiveType.STRING))).build();
        assertEquals(Set.of("f2.parquet"), names(part));
        ScanPlan nullPart = s.scanBuilder().withFilter(new Predicate.IsNull(Column.of("part"))).build();
        assertEquals(Set.of("f3.parquet"), names(nullPart));
        ScanPlan notEq = s.scanBuilder().withFilter(new Predicate.Not(new Comparison(Column.of("part"), Op.EQ,
                new Literal("b", PrimitiveType.STRING)))).build();
        assertEquals(Set.of("f1.parquet"), names(notEq)); // NULL <> 'b' is not true
        ScanPlan or = s.scanBuilder().withFilter(new Predicate.Or(List.of(
                new Comparison(Column.of("id"), Op.LT, new Literal(2L, PrimitiveType.LONG)),
                new Predicate.In(Column.of("id"), List.of(new Literal(25, PrimitiveType.INTEGER)))))).build();
        assertEquals(Set.of("f1.parquet", "f3.parquet"), names(or));
    }

    @Test
    void commitRangeForChangeReaders() {
        var source = dev.tarn.testdata.ExpectedTable.named("cdf-partitioned").tableDir();
        TableLog log = TableLog.forPath(new LocalFileIO(), source.toString());
        List<Commit> commits = log.commits(0, 3);
        assertEquals(List.of(0L, 1L, 2L, 3L), commits.stream().map(Commit::version).toList());
        assertTrue(commits.stream().anyMatch(c -> c.actions().stream().anyMatch(a -> a instanceof dev.tarn.txlog.action.AddCdcFile)),
                "the table has change data files");
        assertEquals(dev.tarn.error.ErrorCode.VERSION_NOT_FOUND, org.junit.jupiter.api.Assertions.assertThrows(
                dev.tarn.error.TarnException.class, () -> log.commits(2, 9)).errorCode());
    }

    private static Set<String> names(ScanPlan plan) {
        Set<String> out = new TreeSet<>();
        plan.files().forEach(f -> out.add(f.location().substring(f.location().lastIndexOf('/') + 1)));
        return out;
    }
}
