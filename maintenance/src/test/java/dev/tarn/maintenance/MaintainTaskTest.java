package dev.tarn.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.testdata.BeforeCommitFileIO;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.CommitInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintainTaskTest {
    private static final long HOUR = 3_600_000L;

    private static TableLog tableWithAppends(Path dir, int appends, Map<String, String> configuration) {
        TableLog log = TestTables.create(dir, false, configuration);
        for (int i = 0; i < appends; i++) {
            TestTables.append(log, null, TestTables.range(i * 10L, i * 10L + 10));
        }
        return log;
    }

    /**
     * Deletes the checkpoints Tarn's commits wrote on their own, as if another engine had written the versions
     * without checkpointing (or the post-commit checkpoint had failed).
     */
    private static void dropCheckpoints(Path table) throws Exception {
        try (var s = Files.list(table.resolve("_delta_log"))) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.contains(".checkpoint") || name.equals("_last_checkpoint")) {
                    Files.delete(p);
                }
            }
        }
    }

    private static MaintainResult runOne(TableLog log, MaintainOptions options) {
        List<MaintainResult> results = new MaintainTask(List.of(log), options).run();
        assertEquals(1, results.size());
        return results.get(0);
    }

    private static MaintainStep step(MaintainResult r, MaintainOperation op) {
        return r.step(op).orElseThrow(() -> new AssertionError("no " + op + " step in " + r));
    }

    @Test
    void compactsOnlyWhenSmallFilesReachTheThreshold(@TempDir Path dir) {
        TableLog many = tableWithAppends(dir.resolve("many"), 12, Map.of());
        TableLog few = tableWithAppends(dir.resolve("few"), 5, Map.of());
        TableLog lowered = tableWithAppends(dir.resolve("lowered"), 5, Map.of("tarn.maintain.minSmallFiles", "3"));
        List<String> rows = TestTables.rows(many.latestSnapshot());

        List<MaintainResult> results = new MaintainTask(List.of(many, few, lowered), MaintainOptions.defaults()).run();

        MaintainStep compacted = step(results.get(0), MaintainOperation.COMPACT);
        assertEquals(MaintainStep.Outcome.PERFORMED, compacted.outcome(), results.get(0).toString());
        assertEquals(12, compacted.filesRemoved());
        assertEquals(1, compacted.filesAdded());
        assertEquals(1, compacted.versionsCommitted().size());
        assertEquals("OPTIMIZE", ((CommitInfo) many.readCommit(compacted.versionsCommitted().get(0)).get(0)).operation());
        assertEquals(rows, TestTables.rows(many.latestSnapshot()));
        assertEquals(MaintainResult.Status.MAINTAINED, results.get(0).status());

        MaintainStep skipped = step(results.get(1), MaintainOperation.COMPACT);
        assertEquals(MaintainStep.Outcome.SKIPPED, skipped.outcome());
        assertTrue(skipped.reason().orElseThrow().contains("tarn.maintain.minSmallFiles"), skipped.toString());
        assertEquals(5, few.latestSnapshot().activeFiles().size());
        assertEquals(MaintainResult.Status.NOTHING_TO_DO, results.get(1).status(), results.get(1).toString());

        assertEquals(MaintainStep.Outcome.PERFORMED, step(results.get(2), MaintainOperation.COMPACT).outcome());
        assertEquals(1, lowered.latestSnapshot().activeFiles().size());
    }

    @Test
    void checkpointsWhenDueAndASecondRunHasNothingToDo(@TempDir Path dir) throws Exception {
        TableLog log = tableWithAppends(dir.resolve("t"), 12, Map.of());
        dropCheckpoints(dir.resolve("t"));
        assertTrue(log.readLastCheckpoint().isEmpty());
        MaintainResult first = runOne(log, MaintainOptions.defaults());
        MaintainStep cp = step(first, MaintainOperation.CHECKPOINT);
        assertEquals(MaintainStep.Outcome.PERFORMED, cp.outcome(), first.toString());
        long version = log.latestSnapshot().version();
        assertEquals(13, version, "12 appends after CREATE, then the OPTIMIZE commit");
        assertEquals(version, log.readLastCheckpoint().orElseThrow().version());
        assertEquals(List.of(13L), first.versionsCommitted());

        MaintainResult second = runOne(log, MaintainOptions.defaults());
        assertEquals(MaintainResult.Status.NOTHING_TO_DO, second.status(), second.toString());
        assertTrue(second.steps().stream().allMatch(s -> s.outcome() == MaintainStep.Outcome.SKIPPED));
        assertTrue(step(second, MaintainOperation.CHECKPOINT).reason().orElseThrow().contains("delta.checkpointInterval"));
        assertEquals(version, log.latestSnapshot().version());

        TableLog off = tableWithAppends(dir.resolve("off"), 12, Map.of("tarn.maintain.checkpoint", "false",
                "tarn.maintain.minSmallFiles", "100"));
        dropCheckpoints(dir.resolve("off"));
        MaintainResult none = runOne(off, MaintainOptions.defaults());
        assertEquals(MaintainStep.Outcome.SKIPPED, step(none, MaintainOperation.CHECKPOINT).outcome());
        assertTrue(off.readLastCheckpoint().isEmpty());
    }

    @Test
    void purgesOnlyFilesAboveTheDeletedShare(@TempDir Path dir) {
        TableLog log = TestTables.create(dir.resolve("t"), false, Map.of("delta.enableDeletionVectors", "true"));
        TestTables.append(log, null, TestTables.range(0, 100));
        AddFile heavy = log.latestSnapshot().activeFiles().get(0);
        TestTables.append(log, null, TestTables.range(100, 200));
        AddFile light = log.latestSnapshot().activeFiles().stream().filter(f -> !f.path().equals(heavy.path()))
                .findFirst().orElseThrow();
        long[] thirty = TestTables.range(0, 30);
        TestTables.deleteRows(log, heavy, thirty);
        TestTables.deleteRows(log, light, 0, 1, 2, 3, 4);
        List<String> rows = TestTables.rows(log.latestSnapshot());

        MaintainResult r = runOne(log, MaintainOptions.defaults());

        MaintainStep purge = step(r, MaintainOperation.PURGE);
        assertEquals(MaintainStep.Outcome.PERFORMED, purge.outcome(), r.toString());
        assertEquals(1, purge.filesRemoved(), "30% deleted is above 20%, 5% is not");
        Snapshot after = log.latestSnapshot();
        assertEquals(rows, TestTables.rows(after));
        assertEquals(1, after.activeFiles().stream().filter(f -> f.deletionVector() != null).count());
        assertEquals("REORG", ((CommitInfo) log.readCommit(purge.versionsCommitted().get(0)).get(0)).operation());
    }

    @Test
    void clustersWhatIsUnclusteredOnce(@TempDir Path dir) {
        TableLog log = ClusteringTest.createClustered(dir.resolve("t"), TestTables.DATA, List.of(List.of("id")));
        for (int i = 0; i < 3; i++) {
            TestTables.append(log, null, new long[] {30 - i, i, 15 + i});
        }
        MaintainResult r = runOne(log, MaintainOptions.defaults());
        MaintainStep cluster = step(r, MaintainOperation.CLUSTER);
        assertEquals(MaintainStep.Outcome.PERFORMED, cluster.outcome(), r.toString());
        assertEquals(3, cluster.filesRemoved());
        assertTrue(r.step(MaintainOperation.COMPACT).isEmpty(), "a clustered table is clustered, not bin-packed");
        assertTrue(log.latestSnapshot().activeFiles().stream().allMatch(f -> "liquid".equals(f.clusteringProvider())));

        MaintainResult again = runOne(log, MaintainOptions.defaults());
        assertEquals(MaintainStep.Outcome.SKIPPED, step(again, MaintainOperation.CLUSTER).outcome());
        assertTrue(step(again, MaintainOperation.CLUSTER).reason().orElseThrow().contains("0 file(s) not clustered"));
    }

    @Test
    void vacuumsOnlyPastTheTablesRetentionAndDryRunDeletesNothing(@TempDir Path dir) throws Exception {
        Path table = dir.resolve("t");
        TableLog log = tableWithAppends(table, 3, Map.of("delta.deletedFileRetentionDuration", "interval 1 hours"));
        List<AddFile> files = log.latestSnapshot().activeFiles();
        AddFile old = files.get(0);
        AddFile recent = files.get(1);
        TestTables.removeFile(log, old, System.currentTimeMillis() - 2 * HOUR);
        VacuumTaskTest.ageEverything(table, 2 * HOUR);
        TestTables.removeFile(log, recent);
        Path oldPath = table.resolve(old.decodedPath());

        MaintainResult dry = runOne(log, MaintainOptions.defaults().withDryRun(true));
        MaintainStep planned = step(dry, MaintainOperation.VACUUM);
        assertEquals(MaintainStep.Outcome.PLANNED, planned.outcome(), dry.toString());
        assertEquals(1, planned.filesRemoved(), "only the file removed 2 hours ago is past the 1-hour retention");
        assertTrue(Files.exists(oldPath), "a dry run deletes nothing");
        assertEquals(MaintainResult.Status.PLANNED, dry.status());

        MaintainResult r = runOne(log, MaintainOptions.defaults());
        MaintainStep vacuum = step(r, MaintainOperation.VACUUM);
        assertEquals(MaintainStep.Outcome.PERFORMED, vacuum.outcome(), r.toString());
        assertEquals(1, vacuum.filesRemoved());
        assertEquals(2, vacuum.versionsCommitted().size(), "VACUUM START and VACUUM END");
        assertFalse(Files.exists(oldPath));
        assertTrue(Files.exists(table.resolve(recent.decodedPath())), "removed recently: kept for time travel");

        TableLog off = tableWithAppends(dir.resolve("off"), 1, Map.of("tarn.maintain.vacuum", "false"));
        assertEquals(MaintainStep.Outcome.SKIPPED, step(runOne(off, MaintainOptions.defaults()),
                MaintainOperation.VACUUM).outcome());
    }

    @Test
    void dryRunPlansWithoutCommitting(@TempDir Path dir) throws Exception {
        Path table = dir.resolve("t");
        TableLog log = tableWithAppends(table, 12, Map.of());
        dropCheckpoints(table);
        long version = log.latestSnapshot().version();
        Set<String> before = listing(table);

        MaintainResult r = runOne(log, MaintainOptions.defaults().withDryRun(true));

        assertEquals(MaintainResult.Status.PLANNED, r.status(), r.toString());
        MaintainStep compact = step(r, MaintainOperation.COMPACT);
        assertEquals(MaintainStep.Outcome.PLANNED, compact.outcome());
        assertEquals(12, compact.filesRemoved());
        assertEquals(log.latestSnapshot().sizeInBytes(), compact.bytesRemoved());
        assertEquals(MaintainStep.Outcome.PLANNED, step(r, MaintainOperation.CHECKPOINT).outcome());
        assertEquals(List.of(), r.versionsCommitted());
        assertEquals(version, log.latestSnapshot().version());
        assertEquals(before, listing(table), "no file written or deleted");
    }

    @Test
    void aConflictIsARetryableOutcomeAndTheNextTableStillRuns(@TempDir Path dir) {
        Path table = dir.resolve("t");
        TableLog log = tableWithAppends(table, 12, Map.of());
        AddFile victim = log.latestSnapshot().activeFiles().get(0);
        TableLog other = TableLog.forPath(new LocalFileIO(), table.toString());
        TableLog racing = TableLog.forPath(BeforeCommitFileIO.once(new LocalFileIO(),
                () -> TestTables.removeFile(other, victim)), table.toString());
        TableLog next = tableWithAppends(dir.resolve("next"), 12, Map.of());

        List<MaintainResult> results = new MaintainTask(List.of(racing, next), MaintainOptions.defaults()).run();

        MaintainResult lost = results.get(0);
        assertEquals(MaintainResult.Status.RETRYABLE_CONFLICT, lost.status(), lost.toString());
        MaintainStep compact = step(lost, MaintainOperation.COMPACT);
        assertEquals(MaintainStep.Outcome.CONFLICT, compact.outcome());
        assertTrue(lost.step(MaintainOperation.CHECKPOINT).isEmpty(), "no step runs after a conflict");
        assertEquals(11, log.latestSnapshot().activeFiles().size(), "only the concurrent DELETE landed");
        assertEquals(MaintainResult.Status.MAINTAINED, results.get(1).status());
    }

    @Test
    void badOrDisablingPropertiesAreReportedPerTable(@TempDir Path dir) {
        TableLog bad = tableWithAppends(dir.resolve("bad"), 12, Map.of("tarn.maintain.purgeDeletedRatio", "lots"));
        TableLog disabled = tableWithAppends(dir.resolve("off"), 12, Map.of("tarn.maintain.enabled", "false"));
        List<MaintainResult> results = new MaintainTask(List.of(bad, disabled), MaintainOptions.defaults()).run();

        assertEquals(MaintainResult.Status.FAILED, results.get(0).status());
        String message = results.get(0).message().orElseThrow();
        assertTrue(message.contains("tarn.maintain.purgeDeletedRatio") && message.contains("'lots'"), message);
        assertEquals(12, bad.latestSnapshot().version(), "nothing committed");

        assertEquals(MaintainResult.Status.NOTHING_TO_DO, results.get(1).status());
        assertEquals(List.of(), results.get(1).steps());
        assertEquals(12, disabled.latestSnapshot().version());
    }

    @Test
    void settingsHaveUniqueKeysAndParseTheirDefaults() {
        Set<String> keys = new HashSet<>();
        for (MaintainSetting<?> s : MaintainSettings.ALL) {
            assertTrue(s.key().startsWith("tarn.maintain."), s.key());
            assertTrue(keys.add(s.key()), "duplicate " + s.key());
            assertEquals(s.defaultValue(), s.read(Map.of(), "t"));
            assertEquals(s.defaultValue(), s.read(Map.of(s.key(), String.valueOf(s.defaultValue())), "t"));
            assertFalse(s.description().isBlank());
        }
        Map<String, String> conf = new HashMap<>();
        conf.put("tarn.maintain.minSmallFiles", "0");
        assertEquals(dev.tarn.error.ErrorCode.INVALID_TABLE_PROPERTY, org.junit.jupiter.api.Assertions.assertThrows(
                dev.tarn.error.TarnException.class, () -> MaintainSettings.MIN_SMALL_FILES.read(conf, "t")).errorCode());
        conf.put("tarn.maintain.purgeDeletedRatio", "1.5");
        assertEquals(dev.tarn.error.ErrorCode.INVALID_TABLE_PROPERTY, org.junit.jupiter.api.Assertions.assertThrows(
                dev.tarn.error.TarnException.class, () -> MaintainSettings.PURGE_DELETED_RATIO.read(conf, "t")).errorCode());
        assertEquals(0.5, MaintainSettings.PURGE_DELETED_RATIO.read(Map.of("tarn.maintain.purgeDeletedRatio", " 0.5 "), "t"));
    }

    private static Set<String> listing(Path table) throws Exception {
        try (var s = Files.walk(table)) {
            return new HashSet<>(s.map(p -> table.relativize(p).toString()).toList());
        }
    }
}
