package dev.tarn.txlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.testdata.CountingFileIO;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading reads the newest checkpoint and only the commits after it; refreshing reads only the new tail. */
class LogIoTest {
    @TempDir
    Path dir;

    @Test
    void snapshotReadsCheckpointPlusTailOnly() {
        TableLog writer = TestTables.create(dir, Map.of("delta.checkpointInterval", "5"));
        for (int i = 1; i <= 7; i++) {
            TestTables.append(writer, TestTables.file("f" + i + ".parquet", "p", i, i));
        }
        CountingFileIO io = new CountingFileIO(new LocalFileIO());
        TableLog log = TableLog.forPath(io, dir.toString());
        Snapshot s = log.latestSnapshot();
        assertEquals(7, s.version());
        assertEquals(7, s.activeFiles().size());
        assertEquals(5, s.checkpointVersion());
        assertEquals(1, io.listCalls(), "one listing of _delta_log");
        assertEquals(2, io.openCount(l -> l.endsWith(".json")), "commits 6 and 7 only: " + io.openedFiles());
        assertEquals(1, io.openCount(l -> l.endsWith("00000000000000000006.json")));
        assertEquals(1, io.openCount(l -> l.contains(".checkpoint.")), "checkpoint read once: " + io.openedFiles());

        TestTables.append(writer, TestTables.file("f8.parquet", "p", 8, 8));
        io.reset();
        Snapshot refreshed = log.refresh(s);
        assertEquals(8, refreshed.version());
        assertEquals(8, refreshed.activeFiles().size());
        assertEquals(1, io.openCount(l -> l.endsWith(".json")), "only the new commit: " + io.openedFiles());
        assertEquals(0, io.openCount(l -> l.contains(".checkpoint.")));
        assertEquals(refreshed.activeFiles(), TableLog.forPath(new LocalFileIO(), dir.toString()).latestSnapshot().activeFiles());
        io.reset();
        assertEquals(refreshed, log.refresh(refreshed), "nothing new: the same snapshot");
        assertEquals(0, io.openCount(l -> l.endsWith(".json")));
    }
}
