package dev.tarn.shell.internal;

import dev.tarn.error.TarnException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * {@code tarn [--lake DIR] [--schema NAME]}: the interactive shell on a lake ({@code ./lake} by default, created
 * when absent). With a terminal it is a JLine console with history in {@code ~/.tarn_history}; with piped stdin it
 * runs the statements it reads.
 */
public final class ShellCommand implements Command {
    private final java.util.function.Function<String, String> env;

    public ShellCommand() {
        this(System::getenv);
    }

    /** For tests: the environment to read TARN_RC and HOME-independent settings from. */
    ShellCommand(java.util.function.Function<String, String> env) {
        this.env = env;
    }

    static final String USAGE = String.join("\n",
            "usage: tarn [shell] [--lake DIR] [--schema NAME] [--rc FILE | --no-rc]",
            "",
            "  --lake DIR       the lake directory (default ./lake; created when absent)",
            "  --schema NAME    the current schema (default: default)",
            "  --rc FILE        run FILE's statements and commands first (default: $TARN_RC, else ~/.tarnrc",
            "                   when it exists)",
            "  --no-rc          run no start-up file",
            "",
            "Opens the interactive SQL shell. Statements end with ';'. Enter .help for meta commands.",
            "With input or output not a terminal it reads statements from stdin and writes csv by default.");

    @Override
    public String name() {
        return "shell";
    }

    @Override
    public String summary() {
        return "the interactive SQL shell (the default command)";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public int run(List<String> args, Io io) throws UsageException {
        String lake = "lake";
        String schema = null;
        String rc = null;
        boolean noRc = false;
        ArgReader r = new ArgReader(args, "tarn");
        while (r.hasNext()) {
            String opt = r.nextOption();
            switch (opt) {
                case "--lake" -> lake = r.value(opt);
                case "--schema" -> schema = r.value(opt);
                case "--rc" -> rc = r.value(opt);
                case "--no-rc" -> {
                    r.noValue(opt);
                    noRc = true;
                }
                default -> throw new UsageException("tarn: unknown option '" + opt + "'");
            }
        }
        if (lake.isEmpty()) {
            throw new UsageException("tarn: --lake needs a directory");
        }
        if (noRc && rc != null) {
            throw new UsageException("tarn: --rc and --no-rc exclude each other");
        }
        Path rcFile = null;
        if (!noRc) {
            if (rc != null) {
                rcFile = io.resolve(rc);
            } else if (env.apply("TARN_RC") != null) {
                String fromEnv = env.apply("TARN_RC");
                rcFile = fromEnv.isEmpty() ? null : io.resolve(fromEnv);
            } else {
                Path home = Path.of(System.getProperty("user.home"), ".tarnrc");
                rcFile = java.nio.file.Files.isRegularFile(home) ? home : null;
            }
        }
        Path lakePath = io.resolve(lake);
        PrintWriter out = io.outWriter();
        PrintWriter err = io.errWriter();
        try (LakeOpener opened = LakeOpener.open(lakePath, schema)) {
            if (!io.interactive()) {
                return InteractiveShell.runPiped(io.in(), opened.session(), out, err,
                        new InteractiveShell.Options(rcFile, io.workingDirectory(), null));
            }
            try (Terminal terminal = TerminalBuilder.builder().system(true).name("tarn").build()) {
                Path history = Path.of(System.getProperty("user.home"), ".tarn_history");
                // The console means stdin and stdout are a terminal; a dumb TERM gets no redrawn progress line.
                String term = env.apply("TERM");
                PrintWriter progress = term == null || term.equals("dumb") ? null : err;
                return InteractiveShell.runTerminal(terminal, opened.session(), history,
                        "Tarn shell on lake " + lakePath + ". Enter .help for help, .quit to leave.",
                        new InteractiveShell.Options(rcFile, io.workingDirectory(), progress));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } catch (TarnException e) {
            out.flush();
            err.println("tarn: lake " + lakePath + ": " + e.formattedMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
