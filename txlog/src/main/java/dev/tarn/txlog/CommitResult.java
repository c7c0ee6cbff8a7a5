package dev.tarn.txlog;

import static java.util.Objects.requireNonNull;

/** The outcome of a successful commit: the version written and the table as of that version. */
public record CommitResult(long version, Snapshot snapshot) {
    public CommitResult {
        requireNonNull(snapshot, "snapshot is null");
        if (version < 0) {
            throw new IllegalArgumentException("version is negative: " + version);
        }
    }
}
