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
    static final String USAGE = String.join("\n",
            "usage: tarn [shell] [--lake DIR] [--schema NAME]",
            "",
            "  --lake DIR       the lake directory (default ./lake; created when absent)",
            "  --schema NAME    the current schema (default: default)",
            "",
            "Opens the interactive SQL shell. Statements end with ';'. Enter .help for meta commands.");

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
        ArgReader r = new ArgReader(args, "tarn");
        while (r.hasNext()) {
            String opt = r.nextOption();
            switch (opt) {
                case "--lake" -> lake = r.value(opt);
                case "--schema" -> schema = r.value(opt);
                default -> throw new UsageException("tarn: unknown option '" + opt + "'");
            }
        }
        if (lake.isEmpty()) {
            throw new UsageException("tarn: --lake needs a directory");
        }
        Path lakePath = io.resolve(lake);
        PrintWriter out = io.outWriter();
        PrintWriter err = io.errWriter();
        try (LakeOpener opened = LakeOpener.open(lakePath, schema)) {
            if (!io.interactive()) {
                return InteractiveShell.runPiped(io.in(), opened.session(), out, err);
            }
            try (Terminal terminal = TerminalBuilder.builder().system(true).name("tarn").build()) {
                Path history = Path.of(System.getProperty("user.home"), ".tarn_history");
                return InteractiveShell.runTerminal(terminal, opened.session(), history,
                        "Tarn shell on lake " + lakePath + ". Enter .help for help, .quit to leave.");
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
