package dev.tarn.txlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.action.CommitInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Time travel by timestamp over file modification times and in-commit timestamps. */
class TimeTravelTest {
    @TempDir
    Path dir;

    @Test
    void byFileModificationTimeMadeMonotonic() throws Exception {
        TableLog log = TestTables.create(dir, Map.of());
        TestTables.append(log, TestTables.file("a.parquet", "a", 1, 1));
        TestTables.append(log, TestTables.file("b.parquet", "a", 2, 2));
        long[] mtimes = {1_000_000, 2_000_000, 1_500_000}; // version 2 older than 1 on disk: treated as 2_000_001
        for (int v = 0; v < 3; v++) {
            Files.setLastModifiedTime(dir.resolve(String.format("_delta_log/%020d.json", v)), FileTime.fromMillis(mtimes[v]));
        }
        assertEquals(0, log.snapshotAsOf(1_999_999).version());
        assertEquals(1, log.snapshotAsOf(2_000_000).version());
        assertEquals(2, log.snapshotAsOf(2_000_001).version());
        assertEquals(2, log.snapshotAsOf(System.currentTimeMillis()).version());
        TarnException before = assertThrows(TarnException.class, () -> log.snapshotAsOf(999_999));
        assertEquals(ErrorCode.VERSION_NOT_FOUND, before.errorCode());
        TarnException future = assertThrows(TarnException.class,
                () -> log.snapshotAsOf(System.currentTimeMillis() + 3_600_000));
        assertEquals(ErrorCode.VERSION_NOT_FOUND, future.errorCode());
    }

    @Test
    void byInCommitTimestamp() {
        TableLog log = TestTables.create(dir, Map.of("delta.enableInCommitTimestamps", "true"));
        for (int i = 0; i < 5; i++) {
            TestTables.append(log, TestTables.file("f" + i + ".parquet", "a", i, i));
        }
        for (long v = 0; v <= 5; v++) {
            long ict = ((CommitInfo) log.readCommit(v).get(0)).inCommitTimestamp();
            assertEquals(v, log.snapshotAsOf(ict).version());
            if (v > 0) {
                assertEquals(v - 1, log.snapshotAsOf(ict - 1).version());
            }
        }
    }
}
