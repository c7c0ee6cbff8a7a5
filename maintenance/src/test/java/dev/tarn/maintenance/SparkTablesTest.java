package dev.tarn.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.testdata.SharedTestData;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Maintenance on tables written by Spark / Databricks (copied out of the read-only shared test data first). */
class SparkTablesTest {

    static Path copy(String name, Path dir) throws IOException {
        Path source = SharedTestData.deltaTable(name);
        Path target = dir.resolve(name);
        try (Stream<Path> all = Files.walk(source)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path t = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return target;
    }

    @Test
    void purgeOnDvSmallDropsTheTwoDeletedRows(@TempDir Path dir) throws IOException {
        TableLog log = TableLog.forPath(new LocalFileIO(), copy("dv-small", dir).toString());
        RewriteResult result = new PurgeTask(log, PurgeOptions.defaults()).run();
        assertEquals(2, result.deletedRowsDropped());
        Snapshot after = log.latestSnapshot();
        assertNull(after.activeFiles().get(0).deletionVector());
        assertEquals(List.of("/1", "/2", "/3", "/4", "/5", "/6", "/7", "/8"), TestTables.rows(after));
        // Time travel to the version before the purge still reads the original file and its DV.
        assertEquals(8, TestTables.rows(log.snapshotAt(1)).size());
    }

    @Test
    void optimizeCompactsASparkTableWithACheckpoint(@TempDir Path dir) throws IOException {
        TableLog log = TableLog.forPath(new LocalFileIO(), copy("inserts-deletes-checkpoint", dir).toString());
        Snapshot before = log.latestSnapshot();
        List<String> rows = TestTables.rows(before);
        assertEquals(41, rows.size());
        RewriteResult result = new OptimizeTask(log, OptimizeOptions.defaults()).run();
        assertTrue(result.committed(), result.toString());
        assertEquals(before.activeFiles().size(), result.filesRemoved());
        assertEquals(1, log.latestSnapshot().activeFiles().size());
        assertEquals(rows, TestTables.rows(log.latestSnapshot()));
        assertEquals(rows, TestTables.rows(TableLog.forPath(new LocalFileIO(), log.location()).latestSnapshot()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dv-colmap-name", "dv-partitioned-checkpoint", "basic-partitioned", "colmap-renamed-partition",
            "colmap-id-all-types", "escaped-partition-chars", "dv-with-checkpoint"})
    void optimizeThenPurgeKeepEveryRow(String name, @TempDir Path dir) throws IOException {
        TableLog log = TableLog.forPath(new LocalFileIO(), copy(name, dir).toString());
        Snapshot before = log.latestSnapshot();
        List<String> rows = TestTables.rowsAllColumns(before);
        new PurgeTask(log, PurgeOptions.defaults()).run();
        assertEquals(rows, TestTables.rowsAllColumns(log.latestSnapshot()), "after PURGE");
        assertTrue(log.latestSnapshot().activeFiles().stream().allMatch(a -> a.deletionVector() == null));
        RewriteResult optimized = new OptimizeTask(log, OptimizeOptions.defaults()).run();
        Snapshot after = TableLog.forPath(new LocalFileIO(), log.location()).latestSnapshot();
        assertEquals(rows, TestTables.rowsAllColumns(after), "after OPTIMIZE: " + optimized);
        for (var a : after.activeFiles()) {
            assertTrue(java.nio.file.Files.exists(Path.of(log.location()).resolve(a.decodedPath())), a.path());
        }
    }

    @Test
    void refusesUpFrontATableWithAWriterFeatureTarnCannotHonour(@TempDir Path dir) throws Exception {
        Path table = copy("row-tracking-liquid-preview", dir);
        TableLog log = TableLog.forPath(new LocalFileIO(), table.toString());
        long version = log.latestSnapshot().version();
        long files = OptimizeTaskTest.parquetFiles(table);
        dev.tarn.error.TarnException e = org.junit.jupiter.api.Assertions.assertThrows(dev.tarn.error.TarnException.class,
                () -> new OptimizeTask(log, OptimizeOptions.defaults()).run());
        assertTrue(e.getMessage().contains("liquid"), e.getMessage());
        assertEquals(version, log.latestSnapshot().version());
        assertEquals(files, OptimizeTaskTest.parquetFiles(table), "nothing was written");
    }
}
