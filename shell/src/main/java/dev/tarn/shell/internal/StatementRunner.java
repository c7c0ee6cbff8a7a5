package dev.tarn.shell.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.QueryResult;
import dev.tarn.query.Session;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Runs one statement at a time on a session and writes its outcome: rows through the current format's renderer to
 * {@code out}; errors (naming the statement and the {@code TARN-nnnn} code) and, when timing is on, one
 * {@code timing: <ms> ms} line per statement to {@code err}.
 */
public final class StatementRunner {
    private static final int MAX_STATEMENT_ECHO = 200;

    private final Session session;
    private final PrintWriter stdout;
    private final PrintWriter err;
    private PrintWriter out;
    private OutputFormat format;
    private boolean timing;
    private long maxRows;
    private java.util.function.IntSupplier width = () -> 0;
    private boolean elapsedInFooter;
    private Progress progress;

    public StatementRunner(Session session, OutputFormat format, boolean timing, PrintWriter out, PrintWriter err) {
        this.session = requireNonNull(session, "session is null");
        this.format = requireNonNull(format, "format is null");
        this.timing = timing;
        this.out = requireNonNull(out, "out is null");
        this.stdout = out;
        this.err = requireNonNull(err, "err is null");
    }

    /** Where results go now ({@code .output}). */
    public PrintWriter out() {
        return out;
    }

    /** Sends results to a file's writer, or back to the original output with null. */
    public void setOutput(PrintWriter file) {
        out.flush();
        if (out != stdout) {
            out.close();
        }
        out = file == null ? stdout : file;
    }

    public long maxRows() {
        return maxRows;
    }

    public void setMaxRows(long maxRows) {
        this.maxRows = maxRows;
    }

    /** The shell's presentation: tables fitted to the terminal width, elapsed time in footers, progress notes. */
    void setInteractive(java.util.function.IntSupplier width, Progress progress) {
        this.width = requireNonNull(width, "width is null");
        this.elapsedInFooter = true;
        this.progress = progress;
    }


    public Session session() {
        return session;
    }

    public OutputFormat format() {
        return format;
    }

    public void setFormat(OutputFormat format) {
        this.format = requireNonNull(format, "format is null");
    }

    public boolean timing() {
        return timing;
    }

    public void setTiming(boolean timing) {
        this.timing = timing;
    }

    /**
     * Runs a statement; returns whether it succeeded. {@code number} (1-based) names it in error messages.
     */
    public boolean run(String sql, int number) {
        long start = System.nanoTime();
        if (progress != null) {
            progress.start(start, session::progress);
        }
        try (QueryResult result = session.execute(sql)) {
            int w = out == stdout ? width.getAsInt() : 0;
            RenderOptions options = new RenderOptions(maxRows, Math.max(0, w), elapsedInFooter ? start : -1);
            ResultRenderer renderer = format.renderer(options);
            // With a progress note on the terminal, the result is made first, then the note erased, then printed.
            Appendable target = progress != null ? new StringBuilder() : out;
            if (result.kind() == QueryResult.Kind.ROWS) {
                renderer.renderRows(result, target);
            } else {
                renderer.renderNoRows(result, target);
            }
            if (progress != null) {
                progress.stop();
                out.append((StringBuilder) target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (TarnException e) {
            stopProgress();
            out.flush();
            err.println("Error in statement " + number + " (" + echo(sql) + "): " + e.formattedMessage());
            err.flush();
            return false;
        } catch (RuntimeException e) {
            stopProgress();
            out.flush();
            err.println("Error in statement " + number + " (" + echo(sql) + "): [" + ErrorCode.INTERNAL_ERROR.id()
                    + "] Internal error: " + e);
            err.flush();
            return false;
        }
        out.flush();
        if (timing) {
            long ms = Math.round((System.nanoTime() - start) / 1_000_000.0);
            err.println("timing: " + ms + " ms");
            err.flush();
        }
        return true;
    }

    private void stopProgress() {
        if (progress != null) {
            progress.stop();
        }
    }

    /** The statement on one line, shortened for messages. */
    static String echo(String sql) {
        String s = sql.strip().replaceAll("\\s+", " ");
        return s.length() <= MAX_STATEMENT_ECHO ? s : s.substring(0, MAX_STATEMENT_ECHO - 3) + "...";
    }
}
