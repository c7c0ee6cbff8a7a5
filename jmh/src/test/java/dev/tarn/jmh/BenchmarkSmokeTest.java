package dev.tarn.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.txlog.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    @Test
    void startupBenchmarksRunTheWorkloadAndCleanUp() throws Exception {
        StartupBenchmark b = new StartupBenchmark();
        StartupBenchmark.ColdState cold = new StartupBenchmark.ColdState();
        cold.setUp();
        assertEquals(StartupWorkload.ROWS, b.firstUseInFreshJvm(cold));
        assertTrue(Files.isDirectory(cold.root.resolve("lake/default/events/_delta_log")));
        cold.tearDown();
        assertFalse(Files.exists(cold.root));
        assertEquals(StartupWorkload.ROWS, b.freshLakeInWarmJvm());
        assertEquals(StartupWorkload.ROWS, b.freshLakeInWarmJvm(), "every operation gets a new lake");
    }

    @Test
    void coldStartMeasuresAFreshJvmAndSummarizes() throws Exception {
        Map<String, Long> inProcess = ColdStart.parse(ColdStart.measure());
        assertEquals(StartupWorkload.ROWS, inProcess.get("rows"));
        assertTrue(inProcess.get("jvm_ms") >= inProcess.get("main_ms"), inProcess.toString());
        // One real child JVM on this class path (directories here, so no AppCDS archive).
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ColdStart.class.getName());
        Map<String, Long> child = ColdStart.launch(command);
        assertEquals(StartupWorkload.ROWS, child.get("rows"));
        long steps = child.get("connect_ms") + child.get("create_ms") + child.get("insert_ms")
                + child.get("query_ms");
        assertTrue(child.get("jvm_ms") >= steps && child.get("launch_ms") >= child.get("jvm_ms") - 50,
                child.toString());
        assertTrue(child.get("classes") > 1_000, "Tarn, Calcite and Arrow classes loaded: " + child);
        long jitFloor = Files.isDirectory(Path.of("/proc/self/task")) ? 0 : -1;
        assertTrue(child.get("jit_ms") >= jitFloor, "JIT compiler threads' CPU time: " + child);
        // A cold JVM spends well over the 10 ms clock tick of CPU before its first row, and no more than in all.
        if (jitFloor == 0) {
            assertTrue(child.get("cpu_first_ms") > 0 && child.get("cpu_first_ms") <= child.get("cpu_ms") + 10,
                    "process CPU at the first row: " + child);
        }
        String summary = ColdStart.summary("x", List.of(child, child, Map.of("launch_ms", 1L)));
        assertTrue(summary.startsWith("x:") && summary.contains(" launch_ms=" + child.get("launch_ms") + " [1.."),
                summary);
        String warm = ColdStart.warm(2);
        assertTrue(warm.contains("medians of runs 2..2") && warm.contains("insert_us"), warm);
        assertEquals(2, ColdStart.median(new long[] {1, 2, 3}));
        assertEquals(2, ColdStart.median(new long[] {1, 2, 3, 4}));
    }

    @Test
    void coldStartMeasuresWithTheFlagsTheLauncherStartsWith() throws Exception {
        // Surefire runs in the module directory; the launcher script is at the repository root.
        String launcher = Files.readString(Path.of("..", "tarn"));
        String line = launcher.lines().filter(l -> l.contains("Tier4InvocationThreshold")).findFirst().orElse("");
        int start = launcher.indexOf(line);
        String flags = launcher.substring(start, launcher.indexOf(')', start)).replace("opts+=(", "").strip();
        assertEquals(ColdStart.LAUNCHER_FLAGS, List.of(flags.split("\\s+")), "./tarn's JIT and GC flags");
    }

    @Test
    void operatorBenchmarksProcessEveryRow() {
        OperatorBenchmark b = new OperatorBenchmark();
        b.rows = 20_000;
        b.setUp();
        try {
            long decimal = b.filterDecimal();
            assertTrue(decimal > 0 && decimal < 20_000, "some rows pass: " + decimal);
            long dates = b.filterDate();
            assertTrue(dates > 0 && dates < 20_000, "some rows pass: " + dates);
            assertEquals(20_000, b.projectDecimal());
            assertEquals(20_000, b.projectDouble());
            assertEquals(4, b.hashAggregateFewGroups());
            long groups = b.hashAggregateManyGroups();
            assertTrue(groups > 1_000 && groups <= 2_500, "distinct keys of 0..2499: " + groups);
            // Every probe key is in 0..2499 and the build side holds each of those keys exactly once.
            assertEquals(20_000, b.hashJoin());
            assertEquals(20_000, b.sort());
        } finally {
            b.tearDown();
        }
    }

    @Test
    void tpchSideBySideRunsEveryQueryOnBothEnginesWithTheSameRowCounts(@TempDir Path dir) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
        TpchSideBySide.Options options = TpchSideBySide.parse(new String[] {
                "--lake", dir.resolve("lake").toString(), "--sf", "0.01", "--threads", "2", "--warmup", "0",
                "--runs", "1"});
        List<TpchSideBySide.QueryTiming> timings = TpchSideBySide.run(options, out);
        String report = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(22, timings.size(), report);
        for (TpchSideBySide.QueryTiming t : timings) {
            assertEquals(t.duckdbRows(), t.tarnRows(), "q" + t.query() + " row counts:\n" + report);
            assertTrue(t.tarnRows() > 0, report);
        }
        String[] lines = report.strip().split("\n");
        assertTrue(lines[lines.length - 1].matches("geomean ratio \\d+\\.\\d\\d"), report);
        assertEquals(1.5, TpchSideBySide.median(new double[] {2, 1}));
    }

    @Test
    void mergeBenchmarkMergesOnePercentUpdatesAndInserts(@TempDir Path dir) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
        List<MergeBenchmark.Run> runs = MergeBenchmark.run(MergeBenchmark.parse(new String[] {
                "--lake", dir.toString(), "--sf", "0.01", "--runs", "1", "--threads", "1"}), out);
        assertEquals(2, runs.size(), bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
        for (MergeBenchmark.Run r : runs) {
            // About 1% of lineitem's 60175 rows updated and 1% inserted; the table grows by the inserts.
            assertTrue(r.affectedRows() > 800 && r.affectedRows() < 1600, r.toString());
            assertTrue(r.tableRows() > 60175 && r.tableRows() < 61000, r.toString());
            assertTrue(r.millis() > 0, r.toString());
        }
        assertFalse(Files.exists(dir.resolve("run")), "each run's copy is removed");
    }

    @Test
    void clusteringBenchmarkPrunesAfterOptimizeAndTheIncrementalRunCostsAboutTheAppend(@TempDir Path dir)
            throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
        ClusteringBenchmark.Result r = ClusteringBenchmark.run(ClusteringBenchmark.parse(new String[] {
                "--lake", dir.resolve("lake").toString(), "--sf", "0.01", "--parts", "8", "--target-files", "8"}), out);
        String report = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(r.rows(), r.first().rowsWritten(), report);
        assertEquals(r.loadFiles(), r.first().filesRemoved(), report);
        assertEquals(r.dateBefore().total(), r.dateBefore().opened(), "unclustered, every file holds every date: " + report);
        assertTrue(r.dateAfter().opened() < r.dateAfter().total(), report);
        assertTrue(r.bothAfter().opened() < r.bothBefore().opened(), report);
        assertTrue(r.incremental().bytesRemoved() <= r.appendBytes(), "incremental: only the append: " + report);
        assertTrue(report.contains("MB/s"), report);
    }
}
