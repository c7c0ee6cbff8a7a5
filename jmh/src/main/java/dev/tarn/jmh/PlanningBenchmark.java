package dev.tarn.jmh;

import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.PreparedQuery;
import dev.tarn.query.Session;
import dev.tarn.testdata.SharedTestData;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Planning time of TPC-H queries in a warm JVM: parse, validate, convert, rewrite and build Tarn's physical plan
 * ({@link Session#prepare}), nothing executed. The tables are a small generated lake (scale factor 0.01), so what
 * is measured is the planner, not statistics gathering over many files.
 *
 * <p>JMH: {@code java -jar jmh/target/tarn-jmh-benchmarks.jar PlanningBenchmark -p query=2,21}. Quicker, one line
 * per query with the median of many plans: {@code java --add-opens=java.base/java.nio=ALL-UNNAMED -cp
 * jmh/target/tarn-jmh-benchmarks.jar dev.tarn.jmh.PlanningBenchmark [--queries 1,2,21] [--runs 200]}.
 */
public class PlanningBenchmark {
    static final double SCALE = 0.01;

    @State(Scope.Benchmark)
    public static class Lake {
        @Param({"1", "2", "3", "6", "9", "11", "16", "18", "21"})
        public int query;

        Path root;
        Database db;
        Session session;
        String sql;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            root = Files.createTempDirectory("tarn-planning-");
            TpchSideBySide.ensureGenerated(root, SCALE, new PrintStream(PrintStream.nullOutputStream()));
            db = Database.open(DatabaseConfig.of(root));
            session = db.newSession();
            session.setCurrentSchema("tpch");
            sql = querySql(query);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            session.close();
            db.close();
            StartupWorkload.deleteRecursively(root);
        }
    }

    static String querySql(int query) throws IOException {
        return Files.readString(SharedTestData.tpch().resolve("queries")
                .resolve(String.format(Locale.ROOT, "q%02d.sql", query)));
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Duser.timezone=UTC"})
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public int plan(Lake lake) {
        try (PreparedQuery q = lake.session.prepare(lake.sql)) {
            return q.columns().size();
        }
    }

    public static void main(String[] args) throws Exception {
        List<Integer> queries = new ArrayList<>();
        for (int q = 1; q <= 22; q++) {
            queries.add(q);
        }
        int runs = 100;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--queries" -> queries = Arrays.stream(args[++i].split(",")).map(String::trim)
                        .map(Integer::valueOf).toList();
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: PlanningBenchmark [--queries 1,2,21] [--runs N]");
            }
        }
        Path root = Files.createTempDirectory("tarn-planning-");
        try {
            TpchSideBySide.ensureGenerated(root, SCALE, new PrintStream(PrintStream.nullOutputStream()));
            try (Database db = Database.open(DatabaseConfig.of(root)); Session session = db.newSession()) {
                session.setCurrentSchema("tpch");
                // Every query is planned a few times first so the JIT has compiled the planner.
                for (int round = 0; round < 3; round++) {
                    for (int q : queries) {
                        time(session, querySql(q), Math.max(5, runs / 10));
                    }
                }
                System.out.printf(Locale.ROOT, "planning ms per TPC-H query over %d plans: wall median [min..max], "
                        + "CPU median (the planning thread's CPU time, steadier on a loaded machine)%n", runs);
                for (int q : queries) {
                    long[][] t = time(session, querySql(q), runs);
                    long[] us = t[0];
                    System.out.printf(Locale.ROOT, "q%02d %8.2f [%.2f..%.2f]  cpu %.2f%n", q, us[us.length / 2] / 1e3,
                            us[0] / 1e3, us[us.length - 1] / 1e3, t[1][runs / 2] / 1e3);
                }
            }
        } finally {
            StartupWorkload.deleteRecursively(root);
        }
    }

    /** Sorted wall and CPU microseconds of {@code runs} plans. */
    private static long[][] time(Session session, String sql, int runs) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] us = new long[runs];
        long[] cpu = new long[runs];
        for (int i = 0; i < runs; i++) {
            long startCpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            try (PreparedQuery q = session.prepare(sql)) {
                q.columns();
            }
            us[i] = (System.nanoTime() - start) / 1_000;
            cpu[i] = (threads.getCurrentThreadCpuTime() - startCpu) / 1_000;
        }
        Arrays.sort(us);
        Arrays.sort(cpu);
        return new long[][] {us, cpu};
    }
}
