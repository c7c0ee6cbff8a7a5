package dev.tarn.shell.internal;

import dev.tarn.error.TarnException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code tarn sql}: runs the statements of {@code -c} or {@code -f} in order and stops at the first failure.
 * Exit code 0 when all succeed, 1 when one fails or the lake cannot be opened, 2 for bad usage.
 */
public final class SqlCommand implements Command {
    static final String USAGE = String.join("\n",
            "usage: tarn sql [--lake DIR] [--schema NAME] [--format table|csv|jsonl] [--timing]",
            "                (-c \"SQL; SQL; ...\" | -f FILE)",
            "",
            "  --lake DIR       the lake directory (default ./lake; created when absent)",
            "  --schema NAME    the current schema (default: default)",
            "  --format F       output format: table (default), csv or jsonl",
            "  --timing         write 'timing: <ms> ms' to stderr after each statement",
            "  -c SQL           statements to run, separated by ';'",
            "  -f FILE          a file of statements to run ('-' reads stdin)",
            "",
            "Runs the statements in order and stops at the first error.",
            "Exit code: 0 success, 1 a statement failed, 2 bad usage.");

    @Override
    public String name() {
        return "sql";
    }

    @Override
    public String summary() {
        return "run SQL statements from -c or -f and print their results";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public int run(List<String> args, Io io) throws UsageException {
        String lake = "lake";
        String schema = null;
        OutputFormat format = OutputFormat.TABLE;
        boolean timing = false;
        String command = null;
        String file = null;
        ArgReader r = new ArgReader(args, "tarn sql");
        while (r.hasNext()) {
            String opt = r.nextOption();
            switch (opt) {
                case "--lake" -> lake = r.value(opt);
                case "--schema" -> schema = r.value(opt);
                case "--format" -> {
                    String f = r.value(opt);
                    format = OutputFormat.parse(f).orElseThrow(() -> new UsageException(
                            "tarn sql: unknown format '" + f + "' (expected table, csv or jsonl)"));
                }
                case "--timing" -> {
                    r.noValue(opt);
                    timing = true;
                }
                case "-c", "--command" -> {
                    if (command != null) {
                        throw new UsageException("tarn sql: -c given more than once");
                    }
                    command = r.value(opt);
                }
                case "-f", "--file" -> {
                    if (file != null) {
                        throw new UsageException("tarn sql: -f given more than once");
                    }
                    file = r.value(opt);
                }
                default -> throw new UsageException("tarn sql: unknown option '" + opt + "'");
            }
        }
        if (command != null && file != null) {
            throw new UsageException("tarn sql: give either -c or -f, not both");
        }
        if (command == null && file == null) {
            throw new UsageException("tarn sql: give the statements with -c \"SQL\" or -f FILE");
        }
        if (lake.isEmpty()) {
            throw new UsageException("tarn sql: --lake needs a directory");
        }
        String sql = command != null ? command : readFile(file, io);

        PrintWriter out = io.outWriter();
        PrintWriter err = io.errWriter();
        try (LakeOpener opened = LakeOpener.open(io.resolve(lake), schema)) {
            StatementRunner runner = new StatementRunner(opened.session(), format, timing, out, err);
            int number = 0;
            for (String statement : StatementSplitter.splitScript(sql)) {
                if (!runner.run(statement, ++number)) {
                    return 1;
                }
            }
            return 0;
        } catch (TarnException e) {
            out.flush();
            err.println("tarn sql: lake " + io.resolve(lake) + ": " + e.formattedMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static String readFile(String file, Io io) throws UsageException {
        try {
            if (file.equals("-")) {
                return new String(io.in().readAllBytes(), StandardCharsets.UTF_8);
            }
            Path p = io.resolve(file);
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("tarn sql: cannot read " + file + ": " + e);
        }
    }
}
