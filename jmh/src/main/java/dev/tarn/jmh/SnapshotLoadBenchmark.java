package dev.tarn.jmh;

import dev.tarn.storage.fs.FileIO;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.txlog.Checkpoints;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import dev.tarn.txlog.Transaction;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.Metadata;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Snapshot loading cost of the transaction log, through txlog's public API only:
 * <ul>
 *   <li>{@link #loadCheckpointed}: latest snapshot of a table with {@code commits} commits of
 *       {@code filesPerCommit} new files each (1,000,000 live files by default), checkpointed every 10 commits, so
 *       the load reads the newest checkpoint plus at most 9 JSON commits;</li>
 *   <li>{@link #loadJsonOnly}: latest snapshot of a table with {@code jsonCommits} JSON commits and no checkpoint
 *       (full JSON replay);</li>
 *   <li>{@link #refreshTenCommits}: {@link TableLog#refresh} of a snapshot of the checkpointed table that is 10
 *       commits behind the latest; this should cost in proportion to the 10 commits, not to the table.</li>
 * </ul>
 * Run (ms/op, plus allocated bytes per load as {@code gc.alloc.rate.norm}):
 * {@code java -jar jmh/target/tarn-jmh-benchmarks.jar SnapshotLoadBenchmark -prof gc}. Add {@code -p commits=..}
 * etc. for other sizes. Loading is single-threaded, but the JVM still collects garbage on every core it sees; for
 * the one-core figure add {@code -jvmArgsAppend -XX:ActiveProcessorCount=1} (the JVM then picks the serial
 * collector, as on a one-core machine) or run under {@code taskset -c 0}.
 *
 * <p>Fixtures are generated once per parameter set into {@code jmh/target/snapshot-fixtures} when run from the
 * repository root (else under {@code java.io.tmpdir}); a {@code _COMPLETE} marker makes later runs reuse them.
 * Version 0 is created with {@link Transaction}. The other commits are written directly as Delta JSON commit files
 * (PROTOCOL.md "Delta Log Entries": one commitInfo line and one add line per file, as Tarn's appends look):
 * committing 100,000 transactions through {@link Transaction} is quadratic here, because every commit lists the
 * whole log directory to build its post-commit snapshot and writes a checkpoint of all live files every 10 commits
 * (10,000 checkpoints averaging 500,000 files), and txlog's JSON serializer is internal. Checkpoints are written
 * with {@link Checkpoints#writeClassic} from snapshots loaded by txlog at the last two multiples of 10: readers only
 * use the newest, and the one before lets the refresh benchmark load its older base snapshot from a checkpoint.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx6g"})
public class SnapshotLoadBenchmark {
    static final int CHECKPOINT_INTERVAL = Checkpoints.DEFAULT_INTERVAL;
    static final int REFRESH_COMMITS = 10;

    /** Commits of the checkpointed table (versions 0 .. commits-1). */
    @Param("100000")
    public int commits;

    /** New files per commit in both tables. */
    @Param("10")
    public int filesPerCommit;

    /** Commits of the table without checkpoint. */
    @Param("10000")
    public int jsonCommits;

    /** Where fixtures are cached; null picks the default described in the class comment. */
    public Path fixtureRoot;

    private final FileIO io = new LocalFileIO();
    private TableLog checkpointed;
    private TableLog jsonOnly;
    private Snapshot refreshBase;

    static final StructType SCHEMA = StructType.of(
            new StructField("id", PrimitiveType.LONG, false),
            new StructField("price", PrimitiveType.DOUBLE, true),
            new StructField("comment", PrimitiveType.STRING, true));

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        if (commits < 3 * CHECKPOINT_INTERVAL) {
            throw new IllegalArgumentException("commits must be at least " + 3 * CHECKPOINT_INTERVAL + ": " + commits);
        }
        Path root = fixtureRoot != null ? fixtureRoot
                : Files.isDirectory(Path.of("jmh", "target")) ? Path.of("jmh", "target", "snapshot-fixtures")
                : Path.of(System.getProperty("java.io.tmpdir"), "tarn-jmh-snapshot-fixtures");
        Path cp = root.resolve("checkpointed-" + commits + "x" + filesPerCommit).toAbsolutePath();
        Path json = root.resolve("json-" + jsonCommits + "x" + filesPerCommit).toAbsolutePath();
        if (!Files.exists(cp.resolve("_COMPLETE"))) {
            generateCheckpointed(cp);
        }
        if (!Files.exists(json.resolve("_COMPLETE"))) {
            generateJsonOnly(json);
        }
        checkpointed = TableLog.forPath(io, cp.resolve("table").toString());
        jsonOnly = TableLog.forPath(io, json.resolve("table").toString());
        refreshBase = checkpointed.snapshotAt(latestCheckpointedVersion() - REFRESH_COMMITS);
    }

    long latestCheckpointedVersion() {
        return commits - 1;
    }

    /** Latest snapshot of the checkpointed table: newest checkpoint plus the JSON commits after it. */
    @Benchmark
    public Snapshot loadCheckpointed() {
        return checkpointed.latestSnapshot();
    }

    /** Latest snapshot of the table without checkpoint: every JSON commit is read. */
    @Benchmark
    public Snapshot loadJsonOnly() {
        return jsonOnly.latestSnapshot();
    }

    /** The snapshot 10 commits behind, brought to the latest version by replaying those commits only. */
    @Benchmark
    public Snapshot refreshTenCommits() {
        return checkpointed.refresh(refreshBase);
    }

    private void generateCheckpointed(Path dir) throws IOException {
        deleteRecursively(dir);
        TableLog log = createTable(dir.resolve("table"));
        long latest = latestCheckpointedVersion();
        long second = latest / CHECKPOINT_INTERVAL * CHECKPOINT_INTERVAL;
        long first = second - CHECKPOINT_INTERVAL;
        SplittableRandom random = new SplittableRandom(7);
        writeCommits(log, 1, first, random);
        Snapshot s = log.snapshotAt(first);
        Checkpoints.writeClassic(io, s);
        writeCommits(log, first + 1, second, random);
        s = log.refresh(s);
        if (s.version() != second) {
            throw new IllegalStateException("Expected version " + second + " after refresh, got " + s.version());
        }
        Checkpoints.writeClassic(io, s);
        writeCommits(log, second + 1, latest, random);
        Files.createFile(dir.resolve("_COMPLETE"));
    }

    private void generateJsonOnly(Path dir) throws IOException {
        deleteRecursively(dir);
        TableLog log = createTable(dir.resolve("table"));
        writeCommits(log, 1, jsonCommits - 1, new SplittableRandom(11));
        Files.createFile(dir.resolve("_COMPLETE"));
    }

    /** Version 0 through Tarn's own commit path: protocol, metadata and the first files. */
    private TableLog createTable(Path table) throws IOException {
        Files.createDirectories(table);
        TableLog log = TableLog.forPath(io, table.toString());
        Transaction tx = log.newTransaction(null, "CREATE TABLE AS SELECT", Map.of("isManaged", "false"));
        tx.updateMetadata(Metadata.create(SCHEMA, List.of(), Map.of(), "bench", null));
        List<AddFile> files = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < filesPerCommit; i++) {
            files.add(AddFile.create(fileName(random, i), Map.of(), fileSize(random), 1_700_000_000_000L, true,
                    stats(random, 0, i)));
        }
        tx.addFiles(files);
        tx.commit();
        return log;
    }

    /** Writes commits {@code from..to} (inclusive) as Tarn-shaped blind appends of {@code filesPerCommit} files. */
    private void writeCommits(TableLog log, long from, long to, SplittableRandom random) {
        StringBuilder sb = new StringBuilder(filesPerCommit * 600 + 600);
        for (long v = from; v <= to; v++) {
            sb.setLength(0);
            long time = 1_700_000_000_000L + v * 1000;
            long bytes = 0;
            long rows = 0;
            // The adds are built first because commitInfo, which comes first in the file, carries their totals.
            StringBuilder adds = new StringBuilder(filesPerCommit * 600);
            for (int i = 0; i < filesPerCommit; i++) {
                long size = fileSize(random);
                bytes += size;
                rows += 1000;
                adds.append("{\"add\":{\"path\":\"").append(fileName(random, i))
                        .append("\",\"partitionValues\":{},\"size\":").append(size)
                        .append(",\"modificationTime\":").append(time)
                        .append(",\"dataChange\":true,\"stats\":\"")
                        .append(stats(random, v, i).replace("\"", "\\\"")).append("\"}}\n");
            }
            sb.append("{\"commitInfo\":{\"timestamp\":").append(time)
                    .append(",\"operation\":\"WRITE\",\"operationParameters\":{\"mode\":\"Append\"},\"readVersion\":")
                    .append(v - 1).append(",\"isolationLevel\":\"Serializable\",\"isBlindAppend\":true,")
                    .append("\"operationMetrics\":{\"numFiles\":\"").append(filesPerCommit)
                    .append("\",\"numOutputBytes\":\"").append(bytes).append("\",\"numOutputRows\":\"").append(rows)
                    .append("\"},\"engineInfo\":\"").append(Transaction.ENGINE_INFO).append("\",\"txnId\":\"")
                    .append(new UUID(random.nextLong(), random.nextLong())).append("\"}}\n");
            sb.append(adds);
            String file = log.logDirectory() + "/" + String.format("%020d.json", v);
            if (!io.createExclusive(file, sb.toString().getBytes(StandardCharsets.UTF_8))) {
                throw new IllegalStateException("Commit file already exists: " + file);
            }
        }
    }

    private static String fileName(SplittableRandom random, int index) {
        return String.format("part-%05d-%s-c000.zstd.parquet", index, new UUID(random.nextLong(), random.nextLong()));
    }

    private static long fileSize(SplittableRandom random) {
        return 100_000 + random.nextInt(900_000);
    }

    /** Per-file statistics for the three columns (PROTOCOL.md "Per-file Statistics"). */
    private static String stats(SplittableRandom random, long version, int index) {
        long minId = (version * 10_000 + index) * 1000;
        double minPrice = random.nextInt(1000) / 100.0;
        return "{\"numRecords\":1000,\"minValues\":{\"id\":" + minId + ",\"price\":" + minPrice
                + ",\"comment\":\"carefully " + random.nextInt(1000) + "\"},\"maxValues\":{\"id\":" + (minId + 999)
                + ",\"price\":" + (minPrice + 900) + ",\"comment\":\"sleep " + random.nextInt(1000)
                + "\"},\"nullCount\":{\"id\":0,\"price\":" + random.nextInt(10) + ",\"comment\":0}}";
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
