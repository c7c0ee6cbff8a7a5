package dev.tarn.maintenance;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * Parameters of {@link LogCleanupTask}.
 *
 * @param retention how long log history is kept; empty: {@code delta.logRetentionDuration}, else 30 days
 * @param dryRun list what would be deleted and delete nothing
 */
public record LogCleanupOptions(Optional<Duration> retention, boolean dryRun) {
    public LogCleanupOptions {
        requireNonNull(retention, "retention is null");
        retention.ifPresent(r -> {
            if (r.isNegative()) {
                throw new IllegalArgumentException("retention is negative: " + r);
            }
        });
    }

    public static LogCleanupOptions defaults() {
        return new LogCleanupOptions(Optional.empty(), false);
    }

    public LogCleanupOptions withRetention(Duration r) {
        return new LogCleanupOptions(Optional.of(r), dryRun);
    }

    public LogCleanupOptions withDryRun(boolean d) {
        return new LogCleanupOptions(retention, d);
    }
}
