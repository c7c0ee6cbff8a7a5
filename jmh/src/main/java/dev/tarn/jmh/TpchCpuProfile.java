package dev.tarn.jmh;

import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.QueryResult;
import dev.tarn.query.Session;
import dev.tarn.testdata.SharedTestData;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * How busy a query keeps the machine: per TPC-H query, the median wall time of a run in one warm JVM, the process
 * CPU time it used (all threads, JIT and GC included), their ratio (ideal: the thread count), the CPU time of the
 * consuming thread alone (the one that plans, merges and finalises) and the GC pause time. A ratio well under the
 * thread count points at serial phases: a build, merge or sort on one thread, a straggling morsel, waiting between
 * pipelines, GC pauses.
 *
 * <pre>{@code
 * java -Xmx4g --add-opens=java.base/java.nio=ALL-UNNAMED -cp jmh/target/tarn-jmh-benchmarks.jar \
 *     dev.tarn.jmh.TpchCpuProfile --lake /tmp/tpch-sf1 --threads 2 [--warmup 2] [--runs 5] [--queries 2,11]
 * }</pre>
 * The lake must hold schema {@code tpch} (e.g. {@code ./tarn gen-tpch --lake DIR --sf 1}).
 */
public final class TpchCpuProfile {
    private TpchCpuProfile() {}

    /** One query's medians over the timed runs, in milliseconds. */
    record Profile(int query, double wallMs, double cpuMs, double consumerCpuMs, double gcMs, double runnable,
                   double serial) {
        double busy() {
            return cpuMs / wallMs;
        }
    }

    public static void main(String[] args) throws Exception {
        Path lake = null;
        int threads = 2;
        int warmup = 2;
        int runs = 5;
        List<Integer> queries = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--lake" -> lake = Path.of(v).toAbsolutePath();
                case "--threads" -> threads = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--runs" -> runs = Integer.parseInt(v);
                case "--queries" -> Arrays.stream(v.split(",")).map(String::trim).map(Integer::parseInt)
                        .forEach(queries::add);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (lake == null || args.length % 2 != 0) {
            System.err.println("usage: TpchCpuProfile --lake DIR [--threads 2] [--warmup 2] [--runs 5]"
                    + " [--queries 1,2,...]");
            System.exit(2);
        }
        if (queries.isEmpty()) {
            for (int q = 1; q <= 22; q++) {
                queries.add(q);
            }
        }
        run(lake, threads, warmup, runs, queries, System.out);
    }

    static List<Profile> run(Path lake, int threads, int warmup, int runs, List<Integer> queries, PrintStream out)
            throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        Path dir = SharedTestData.tpch().resolve("queries");
        List<Profile> profiles = new ArrayList<>();
        try (Database db = Database.open(DatabaseConfig.of(lake).withThreads(threads));
             Session session = db.newSession()) {
            session.setCurrentSchema("tpch");
            out.printf(Locale.ROOT, "%d threads, %d warm-up and %d timed runs (medians, ms)%n", threads, warmup,
                    runs);
            out.printf(Locale.ROOT, "%-5s %9s %9s %6s %12s %8s %8s %7s%n", "query", "wall", "cpu", "cpu/w",
                    "consumer_cpu", "gc", "runnable", "serial");
            for (int q : queries) {
                String sql = Files.readString(dir.resolve(String.format(Locale.ROOT, "q%02d.sql", q)));
                for (int i = 0; i < warmup; i++) {
                    drain(session, sql);
                }
                double[] wall = new double[runs];
                double[] cpu = new double[runs];
                double[] consumer = new double[runs];
                double[] gc = new double[runs];
                double[] runnable = new double[runs];
                double[] serial = new double[runs];
                for (int i = 0; i < runs; i++) {
                    long gc0 = gcMillis();
                    long cpu0 = os.getProcessCpuTime();
                    long own0 = threadBean.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    try (Sampler sampler = new Sampler(Thread.currentThread())) {
                        drain(session, sql);
                        runnable[i] = sampler.meanRunnable();
                        serial[i] = sampler.serialFraction();
                    }
                    wall[i] = (System.nanoTime() - t0) / 1e6;
                    consumer[i] = (threadBean.getCurrentThreadCpuTime() - own0) / 1e6;
                    cpu[i] = (os.getProcessCpuTime() - cpu0) / 1e6;
                    gc[i] = gcMillis() - gc0;
                }
                Profile p = new Profile(q, TpchSideBySide.median(wall), TpchSideBySide.median(cpu),
                        TpchSideBySide.median(consumer), TpchSideBySide.median(gc), TpchSideBySide.median(runnable),
                        TpchSideBySide.median(serial));
                profiles.add(p);
                out.printf(Locale.ROOT, "q%02d   %9.1f %9.1f %6.2f %12.1f %8.1f %8.2f %7.2f%n", q, p.wallMs(),
                        p.cpuMs(), p.busy(), p.consumerCpuMs(), p.gcMs(), p.runnable(), p.serial());
                out.flush();
                if (STACKS || CONSUMER) {
                    SERIAL_STACKS.entrySet().stream()
                            .sorted(java.util.Map.Entry.<String, Integer>comparingByValue().reversed()).limit(12)
                            .forEach(e -> out.printf(Locale.ROOT, "    %5d %s%n", e.getValue(), e.getKey()));
                    SERIAL_STACKS.clear();
                }
            }
        }
        double wallSum = profiles.stream().mapToDouble(Profile::wallMs).sum();
        double cpuSum = profiles.stream().mapToDouble(Profile::cpuMs).sum();
        double runnableMean = profiles.stream().mapToDouble(p -> p.runnable() * p.wallMs()).sum() / wallSum;
        double serialMean = profiles.stream().mapToDouble(p -> p.serial() * p.wallMs()).sum() / wallSum;
        out.printf(Locale.ROOT, "total %9.1f %9.1f %6.2f %12s %8s %8.2f %7.2f%n", wallSum, cpuSum, cpuSum / wallSum,
                "", "", runnableMean, serialMean);
        return profiles;
    }

    private static void drain(Session session, String sql) {
        try (QueryResult r = session.execute(sql)) {
            for (VectorSchemaRoot b = r.nextBatch(); b != null; b = r.nextBatch()) {
                b.getRowCount();
            }
        }
    }

    /**
     * Samples, every {@value #SAMPLE_MICROS} microseconds, how many of the query's threads (the consumer and the
     * database's workers) are runnable: on a machine other processes load, process CPU time shows the share of the
     * cores the query got, but the runnable count shows how many it could have used.
     */
    /** With -Dcpu-profile.stacks=true: where the one runnable thread was in serial samples, and how often. */
    static final boolean STACKS = Boolean.getBoolean("cpu-profile.stacks");
    /** With -Dcpu-profile.consumer=true: where the consumer thread was whenever it ran (instead of serial samples). */
    static final boolean CONSUMER = Boolean.getBoolean("cpu-profile.consumer");
    static final int STACK_FRAMES = Integer.getInteger("cpu-profile.frames", 6);
    static final java.util.Map<String, Integer> SERIAL_STACKS = new java.util.concurrent.ConcurrentHashMap<>();

    private static final class Sampler implements AutoCloseable {
        static final long SAMPLE_MICROS = 500;
        private final Thread consumer;
        private final Thread thread;
        private volatile boolean done;
        private long samples;
        private long runnableSum;
        private long serialSamples;

        Sampler(Thread consumer) {
            this.consumer = consumer;
            this.thread = new Thread(this::sample, "cpu-profile-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private void sample() {
            List<Thread> threads = workers();
            long n = 0;
            while (!done) {
                if (++n % 64 == 0) {
                    threads = workers();
                }
                int r = consumer.getState() == Thread.State.RUNNABLE ? 1 : 0;
                for (Thread t : threads) {
                    if (t.getState() == Thread.State.RUNNABLE) {
                        r++;
                    }
                }
                String where = null;
                if (CONSUMER && consumer.getState() == Thread.State.RUNNABLE) {
                    where = "consumer " + signature(consumer.getStackTrace());
                } else if (r <= 1 && STACKS && !CONSUMER) {
                    where = "none runnable";
                    StringBuilder waiting = new StringBuilder();
                    if (consumer.getState() == Thread.State.RUNNABLE) {
                        where = "consumer " + signature(consumer.getStackTrace());
                    } else {
                        waiting.append(" | consumer waits in ").append(waitSite(consumer.getStackTrace()));
                    }
                    for (Thread t : threads) {
                        StackTraceElement[] st = t.getStackTrace();
                        if (t.getState() == Thread.State.RUNNABLE) {
                            where = "worker " + signature(st);
                        } else {
                            String site = waitSite(st);
                            if (!site.isEmpty()) {
                                waiting.append(" | worker waits in ").append(site);
                            }
                        }
                    }
                    where = where + waiting;
                }
                synchronized (this) {
                    if (where != null) {
                        SERIAL_STACKS.merge(where, 1, Integer::sum);
                    }
                    samples++;
                    runnableSum += r;
                    if (r <= 1) {
                        serialSamples++;
                    }
                }
                java.util.concurrent.locks.LockSupport.parkNanos(SAMPLE_MICROS * 1000);
            }
        }

        /** The innermost frames of Tarn code: where a serial phase spends its time. */
        private static String signature(StackTraceElement[] stack) {
            StringBuilder b = new StringBuilder();
            int n = 0;
            for (StackTraceElement e : stack) {
                if (e.getClassName().startsWith("dev.tarn.query.internal") && n < STACK_FRAMES) {
                    String c = e.getClassName().substring(e.getClassName().lastIndexOf('.') + 1);
                    b.append(n == 0 ? "" : " < ").append(c).append('.').append(e.getMethodName());
                    n++;
                }
            }
            if (n == 0 && stack.length > 0) {
                b.append(stack[0].getClassName()).append('.').append(stack[0].getMethodName());
            }
            return b.toString();
        }

        /** The innermost Tarn frame of a waiting thread; empty for an idle pool thread. */
        private static String waitSite(StackTraceElement[] stack) {
            for (StackTraceElement e : stack) {
                if (e.getClassName().startsWith("dev.tarn.query.internal")) {
                    String c = e.getClassName().substring(e.getClassName().lastIndexOf('.') + 1);
                    return c + "." + e.getMethodName();
                }
            }
            return "";
        }

        private static List<Thread> workers() {
            List<Thread> threads = new ArrayList<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("tarn-") && t.getName().contains("-worker-")) {
                    threads.add(t);
                }
            }
            return threads;
        }

        synchronized double meanRunnable() {
            return samples == 0 ? 0 : (double) runnableSum / samples;
        }

        /** The share of samples with at most one runnable thread. */
        synchronized double serialFraction() {
            return samples == 0 ? 0 : (double) serialSamples / samples;
        }

        @Override
        public void close() throws InterruptedException {
            done = true;
            thread.join();
        }
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }
}
