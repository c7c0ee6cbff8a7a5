package dev.tarn.query;

import java.util.OptionalDouble;

/**
 * How far a running statement's table scans have got, for progress displays: data files and rows read so far, and
 * the totals its scans planned (rows from the Delta log's file statistics; 0 when unknown).
 */
public record StatementProgress(long filesRead, long filesTotal, long rowsRead, long rowsTotal) {
    public StatementProgress {
        if (filesRead < 0 || filesTotal < 0 || rowsRead < 0 || rowsTotal < 0) {
            throw new IllegalArgumentException("progress counts must not be negative");
        }
    }

    /** Percent done, from rows when their total is known, else from files; empty when nothing is known. */
    public OptionalDouble percent() {
        if (rowsTotal > 0) {
            return OptionalDouble.of(Math.min(100.0, 100.0 * rowsRead / rowsTotal));
        }
        if (filesTotal > 0) {
            return OptionalDouble.of(Math.min(100.0, 100.0 * filesRead / filesTotal));
        }
        return OptionalDouble.empty();
    }
}
