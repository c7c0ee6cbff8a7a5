package dev.tarn.jmh;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.QueryResult;
import dev.tarn.query.Session;
import dev.tarn.query.TableAppender;
import dev.tarn.testdata.tpch.TpchBatches;
import dev.tarn.testdata.tpch.TpchGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * MERGE INTO TPC-H {@code lineitem} from a source holding 1% of its rows changed (matched, updated with
 * {@code UPDATE SET *}) and 1% new rows (not matched, {@code INSERT *}), with deletion vectors and with copy-on-write.
 * The generated table and source are kept in {@code <lake>/template-dv} and {@code <lake>/template-cow}; every run
 * merges into a fresh copy (data files hard-linked, the log copied) in a fresh database. Per run it prints the time
 * of the MERGE statement, the process's peak resident memory during it (Linux {@code VmHWM}, reset through
 * {@code /proc/self/clear_refs} before the statement; covers Arrow's off-heap buffers) and the peak Java heap, then
 * the medians.
 *
 * <pre>{@code
 * java --add-opens=java.base/java.nio=ALL-UNNAMED -cp jmh/target/tarn-jmh-benchmarks.jar dev.tarn.jmh.MergeBenchmark \
 *     --lake /tmp/merge-sf1 --sf 1 [--runs 3] [--threads 2] [--mode dv|cow|both]
 * }</pre>
 */
public final class MergeBenchmark {
    static final String MERGE = "MERGE INTO tpch.lineitem t USING tpch.merge_source s "
            + "ON t.l_orderkey = s.l_orderkey AND t.l_linenumber = s.l_linenumber "
            + "WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *";

    /** The benchmark's settings. */
    record Options(Path lake, double scale, int runs, int threads, List<Boolean> deletionVectors) {
        Options {
            requireNonNull(lake, "lake is null");
            deletionVectors = List.copyOf(deletionVectors);
            if (!(scale > 0) || runs < 1 || threads < 1 || deletionVectors.isEmpty()) {
                throw new IllegalArgumentException("need --sf > 0, --runs >= 1, --threads >= 1");
            }
        }
    }

    /** One MERGE run. */
    record Run(boolean deletionVectors, double millis, long peakRssBytes, long peakHeapBytes, long affectedRows,
               long tableRows) {}

    private MergeBenchmark() {}

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("MergeBenchmark: " + e.getMessage());
            System.err.println("usage: MergeBenchmark --lake DIR --sf N [--runs 3] [--threads 2] [--mode dv|cow|both]");
            System.exit(2);
            return;
        }
        run(options, System.out);
    }

    static Options parse(String[] args) {
        Path lake = null;
        double scale = -1;
        int runs = 3;
        int threads = 2;
        List<Boolean> dvs = List.of(true, false);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--lake" -> lake = Path.of(v).toAbsolutePath();
                case "--sf" -> scale = Double.parseDouble(v);
                case "--runs" -> runs = Integer.parseInt(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--mode" -> dvs = switch (v) {
                    case "dv" -> List.of(true);
                    case "cow" -> List.of(false);
                    case "both" -> List.of(true, false);
                    default -> throw new IllegalArgumentException("--mode is dv, cow or both");
                };
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (lake == null) {
            throw new IllegalArgumentException("--lake DIR is required");
        }
        return new Options(lake, scale, runs, threads, dvs);
    }

    static List<Run> run(Options o, PrintStream out) throws IOException {
        List<Run> runs = new ArrayList<>();
        for (boolean dv : o.deletionVectors()) {
            Path template = o.lake().resolve(dv ? "template-dv" : "template-cow");
            ensureTemplate(template, o.scale(), dv, out);
            out.printf(Locale.ROOT, "MERGE into lineitem (SF %s, %s, %d threads): 1%% updated, 1%% inserted%n", o.scale(),
                    dv ? "deletion vectors" : "copy-on-write", o.threads());
            List<Run> mode = new ArrayList<>();
            for (int i = 0; i < o.runs(); i++) {
                Run r = once(template, o.lake().resolve("run"), dv, o.threads());
                mode.add(r);
                out.printf(Locale.ROOT, "  run %d: %8.0f ms, peak RSS %6d MiB, peak heap %6d MiB, %d rows affected, "
                        + "%d rows after%n", i + 1, r.millis(), r.peakRssBytes() >> 20, r.peakHeapBytes() >> 20,
                        r.affectedRows(), r.tableRows());
                out.flush();
            }
            out.printf(Locale.ROOT, "  median: %8.0f ms, peak RSS %6d MiB, peak heap %6d MiB%n",
                    median(mode.stream().mapToDouble(Run::millis).toArray()),
                    (long) median(mode.stream().mapToDouble(Run::peakRssBytes).toArray()) >> 20,
                    (long) median(mode.stream().mapToDouble(Run::peakHeapBytes).toArray()) >> 20);
            runs.addAll(mode);
        }
        return runs;
    }

    private static Run once(Path template, Path runLake, boolean dv, int threads) throws IOException {
        deleteTree(runLake);
        copyLake(template, runLake);
        try (Database db = Database.open(DatabaseConfig.of(runLake).withThreads(threads));
             Session session = db.newSession()) {
            System.gc();
            resetPeaks();
            long start = System.nanoTime();
            long affected;
            try (QueryResult r = session.execute(MERGE)) {
                affected = r.updateCount();
            }
            double millis = (System.nanoTime() - start) / 1e6;
            long rss = peakRss();
            long heap = peakHeap();
            long rows = count(session, "SELECT COUNT(*) FROM tpch.lineitem");
            return new Run(dv, millis, rss, heap, affected, rows);
        } finally {
            deleteTree(runLake);
        }
    }

    /** Generates lineitem and the MERGE source once per template directory. */
    static void ensureTemplate(Path template, double scale, boolean dv, PrintStream out) throws IOException {
        if (Files.isDirectory(template.resolve("tpch").resolve("merge_source").resolve("_delta_log"))) {
            out.println("Using the tables in " + template + " (the scale factor is that of their generation)");
            return;
        }
        deleteTree(template);
        Files.createDirectories(template);
        long start = System.nanoTime();
        try (Database db = Database.open(DatabaseConfig.of(template));
             Session session = db.newSession();
             BufferAllocator allocator = new RootAllocator()) {
            session.execute("CREATE SCHEMA IF NOT EXISTS tpch").close();
            String create = TpchGenerator.createTableSql("tpch.lineitem", "lineitem");
            session.execute(create + " TBLPROPERTIES ('delta.enableDeletionVectors' = '" + dv + "')").close();
            try (TpchBatches batches = TpchGenerator.batches("lineitem", scale, allocator);
                 TableAppender appender = session.appender("tpch", "lineitem")) {
                for (VectorSchemaRoot b = batches.next(); b != null; b = batches.next()) {
                    appender.append(b);
                }
            }
            // 1% of the orders' lines changed (matched) and 1% as new lines (order keys past the largest).
            session.execute("CREATE TABLE tpch.merge_source AS "
                    + "SELECT l_orderkey, l_partkey, l_suppkey, l_linenumber, l_quantity + 1 AS l_quantity, "
                    + "l_extendedprice, l_discount, l_tax, 'U' AS l_returnflag, l_linestatus, l_shipdate, l_commitdate, "
                    + "l_receiptdate, l_shipinstruct, l_shipmode, 'merged' AS l_comment "
                    + "FROM tpch.lineitem WHERE MOD(l_orderkey, 100) = 1 "
                    + "UNION ALL SELECT l_orderkey + 1000000000 AS l_orderkey, l_partkey, l_suppkey, l_linenumber, "
                    + "l_quantity, l_extendedprice, l_discount, l_tax, l_returnflag, l_linestatus, l_shipdate, "
                    + "l_commitdate, l_receiptdate, l_shipinstruct, l_shipmode, 'inserted' AS l_comment "
                    + "FROM tpch.lineitem WHERE MOD(l_orderkey, 100) = 2").close();
            out.printf(Locale.ROOT, "Generated lineitem (%d rows) and merge_source (%d rows) at SF %s in %s in %.1f s%n",
                    count(session, "SELECT COUNT(*) FROM tpch.lineitem"),
                    count(session, "SELECT COUNT(*) FROM tpch.merge_source"), scale, template,
                    (System.nanoTime() - start) / 1e9);
        }
    }

    private static long count(Session session, String sql) {
        try (QueryResult r = session.execute(sql)) {
            VectorSchemaRoot b = r.nextBatch();
            return ((org.apache.arrow.vector.BigIntVector) b.getVector(0)).get(0);
        }
    }

    /** A copy of a lake whose data files are hard links (they are never modified) and whose logs are copied. */
    static void copyLake(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (p.toString().contains("_delta_log")) {
                    Files.copy(p, target);
                } else {
                    Files.createLink(target, p);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | UnsupportedOperationException e) {
            // Not Linux: peakRss() then reports the process's peak so far.
        }
    }

    /** Peak resident set size (VmHWM) in bytes, or -1 where /proc is unavailable. */
    private static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
