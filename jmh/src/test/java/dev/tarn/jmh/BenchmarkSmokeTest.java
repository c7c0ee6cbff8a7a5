package dev.tarn.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.txlog.Snapshot;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every benchmark body once on a small input, so benchmarks keep compiling and keep doing real work. */
class BenchmarkSmokeTest {
    @Test
    void parquetScanBenchmarkWritesAndScansAllRows() throws Exception {
        ParquetScanBenchmark b = new ParquetScanBenchmark();
        b.rows = 10_000;
        b.setUp();
        try {
            assertEquals(10_000, b.writeFile());
            assertEquals(10_000, b.scanAllColumns());
        } finally {
            b.tearDown();
        }
    }

    @Test
    void snapshotLoadBenchmarkLoadsEveryVersionAndFile(@TempDir Path dir) throws Exception {
        SnapshotLoadBenchmark b = new SnapshotLoadBenchmark();
        b.commits = 200;
        b.filesPerCommit = 10;
        b.jsonCommits = 50;
        b.fixtureRoot = dir;
        b.setUp();
        Snapshot checkpointed = b.loadCheckpointed();
        assertEquals(199, checkpointed.version());
        assertEquals(190, checkpointed.checkpointVersion());
        assertEquals(2_000, checkpointed.activeFiles().size());
        Snapshot json = b.loadJsonOnly();
        assertEquals(49, json.version());
        assertEquals(-1, json.checkpointVersion());
        assertEquals(500, json.activeFiles().size());
        Snapshot refreshed = b.refreshTenCommits();
        assertEquals(199, refreshed.version());
        assertEquals(2_000, refreshed.activeFiles().size());
        assertEquals(checkpointed.activeFiles().stream().map(a -> a.path()).sorted().toList(),
                refreshed.activeFiles().stream().map(a -> a.path()).sorted().toList());

        // A second set-up reuses the cached fixtures instead of regenerating them.
        SnapshotLoadBenchmark again = new SnapshotLoadBenchmark();
        again.commits = 200;
        again.filesPerCommit = 10;
        again.jsonCommits = 50;
        again.fixtureRoot = dir;
        again.setUp();
        assertEquals(checkpointed.metadata().id(), again.loadCheckpointed().metadata().id());
    }

    @Test
    void parquetDecodeBenchmarkDecodesEveryRowInEachEncoding() throws Exception {
        for (String encoding : new String[] {"PLAIN", "DICTIONARY", "DELTA"}) {
            ParquetDecodeBenchmark b = new ParquetDecodeBenchmark();
            b.rows = 10_000;
            b.encoding = encoding;
            b.setUp();
            try {
                assertEquals(10_000, b.pageDecoder(), encoding);
                assertEquals(10_000, b.columnReader(), encoding);
                assertEquals(30_000, b.decompressOnly(), encoding);
            } finally {
                b.tearDown();
            }
        }
    }
}
