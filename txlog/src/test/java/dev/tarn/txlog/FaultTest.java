package dev.tarn.txlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.testdata.FaultInjectingFileIO;
import dev.tarn.testdata.FaultInjectingFileIO.Operation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** I/O failures: a failed commit leaves the table unchanged; a failed checkpoint does not fail its commit. */
class FaultTest {
    @TempDir
    Path dir;

    @Test
    void failedCommitWriteLeavesTheTableUnchanged() {
        TestTables.create(dir, Map.of());
        FaultInjectingFileIO io = new FaultInjectingFileIO(new LocalFileIO())
                .failWhen(Operation.CREATE_EXCLUSIVE, l -> l.endsWith("00000000000000000001.json"));
        TableLog log = TableLog.forPath(io, dir.toString());
        Transaction tx = log.newTransaction(log.latestSnapshot(), "WRITE", Map.of());
        tx.addFiles(List.of(TestTables.file("a.parquet", "x", 1, 2)));
        TarnException e = assertThrows(TarnException.class, tx::commit);
        assertEquals(ErrorCode.IO_ERROR, e.errorCode());
        assertFalse(Files.exists(dir.resolve("_delta_log/00000000000000000001.json")));
        assertEquals(0, TableLog.forPath(new LocalFileIO(), dir.toString()).latestSnapshot().version());
    }

    @Test
    void failedAutomaticCheckpointIsReportedNotThrown() {
        TestTables.create(dir, Map.of("delta.checkpointInterval", "1"));
        FaultInjectingFileIO io = new FaultInjectingFileIO(new LocalFileIO())
                .failWhen(Operation.CREATE_EXCLUSIVE, l -> l.contains(".checkpoint."));
        TableLog log = TableLog.forPath(io, dir.toString());
        Transaction tx = log.newTransaction(log.latestSnapshot(), "WRITE", Map.of());
        tx.addFiles(List.of(TestTables.file("a.parquet", "x", 1, 2)));
        assertEquals(1, tx.commit().version());
        assertTrue(tx.postCommitFailure().isPresent());
        assertEquals(ErrorCode.IO_ERROR, tx.postCommitFailure().get().errorCode());
        Snapshot s = TableLog.forPath(new LocalFileIO(), dir.toString()).latestSnapshot();
        assertEquals(1, s.activeFiles().size());
        assertEquals(-1, s.checkpointVersion());
    }
}
