package dev.tarn.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.QueryResult;
import dev.tarn.query.Session;
import dev.tarn.query.TableAppender;
import dev.tarn.testdata.tpch.TpchBatches;
import dev.tarn.testdata.tpch.TpchGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Row-level DML on TPC-H {@code lineitem}: DELETE of about 0.1% and 10% of the rows and UPDATE of about 1%, each on
 * a table with deletion vectors and on one without (copy-on-write). The table is generated once per kind; every run
 * works on a fresh copy of it. Reports per statement the wall time (median and minimum over the runs), the bytes the
 * statement added below the table (data, deletion-vector, change-data and log files), data files removed or
 * rewritten, deletion vectors written and data files added.
 *
 * <p>Run: {@code java -cp jmh/target/tarn-jmh-benchmarks.jar dev.tarn.jmh.DmlBenchmark [--sf 1] [--runs 3]
 * [--dir /tmp/x]}. Not a JMH benchmark: each measurement needs a fresh table copy, which JMH's invocation-level
 * set-up would time-share badly with the statement itself on large tables.
 */
public final class DmlBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One measured statement. */
    record Result(String name, boolean deletionVectors, long rowsAffected, long medianMillis, long minMillis,
                  long bytesWritten, long removedFiles, long deletionVectorsWritten, long addedFiles) {
        String line() {
            return String.format(Locale.ROOT, "%-22s dv=%-5s rows=%-9d median_ms=%-7d min_ms=%-7d bytes_written=%-11d "
                            + "files_removed_or_rewritten=%-4d dvs=%-4d files_added=%d",
                    name, deletionVectors, rowsAffected, medianMillis, minMillis, bytesWritten, removedFiles,
                    deletionVectorsWritten, addedFiles);
        }
    }

    /** The statements measured: name and SQL over table {@code t}. */
    static final List<String[]> STATEMENTS = List.of(
            new String[] {"DELETE 0.1%", "DELETE FROM t WHERE MOD(l_orderkey, 1000) = 7"},
            new String[] {"DELETE 10%", "DELETE FROM t WHERE MOD(l_orderkey, 10) = 7"},
            new String[] {"UPDATE 1%", "UPDATE t SET l_quantity = l_quantity + 1, l_comment = 'updated' "
                    + "WHERE MOD(l_orderkey, 100) = 7"});

    private DmlBenchmark() {}

    public static void main(String[] args) throws Exception {
        double sf = 1;
        int runs = 3;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sf" -> sf = Double.parseDouble(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: DmlBenchmark [--sf 1] [--runs 3] [--dir /tmp/x]");
            }
        }
        Path root = dir != null ? dir : Files.createTempDirectory("tarn-dml-bench-");
        try {
            System.out.println("lineitem at scale factor " + sf + ", " + runs + " runs per statement");
            for (Result r : run(root, sf, runs, System.out)) {
                System.out.println(r.line());
            }
        } finally {
            if (dir == null) {
                deleteTree(root);
            }
        }
    }

    /** Generates lineitem at {@code sf} under {@code root} and measures every statement with DVs on and off. */
    static List<Result> run(Path root, double sf, int runs, java.io.PrintStream log) {
        Path lake = root.resolve("lake");
        List<Result> results = new ArrayList<>();
        try (Database db = Database.open(DatabaseConfig.of(lake)); Session session = db.newSession()) {
            long t0 = System.nanoTime();
            load(session, "template_dv", sf, true);
            session.execute(TpchGenerator.createTableSql("template_cow", "lineitem")
                    + " TBLPROPERTIES ('delta.enableDeletionVectors' = 'false')").close();
            session.execute("INSERT INTO template_cow SELECT * FROM template_dv").close();
            log.printf(Locale.ROOT, "generated and loaded in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            for (String[] statement : STATEMENTS) {
                for (boolean dv : new boolean[] {true, false}) {
                    results.add(measure(session, lake, dv ? "template_dv" : "template_cow", statement, dv, runs));
                }
            }
        }
        return results;
    }

    private static void load(Session session, String table, double sf, boolean deletionVectors) {
        session.execute(TpchGenerator.createTableSql(table, "lineitem") + " TBLPROPERTIES "
                + "('delta.enableDeletionVectors' = '" + deletionVectors + "')").close();
        try (RootAllocator allocator = new RootAllocator();
             TpchBatches batches = TpchGenerator.batches("lineitem", sf, allocator);
             TableAppender appender = session.appender("default", table)) {
            for (VectorSchemaRoot b = batches.next(); b != null; b = batches.next()) {
                appender.append(b);
            }
        }
    }

    private static Result measure(Session session, Path lake, String template, String[] statement, boolean dv,
                                  int runs) {
        Path source = lake.resolve("default").resolve(template);
        Path target = lake.resolve("default").resolve("t");
        List<Long> millis = new ArrayList<>();
        long rows = 0;
        long bytes = 0;
        JsonNode metrics = null;
        for (int run = 0; run < runs; run++) {
            deleteTree(target);
            copyTree(source, target);
            long before = treeSize(target);
            long start = System.nanoTime();
            try (QueryResult r = session.execute(statement[1])) {
                rows = r.updateCount();
            }
            millis.add((System.nanoTime() - start) / 1_000_000);
            bytes = treeSize(target) - before;
            metrics = lastCommitMetrics(target);
        }
        deleteTree(target);
        List<Long> sorted = millis.stream().sorted().toList();
        return new Result(statement[0], dv, rows, sorted.get(sorted.size() / 2), sorted.get(0), bytes,
                metrics.path("numRemovedFiles").asLong(), metrics.path("numDeletionVectorsAdded").asLong(),
                metrics.path("numAddedFiles").asLong());
    }

    private static JsonNode lastCommitMetrics(Path table) {
        try (Stream<Path> s = Files.list(table.resolve("_delta_log"))) {
            Path last = s.filter(p -> p.getFileName().toString().matches("\\d{20}\\.json"))
                    .max(Comparator.naturalOrder()).orElseThrow();
            for (String line : Files.readAllLines(last)) {
                JsonNode n = JSON.readTree(line);
                if (n.has("commitInfo")) {
                    return n.get("commitInfo").path("operationMetrics");
                }
            }
            throw new IllegalStateException("no commitInfo in " + last);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long treeSize(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
