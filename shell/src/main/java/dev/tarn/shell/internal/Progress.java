package dev.tarn.shell.internal;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A one-line "still running" note on stderr for statements that take longer than a delay, redrawn in place and
 * erased before the result prints. Only used when stderr is a terminal. The engine does not report files or rows
 * while a statement runs, so the note shows the elapsed time.
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
        stop();
        task = TIMER.scheduleAtFixedRate(() -> draw(startNanos), delayMillis, 250, TimeUnit.MILLISECONDS);
    }

    private synchronized void draw(long startNanos) {
        if (task == null) {
            return;
        }
        String text = "running... " + TextGrid.elapsed(System.nanoTime() - startNanos) + " (Ctrl-C cancels)";
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
