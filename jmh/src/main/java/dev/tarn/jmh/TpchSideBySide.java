package dev.tarn.jmh;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.QueryResult;
import dev.tarn.query.Session;
import dev.tarn.query.TableAppender;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.testdata.SharedTestData;
import dev.tarn.testdata.tpch.TpchBatches;
import dev.tarn.testdata.tpch.TpchGenerator;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import dev.tarn.txlog.action.AddFile;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The 22 TPC-H queries side by side: Tarn over its Delta tables (schema {@code tpch} of a lake, generated when
 * missing) and DuckDB over the same Parquet files (one view per table over {@code read_parquet} of the Delta table's
 * current data files), both with the same thread count. Per query: warm-up runs of each engine, then timed runs
 * alternating Tarn and DuckDB; prints the medians, the ratio Tarn/DuckDB and, last, {@code geomean ratio <x.xx>}.
 * Row counts of the two engines must agree (a sanity check; the answers themselves are checked by the TPC-H tests).
 *
 * <pre>{@code
 * java --add-opens=java.base/java.nio=ALL-UNNAMED -cp jmh/target/tarn-jmh-benchmarks.jar dev.tarn.jmh.TpchSideBySide \
 *     --lake /tmp/tpch-sf1 --sf 1 --threads 2 [--warmup 1] [--runs 5] [--queries 1,6,18] [--queries-dir DIR]
 * }</pre>
 */
public final class TpchSideBySide {
    /** The benchmark's settings. */
    record Options(Path lake, double scale, int threads, int warmup, int runs, List<Integer> queries, Path queriesDir) {
        Options {
            requireNonNull(lake, "lake is null");
            requireNonNull(queriesDir, "queriesDir is null");
            queries = List.copyOf(queries);
            if (!(scale > 0) || threads < 1 || warmup < 0 || runs < 1 || queries.isEmpty()) {
                throw new IllegalArgumentException("need --sf > 0, --threads >= 1, --warmup >= 0, --runs >= 1 and"
                        + " at least one query");
            }
        }
    }

    /** One query's result: median milliseconds of each engine and their row counts. */
    record QueryTiming(int query, double tarnMs, double duckdbMs, long tarnRows, long duckdbRows) {
        double ratio() {
            return tarnMs / duckdbMs;
        }
    }

    private TpchSideBySide() {}

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("TpchSideBySide: " + e.getMessage());
            System.err.println("usage: TpchSideBySide --lake DIR --sf N [--threads 2] [--warmup 1] [--runs 5]"
                    + " [--queries 1,2,...] [--queries-dir DIR]");
            System.exit(2);
            return;
        }
        List<QueryTiming> timings = run(options, System.out);
        boolean mismatch = timings.stream().anyMatch(t -> t.tarnRows() != t.duckdbRows());
        System.exit(mismatch ? 1 : 0);
    }

    static Options parse(String[] args) {
        Path lake = null;
        double scale = -1;
        int threads = 2;
        int warmup = 1;
        int runs = 5;
        List<Integer> queries = new ArrayList<>();
        Path queriesDir = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--lake" -> lake = Path.of(v).toAbsolutePath();
                case "--sf" -> scale = Double.parseDouble(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--runs" -> runs = Integer.parseInt(v);
                case "--queries" -> Arrays.stream(v.split(",")).map(String::trim).map(Integer::parseInt)
                        .forEach(queries::add);
                case "--queries-dir" -> queriesDir = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (lake == null) {
            throw new IllegalArgumentException("--lake DIR is required");
        }
        if (queries.isEmpty()) {
            for (int q = 1; q <= 22; q++) {
                queries.add(q);
            }
        }
        if (queriesDir == null) {
            queriesDir = SharedTestData.tpch().resolve("queries");
        }
        return new Options(lake, scale, threads, warmup, runs, queries, queriesDir);
    }

    /** Generates the lake when needed, runs the benchmark and prints the report to {@code out}. */
    static List<QueryTiming> run(Options o, PrintStream out) throws IOException, SQLException {
        ensureGenerated(o.lake(), o.scale(), out);
        List<QueryTiming> timings = new ArrayList<>();
        try (Database db = Database.open(DatabaseConfig.of(o.lake()).withThreads(o.threads()));
             Session tarn = db.newSession();
             // Directly, not through DriverManager: the benchmark jar does not list DuckDB as a JDBC service.
             Connection duck = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:", new java.util.Properties())) {
            tarn.setCurrentSchema("tpch");
            setUpDuckDb(duck, o.lake(), o.threads());
            out.printf(Locale.ROOT, "TPC-H SF %s, %d threads, %d warm-up and %d timed runs per engine (medians, ms)%n",
                    o.scale(), o.threads(), o.warmup(), o.runs());
            out.printf(Locale.ROOT, "%-5s %10s %10s %7s %9s%n", "query", "tarn", "duckdb", "ratio", "rows");
            for (int q : o.queries()) {
                String sql = Files.readString(o.queriesDir().resolve(String.format(Locale.ROOT, "q%02d.sql", q)));
                QueryTiming t = time(q, sql, tarn, duck, o.warmup(), o.runs());
                timings.add(t);
                out.printf(Locale.ROOT, "q%02d   %10.1f %10.1f %7.2f %9d%s%n", q, t.tarnMs(), t.duckdbMs(), t.ratio(),
                        t.tarnRows(), t.tarnRows() == t.duckdbRows() ? "" : "  ROW COUNT MISMATCH: duckdb "
                                + t.duckdbRows());
                out.flush();
            }
        }
        double sumTarn = timings.stream().mapToDouble(QueryTiming::tarnMs).sum();
        double sumDuck = timings.stream().mapToDouble(QueryTiming::duckdbMs).sum();
        out.printf(Locale.ROOT, "total %10.1f %10.1f %7.2f%n", sumTarn, sumDuck, sumTarn / sumDuck);
        out.printf(Locale.ROOT, "geomean ratio %.2f%n", geomean(timings));
        out.flush();
        return timings;
    }

    static double geomean(List<QueryTiming> timings) {
        double logSum = 0;
        for (QueryTiming t : timings) {
            logSum += Math.log(t.ratio());
        }
        return Math.exp(logSum / timings.size());
    }

    private static QueryTiming time(int q, String sql, Session tarn, Connection duck, int warmup, int runs)
            throws SQLException {
        long tarnRows = -1;
        long duckRows = -1;
        for (int i = 0; i < warmup; i++) {
            tarnRows = runTarn(tarn, sql);
            duckRows = runDuckDb(duck, sql);
        }
        double[] tarnMs = new double[runs];
        double[] duckMs = new double[runs];
        for (int i = 0; i < runs; i++) {
            // Alternate which engine goes first, so neither always runs right after the other's garbage.
            if (i % 2 == 0) {
                long start = System.nanoTime();
                tarnRows = runTarn(tarn, sql);
                tarnMs[i] = (System.nanoTime() - start) / 1e6;
                start = System.nanoTime();
                duckRows = runDuckDb(duck, sql);
                duckMs[i] = (System.nanoTime() - start) / 1e6;
            } else {
                long start = System.nanoTime();
                duckRows = runDuckDb(duck, sql);
                duckMs[i] = (System.nanoTime() - start) / 1e6;
                start = System.nanoTime();
                tarnRows = runTarn(tarn, sql);
                tarnMs[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        return new QueryTiming(q, median(tarnMs), median(duckMs), tarnRows, duckRows);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static long runTarn(Session session, String sql) {
        long rows = 0;
        try (QueryResult r = session.execute(sql)) {
            for (VectorSchemaRoot b = r.nextBatch(); b != null; b = r.nextBatch()) {
                rows += b.getRowCount();
            }
        }
        return rows;
    }

    private static long runDuckDb(Connection c, String sql) throws SQLException {
        long rows = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows++;
            }
        }
        return rows;
    }

    /** Views {@code tpch.<table>} over the Parquet files of each Delta table's latest snapshot. */
    static void setUpDuckDb(Connection c, Path lake, int threads) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET threads TO " + threads);
            s.execute("CREATE SCHEMA IF NOT EXISTS tpch");
            for (String table : TpchGenerator.TABLES) {
                List<String> files = dataFiles(lake.resolve("tpch").resolve(table));
                String list = String.join(", ", files.stream().map(f -> "'" + f.replace("'", "''") + "'").toList());
                s.execute("CREATE OR REPLACE VIEW tpch." + table + " AS SELECT * FROM read_parquet([" + list + "])");
            }
            s.execute("USE tpch");
        }
    }

    /** The absolute paths of a Delta table's current data files; refuses deletion vectors (DuckDB would not apply them). */
    static List<String> dataFiles(Path table) {
        Snapshot snapshot = TableLog.forPath(new LocalFileIO(), table.toString()).latestSnapshot();
        List<String> files = new ArrayList<>();
        for (AddFile add : snapshot.activeFiles()) {
            if (add.deletionVector() != null) {
                throw new IllegalStateException(table + " has deletion vectors; DuckDB's read_parquet would not apply"
                        + " them, so the engines would read different rows");
            }
            String path = add.decodedPath();
            Path file = path.contains(":") ? Path.of(URI.create(path)) : table.resolve(path);
            files.add(file.toString());
        }
        if (files.isEmpty()) {
            throw new IllegalStateException(table + " has no data files");
        }
        return files;
    }

    /** Generates schema tpch at the scale factor unless the lake already has its eight tables. */
    static void ensureGenerated(Path lake, double scale, PrintStream out) throws IOException {
        if (TpchGenerator.TABLES.stream().allMatch(t -> Files.isDirectory(lake.resolve("tpch").resolve(t)
                .resolve("_delta_log")))) {
            out.println("Using the TPC-H tables in " + lake + " (the scale factor is that of their generation)");
            return;
        }
        Files.createDirectories(lake);
        long start = System.nanoTime();
        try (Database db = Database.open(DatabaseConfig.of(lake));
             Session session = db.newSession();
             BufferAllocator allocator = new RootAllocator()) {
            session.execute("CREATE SCHEMA IF NOT EXISTS tpch").close();
            for (String table : TpchGenerator.TABLES) {
                session.execute(TpchGenerator.createTableSql("tpch." + table, table)).close();
                try (TpchBatches batches = TpchGenerator.batches(table, scale, allocator);
                     TableAppender appender = session.appender("tpch", table)) {
                    for (VectorSchemaRoot b = batches.next(); b != null; b = batches.next()) {
                        appender.append(b);
                    }
                }
            }
        }
        out.printf(Locale.ROOT, "Generated TPC-H SF %s in %s in %.1f s%n", scale, lake, (System.nanoTime() - start) / 1e9);
    }
}
