package dev.tarn.shell.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.Session;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;

/**
 * The read-eval-print loop over a JLine terminal (history, line editing, Ctrl-C cancels the running statement,
 * Ctrl-D leaves), and its plain counterpart for piped stdin (no prompts; exit code 1 when any statement failed).
 */
public final class InteractiveShell {
    private InteractiveShell() {}

    /**
     * Start-up choices shared by both modes.
     *
     * @param rcFile statements and commands to run first, or null
     * @param workingDirectory where relative paths in {@code .read} and {@code .output} resolve
     * @param progress where to draw the "still running" note (a terminal's stderr), or null for none
     */
    public record Options(Path rcFile, Path workingDirectory, PrintWriter progress) {
        public Options {
            requireNonNull(workingDirectory, "workingDirectory is null");
        }

        static Options none() {
            return new Options(null, Path.of("").toAbsolutePath(), null);
        }
    }

    /** Runs until {@code .quit} or end of input; returns the exit code (0). */
    public static int runTerminal(Terminal terminal, Session session, Path historyFile, String banner) {
        return runTerminal(terminal, session, historyFile, banner, Options.none());
    }

    /** Runs until {@code .quit} or end of input; returns the exit code (0, or 1 when {@code .bail on} stopped it). */
    public static int runTerminal(Terminal terminal, Session session, Path historyFile, String banner,
                                  Options options) {
        requireNonNull(terminal, "terminal is null");
        requireNonNull(session, "session is null");
        PrintWriter w = terminal.writer();
        StatementRunner runner = new StatementRunner(session, OutputFormat.TABLE, false, w, w);
        runner.setInteractive(() -> Math.max(0, terminal.getWidth()),
                options.progress() == null ? null : new Progress(options.progress(), 1000));
        ShellLoop loop = new ShellLoop(runner, w, w);
        loop.setWorkingDirectory(options.workingDirectory());
        SqlCompleter completer = new SqlCompleter(session);
        loop.setAfterStatement(completer::invalidate);

        DefaultParser parser = new DefaultParser();
        // SQL quotes are the splitter's business: never let JLine hold a line back for an unclosed quote.
        parser.setEofOnUnclosedQuote(false);
        parser.setEofOnEscapedNewLine(false);
        parser.setEscapeChars(new char[0]);
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .appName("tarn")
                .terminal(terminal)
                .parser(parser)
                .completer(completer)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, false);
        if (historyFile != null) {
            builder.variable(LineReader.HISTORY_FILE, historyFile);
        }
        LineReader reader = builder.build();

        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> session.cancel());
        try {
            if (banner != null) {
                w.println(banner);
                w.flush();
            }
            if (runRc(loop, options) == ShellLoop.Next.QUIT) {
                return loop.bailed() ? 1 : 0;
            }
            while (true) {
                String line;
                try {
                    line = reader.readLine(loop.inStatement() ? loop.continuationPrompt() : loop.prompt());
                } catch (UserInterruptException e) {
                    loop.clearPending();
                    continue;
                } catch (EndOfFileException e) {
                    // Input ended mid-line: that text still counts.
                    String partial = e.getPartialLine();
                    if (partial != null && !partial.isEmpty() && loop.line(partial) == ShellLoop.Next.QUIT) {
                        break;
                    }
                    loop.finish();
                    break;
                }
                if (loop.line(line) == ShellLoop.Next.QUIT) {
                    break;
                }
            }
        } finally {
            runner.setOutput(null);
            terminal.handle(Terminal.Signal.INT, previous);
            w.flush();
            try {
                reader.getHistory().save();
            } catch (IOException e) {
                w.println("Could not save history to " + historyFile + ": " + e.getMessage());
                w.flush();
            }
        }
        return loop.bailed() ? 1 : 0;
    }

    private static ShellLoop.Next runRc(ShellLoop loop, Options options) {
        if (options.rcFile() == null) {
            return ShellLoop.Next.CONTINUE;
        }
        return loop.line(".read " + options.rcFile());
    }

    /** Reads statements and meta commands from a non-terminal stream; returns 1 when any failed, else 0. */
    public static int runPiped(InputStream in, Session session, PrintWriter out, PrintWriter err) {
        return runPiped(in, session, out, err, Options.none());
    }

    /**
     * Like {@link #runPiped(InputStream, Session, PrintWriter, PrintWriter)}; output is not for a terminal, so the
     * default format is csv.
     */
    public static int runPiped(InputStream in, Session session, PrintWriter out, PrintWriter err, Options options) {
        StatementRunner runner = new StatementRunner(session, OutputFormat.CSV, false, out, err);
        ShellLoop loop = new ShellLoop(runner, out, err);
        loop.setWorkingDirectory(options.workingDirectory());
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            if (runRc(loop, options) == ShellLoop.Next.QUIT) {
                return 1;
            }
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (loop.line(line) == ShellLoop.Next.QUIT) {
                    runner.setOutput(null);
                    out.flush();
                    return loop.anyFailed() ? 1 : 0;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        loop.finish();
        runner.setOutput(null);
        out.flush();
        return loop.anyFailed() ? 1 : 0;
    }
}
