package dev.tarn.jmh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Time from JVM start to the first result row of {@link StartupWorkload} in a fresh JVM.
 *
 * <p>Without arguments it measures its own JVM and prints one line of {@code key=value} pairs: {@code jvm_ms} (from
 * the JVM's start time, {@code RuntimeMXBean.getStartTime}, to the first result row), {@code process_ms} (from the
 * operating system's process start instant, 10 ms granularity on Linux), the steps ({@code main_ms} until
 * {@code main} ran, then {@code connect_ms}, {@code create_ms}, {@code insert_ms}, {@code query_ms}),
 * {@code main_cpu_ms} and {@code cpu_ms} (CPU time of the main thread and of the whole process, JIT compiler and
 * warm-up threads included, until the connection closed: steadier than wall time on a loaded machine),
 * {@code cpu_first_ms} (the process's CPU time when the first row arrived; Linux only, -1 elsewhere),
 * {@code jit_ms} (CPU time of the JIT compiler threads by then; Linux only, -1 elsewhere) and {@code classes}
 * (classes loaded by then).
 *
 * <p>With {@code --runs N} it launches N fresh JVMs of itself, N more on an AppCDS archive made by a training run
 * ({@code -XX:ArchiveClassesAtExit}, then {@code -XX:SharedArchiveFile}), N more on the archive with the JIT and GC
 * flags {@code ./tarn} starts with ({@link #LAUNCHER_FLAGS}) and N more on the archive with only the C1 JIT compiler
 * ({@code -XX:TieredStopAtLevel=1}, which README suggests for short-lived JVMs such as test runs), alternating them
 * so load on a shared machine hits all alike, and prints the median, minimum and maximum of each, including
 * {@code launch_ms}: what the parent saw from starting the process to reading the child's result line.
 * {@code --no-cds} skips the archive; {@code --jvm-arg X} passes X to every child. {@code --warm N} instead runs
 * the workload N times on fresh lakes in this JVM and prints the steps' medians over the second half, with
 * {@code main_cpu_us}: the CPU time of the thread running the workload from connect to close (steadier than wall
 * time on a loaded machine; work on worker threads is not in it); it does so for a durable lake and, alternating
 * with it, for a test lake as the JUnit extension opens it ({@code sync=false}: commits without fsync).
 * Run: {@code java -cp jmh/target/tarn-jmh-benchmarks.jar dev.tarn.jmh.ColdStart --runs 10}.
 */
public final class ColdStart {
    static final String PREFIX = "coldstart ";
    static final List<String> KEYS = List.of("launch_ms", "process_ms", "jvm_ms", "main_ms", "connect_ms",
            "create_ms", "insert_ms", "query_ms", "main_cpu_ms", "cpu_first_ms", "cpu_ms", "jit_ms", "classes");
    /**
     * The JIT and GC flags the {@code ./tarn} launcher starts the JVM with (keep the two the same): C2 compiles a
     * method only after 10x the default calls and loop iterations and C1 after 5x, so a short run does not spend its
     * CPU compiling start-up code that runs a few hundred times, while a long query's hot loops still cross the
     * thresholds within milliseconds; G1's young generation starts at 15% of the heap, so the first statements
     * (about 25 MB allocated) run without a collection.
     */
    static final List<String> LAUNCHER_FLAGS = List.of("-XX:Tier4InvocationThreshold=50000",
            "-XX:Tier4CompileThreshold=150000", "-XX:Tier4BackEdgeThreshold=400000",
            "-XX:Tier3InvocationThreshold=1000", "-XX:Tier3CompileThreshold=10000",
            "-XX:+UnlockExperimentalVMOptions", "-XX:G1NewSizePercent=15");

    private ColdStart() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.out.println(measure());
            System.out.flush();
            return;
        }
        if (args.length == 2 && args[0].equals("--warm")) {
            System.out.print(warm(Integer.parseInt(args[1])));
            return;
        }
        int runs = 0;
        boolean cds = true;
        List<String> jvmArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--no-cds" -> cds = false;
                case "--jvm-arg" -> jvmArgs.add(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: ColdStart [--runs N [--no-cds] [--jvm-arg X]...] | [--warm N]");
            }
        }
        if (runs < 1) {
            throw new IllegalArgumentException("--runs needs a positive number");
        }
        System.out.print(compare(runs, cds, jvmArgs));
    }

    /** Runs the workload in this JVM (which should be fresh) and describes the timings as one line. */
    static String measure() throws Exception {
        long mainNanos = System.nanoTime();
        long mainMillis = System.currentTimeMillis();
        Path root = Files.createTempDirectory("tarn-coldstart-");
        try {
            long[] steps = new long[StartupWorkload.STEPS.length];
            long connected;
            long result;
            ProcessCpuAtFirstRow cpuAtFirstRow = new ProcessCpuAtFirstRow();
            try (Connection c = StartupWorkload.connect(root.resolve("lake"))) {
                connected = System.nanoTime();
                result = StartupWorkload.run(c, steps, cpuAtFirstRow);
            }
            // Management beans load only now, so their classes do not count against start-up.
            long mainCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            long processCpu = ManagementFactory.getOperatingSystemMXBean()
                    instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1_000_000L;
            long firstRowMillis = mainMillis + (steps[2] - mainNanos) / 1_000_000;
            long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
            int classes = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
            Optional<Instant> processStart = ProcessHandle.current().info().startInstant();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("process_ms", processStart.map(p -> firstRowMillis - p.toEpochMilli()).orElse(-1L));
            out.put("jvm_ms", firstRowMillis - jvmStart);
            out.put("main_ms", mainMillis - jvmStart);
            out.put("connect_ms", ms(connected - mainNanos));
            out.put("create_ms", ms(steps[0] - connected));
            out.put("insert_ms", ms(steps[1] - steps[0]));
            out.put("query_ms", ms(steps[2] - steps[1]));
            out.put("main_cpu_ms", ms(mainCpu));
            out.put("cpu_first_ms", cpuAtFirstRow.millis());
            out.put("cpu_ms", ms(processCpu));
            out.put("jit_ms", compilerThreadsCpuMillis());
            out.put("classes", classes);
            out.put("rows", result);
            StringBuilder sb = new StringBuilder(PREFIX);
            out.forEach((k, v) -> sb.append(k).append('=').append(v).append(' '));
            return sb.toString().strip();
        } finally {
            StartupWorkload.deleteRecursively(root);
        }
    }

    /**
     * The process's CPU time when the first row arrived, read from Linux's {@code /proc/self/stat} (user and system
     * time in clock ticks of 10 ms; -1 elsewhere): the CPU the whole start-up took, warm-up and JIT threads
     * included, which a loaded machine changes far less than the wall time. Only the file's text is kept at that
     * moment (no management beans, no lambda), so the reading adds nothing before the first row.
     */
    static final class ProcessCpuAtFirstRow implements Runnable {
        private String stat;

        @Override
        public void run() {
            try {
                stat = Files.readString(Path.of("/proc/self/stat"));
            } catch (IOException e) {
                stat = null;
            }
        }

        long millis() {
            if (stat == null) {
                return -1;
            }
            // Fields after the parenthesized name: state is the 3rd field, utime the 14th, stime the 15th.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        }
    }

    /** Runs the workload {@code times} times, each on a new lake, and summarizes the second half. */
    static String warm(int times) throws Exception {
        if (times < 2) {
            throw new IllegalArgumentException("--warm needs at least 2 runs");
        }
        List<Map<String, Long>> durable = new ArrayList<>();
        List<Map<String, Long>> testLakes = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            durable.add(warmRun(true));
            testLakes.add(warmRun(false));
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "warm JVM, fresh lake per run, medians of runs %d..%d [min..max]; load average %.2f%n",
                times / 2 + 1, times, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        sb.append("durable lake (commits forced to disk):\n").append(warmSummary(durable.subList(times / 2, times)));
        sb.append("test lake (sync=false, as the JUnit extension opens it):\n")
                .append(warmSummary(testLakes.subList(times / 2, times)));
        return sb.toString();
    }

    /**
     * CPU time of the JIT compiler threads ("C1 CompilerThre", "C2 CompilerThre"), read from Linux's
     * {@code /proc/self/task/<id>/stat} (user and system time in clock ticks of 10 ms); -1 where there is no
     * {@code /proc}.
     */
    static long compilerThreadsCpuMillis() {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return -1;
        }
        long ticks = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                try {
                    String name = Files.readString(thread.resolve("comm"));
                    if (!name.startsWith("C1 Compiler") && !name.startsWith("C2 Compiler")) {
                        continue;
                    }
                    String stat = Files.readString(thread.resolve("stat"));
                    // Fields after the parenthesized name: state is the 3rd field, utime the 14th, stime the 15th.
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                } catch (IOException e) {
                    // The thread ended while being read: it no longer counts.
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return ticks * 10;
    }

    private static Map<String, Long> warmRun(boolean sync) throws Exception {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Path root = Files.createTempDirectory("tarn-warm-");
        try {
            long startCpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            long[] steps = new long[StartupWorkload.STEPS.length];
            long connected;
            try (Connection c = StartupWorkload.connect(root.resolve("lake"), sync)) {
                connected = System.nanoTime();
                StartupWorkload.run(c, steps);
            }
            long closed = System.nanoTime();
            long cpu = threads.getCurrentThreadCpuTime() - startCpu;
            StartupWorkload.deleteRecursively(root);
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("total_us", (System.nanoTime() - start) / 1_000);
            m.put("main_cpu_us", cpu / 1_000);
            m.put("connect_us", (connected - start) / 1_000);
            m.put("create_us", (steps[0] - connected) / 1_000);
            m.put("insert_us", (steps[1] - steps[0]) / 1_000);
            m.put("query_us", (steps[2] - steps[1]) / 1_000);
            m.put("close_us", (closed - steps[2]) / 1_000);
            return m;
        } finally {
            StartupWorkload.deleteRecursively(root);
        }
    }

    private static String warmSummary(List<Map<String, Long>> second) {
        StringBuilder sb = new StringBuilder();
        for (String key : second.get(0).keySet()) {
            long[] v = second.stream().mapToLong(m -> m.get(key)).sorted().toArray();
            sb.append(String.format(Locale.ROOT, "  %-11s %9d [%d..%d]%n", key, median(v), v[0], v[v.length - 1]));
        }
        return sb.toString();
    }

    private static long ms(long nanos) {
        return Math.round(nanos / 1e6);
    }

    /** Parses a {@link #measure} line. */
    static Map<String, Long> parse(String line) {
        if (!line.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a cold-start line: " + line);
        }
        Map<String, Long> values = new LinkedHashMap<>();
        for (String pair : line.substring(PREFIX.length()).split(" ")) {
            int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
        }
        return values;
    }

    /** Launches fresh JVMs with and without an AppCDS archive and summarizes them. */
    static String compare(int runs, boolean cds, List<String> jvmArgs) throws Exception {
        List<String> base = baseCommand(jvmArgs);
        Path dir = Files.createTempDirectory("tarn-coldstart-cds-");
        try {
            Path archive = dir.resolve("coldstart.jsa");
            List<String> cdsCommand = null;
            if (cds) {
                List<String> training = new ArrayList<>(base);
                training.addAll(1, List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off",
                        "-Xlog:cds+dynamic=off"));
                launch(training);
                if (!Files.isRegularFile(archive)) {
                    throw new IllegalStateException("the training run wrote no CDS archive " + archive
                            + " (the class path must hold jar files only)");
                }
                cdsCommand = new ArrayList<>(base);
                cdsCommand.addAll(1, List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off",
                        "-Xlog:cds+dynamic=off"));
            }
            List<String> launcherCommand = null;
            List<String> c1Command = null;
            if (cdsCommand != null) {
                launcherCommand = new ArrayList<>(cdsCommand);
                launcherCommand.addAll(1, LAUNCHER_FLAGS);
                c1Command = new ArrayList<>(cdsCommand);
                c1Command.add(1, "-XX:TieredStopAtLevel=1");
            }
            List<Map<String, Long>> plain = new ArrayList<>();
            List<Map<String, Long>> shared = new ArrayList<>();
            List<Map<String, Long>> sharedLauncher = new ArrayList<>();
            List<Map<String, Long>> sharedC1 = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                plain.add(launch(base));
                if (cdsCommand != null) {
                    shared.add(launch(cdsCommand));
                    sharedLauncher.add(launch(launcherCommand));
                    sharedC1.add(launch(c1Command));
                }
            }
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "%d fresh JVMs each; load average %.2f; %s %s%n", runs,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    System.getProperty("java.vm.name"), System.getProperty("java.version")));
            sb.append(summary("default CDS", plain));
            if (cdsCommand != null) {
                sb.append(summary("AppCDS archive (" + Files.size(archive) / (1024 * 1024) + " MB)", shared));
                sb.append(summary("AppCDS, ./tarn's flags", sharedLauncher));
                sb.append(summary("AppCDS, C1 only", sharedC1));
            }
            return sb.toString();
        } finally {
            StartupWorkload.deleteRecursively(dir);
        }
    }

    private static List<String> baseCommand(List<String> jvmArgs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-Duser.timezone=UTC");
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ColdStart.class.getName()));
        return command;
    }

    /** Runs one child JVM; its result line plus {@code launch_ms} as the parent saw it. */
    static Map<String, Long> launch(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        long start = System.nanoTime();
        Process p = pb.start();
        Map<String, Long> result = null;
        long launch = -1;
        StringBuilder other = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith(PREFIX) && result == null) {
                    launch = ms(System.nanoTime() - start);
                    result = parse(line);
                } else {
                    other.append(line).append('\n');
                }
            }
        }
        int exit = p.waitFor();
        if (exit != 0 || result == null) {
            throw new IllegalStateException("child JVM exited with " + exit + ": " + command + "\n" + other);
        }
        Map<String, Long> all = new LinkedHashMap<>();
        all.put("launch_ms", launch);
        all.putAll(result);
        return all;
    }

    static String summary(String name, List<Map<String, Long>> runs) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-28s", name + ":"));
        for (String key : KEYS) {
            long[] v = runs.stream().mapToLong(m -> m.getOrDefault(key, -1L)).sorted().toArray();
            sb.append(String.format(Locale.ROOT, " %s=%d [%d..%d]", key, median(v), v[0], v[v.length - 1]));
        }
        return sb.append(System.lineSeparator()).toString();
    }

    static long median(long[] sorted) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
