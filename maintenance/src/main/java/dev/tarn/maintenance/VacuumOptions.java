package dev.tarn.maintenance;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * Parameters of {@link VacuumTask}.
 *
 * @param retention how long unreferenced files are kept; empty: {@code delta.deletedFileRetentionDuration}, else
 *     7 days
 * @param mode FULL lists the table directory; LITE works from the log alone
 * @param dryRun list what would be deleted, delete nothing and commit nothing
 * @param allowShortRetention permit a retention shorter than the table's {@code delta.deletedFileRetentionDuration}
 *     (delta-spark's {@code spark.databricks.delta.retentionDurationCheck.enabled = false}); doing so can break
 *     time travel and concurrent readers and writers of older versions
 * @param recordInLog record {@code VACUUM START} and {@code VACUUM END} commits as delta-spark does
 */
public record VacuumOptions(Optional<Duration> retention, Mode mode, boolean dryRun, boolean allowShortRetention,
                            boolean recordInLog) {
    /** How files to delete are found. */
    public enum Mode {
        /** List every file under the table directory (finds orphans of failed writes too). */
        FULL,
        /** Read the remove and cdc actions in the log (cheap; does not find files the log never named). */
        LITE
    }

    public VacuumOptions {
        requireNonNull(retention, "retention is null");
        requireNonNull(mode, "mode is null");
        retention.ifPresent(r -> {
            if (r.isNegative()) {
                throw new IllegalArgumentException("retention is negative: " + r);
            }
        });
    }

    public static VacuumOptions defaults() {
        return new VacuumOptions(Optional.empty(), Mode.FULL, false, false, true);
    }

    public VacuumOptions withRetention(Duration r) {
        return new VacuumOptions(Optional.of(r), mode, dryRun, allowShortRetention, recordInLog);
    }

    public VacuumOptions withMode(Mode m) {
        return new VacuumOptions(retention, m, dryRun, allowShortRetention, recordInLog);
    }

    public VacuumOptions withDryRun(boolean d) {
        return new VacuumOptions(retention, mode, d, allowShortRetention, recordInLog);
    }

    public VacuumOptions withAllowShortRetention(boolean a) {
        return new VacuumOptions(retention, mode, dryRun, a, recordInLog);
    }

    public VacuumOptions withRecordInLog(boolean r) {
        return new VacuumOptions(retention, mode, dryRun, allowShortRetention, r);
    }
}
