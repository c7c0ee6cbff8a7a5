package dev.tarn.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import dev.tarn.txlog.Transaction;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.CommitInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VacuumTaskTest {
    private static final long HOUR = 3_600_000L;

    static void age(Path file, long millisAgo) throws IOException {
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - millisAgo));
    }

    static void ageCommit(Path table, long version, long millisAgo) throws IOException {
        age(table.resolve(String.format("_delta_log/%020d.json", version)), millisAgo);
    }

    static Path fileOf(Path table, AddFile a) {
        return table.resolve(a.decodedPath());
    }

    static void ageEverything(Path table, long millisAgo) throws IOException {
        try (Stream<Path> s = Files.walk(table)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    age(p, millisAgo);
                }
            }
        }
    }

    /** A table with a removed file, an orphan written by a failed job, and hidden files, all two hours old. */
    private static TableLog tableWithGarbage(Path table) throws IOException {
        TableLog log = TestTables.create(table, true, Map.of());
        TestTables.append(log, "a", TestTables.range(0, 10));
        TestTables.append(log, "a", TestTables.range(10, 20));
        AddFile doomed = log.latestSnapshot().activeFiles().get(0);
        TestTables.removeFile(log, doomed, System.currentTimeMillis() - 2 * HOUR);
        Files.writeString(table.resolve("part=a/orphan-from-failed-job.parquet"), "x");
        Files.createDirectories(table.resolve("_tmp_spark"));
        Files.writeString(table.resolve("_tmp_spark/staged.parquet"), "x");
        Files.writeString(table.resolve("part=a/.part-0.crc"), "x");
        Files.writeString(table.resolve("_SUCCESS"), "");
        ageEverything(table, 2 * HOUR);
        return log;
    }

    @Test
    void dryRunListsWhatFullWouldDeleteAndDeletesNothing(@TempDir Path dir) throws IOException {
        Path table = dir.resolve("t");
        TableLog log = tableWithGarbage(table);
        AddFile live = log.latestSnapshot().activeFiles().get(0);
        long version = log.latestSnapshot().version();
        VacuumOptions options = VacuumOptions.defaults().withRetention(Duration.ofHours(1)).withAllowShortRetention(true);

        VacuumResult dry = new VacuumTask(log, options.withDryRun(true)).run();

        assertTrue(dry.dryRun());
        assertEquals(2, dry.files().size(), dry.files().toString());
        assertTrue(dry.files().contains("part=a/orphan-from-failed-job.parquet"));
        assertEquals(0, dry.filesDeleted());
        assertEquals(version, log.latestSnapshot().version(), "a dry run commits nothing");
        for (String f : dry.files()) {
            assertTrue(Files.exists(table.resolve(f)), f);
        }

        VacuumResult full = new VacuumTask(log, options).run();

        assertEquals(dry.files(), full.files());
        assertEquals(2, full.filesDeleted());
        for (String f : full.files()) {
            assertFalse(Files.exists(table.resolve(f)), f);
        }
        assertTrue(Files.exists(fileOf(table, live)), "the live file stays");
        assertTrue(Files.exists(table.resolve("_tmp_spark/staged.parquet")), "hidden directories are left alone");
        assertTrue(Files.exists(table.resolve("part=a/.part-0.crc")), "hidden files are left alone");
        assertTrue(Files.exists(table.resolve("_SUCCESS")));
        assertEquals(List.of("/" + 10, "/" + 11, "/" + 12, "/" + 13, "/" + 14, "/" + 15, "/" + 16, "/" + 17, "/" + 18,
                "/" + 19).size(), TestTables.rows(log.latestSnapshot()).size());
        Snapshot after = log.latestSnapshot();
        assertEquals(version + 2, after.version());
        assertEquals("VACUUM START", ((CommitInfo) log.readCommit(version + 1).get(0)).operation());
        CommitInfo end = (CommitInfo) log.readCommit(version + 2).get(0);
        assertEquals("VACUUM END", end.operation());
        assertEquals("2", end.operationMetrics().get("numDeletedFiles"));
    }

    @Test
    void partitionDirectoriesLeftEmptyAreDeletedAndOthersStay(@TempDir Path dir) throws IOException {
        Path table = dir.resolve("t");
        TableLog log = TestTables.create(table, true, Map.of());
        TestTables.append(log, "a", TestTables.range(0, 10));
        TestTables.append(log, "b", TestTables.range(10, 20));
        AddFile inB = log.latestSnapshot().activeFiles().stream()
                .filter(f -> f.partitionValues().get("part").equals("b")).findFirst().orElseThrow();
        TestTables.removeFile(log, inB, System.currentTimeMillis() - 2 * HOUR);
        Files.createDirectories(table.resolve("part=c"));
        ageEverything(table, 2 * HOUR);
        assertTrue(Files.isDirectory(table.resolve("part=b")));
        long version = log.latestSnapshot().version();

        VacuumResult r = new VacuumTask(log, VacuumOptions.defaults().withRetention(Duration.ofHours(1))
                .withAllowShortRetention(true)).run();

        assertEquals(List.of(inB.decodedPath()), r.files());
        assertEquals(1, r.directoriesDeleted());
        assertFalse(Files.exists(table.resolve("part=b")), "the partition folder its last file left is deleted");
        assertTrue(Files.isDirectory(table.resolve("part=a")), "a folder that still holds files stays");
        assertTrue(Files.isDirectory(table.resolve("part=c")), "a folder vacuum deleted nothing from is not its business");
        assertTrue(Files.isDirectory(table.resolve("_delta_log")));
        assertEquals(List.of(version + 1, version + 2), r.committedVersions());
        CommitInfo end = (CommitInfo) log.readCommit(version + 2).get(0);
        assertEquals("1", end.operationMetrics().get("numVacuumedDirectories"));
        assertEquals(10, TestTables.rows(log.latestSnapshot()).size());
    }

    @Test
    void nestedPrefixDirectoriesLeftEmptyAreDeletedDeepestFirst(@TempDir Path dir) throws IOException {
        Path table = dir.resolve("t");
        TableLog log = TestTables.create(table, false, Map.of());
        TestTables.append(log, null, TestTables.range(0, 10));
        Files.createDirectories(table.resolve("ab/cd"));
        Files.writeString(table.resolve("ab/cd/orphan.parquet"), "x");
        ageEverything(table, 2 * HOUR);

        VacuumResult r = new VacuumTask(log, VacuumOptions.defaults().withRetention(Duration.ofHours(1))
                .withAllowShortRetention(true)).run();

        assertEquals(List.of("ab/cd/orphan.parquet"), r.files());
        assertEquals(2, r.directoriesDeleted());
        assertFalse(Files.exists(table.resolve("ab")));
        assertEquals(10, TestTables.rows(log.latestSnapshot()).size());
    }

    @Test
    void freshFilesAreKeptEvenWhenUnreferenced(@TempDir Path dir) throws IOException {
        Path table = dir.resolve("t");
        TableLog log = tableWithGarbage(table);
        Files.writeString(table.resolve("part=a/being-written-now.parquet"), "x");
        VacuumResult r = new VacuumTask(log, VacuumOptions.defaults().withRetention(Duration.ofHours(1))
                .withAllowShortRetention(true)).run();
        assertFalse(r.files().contains("part=a/being-written-now.parquet"));
        assertTrue(Files.exists(table.resolve("part=a/being-written-now.parquet")));
    }

    @Test
    void aRetentionShorterThanTheTablesIsRefusedUnlessAllowed(@TempDir Path dir) throws IOException {
        TableLog log = tableWithGarbage(dir.resolve("t"));
        TarnException e = assertThrows(TarnException.class, () -> new VacuumTask(log,
                VacuumOptions.defaults().withRetention(Duration.ofHours(1))).run());
        assertEquals(ErrorCode.VALIDATION_ERROR, e.errorCode());
        assertTrue(e.getMessage().contains("delta.deletedFileRetentionDuration")
                && e.getMessage().contains("allowShortRetention"), e.getMessage());

        // The table's own shorter retention is accepted without the override.
        Transaction tx = log.newTransaction(log.latestSnapshot(), "SET TBLPROPERTIES", Map.of());
        tx.updateMetadata(log.latestSnapshot().metadata().withConfiguration(
                Map.of("delta.deletedFileRetentionDuration", "interval 1 hours")));
        tx.commit();
        VacuumResult r = new VacuumTask(log, VacuumOptions.defaults().withDryRun(true)).run();
        assertEquals(Duration.ofHours(1), r.retention());
        assertEquals(2, r.files().size());
    }

    @Test
    void timeTravelWithinTheRetentionKeepsWorking(@TempDir Path dir) throws IOException {
        Path table = dir.resolve("t");
        TableLog log = TestTables.create(table, false, Map.of("delta.enableDeletionVectors", "true",
                "delta.deletedFileRetentionDuration", "interval 1 hours"));
        TestTables.append(log, null, TestTables.range(0, 10));                      // v1: A
        AddFile a = log.latestSnapshot().activeFiles().get(0);
        Transaction overwrite = log.newTransaction(log.latestSnapshot(), "WRITE", Map.of("mode", "Overwrite"));
        overwrite.removeFiles(List.of(a.toRemove(System.currentTimeMillis() - 3 * HOUR, true)));
        overwrite.addFiles(List.of(TestTables.writeFile(log, null, TestTables.range(10, 20))));
        overwrite.commit();                                                           // v2: B replaces A
        AddFile b = log.latestSnapshot().activeFiles().get(0);
        // v0..v2 and their files are three hours old: outside the one-hour retention, except that v2 is the
        // version a reader time-travelling to one hour ago sees, so B must stay.
        ageEverything(table, 3 * HOUR);
        for (long v = 0; v <= 2; v++) {
            ageCommit(table, v, (4 - v) * HOUR);
        }
        // v3 replaces B with C; its tombstone claims an old deletion time (a skewed clock), yet version 2, which a
        // reader time-travelling to one hour ago sees, still needs B.
        Transaction replace = log.newTransaction(log.latestSnapshot(), "WRITE", Map.of("mode", "Overwrite"));
        replace.removeFiles(List.of(b.toRemove(System.currentTimeMillis() - 3 * HOUR, true)));
        replace.addFiles(List.of(TestTables.writeFile(log, null, TestTables.range(20, 30))));
        replace.commit();
        AddFile c = log.latestSnapshot().activeFiles().get(0);
        TestTables.deleteRows(log, c, 0, 1);                                         // v4: DV on C
        new OptimizeTask(log, OptimizeOptions.defaults().withTargetFileSize(1 << 20)).run(); // v5: C+dv -> D
        long latest = log.latestSnapshot().version();

        VacuumResult r = new VacuumTask(log, VacuumOptions.defaults()).run();

        assertEquals(2, r.oldestRetainedVersion());
        assertEquals(List.of(a.decodedPath()), r.files(), "only A, needed by versions before the retention, goes");
        assertFalse(Files.exists(fileOf(table, a)));
        for (long v = 2; v <= latest; v++) {
            Snapshot s = log.snapshotAt(v);
            for (AddFile f : s.activeFiles()) {
                assertTrue(Files.exists(fileOf(table, f)), "version " + v + " needs " + f.path());
            }
            TestTables.rows(s); // reads every file and deletion vector of the version
        }
        assertEquals(5, latest);
        assertTrue(Files.exists(fileOf(table, b)), "B is three hours old and removed, but version 2 needs it");
        assertEquals(8, TestTables.rows(log.snapshotAt(4)).size());
        assertEquals(8, TestTables.rows(log.snapshotAt(latest)).size());
        assertEquals(10, TestTables.rows(log.snapshotAt(2)).size());
    }

    @Test
    void liteWorksFromTheLogAndLeavesOrphansToFull(@TempDir Path dir) throws IOException {
        Path table = dir.resolve("t");
        TableLog log = TestTables.create(table, false, Map.of());
        TestTables.append(log, null, TestTables.range(0, 10));
        TestTables.append(log, null, TestTables.range(10, 20));
        AddFile doomed = log.latestSnapshot().activeFiles().get(0);
        TestTables.removeFile(log, doomed);
        Files.writeString(table.resolve("orphan.parquet"), "x");
        ageEverything(table, 2 * HOUR);
        VacuumOptions shortRetention = VacuumOptions.defaults().withRetention(Duration.ZERO).withAllowShortRetention(true);
        sleepPastNow();

        VacuumResult lite = new VacuumTask(log, shortRetention.withMode(VacuumOptions.Mode.LITE)).run();

        assertEquals(List.of(doomed.decodedPath()), lite.files());
        assertFalse(Files.exists(fileOf(table, doomed)));
        assertTrue(Files.exists(table.resolve("orphan.parquet")), "LITE does not list the directory");
        VacuumResult again = new VacuumTask(log, shortRetention.withMode(VacuumOptions.Mode.LITE)).run();
        assertTrue(again.files().isEmpty(), "already deleted files are not counted again");
        assertTrue(again.skipReason().isPresent());

        VacuumResult full = new VacuumTask(log, shortRetention).run();
        assertEquals(List.of("orphan.parquet"), full.files());
        assertEquals(10, TestTables.rows(log.latestSnapshot()).size());
    }

    @Test
    void vacuumProtocolCheckRefusesTablesTarnCannotWrite(@TempDir Path dir) throws IOException {
        Path table = dir.resolve("t");
        Files.createDirectories(table.resolve("_delta_log"));
        String commit = "{\"commitInfo\":{\"timestamp\":1,\"operation\":\"CREATE TABLE\"}}\n"
                + "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[\"vacuumProtocolCheck\"],"
                + "\"writerFeatures\":[\"vacuumProtocolCheck\",\"someFutureWriterFeature\"]}}\n"
                + "{\"metaData\":{\"id\":\"x\",\"format\":{\"provider\":\"parquet\",\"options\":{}},\"schemaString\":"
                + "\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"long\\\","
                + "\\\"nullable\\\":true,\\\"metadata\\\":{}}]}\",\"partitionColumns\":[],\"configuration\":{},"
                + "\"createdTime\":1}}\n";
        Files.writeString(table.resolve("_delta_log/00000000000000000000.json"), commit);
        TableLog log = TableLog.forPath(new LocalFileIO(), table.toString());
        log.latestSnapshot(); // readable
        TarnException e = assertThrows(TarnException.class, () -> new VacuumTask(log,
                VacuumOptions.defaults().withDryRun(true)).run());
        assertTrue(e.getMessage().contains("someFutureWriterFeature"), e.getMessage());
    }

    @Test
    void vacuumsASparkTableKeepingTheLatestVersionReadable(@TempDir Path dir) throws IOException {
        Path table = SparkTablesTest.copy("inserts-deletes-checkpoint", dir);
        ageEverything(table, 30L * 24 * HOUR); // the copy's files are new; Spark wrote them years ago
        TableLog log = TableLog.forPath(new LocalFileIO(), table.toString());
        List<String> rows = TestTables.rows(log.latestSnapshot());
        long filesBefore;
        try (Stream<Path> s = Files.list(table)) {
            filesBefore = s.filter(p -> p.toString().endsWith(".parquet")).count();
        }
        VacuumResult r = new VacuumTask(log, VacuumOptions.defaults()).run();
        assertTrue(r.files().size() > 0, "Spark's commits are years old: removed files are past any retention");
        assertEquals(filesBefore - r.files().size(), log.latestSnapshot().activeFiles().size());
        assertEquals(rows, TestTables.rows(log.latestSnapshot()));
    }

    @Test
    void vacuumsChangeDataFilesOfASparkTableButNotItsHiddenChecksums(@TempDir Path dir) throws IOException {
        Path table = SparkTablesTest.copy("cdf-partitioned", dir);
        ageEverything(table, 30L * 24 * HOUR);
        TableLog log = TableLog.forPath(new LocalFileIO(), table.toString());
        List<String> rows = TestTables.rows(log.latestSnapshot());
        VacuumResult r = new VacuumTask(log, VacuumOptions.defaults()).run();
        List<String> cdc = r.files().stream().filter(f -> f.startsWith("_change_data/")).toList();
        assertFalse(cdc.isEmpty(), r.files().toString());
        for (String f : cdc) {
            assertTrue(f.matches("_change_data/[^/]+/cdc-[^/]+\\.parquet"), f);
            assertFalse(Files.exists(table.resolve(f)));
        }
        try (Stream<Path> s = Files.walk(table.resolve("_change_data"))) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().endsWith(".crc")), "hidden .crc files stay");
        }
        assertEquals(rows, TestTables.rows(log.latestSnapshot()));
    }

    @Test
    void deletesTheDeletionVectorFilesOfPurgedFiles(@TempDir Path dir) throws IOException {
        Path table = dir.resolve("t");
        TableLog log = TestTables.create(table, false, Map.of("delta.enableDeletionVectors", "true"));
        TestTables.append(log, null, TestTables.range(0, 10));
        AddFile original = log.latestSnapshot().activeFiles().get(0);
        TestTables.deleteRows(log, original, 4);
        AddFile withDv = log.latestSnapshot().activeFiles().get(0);
        String dvFile = withDv.deletionVector().absolutePath(log.location());
        new PurgeTask(log, PurgeOptions.defaults()).run();
        ageEverything(table, 2 * HOUR);
        sleepPastNow();

        VacuumResult r = new VacuumTask(log, VacuumOptions.defaults().withRetention(Duration.ZERO)
                .withAllowShortRetention(true)).run();

        assertEquals(2, r.files().size(), r.files().toString());
        assertFalse(Files.exists(Path.of(dvFile)), "the DV file goes with its data file");
        assertFalse(Files.exists(fileOf(table, original)));
        assertEquals(9, TestTables.rows(log.latestSnapshot()).size());
    }

    @Test
    void hiddenPathRulesFollowDeltaSpark() {
        java.util.Set<String> partitions = java.util.Set.of("_p=");
        assertTrue(VacuumTask.isHidden("_tmp/x.parquet", partitions));
        assertTrue(VacuumTask.isHidden(".hidden/x.parquet", partitions));
        assertTrue(VacuumTask.isHidden("a=1/.x.parquet.crc", partitions));
        assertTrue(VacuumTask.isHidden("a=1/_SUCCESS", partitions));
        assertTrue(VacuumTask.isHidden("metadata/v1.metadata.json", partitions));
        assertFalse(VacuumTask.isHidden("_change_data/cdc-0.parquet", partitions));
        assertFalse(VacuumTask.isHidden("_p=1/part-0.parquet", partitions));
        assertFalse(VacuumTask.isHidden("ab/deletion_vector_x.bin", partitions));
        assertFalse(VacuumTask.isHidden("part-0.parquet", partitions));
    }

    private static void sleepPastNow() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
