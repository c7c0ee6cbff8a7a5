package dev.tarn.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Start-up cost of {@link StartupWorkload} (open a lake through JDBC, create a table, insert 1,000 rows, query):
 * <ul>
 *   <li>{@link #firstUseInFreshJvm}: one shot per forked JVM, so every Tarn, Calcite and Arrow class loads and
 *       initializes inside the measurement, the JIT has compiled nothing and the first plan is made. It excludes
 *       JVM boot and JMH's own start-up; {@link ColdStart} measures from process launch.</li>
 *   <li>{@link #freshLakeInWarmJvm}: a fresh lake per operation in a warmed-up JVM (temporary directory,
 *       connect, workload, close, delete), commits forced to disk.</li>
 *   <li>{@link #freshTestLakeInWarmJvm}: the same with {@code sync=false}, as the JUnit extension opens each test's
 *       lake (commits without fsync).</li>
 * </ul>
 * Run: {@code java -jar jmh/target/tarn-jmh-benchmarks.jar StartupBenchmark} (add {@code -f 10} for fewer cold
 * forks).
 */
public class StartupBenchmark {
    /** A lake directory per fork for the one-shot benchmark. */
    @State(Scope.Thread)
    public static class ColdState {
        Path root;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            root = Files.createTempDirectory("tarn-cold-");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            StartupWorkload.deleteRecursively(root);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Fork(value = 20, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Duser.timezone=UTC"})
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public long firstUseInFreshJvm(ColdState state) throws Exception {
        try (Connection c = StartupWorkload.connect(state.root.resolve("lake"))) {
            return StartupWorkload.run(c, null);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Duser.timezone=UTC"})
    @Warmup(iterations = 5, time = 2)
    @Measurement(iterations = 5, time = 2)
    public long freshLakeInWarmJvm() throws Exception {
        return freshLake(true);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Duser.timezone=UTC"})
    @Warmup(iterations = 5, time = 2)
    @Measurement(iterations = 5, time = 2)
    public long freshTestLakeInWarmJvm() throws Exception {
        return freshLake(false);
    }

    private static long freshLake(boolean sync) throws Exception {
        Path root = Files.createTempDirectory("tarn-warm-");
        try {
            try (Connection c = StartupWorkload.connect(root.resolve("lake"), sync)) {
                return StartupWorkload.run(c, null);
            }
        } finally {
            StartupWorkload.deleteRecursively(root);
        }
    }
}
