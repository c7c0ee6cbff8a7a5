package dev.tarn.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.query.StatementProgress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The progress note shows the files and rows scanned so far, with the percentage when the totals are known. */
class ProgressTest {
    private static final long TWO_SECONDS = TimeUnit.SECONDS.toNanos(2);

    @Test
    void noteShowsFilesRowsAndPercent() {
        String text = Progress.text(TWO_SECONDS, Optional.of(new StatementProgress(3, 8, 1_234_567, 4_000_000)));
        assertTrue(text.startsWith("running... "), text);
        assertTrue(text.contains(" - 3 of 8 files, 1,234,567 rows scanned (31%) (Ctrl-C cancels)"), text);
    }

    @Test
    void percentFromFilesWhenRowTotalsAreUnknown() {
        String text = Progress.text(TWO_SECONDS, Optional.of(new StatementProgress(1, 4, 10, 0)));
        assertTrue(text.contains(" - 1 of 4 files, 10 rows scanned (25%)"), text);
    }

    @Test
    void onlyTheTimeBeforeAnyScanStarts() {
        String none = Progress.text(TWO_SECONDS, Optional.empty());
        assertTrue(none.matches("running\\.\\.\\. \\S+( \\S+)? \\(Ctrl-C cancels\\)"), none);
        assertEquals(none, Progress.text(TWO_SECONDS, Optional.of(new StatementProgress(0, 0, 0, 0))));
    }

    @Test
    void noteReadsTheSessionProgressWhileRunning() throws Exception {
        StringWriter out = new StringWriter();
        Progress p = new Progress(new PrintWriter(out), 20);
        p.start(System.nanoTime(), () -> Optional.of(new StatementProgress(2, 2, 500, 1000)));
        Thread.sleep(300);
        p.stop();
        assertTrue(out.toString().contains("2 of 2 files, 500 rows scanned (50%)"), out.toString());
    }
}
