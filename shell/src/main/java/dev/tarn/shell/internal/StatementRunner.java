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
    private final PrintWriter out;
    private final PrintWriter err;
    private OutputFormat format;
    private boolean timing;

    public StatementRunner(Session session, OutputFormat format, boolean timing, PrintWriter out, PrintWriter err) {
        this.session = requireNonNull(session, "session is null");
        this.format = requireNonNull(format, "format is null");
        this.timing = timing;
        this.out = requireNonNull(out, "out is null");
        this.err = requireNonNull(err, "err is null");
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
        try (QueryResult result = session.execute(sql)) {
            ResultRenderer renderer = format.renderer();
            if (result.kind() == QueryResult.Kind.ROWS) {
                renderer.renderRows(result, out);
            } else {
                renderer.renderNoRows(result, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (TarnException e) {
            out.flush();
            err.println("Error in statement " + number + " (" + echo(sql) + "): " + e.formattedMessage());
            err.flush();
            return false;
        } catch (RuntimeException e) {
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

    /** The statement on one line, shortened for messages. */
    static String echo(String sql) {
        String s = sql.strip().replaceAll("\\s+", " ");
        return s.length() <= MAX_STATEMENT_ECHO ? s : s.substring(0, MAX_STATEMENT_ECHO - 3) + "...";
    }
}
