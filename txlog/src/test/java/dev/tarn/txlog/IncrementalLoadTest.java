package dev.tarn.txlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.storage.fs.FileEntry;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.storage.fs.InputFile;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.storage.fs.OutputFile;
import dev.tarn.testdata.CountingFileIO;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.DeletionVectorDescriptor;
import dev.tarn.txlog.action.DeletionVectorDescriptor.StorageType;
import dev.tarn.txlog.action.RemoveFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading from the checkpoint {@code _last_checkpoint} names and refreshing a snapshot by its new commits only must
 * give the same table as a full replay: same files (in the same order where no checkpoint intervenes), same
 * tombstones, and the older snapshot left unchanged.
 */
class IncrementalLoadTest {
    private static final DeletionVectorDescriptor DV = new DeletionVectorDescriptor(StorageType.UUID_RELATIVE,
            "ab^-aqEH.-t@S}K{vb[*k^", 4, 40, 3L, 9L);
    private static final DeletionVectorDescriptor INLINE_DV = new DeletionVectorDescriptor(StorageType.INLINE,
            "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", null, 40, 2L, null);

    @TempDir
    Path dir;

    @Test
    void refreshAppliesRemovesReaddsAndCanonicalPathsLikeAFullReplay() {
        TableLog log = TestTables.create(dir, Map.of("delta.checkpointInterval", "1000"));
        AddFile f1 = TestTables.file("f1.parquet", "a", 1, 10);
        AddFile f2 = TestTables.file("f2.parquet", "b", 11, 20);
        AddFile f3 = TestTables.file("f3 x.parquet", "a b", 21, 30);
        AddFile f4 = TestTables.file("f4.parquet", null, 31, 40);
        for (AddFile f : List.of(f1, f2, f3, f4)) {
            TestTables.append(log, f);
        }
        Snapshot base = log.latestSnapshot();
        List<AddFile> baseFiles = List.copyOf(base.activeFiles());

        commit(log, List.of(), List.of(f1.toRemove(1L, true)));
        // A DV update: the file without DV is removed and comes back with one (a new reconciliation key).
        commit(log, List.of(f2.withDeletionVector(DV)), List.of(f2.toRemove(2L, true)));
        AddFile f5 = TestTables.file("f5.parquet", "c", 41, 50);
        TestTables.append(log, f5);
        // The same file named by an absolute file: URI is the same key as its relative path.
        String absolute = "file://" + dir.toAbsolutePath() + "/" + f3.path();
        commit(log, List.of(), List.of(new RemoveFile(absolute, 3L, true, null, null, null, null, null, null, null,
                null)));
        // Removed, then added again: it moves to the end of the order.
        commit(log, List.of(), List.of(f4.toRemove(4L, true)));
        TestTables.append(log, f4);

        Snapshot refreshed = log.refresh(base);
        Snapshot full = TableLog.forPath(new LocalFileIO(), dir.toString()).latestSnapshot();
        assertEquals(full.version(), refreshed.version());
        assertEquals(full.activeFiles(), refreshed.activeFiles());
        assertEquals(List.of(f2.withDeletionVector(DV), f5, f4), refreshed.activeFiles());
        assertEquals(new HashSet<>(full.tombstones()), new HashSet<>(refreshed.tombstones()));
        assertEquals(3, refreshed.tombstones().size(), refreshed.tombstones().toString());
        assertEquals(baseFiles, base.activeFiles(), "the base snapshot must not change");
        assertEquals(4, base.activeFiles().size());

        // A refresh of a refresh keeps stacking changes on the shared files.
        TestTables.append(log, f1);
        commit(log, List.of(), List.of(f5.toRemove(5L, true)));
        Snapshot again = log.refresh(refreshed);
        Snapshot fullAgain = TableLog.forPath(new LocalFileIO(), dir.toString()).latestSnapshot();
        assertEquals(fullAgain.activeFiles(), again.activeFiles());
        assertEquals(new HashSet<>(fullAgain.tombstones()), new HashSet<>(again.tombstones()));
        assertEquals(List.of(f2.withDeletionVector(DV), f5, f4), refreshed.activeFiles());
    }

    @Test
    void refreshListsFromTheBaseVersionAndReadsOnlyTheNewCommits() {
        TableLog log = TestTables.create(dir, Map.of("delta.checkpointInterval", "1000"));
        for (int i = 0; i < 8; i++) {
            TestTables.append(log, TestTables.file("f" + i + ".parquet", "a", i, i));
        }
        Snapshot base = log.latestSnapshot();
        TestTables.append(log, TestTables.file("g1.parquet", "b", 1, 1));
        TestTables.append(log, TestTables.file("g2.parquet", "b", 2, 2));

        RecordingFileIO recording = new RecordingFileIO(new LocalFileIO());
        CountingFileIO counting = new CountingFileIO(recording);
        Snapshot refreshed = TableLog.forPath(counting, dir.toString()).refresh(base);
        assertEquals(10, refreshed.version());
        assertEquals(10, refreshed.activeFiles().size());
        // The base's commit and the next ones are looked up by name, in one batch: the directory is not listed.
        assertEquals(List.of("entries 00000000000000000008.json .. 00000000000000000023.json"), recording.listings);
        Set<String> opened = new HashSet<>();
        counting.openedFiles().keySet().forEach(l -> opened.add(Path.of(l).getFileName().toString()));
        opened.remove("_last_checkpoint");
        assertEquals(Set.of("00000000000000000009.json", "00000000000000000010.json"), opened);
    }

    @Test
    void refreshLooksUpCommitsInGrowingBatchesAndListsWhenTheBaseCommitIsGone() throws Exception {
        TableLog log = TestTables.create(dir, Map.of("delta.checkpointInterval", "1000"));
        Snapshot base = log.latestSnapshot();
        for (int i = 0; i < 40; i++) {
            TestTables.append(log, TestTables.file("f" + i + ".parquet", "a", i, i));
        }
        RecordingFileIO recording = new RecordingFileIO(new LocalFileIO());
        Snapshot refreshed = TableLog.forPath(recording, dir.toString()).refresh(base);
        assertEquals(40, refreshed.version());
        assertEquals(TableLog.forPath(new LocalFileIO(), dir.toString()).latestSnapshot().activeFiles(),
                refreshed.activeFiles());
        assertEquals(List.of("entries 00000000000000000000.json .. 00000000000000000015.json",
                "entries 00000000000000000016.json .. 00000000000000000047.json"), recording.listings);

        // Log cleanup removed the base's commit: the refresh cannot trust the lookups and lists the log.
        Checkpoints.writeClassic(new LocalFileIO(), refreshed);
        Files.delete(dir.resolve("_delta_log/00000000000000000000.json"));
        recording.listings.clear();
        Snapshot reloaded = TableLog.forPath(recording, dir.toString()).refresh(base);
        assertEquals(refreshed.activeFiles(), reloaded.activeFiles());
        assertEquals(40, reloaded.version());
        assertTrue(recording.listings.contains("list"), recording.listings.toString());
    }

    @Test
    void latestSnapshotListsWhenNoCommitFollowsTheHintedCheckpoint() {
        TableLog log = TestTables.create(dir, Map.of("delta.checkpointInterval", "3"));
        for (int i = 1; i <= 3; i++) {
            TestTables.append(log, TestTables.file("f" + i + ".parquet", "a", i, i));
        }
        assertEquals(3, log.readLastCheckpoint().orElseThrow().version());
        RecordingFileIO recording = new RecordingFileIO(new LocalFileIO());
        Snapshot s = TableLog.forPath(recording, dir.toString()).latestSnapshot();
        assertEquals(3, s.version());
        assertEquals(3, s.checkpointVersion());
        assertEquals(3, s.activeFileCount());
        // The hint may be stale (a newer checkpoint and cleanup), so only a listing can say the log ends there.
        assertEquals(List.of("entries 00000000000000000003.checkpoint.parquet .. 00000000000000000019.json",
                "listFrom " + String.format("%020d", 3)), recording.listings);
    }

    @Test
    void latestSnapshotListsFromTheHintedCheckpointAndFallsBackWhenItIsGone() throws Exception {
        TableLog log = TestTables.create(dir, Map.of("delta.checkpointInterval", "2"));
        List<AddFile> files = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            AddFile f = TestTables.file("f" + i + ".parquet", i % 2 == 0 ? "a" : null, i, i);
            files.add(f);
            TestTables.append(log, f);
        }
        assertEquals(4, log.readLastCheckpoint().orElseThrow().version());

        RecordingFileIO recording = new RecordingFileIO(new LocalFileIO());
        Snapshot s = TableLog.forPath(recording, dir.toString()).latestSnapshot();
        assertEquals(5, s.version());
        assertEquals(4, s.checkpointVersion());
        assertEquals(new HashSet<>(files), new HashSet<>(s.activeFiles()));
        assertEquals(List.of("entries 00000000000000000004.checkpoint.parquet .. 00000000000000000020.json"),
                recording.listings);

        // The hinted checkpoint vanished (never completed, or removed): the full listing finds the older one.
        Files.delete(dir.resolve("_delta_log/00000000000000000004.checkpoint.parquet"));
        recording.listings.clear();
        Snapshot older = TableLog.forPath(recording, dir.toString()).latestSnapshot();
        assertEquals(5, older.version());
        assertEquals(2, older.checkpointVersion());
        assertEquals(new HashSet<>(files), new HashSet<>(older.activeFiles()));
        assertTrue(recording.listings.contains("list"), recording.listings.toString());
    }

    @Test
    void checkpointRowsDecodeToTheSameActionsAsTheCommits() {
        TableLog log = TestTables.create(dir, Map.of("delta.checkpointInterval", "1000"));
        Map<String, String> nullPartition = new LinkedHashMap<>();
        nullPartition.put("part", null);
        AddFile plain = TestTables.file("p.parquet", "x", 1, 5);
        AddFile rich = new AddFile("part=y/r%20ich.parquet", Map.of("part", "y"), 77, 1_700_000_000_123L, true,
                "{\"numRecords\":9}", Map.of("INSERTION_TIME", "1700000000000000", "k", "v"), DV, 100L, 3L,
                "liquid");
        AddFile nulls = new AddFile("part=__HIVE_DEFAULT_PARTITION__/n.parquet", nullPartition, 5, 6, false, null,
                null, INLINE_DV, null, null, null);
        AddFile gone = TestTables.file("gone.parquet", "z", 1, 1);
        TestTables.append(log, plain, rich, nulls, gone);
        long removedAt = System.currentTimeMillis(); // recent: checkpoints keep unexpired tombstones only
        CommitResult last = commit(log, List.of(), List.of(gone.toRemove(removedAt, true)));
        Snapshot fromJson = last.snapshot();
        assertEquals(-1, fromJson.checkpointVersion());

        Checkpoints.writeClassic(new LocalFileIO(), fromJson);
        Snapshot fromCheckpoint = TableLog.forPath(new LocalFileIO(), dir.toString()).latestSnapshot();
        assertEquals(fromJson.version(), fromCheckpoint.checkpointVersion());
        assertEquals(new HashSet<>(fromJson.activeFiles()), new HashSet<>(fromCheckpoint.activeFiles()));
        assertEquals(new HashSet<>(List.of(plain, rich, nulls)), new HashSet<>(fromCheckpoint.activeFiles()));
        assertEquals(fromJson.tombstones().size(), fromCheckpoint.tombstones().size());
        RemoveFile tombstone = fromCheckpoint.tombstones().get(0);
        assertEquals(gone.path(), tombstone.path());
        assertEquals(removedAt, tombstone.deletionTimestamp());
        assertEquals(gone.partitionValues(), tombstone.partitionValues());
        assertEquals(gone.size(), tombstone.size());
    }

    @Test
    void checkpointBatchesWithAndWithoutOptionalFieldsRoundTrip() {
        // Three checkpoint batches (8,192 rows each): optional fields (tags, DV, row tracking, clustering provider,
        // stats, null partitions) are set in some batches only, so some batches have them null in every row.
        TableLog log = TestTables.create(dir, Map.of("delta.checkpointInterval", "1000"));
        Map<String, String> nullPartition = new LinkedHashMap<>();
        nullPartition.put("part", null);
        List<AddFile> files = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            if (i == 9_000) {
                files.add(new AddFile("part=y/rich%20" + i + ".parquet", Map.of("part", "y"), 77, 1_700_000_000_123L,
                        true, "{\"numRecords\":9}", Map.of("INSERTION_TIME", "1700000000000000"), DV, 100L, 3L,
                        "liquid"));
            } else if (i == 9_001) {
                files.add(new AddFile("part=__HIVE_DEFAULT_PARTITION__/n" + i + ".parquet", nullPartition, 5, 6, false,
                        null, null, INLINE_DV, null, null, null));
            } else if (i >= 16_384) {
                files.add(new AddFile("part=q/f" + i + ".parquet", Map.of("part", "q"), i, 7, true, null, null, null,
                        null, null, null));
            } else {
                files.add(TestTables.file("f" + i + ".parquet", "p", i, i + 10));
            }
        }
        Transaction tx = log.newTransaction(log.latestSnapshot(), "WRITE", Map.of());
        tx.addFiles(files);
        Snapshot fromJson = tx.commit().snapshot();
        Checkpoints.writeClassic(new LocalFileIO(), fromJson);

        Snapshot fromCheckpoint = TableLog.forPath(new LocalFileIO(), dir.toString()).latestSnapshot();
        assertEquals(fromJson.version(), fromCheckpoint.checkpointVersion());
        assertEquals(fromJson.activeFiles(), fromCheckpoint.activeFiles());
        assertEquals(files, fromCheckpoint.activeFiles());
    }

    @Test
    void largeCheckpointSkipsOnlyTheActionColumnsNoRowHas() {
        TableLog log = TestTables.create(dir, Map.of("delta.checkpointInterval", "1000"));
        List<AddFile> files = new ArrayList<>();
        for (int i = 0; i < 85_000; i++) {
            files.add(AddFile.create("part=p/f" + i + ".parquet", Map.of("part", "p"), 100 + i, 1_700_000_000_000L,
                    true, "{\"numRecords\":" + i + "}"));
        }
        Transaction tx = log.newTransaction(log.latestSnapshot(), "WRITE", Map.of());
        tx.addFiles(files);
        tx.setTransaction("app", 3);
        tx.commit();
        Snapshot fromJson = commit(log, List.of(), List.of(files.get(7).toRemove(System.currentTimeMillis(), true)))
                .snapshot();
        Checkpoints.writeClassic(new LocalFileIO(), fromJson);

        Snapshot fromCheckpoint = TableLog.forPath(new LocalFileIO(), dir.toString()).latestSnapshot();
        assertEquals(fromJson.version(), fromCheckpoint.checkpointVersion());
        assertEquals(84_999, fromCheckpoint.activeFiles().size());
        assertEquals(new HashSet<>(fromJson.activeFiles()), new HashSet<>(fromCheckpoint.activeFiles()));
        // Tarn's checkpoint schema keeps no stats for tombstones, so compare what it keeps.
        assertEquals(1, fromCheckpoint.tombstones().size());
        assertEquals(fromJson.tombstones().get(0).path(), fromCheckpoint.tombstones().get(0).path());
        assertEquals(fromJson.tombstones().get(0).deletionTimestamp(),
                fromCheckpoint.tombstones().get(0).deletionTimestamp());
        assertEquals(java.util.Optional.of(3L), fromCheckpoint.transactionVersion("app"));
        assertEquals(fromJson.metadata(), fromCheckpoint.metadata());
        assertEquals(fromJson.protocol(), fromCheckpoint.protocol());
    }

    private static CommitResult commit(TableLog log, List<AddFile> adds, List<RemoveFile> removes) {
        Transaction tx = log.newTransaction(log.latestSnapshot(), "DELETE", Map.of());
        tx.removeFiles(removes);
        tx.addFiles(adds);
        return tx.commit();
    }

    /** Records which listing each call made; listFrom uses FileIO's default implementation. */
    private static final class RecordingFileIO implements FileIO {
        private final FileIO delegate;
        final List<String> listings = new ArrayList<>();
        private boolean inListFrom;

        RecordingFileIO(FileIO delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<FileEntry> listFrom(String directory, String startName) {
            if (directory.endsWith("_delta_log")) {
                listings.add("listFrom " + startName);
            }
            inListFrom = true;
            try {
                return FileIO.super.listFrom(directory, startName);
            } finally {
                inListFrom = false;
            }
        }

        /** Looks the names up in the delegate, as a local file system does: no listing. */
        @Override
        public List<FileEntry> entries(String directory, List<String> names) {
            if (directory.endsWith("_delta_log")) {
                listings.add("entries " + names.get(0) + " .. " + names.get(names.size() - 1));
            }
            return delegate.entries(directory, names);
        }

        @Override
        public List<FileEntry> list(String directory) {
            if (!inListFrom && directory.endsWith("_delta_log")) {
                listings.add("list");
            }
            return delegate.list(directory);
        }

        @Override
        public InputFile newInputFile(String location) {
            return delegate.newInputFile(location);
        }

        @Override
        public OutputFile newOutputFile(String location) {
            return delegate.newOutputFile(location);
        }

        @Override
        public boolean createExclusive(String location, byte[] content) {
            return delegate.createExclusive(location, content);
        }

        @Override
        public List<FileEntry> listRecursively(String directory) {
            return delegate.listRecursively(directory);
        }

        @Override
        public boolean delete(String location) {
            return delegate.delete(location);
        }

        @Override
        public boolean exists(String location) {
            return delegate.exists(location);
        }
    }
}
