package dev.tarn.maintenance;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a log cleanup did (or, in a dry run, would do).
 *
 * @param table the table location
 * @param dryRun true when nothing was deleted
 * @param retention the log retention applied
 * @param oldestRetainedVersion the oldest version younger than the retention (the latest when all are older)
 * @param checkpointKept the newest checkpoint at or before it, from which the log now starts; -1 when none
 * @param files names of the {@code _delta_log} files deleted (or that a dry run would delete), sorted
 * @param durationMillis wall-clock time of the run
 * @param skipReason set when nothing was deleted
 */
public record LogCleanupResult(String table, boolean dryRun, Duration retention, long oldestRetainedVersion,
                               long checkpointKept, List<String> files, long durationMillis, Optional<String> skipReason) {
    public LogCleanupResult {
        requireNonNull(table, "table is null");
        requireNonNull(retention, "retention is null");
        files = List.copyOf(requireNonNull(files, "files is null"));
        requireNonNull(skipReason, "skipReason is null");
    }
}
