package dev.tarn.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.testdata.BeforeCommitFileIO;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import dev.tarn.txlog.action.Action;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.CommitInfo;
import dev.tarn.txlog.action.RemoveFile;
import dev.tarn.txlog.skipping.Predicate;
import dev.tarn.txlog.types.PrimitiveType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import dev.tarn.testdata.FaultInjectingFileIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

class OptimizeTaskTest {
    private static final OptimizeOptions SMALL_TARGET = OptimizeOptions.defaults().withTargetFileSize(1 << 20);

    @Test
    void compactsSmallFilesPerPartitionInOneCommitAndASecondRunIsANoOp(@TempDir Path dir) {
        TableLog log = TestTables.create(dir.resolve("t"), true, Map.of());
        for (int i = 0; i < 4; i++) {
            TestTables.append(log, "a", TestTables.range(i * 100, i * 100 + 100));
        }
        for (int i = 0; i < 3; i++) {
            TestTables.append(log, "b", TestTables.range(1000 + i * 10, 1000 + i * 10 + 10));
        }
        Snapshot before = log.latestSnapshot();
        List<String> rowsBefore = TestTables.rows(before);

        RewriteResult result = new OptimizeTask(log, SMALL_TARGET).run();

        assertTrue(result.committed(), result.toString());
        assertEquals(before.version() + 1, result.committedVersion().getAsLong());
        assertEquals(7, result.filesRemoved());
        assertEquals(2, result.filesAdded());
        assertEquals(2, result.partitionsTouched());
        assertEquals(1, result.versionsCommitted());
        assertEquals(430, result.rowsWritten());
        Snapshot after = log.latestSnapshot();
        assertEquals(2, after.activeFiles().size());
        assertEquals(rowsBefore, TestTables.rows(after));
        for (AddFile a : after.activeFiles()) {
            assertTrue(a.path().startsWith("part=" + a.partitionValues().get("part") + "/part-"), a.path());
            assertTrue(a.path().endsWith(".c000.zstd.parquet"), a.path());
            assertFalse(a.dataChange());
            assertTrue(a.stats().contains("\"numRecords\""), a.stats());
        }
        List<Action> commit = log.readCommit(result.committedVersion().getAsLong());
        CommitInfo info = commit.stream().filter(CommitInfo.class::isInstance).map(CommitInfo.class::cast).findFirst().orElseThrow();
        assertEquals("OPTIMIZE", info.operation());
        assertEquals("[]", info.operationParameters().get("predicate"));
        assertEquals("[]", info.operationParameters().get("zOrderBy"));
        assertEquals("7", info.operationMetrics().get("numRemovedFiles"));
        assertEquals("2", info.operationMetrics().get("numAddedFiles"));
        assertEquals(Long.toString(result.bytesAdded()), info.operationMetrics().get("numAddedBytes"));
        assertEquals(Long.toString(result.bytesRemoved()), info.operationMetrics().get("numRemovedBytes"));
        assertTrue(commit.stream().filter(RemoveFile.class::isInstance).map(RemoveFile.class::cast).noneMatch(RemoveFile::dataChange));

        RewriteResult second = new OptimizeTask(log, SMALL_TARGET).run();
        assertFalse(second.committed());
        assertTrue(second.skipReason().orElseThrow().contains("nothing to compact"), second.skipReason().toString());
        assertEquals(after.version(), log.latestSnapshot().version(), "a no-op OPTIMIZE commits nothing");
    }

    @Test
    void dropsRowsDeletedByDeletionVectors(@TempDir Path dir) {
        TableLog log = TestTables.create(dir.resolve("t"), false, Map.of("delta.enableDeletionVectors", "true"));
        TestTables.append(log, null, TestTables.range(0, 50));
        TestTables.append(log, null, TestTables.range(50, 100));
        AddFile first = log.latestSnapshot().activeFiles().stream()
                .filter(a -> a.stats().contains("\"minValues\":{\"id\":0")).findFirst().orElseThrow();
        TestTables.deleteRows(log, first, 0, 1, 2, 10, 49);
        List<String> expected = TestTables.rows(log.latestSnapshot());
        assertEquals(95, expected.size());

        RewriteResult result = new OptimizeTask(log, SMALL_TARGET).run();

        assertEquals(5, result.deletedRowsDropped());
        assertEquals(95, result.rowsWritten());
        Snapshot after = log.latestSnapshot();
        assertEquals(1, after.activeFiles().size());
        AddFile compacted = after.activeFiles().get(0);
        assertNull(compacted.deletionVector());
        assertEquals(95, TestTables.physicalRows(log.fileIO(), log.location() + "/" + compacted.decodedPath()));
        assertEquals(expected, TestTables.rows(after));
    }

    @Test
    void aLargeFileWithManyDeletedRowsIsRewrittenAlone(@TempDir Path dir) {
        TableLog log = TestTables.create(dir.resolve("t"), false, Map.of("delta.enableDeletionVectors", "true"));
        TestTables.append(log, null, TestTables.range(0, 1000));
        AddFile file = log.latestSnapshot().activeFiles().get(0);
        TestTables.deleteRows(log, file, TestTables.range(0, 100));
        // The file is above the target size, but 10% of its rows are deleted (more than the 5% default).
        RewriteResult result = new OptimizeTask(log, OptimizeOptions.defaults().withTargetFileSize(16)).run();
        assertTrue(result.committed(), result.toString());
        assertEquals(100, result.deletedRowsDropped());
        assertEquals(900, TestTables.rows(log.latestSnapshot()).size());
    }

    @Test
    void concurrentAppendDuringOptimizeBothLand(@TempDir Path dir) {
        Path table = dir.resolve("t");
        TableLog log = TestTables.create(table, false, Map.of());
        for (int i = 0; i < 3; i++) {
            TestTables.append(log, null, TestTables.range(i * 10, i * 10 + 10));
        }
        TableLog other = TableLog.forPath(new LocalFileIO(), table.toString());
        TableLog racing = TableLog.forPath(BeforeCommitFileIO.once(new LocalFileIO(),
                () -> TestTables.append(other, null, TestTables.range(100, 110))), table.toString());

        RewriteResult result = new OptimizeTask(racing, SMALL_TARGET).run();

        assertTrue(result.committed());
        assertEquals(3, result.filesRemoved());
        Snapshot after = log.latestSnapshot();
        assertEquals(result.readVersion() + 2, after.version(), "the append took the next version, OPTIMIZE the one after");
        List<String> expected = new ArrayList<>();
        for (long id : TestTables.range(0, 30)) {
            expected.add("/" + id);
        }
        for (long id : TestTables.range(100, 110)) {
            expected.add("/" + id);
        }
        expected.sort(null);
        assertEquals(expected, TestTables.rows(after), "no row lost or duplicated");
        assertEquals(2, after.activeFiles().size());
    }

    @Test
    void concurrentRemoveOfAFileBeingOptimizedFailsAndLeavesTheTableAsTheOtherWriterLeftIt(@TempDir Path dir) throws Exception {
        Path table = dir.resolve("t");
        TableLog log = TestTables.create(table, false, Map.of());
        for (int i = 0; i < 3; i++) {
            TestTables.append(log, null, TestTables.range(i * 10, i * 10 + 10));
        }
        AddFile victim = log.latestSnapshot().activeFiles().get(0);
        TableLog other = TableLog.forPath(new LocalFileIO(), table.toString());
        TableLog racing = TableLog.forPath(BeforeCommitFileIO.once(new LocalFileIO(),
                () -> TestTables.removeFile(other, victim)), table.toString());
        long parquetBefore = parquetFiles(table);

        TarnException e = assertThrows(TarnException.class, () -> new OptimizeTask(racing, SMALL_TARGET).run());

        assertEquals(ErrorCode.CONCURRENT_MODIFICATION, e.errorCode(), e.getMessage());
        Snapshot after = log.latestSnapshot();
        assertEquals(2, after.activeFiles().size());
        assertEquals(20, TestTables.rows(after).size());
        assertEquals("DELETE", ((CommitInfo) log.readCommit(after.version()).get(0)).operation());
        assertEquals(parquetBefore, parquetFiles(table), "the files OPTIMIZE wrote were deleted");
    }

    @Test
    void concurrentDeletionVectorOnAFileBeingOptimizedConflicts(@TempDir Path dir) {
        Path table = dir.resolve("t");
        TableLog log = TestTables.create(table, false, Map.of("delta.enableDeletionVectors", "true"));
        TestTables.append(log, null, TestTables.range(0, 10));
        TestTables.append(log, null, TestTables.range(10, 20));
        AddFile victim = log.latestSnapshot().activeFiles().get(1);
        TableLog other = TableLog.forPath(new LocalFileIO(), table.toString());
        TableLog racing = TableLog.forPath(BeforeCommitFileIO.once(new LocalFileIO(),
                () -> TestTables.deleteRows(other, victim, 0)), table.toString());

        TarnException e = assertThrows(TarnException.class, () -> new OptimizeTask(racing, SMALL_TARGET).run());

        assertEquals(ErrorCode.CONCURRENT_MODIFICATION, e.errorCode(), e.getMessage());
        assertEquals(19, TestTables.rows(log.latestSnapshot()).size(), "the concurrent DELETE's row stays deleted");
    }

    @ParameterizedTest
    @EnumSource(value = FaultInjectingFileIO.Operation.class, names = {"READ", "WRITE", "CREATE_EXCLUSIVE"})
    void aFailureAtAnyStepLeavesTheTableUnchangedAndDeletesNewFiles(FaultInjectingFileIO.Operation op,
                                                                     @TempDir Path dir) throws Exception {
        Path table = dir.resolve("t");
        TableLog log = TestTables.create(table, false, Map.of());
        for (int i = 0; i < 3; i++) {
            TestTables.append(log, null, TestTables.range(i * 10, i * 10 + 10));
        }
        long version = log.latestSnapshot().version();
        long files = parquetFiles(table);
        FaultInjectingFileIO faulty = new FaultInjectingFileIO(new LocalFileIO());
        switch (op) {
            case READ -> faulty.failWhen(op, l -> l.endsWith(".parquet") && !l.contains("_delta_log"));
            case WRITE -> faulty.failWhen(op, l -> l.endsWith(".parquet"));
            default -> faulty.failWhen(op, l -> l.contains("_delta_log"));
        }
        TableLog failing = TableLog.forPath(faulty, table.toString());

        TarnException e = assertThrows(TarnException.class, () -> new OptimizeTask(failing, SMALL_TARGET).run());

        assertEquals(ErrorCode.IO_ERROR, e.errorCode(), e.getMessage());
        assertEquals(version, log.latestSnapshot().version());
        assertEquals(files, parquetFiles(table), "files written before the failure were deleted");
        assertEquals(30, TestTables.rows(log.latestSnapshot()).size());
    }

    @Test
    void partitionPredicateLimitsTheRewriteAndOtherColumnsAreRejected(@TempDir Path dir) {
        TableLog log = TestTables.create(dir.resolve("t"), true, Map.of());
        for (int i = 0; i < 2; i++) {
            TestTables.append(log, "a", TestTables.range(i * 10, i * 10 + 10));
            TestTables.append(log, "b", TestTables.range(100 + i * 10, 100 + i * 10 + 10));
        }
        Predicate onA = new Predicate.Comparison(Predicate.Column.of("part"), Predicate.Op.EQ,
                new Predicate.Literal("a", PrimitiveType.STRING));
        RewriteResult result = new OptimizeTask(log, SMALL_TARGET.withPartitionPredicate(onA)).run();
        assertEquals(2, result.filesRemoved());
        assertEquals(1, result.partitionsTouched());
        Snapshot after = log.latestSnapshot();
        assertEquals(1, after.activeFiles().stream().filter(a -> "a".equals(a.partitionValues().get("part"))).count());
        assertEquals(2, after.activeFiles().stream().filter(a -> "b".equals(a.partitionValues().get("part"))).count());
        CommitInfo info = (CommitInfo) log.readCommit(after.version()).get(0);
        assertEquals("[\"part = 'a'\"]", info.operationParameters().get("predicate"));

        Predicate onId = new Predicate.Comparison(Predicate.Column.of("id"), Predicate.Op.GT,
                new Predicate.Literal(5L, PrimitiveType.LONG));
        TarnException e = assertThrows(TarnException.class,
                () -> new OptimizeTask(log, SMALL_TARGET.withPartitionPredicate(onId)).run());
        assertEquals(ErrorCode.VALIDATION_ERROR, e.errorCode());
        assertTrue(e.getMessage().contains("'id'") && e.getMessage().contains("not a partition column"), e.getMessage());
    }

    @Test
    void rowTrackedTableWithoutMaterializedColumnNamesIsLeftAloneWithAReason(@TempDir Path dir) {
        TableLog log = TestTables.create(dir.resolve("t"), false, Map.of("delta.enableRowTracking", "true"));
        TestTables.append(log, null, TestTables.range(0, 10));
        TestTables.append(log, null, TestTables.range(10, 20));
        long version = log.latestSnapshot().version();
        RewriteResult result = new OptimizeTask(log, SMALL_TARGET).run();
        assertFalse(result.committed());
        assertTrue(result.skipReason().orElseThrow().contains("delta.rowTracking.materializedRowIdColumnName"),
                result.skipReason().toString());
        assertEquals(version, log.latestSnapshot().version());
    }

    static long parquetFiles(Path table) throws Exception {
        try (Stream<Path> s = Files.walk(table)) {
            return s.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log")).count();
        }
    }
}
