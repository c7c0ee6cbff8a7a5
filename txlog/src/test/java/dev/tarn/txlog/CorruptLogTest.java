package dev.tarn.txlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.testdata.SharedTestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad logs fail with the right code and say where; tolerable oddities are tolerated. */
class CorruptLogTest {
    @TempDir
    Path dir;

    private Path log(long version) {
        return dir.resolve(String.format("_delta_log/%020d.json", version));
    }

    private TableLog tableWithAppend() {
        TableLog log = TestTables.create(dir, Map.of());
        TestTables.append(log, TestTables.file("a.parquet", "x", 1, 5));
        return log;
    }

    private static TarnException failure(TableLog log) {
        return assertThrows(TarnException.class, () -> TableLog.forPath(new LocalFileIO(), log.location()).latestSnapshot());
    }

    @Test
    void malformedJsonLineNamesFileAndLine() throws IOException {
        TableLog log = tableWithAppend();
        Files.writeString(log(2), "{\"commitInfo\":{}}\n{\"add\": {\"path\": \"b\",\n", StandardCharsets.UTF_8);
        TarnException e = failure(log);
        assertEquals(ErrorCode.CORRUPT_LOG, e.errorCode());
        assertTrue(e.getMessage().contains("00000000000000000002.json") && e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void knownActionMissingRequiredFieldIsCorrupt() throws IOException {
        TableLog log = tableWithAppend();
        Files.writeString(log(2), "{\"add\":{\"path\":\"b.parquet\",\"partitionValues\":{}}}\n");
        TarnException e = failure(log);
        assertEquals(ErrorCode.CORRUPT_LOG, e.errorCode());
        assertTrue(e.getMessage().contains("size") && e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void unknownActionsAndFieldsAreIgnored() throws IOException {
        TableLog log = tableWithAppend();
        Files.writeString(log(2), "{\"futureAction\":{\"x\":1}}\n"
                + "{\"add\":{\"path\":\"b.parquet\",\"partitionValues\":{\"part\":\"x\"},\"size\":1,\"modificationTime\":2,"
                + "\"dataChange\":true,\"newField\":[1,2]}}\n\n");
        Snapshot s = TableLog.forPath(new LocalFileIO(), log.location()).latestSnapshot();
        assertEquals(2, s.version());
        assertEquals(2, s.activeFiles().size());
    }

    @Test
    void versionGapIsReportedWithTheMissingVersion() throws IOException {
        TableLog log = tableWithAppend();
        TestTables.append(log, TestTables.file("b.parquet", "x", 1, 5));
        Files.delete(log(1));
        TarnException e = failure(log);
        assertEquals(ErrorCode.LOG_VERSION_GAP, e.errorCode());
        assertTrue(e.getMessage().contains("version 1"), e.getMessage());
    }

    @Test
    void missingOrCorruptLastCheckpointIsTolerated() throws IOException {
        TableLog log = TestTables.create(dir, Map.of("delta.checkpointInterval", "2"));
        TestTables.append(log, TestTables.file("a.parquet", "x", 1, 5));
        TestTables.append(log, TestTables.file("b.parquet", "x", 1, 5));
        TestTables.append(log, TestTables.file("c.parquet", "x", 1, 5));
        Path last = dir.resolve("_delta_log/_last_checkpoint");
        assertTrue(Files.exists(last));
        for (String content : new String[] {"", "{not json", "{\"version\":\"two\"}"}) {
            Files.writeString(last, content, StandardOpenOption.TRUNCATE_EXISTING);
            Snapshot s = TableLog.forPath(new LocalFileIO(), log.location()).latestSnapshot();
            assertEquals(3, s.activeFiles().size(), "with _last_checkpoint '" + content + "'");
            assertEquals(2, s.checkpointVersion());
        }
        Files.delete(last);
        assertEquals(3, TableLog.forPath(new LocalFileIO(), log.location()).latestSnapshot().activeFiles().size());
    }

    @Test
    void missingCheckpointPartDeclaredByLastCheckpoint() throws IOException {
        Path source = SharedTestData.deltaTable("multi-part-checkpoint").resolve("_delta_log");
        Path target = Files.createDirectories(dir.resolve("_delta_log"));
        try (Stream<Path> files = Files.list(source)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.copy(p, target.resolve(p.getFileName()));
            }
        }
        Files.delete(target.resolve("00000000000000000001.checkpoint.0000000002.0000000002.parquet"));
        TarnException e = assertThrows(TarnException.class,
                () -> TableLog.forPath(new LocalFileIO(), dir.toString()).latestSnapshot());
        assertEquals(ErrorCode.MISSING_CHECKPOINT_PART, e.errorCode(), e.getMessage());
        assertTrue(e.getMessage().contains("version 1"), e.getMessage());
    }

    @Test
    void emptyDirectoryIsNotADeltaTable() {
        TableLog log = TableLog.forPath(new LocalFileIO(), dir.toString());
        assertEquals(false, log.exists());
        assertEquals(ErrorCode.NOT_A_DELTA_TABLE, assertThrows(TarnException.class, log::latestSnapshot).errorCode());
    }

    @Test
    void versionBeyondLatestIsNotFound() {
        TableLog log = tableWithAppend();
        TarnException e = assertThrows(TarnException.class, () -> log.snapshotAt(7));
        assertEquals(ErrorCode.VERSION_NOT_FOUND, e.errorCode());
        assertTrue(e.getMessage().contains("latest version is 1"), e.getMessage());
    }

    @Test
    void versionsBeforeTheEarliestCheckpointAreNotFoundAfterCleanup() throws IOException {
        TableLog log = TestTables.create(dir, Map.of("delta.checkpointInterval", "2"));
        for (int i = 0; i < 3; i++) {
            TestTables.append(log, TestTables.file("f" + i + ".parquet", "x", i, i));
        }
        Files.delete(log(0));
        Files.delete(log(1));
        TableLog fresh = TableLog.forPath(new LocalFileIO(), log.location());
        assertEquals(3, fresh.latestSnapshot().activeFiles().size());
        assertEquals(2, fresh.snapshotAt(2).activeFiles().size());
        TarnException e = assertThrows(TarnException.class, () -> fresh.snapshotAt(1));
        assertEquals(ErrorCode.VERSION_NOT_FOUND, e.errorCode());
        assertTrue(e.getMessage().contains("earliest reconstructable version is 2"), e.getMessage());
    }
}
