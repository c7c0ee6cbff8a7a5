package dev.tarn.jmh;

import dev.tarn.maintenance.OptimizeOptions;
import dev.tarn.maintenance.OptimizeTask;
import dev.tarn.maintenance.RewriteResult;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.QueryResult;
import dev.tarn.query.Session;
import dev.tarn.query.TableAppender;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.testdata.CountingFileIO;
import dev.tarn.testdata.tpch.TpchBatches;
import dev.tarn.testdata.tpch.TpchGenerator;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Liquid clustering of TPC-H {@code lineitem} clustered by {@code (l_shipdate, l_partkey)}: loads the table
 * unclustered in {@code --parts} appends, then measures the first OPTIMIZE (throughput in MB/s of input Parquet,
 * peak heap), the data files a selective query opens before and after (through an I/O-counting FileIO), and the
 * cost of OPTIMIZE after appending 1% more rows, which incremental clustering should keep near the append's size.
 * A one-shot program, not a JMH benchmark: OPTIMIZE of a whole table is not a microbenchmark.
 *
 * <pre>
 * java -Xmx2g --add-opens=java.base/java.nio=ALL-UNNAMED -cp jmh/target/tarn-jmh-benchmarks.jar \
 *     dev.tarn.jmh.ClusteringBenchmark --lake /tmp/clustering --sf 1
 * </pre>
 */
public final class ClusteringBenchmark {
    static final String DATE_QUERY = "SELECT count(*), sum(l_extendedprice) FROM tpch.lineitem"
            + " WHERE l_shipdate = DATE '1995-03-15'";
    static final String BOTH_QUERY = "SELECT count(*), sum(l_extendedprice) FROM tpch.lineitem"
            + " WHERE l_shipdate BETWEEN DATE '1995-03-01' AND DATE '1995-03-31' AND l_partkey BETWEEN 1000 AND 3000";

    private ClusteringBenchmark() {}

    /** Command-line options. */
    record Options(Path lake, double scale, int parts, int targetFiles) {}

    /** Files a query opened and its answer. */
    record QueryFiles(long opened, long total, String answer) {}

    /** Everything measured. */
    record Result(long rows, long loadFiles, long tableBytes, long targetFileSize, RewriteResult first,
                  long firstPeakHeapBytes, QueryFiles dateBefore, QueryFiles bothBefore, QueryFiles dateAfter,
                  QueryFiles bothAfter, long appendRows, long appendBytes, RewriteResult incremental,
                  long incrementalPeakHeapBytes, QueryFiles bothAfterAppend) {}

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ClusteringBenchmark: " + e.getMessage());
            System.err.println("usage: ClusteringBenchmark --lake DIR [--sf 1] [--parts 20] [--target-files 32]");
            System.exit(2);
            return;
        }
        run(o, System.out);
    }

    static Options parse(String[] args) {
        Path lake = null;
        double sf = 1;
        int parts = 20;
        int targetFiles = 32;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            switch (a) {
                case "--lake" -> lake = Path.of(args[++i]);
                case "--sf" -> sf = Double.parseDouble(args[++i]);
                case "--parts" -> parts = Integer.parseInt(args[++i]);
                case "--target-files" -> targetFiles = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (lake == null) {
            throw new IllegalArgumentException("--lake DIR is required (a new or empty directory)");
        }
        return new Options(lake, sf, parts, targetFiles);
    }

    static Result run(Options o, PrintStream out) throws Exception {
        Files.createDirectories(o.lake());
        CountingFileIO io = new CountingFileIO(new LocalFileIO());
        try (Database db = Database.open(DatabaseConfig.of(o.lake()).withFileIO(io));
             Session session = db.newSession();
             BufferAllocator allocator = new RootAllocator()) {
            session.execute("CREATE SCHEMA IF NOT EXISTS tpch").close();
            session.execute(TpchGenerator.createTableSql("tpch.lineitem", "lineitem")
                    + " CLUSTER BY (l_shipdate, l_partkey)").close();
            long started = System.nanoTime();
            long rows = 0;
            for (int part = 1; part <= o.parts(); part++) {
                rows += append(session, allocator, o.scale(), part, o.parts());
            }
            TableLog log = db.tableLog("tpch", "lineitem");
            Snapshot loaded = log.latestSnapshot();
            long tableBytes = loaded.sizeInBytes();
            long target = Math.max(64L << 10, tableBytes / o.targetFiles());
            out.printf(Locale.ROOT, "Loaded TPC-H SF %s lineitem: %,d rows in %d appends, %d files, %.1f MB Parquet, %.1f s%n",
                    o.scale(), rows, o.parts(), loaded.activeFiles().size(), tableBytes / 1e6,
                    (System.nanoTime() - started) / 1e9);
            QueryFiles dateBefore = query(session, io, DATE_QUERY, log);
            QueryFiles bothBefore = query(session, io, BOTH_QUERY, log);

            OptimizeOptions options = OptimizeOptions.defaults().withTargetFileSize(target);
            resetPeakHeap();
            RewriteResult first = new OptimizeTask(log, options).run();
            long firstPeak = peakHeap();
            out.printf(Locale.ROOT, "OPTIMIZE (cluster all, target %.1f MB): %d files (%.1f MB) -> %d files (%.1f MB),"
                            + " %,d rows in %.1f s = %.1f MB/s, %.0f k rows/s; peak heap %.0f MB (max %.0f MB)%n",
                    target / 1e6, first.filesRemoved(), first.bytesRemoved() / 1e6, first.filesAdded(),
                    first.bytesAdded() / 1e6, first.rowsWritten(), first.durationMillis() / 1e3,
                    mbPerSecond(first), first.rowsWritten() / Math.max(1e-3, first.durationMillis() / 1e3) / 1e3,
                    firstPeak / 1e6, Runtime.getRuntime().maxMemory() / 1e6);
            QueryFiles dateAfter = query(session, io, DATE_QUERY, log);
            QueryFiles bothAfter = query(session, io, BOTH_QUERY, log);
            print(out, "point date query", dateBefore, dateAfter);
            print(out, "date+partkey range query", bothBefore, bothAfter);
            if (!dateBefore.answer().equals(dateAfter.answer()) || !bothBefore.answer().equals(bothAfter.answer())) {
                throw new IllegalStateException("OPTIMIZE changed query answers: " + dateBefore + " " + dateAfter
                        + " " + bothBefore + " " + bothAfter);
            }

            long beforeAppend = log.latestSnapshot().sizeInBytes();
            long appendRows = append(session, allocator, o.scale(), 1, 100);
            long appendBytes = log.latestSnapshot().sizeInBytes() - beforeAppend;
            resetPeakHeap();
            RewriteResult incremental = new OptimizeTask(log, options).run();
            long incrementalPeak = peakHeap();
            out.printf(Locale.ROOT, "1%% append: %,d rows, %.2f MB; OPTIMIZE after it rewrote %d files (%.2f MB ="
                            + " %.2fx the append, %.2f%% of the table) in %.2f s (first OPTIMIZE: %.1f s); peak heap"
                            + " %.0f MB%n", appendRows, appendBytes / 1e6, incremental.filesRemoved(),
                    incremental.bytesRemoved() / 1e6, incremental.bytesRemoved() / (double) Math.max(1, appendBytes),
                    100.0 * incremental.bytesRemoved() / Math.max(1, log.latestSnapshot().sizeInBytes()),
                    incremental.durationMillis() / 1e3, first.durationMillis() / 1e3, incrementalPeak / 1e6);
            QueryFiles bothAfterAppend = query(session, io, BOTH_QUERY, log);
            print(out, "date+partkey range query after the append + OPTIMIZE", bothAfter, bothAfterAppend);
            return new Result(rows, loaded.activeFiles().size(), tableBytes, target, first, firstPeak, dateBefore,
                    bothBefore, dateAfter, bothAfter, appendRows, appendBytes, incremental, incrementalPeak,
                    bothAfterAppend);
        }
    }

    private static long append(Session session, BufferAllocator allocator, double scale, int part, int parts) {
        long rows = 0;
        try (TpchBatches batches = TpchGenerator.batches("lineitem", scale, part, parts, allocator,
                TpchGenerator.DEFAULT_BATCH_ROWS);
             TableAppender appender = session.appender("tpch", "lineitem")) {
            for (VectorSchemaRoot b = batches.next(); b != null; b = batches.next()) {
                appender.append(b);
                rows += b.getRowCount();
            }
        }
        return rows;
    }

    private static QueryFiles query(Session session, CountingFileIO io, String sql, TableLog log) {
        io.reset();
        List<String> answer = new ArrayList<>();
        try (QueryResult r = session.execute(sql)) {
            for (VectorSchemaRoot b = r.nextBatch(); b != null; b = r.nextBatch()) {
                for (int i = 0; i < b.getRowCount(); i++) {
                    answer.add(b.getVector(0).getObject(i) + "," + b.getVector(1).getObject(i));
                }
            }
        }
        return new QueryFiles(io.dataFilesOpened(), log.latestSnapshot().activeFiles().size(), String.join(";", answer));
    }

    private static void print(PrintStream out, String what, QueryFiles before, QueryFiles after) {
        out.printf(Locale.ROOT, "%s: files opened %d of %d before, %d of %d after (answer %s)%n", what,
                before.opened(), before.total(), after.opened(), after.total(), after.answer());
    }

    static double mbPerSecond(RewriteResult r) {
        return r.bytesRemoved() / 1e6 / Math.max(1e-3, r.durationMillis() / 1e3);
    }

    private static void resetPeakHeap() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peaks since the reset: an upper bound of the peak heap in use. */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
