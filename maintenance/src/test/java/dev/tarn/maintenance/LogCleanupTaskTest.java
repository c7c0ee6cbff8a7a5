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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogCleanupTaskTest {
    private static final long DAY = 24 * 3_600_000L;

    /** Commits 0..lastVersion (automatic checkpoints every 10), commits up to {@code oldUpTo} 40 days old. */
    private static TableLog table(Path dir, int lastVersion, int oldUpTo, Map<String, String> conf) throws IOException {
        TableLog log = TableLog.forPath(new LocalFileIO(), dir.toString());
        Transaction create = log.newTransaction(null, "CREATE TABLE", Map.of());
        create.updateMetadata(dev.tarn.txlog.action.Metadata.create(TestTables.DATA, List.of(), conf, null, null));
        create.commit();
        for (int v = 1; v <= lastVersion; v++) {
            Transaction tx = log.newTransaction(log.latestSnapshot(), "WRITE", Map.of("mode", "Append"));
            tx.addFiles(List.of(AddFile.create("f" + v + ".parquet", Map.of(), 10, 1000L, true, "{\"numRecords\":1}")));
            tx.commit();
        }
        try (Stream<Path> s = Files.list(dir.resolve("_delta_log"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String name = p.getFileName().toString();
                if (name.matches("\\d{20}\\..*") && Long.parseLong(name.substring(0, 20)) <= oldUpTo) {
                    VacuumTaskTest.age(p, 40 * DAY - Long.parseLong(name.substring(0, 20)) * 60_000);
                }
            }
        }
        return log;
    }

    private static boolean logHas(Path dir, String name) {
        return Files.exists(dir.resolve("_delta_log").resolve(name));
    }

    @Test
    void removesHistoryBeforeTheNewestCheckpointAtOrBeforeTheOldestRetainedVersion(@TempDir Path dir) throws IOException {
        Path t = dir.resolve("t");
        TableLog log = table(t, 25, 14, Map.of());
        assertTrue(logHas(t, "00000000000000000010.checkpoint.parquet"));
        assertTrue(logHas(t, "00000000000000000020.checkpoint.parquet"));
        Snapshot before = log.latestSnapshot();

        LogCleanupResult dry = new LogCleanupTask(log, LogCleanupOptions.defaults().withDryRun(true)).run();
        assertEquals(15, dry.oldestRetainedVersion());
        assertEquals(10, dry.checkpointKept());
        assertEquals(10, dry.files().size(), dry.files().toString());
        assertTrue(logHas(t, "00000000000000000000.json"), "a dry run deletes nothing");

        LogCleanupResult result = new LogCleanupTask(log, LogCleanupOptions.defaults()).run();

        assertEquals(dry.files(), result.files());
        for (long v = 0; v < 10; v++) {
            assertFalse(logHas(t, String.format("%020d.json", v)));
        }
        assertTrue(logHas(t, "00000000000000000010.json"));
        assertTrue(logHas(t, "00000000000000000010.checkpoint.parquet"));
        TableLog fresh = TableLog.forPath(new LocalFileIO(), t.toString());
        assertEquals(before.activeFiles().size(), fresh.latestSnapshot().activeFiles().size());
        for (long v = 10; v <= 25; v++) {
            assertEquals(v, fresh.snapshotAt(v).activeFiles().size(), "version " + v + " is still readable");
        }
        TarnException gone = assertThrows(TarnException.class, () -> fresh.snapshotAt(5));
        assertEquals(ErrorCode.VERSION_NOT_FOUND, gone.errorCode());

        LogCleanupResult again = new LogCleanupTask(log, LogCleanupOptions.defaults()).run();
        assertTrue(again.files().isEmpty());
        assertTrue(again.skipReason().isPresent());
    }

    @Test
    void withoutACheckpointNothingIsRemoved(@TempDir Path dir) throws IOException {
        Path t = dir.resolve("t");
        TableLog log = table(t, 8, 8, Map.of());
        LogCleanupResult result = new LogCleanupTask(log, LogCleanupOptions.defaults()).run();
        assertTrue(result.files().isEmpty());
        assertTrue(result.skipReason().orElseThrow().contains("no checkpoint"), result.skipReason().toString());
        assertTrue(logHas(t, "00000000000000000000.json"));
    }

    @Test
    void honoursTheTablesLogRetention(@TempDir Path dir) throws IOException {
        Path t = dir.resolve("t");
        // All commits are about 40 days old; with a 60-day table retention none may go.
        TableLog log = table(t, 12, 12, Map.of("delta.logRetentionDuration", "interval 60 days"));
        LogCleanupResult kept = new LogCleanupTask(log, LogCleanupOptions.defaults()).run();
        assertEquals(Duration.ofDays(60), kept.retention());
        assertTrue(kept.files().isEmpty());
        // An explicit shorter retention: everything is old, so the log starts at the checkpoint of version 10.
        LogCleanupResult removed = new LogCleanupTask(log, LogCleanupOptions.defaults().withRetention(Duration.ofDays(1))).run();
        assertEquals(12, removed.oldestRetainedVersion());
        assertEquals(10, removed.checkpointKept());
        assertEquals(12, TableLog.forPath(new LocalFileIO(), t.toString()).latestSnapshot().activeFiles().size());
    }
}
