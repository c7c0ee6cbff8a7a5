package dev.tarn.shell.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.StatementProgress;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A one-line "still running" note on stderr for statements that take longer than a delay, redrawn in place and
 * erased before the result prints: the elapsed time and, from the session's live scan progress, the data files and
 * rows scanned so far with the percentage where the totals are known. Only used when stderr is a terminal.
 */
final class Progress {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tarn-shell-progress");
        t.setDaemon(true);
        return t;
    });

    private final PrintWriter err;
    private final long delayMillis;
    private ScheduledFuture<?> task;
    private int shown;

    Progress(PrintWriter err, long delayMillis) {
        this.err = requireNonNull(err, "err is null");
        this.delayMillis = delayMillis;
    }

    synchronized void start(long startNanos) {
        start(startNanos, Optional::empty);
    }

    /** Starts the note; {@code scans} tells how far the running statement's scans have got (read from a timer). */
    synchronized void start(long startNanos, Supplier<Optional<StatementProgress>> scans) {
        stop();
        requireNonNull(scans, "scans is null");
        task = TIMER.scheduleAtFixedRate(() -> draw(startNanos, scans), delayMillis, 250, TimeUnit.MILLISECONDS);
    }

    /** The note's text: elapsed time, then files and rows scanned so far and the percentage when known. */
    static String text(long elapsedNanos, Optional<StatementProgress> scans) {
        StringBuilder b = new StringBuilder("running... ").append(TextGrid.elapsed(elapsedNanos));
        scans.filter(p -> p.filesTotal() > 0 || p.rowsRead() > 0).ifPresent(p -> {
            b.append(String.format(Locale.ROOT, " - %,d of %,d files, %,d rows scanned", p.filesRead(),
                    p.filesTotal(), p.rowsRead()));
            p.percent().ifPresent(pct -> b.append(String.format(Locale.ROOT, " (%.0f%%)", pct)));
        });
        return b.append(" (Ctrl-C cancels)").toString();
    }

    private synchronized void draw(long startNanos, Supplier<Optional<StatementProgress>> scans) {
        if (task == null) {
            return;
        }
        Optional<StatementProgress> p;
        try {
            p = scans.get();
        } catch (RuntimeException e) {
            p = Optional.empty();
        }
        String text = text(System.nanoTime() - startNanos, p);
        err.print("\r" + text + " ".repeat(Math.max(0, shown - text.length())));
        err.flush();
        shown = Math.max(shown, text.length());
    }

    /** Stops redrawing and erases the line if it was shown. */
    synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        if (shown > 0) {
            err.print("\r" + " ".repeat(shown) + "\r");
            err.flush();
            shown = 0;
        }
    }
}
