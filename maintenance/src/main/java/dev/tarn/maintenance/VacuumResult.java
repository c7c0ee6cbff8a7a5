package dev.tarn.maintenance;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a vacuum did (or, in a dry run, would do).
 *
 * @param table the table location
 * @param mode FULL or LITE
 * @param dryRun true when nothing was deleted
 * @param retention the retention applied
 * @param oldestRetainedVersion the oldest version whose files were kept (time travel back to it keeps working)
 * @param files paths, relative to the table, deleted (or that a dry run would delete), sorted
 * @param bytes their total size, as far as known
 * @param directoriesDeleted directories left empty by the deleted files (partition and prefix folders) and deleted
 * @param committedVersions the versions of the VACUUM START and VACUUM END commits made (none or two)
 * @param durationMillis wall-clock time of the run
 * @param skipReason set when nothing was eligible
 */
public record VacuumResult(String table, VacuumOptions.Mode mode, boolean dryRun, Duration retention,
                           long oldestRetainedVersion, List<String> files, long bytes, int directoriesDeleted,
                           List<Long> committedVersions,
                           long durationMillis, Optional<String> skipReason) {
    public VacuumResult {
        requireNonNull(table, "table is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(retention, "retention is null");
        files = List.copyOf(requireNonNull(files, "files is null"));
        committedVersions = List.copyOf(requireNonNull(committedVersions, "committedVersions is null"));
        requireNonNull(skipReason, "skipReason is null");
    }

    /** VACUUM START / END commits made (0 or 2). */
    public int versionsCommitted() {
        return committedVersions.size();
    }

    public int filesDeleted() {
        return dryRun ? 0 : files.size();
    }
}
