package dev.tarn.maintenance;

import static java.util.Objects.requireNonNull;

/**
 * What a checkpoint run did.
 *
 * @param table the table location
 * @param version the version the checkpoint describes (the latest version when skipped)
 * @param written false when nothing was to do ({@link #skipReason()} says why)
 * @param actions actions recorded in the checkpoint (-1 when skipped)
 * @param sizeInBytes size of the checkpoint file (-1 when unknown or skipped)
 * @param liveFiles data files the checkpoint lists (-1 when skipped)
 * @param durationMillis wall-clock time of the run
 */
public record CheckpointResult(String table, long version, boolean written, long actions, long sizeInBytes, long liveFiles,
                               String skipReason, long durationMillis) {
    public CheckpointResult {
        requireNonNull(table, "table is null");
        if (!written) {
            requireNonNull(skipReason, "skipReason is null");
        }
    }

    static CheckpointResult written(String table, long version, long actions, long sizeInBytes, long liveFiles, long millis) {
        return new CheckpointResult(table, version, true, actions, sizeInBytes, liveFiles, null, millis);
    }

    static CheckpointResult skipped(String table, long version, String reason, long millis) {
        return new CheckpointResult(table, version, false, -1, -1, -1, reason, millis);
    }
}
