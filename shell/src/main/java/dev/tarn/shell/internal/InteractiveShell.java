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

    /** Runs until {@code .quit} or end of input; returns the exit code (0). */
    public static int runTerminal(Terminal terminal, Session session, Path historyFile, String banner) {
        requireNonNull(terminal, "terminal is null");
        requireNonNull(session, "session is null");
        PrintWriter w = terminal.writer();
        StatementRunner runner = new StatementRunner(session, OutputFormat.TABLE, false, w, w);
        ShellLoop loop = new ShellLoop(runner, w, w);

        DefaultParser parser = new DefaultParser();
        // SQL quotes are the splitter's business: never let JLine hold a line back for an unclosed quote.
        parser.setEofOnUnclosedQuote(false);
        parser.setEofOnEscapedNewLine(false);
        parser.setEscapeChars(new char[0]);
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .appName("tarn")
                .terminal(terminal)
                .parser(parser)
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
            terminal.handle(Terminal.Signal.INT, previous);
            w.flush();
            try {
                reader.getHistory().save();
            } catch (IOException e) {
                w.println("Could not save history to " + historyFile + ": " + e.getMessage());
                w.flush();
            }
        }
        return 0;
    }

    /** Reads statements and meta commands from a non-terminal stream; returns 1 when any failed, else 0. */
    public static int runPiped(InputStream in, Session session, PrintWriter out, PrintWriter err) {
        StatementRunner runner = new StatementRunner(session, OutputFormat.TABLE, false, out, err);
        ShellLoop loop = new ShellLoop(runner, out, err);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (loop.line(line) == ShellLoop.Next.QUIT) {
                    out.flush();
                    return loop.anyFailed() ? 1 : 0;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        loop.finish();
        out.flush();
        return loop.anyFailed() ? 1 : 0;
    }
}
