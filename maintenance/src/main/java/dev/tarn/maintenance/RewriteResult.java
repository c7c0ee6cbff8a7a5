package dev.tarn.maintenance;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a file rewrite (OPTIMIZE, Z-order, REORG ... APPLY (PURGE)) did.
 *
 * @param table the table location
 * @param operation the commitInfo operation ("OPTIMIZE", "REORG")
 * @param readVersion the version the rewrite read
 * @param committedVersion the version committed, empty when nothing was done
 * @param filesRemoved data files replaced
 * @param filesAdded data files written
 * @param bytesRemoved size of the files replaced
 * @param bytesAdded size of the files written
 * @param rowsWritten rows in the new files
 * @param deletedRowsDropped rows deletion vectors deleted, which the new files no longer hold
 * @param partitionsTouched partitions with at least one file rewritten
 * @param versionsCommitted commits made (0 or 1)
 * @param durationMillis wall-clock time of the run
 * @param skipReason why nothing was done, when nothing was
 */
public record RewriteResult(String table, String operation, long readVersion, OptionalLong committedVersion,
                            long filesRemoved, long filesAdded, long bytesRemoved, long bytesAdded, long rowsWritten,
                            long deletedRowsDropped, int partitionsTouched, int versionsCommitted, long durationMillis,
                            Optional<String> skipReason) {
    public RewriteResult {
        requireNonNull(table, "table is null");
        requireNonNull(operation, "operation is null");
        requireNonNull(committedVersion, "committedVersion is null");
        requireNonNull(skipReason, "skipReason is null");
        if (committedVersion.isEmpty() && skipReason.isEmpty()) {
            throw new IllegalArgumentException("a rewrite that committed nothing needs a skip reason");
        }
    }

    static RewriteResult skipped(String table, String operation, long readVersion, String reason, long millis) {
        return new RewriteResult(table, operation, readVersion, OptionalLong.empty(), 0, 0, 0, 0, 0, 0, 0, 0, millis,
                Optional.of(reason));
    }

    /** True when a commit was made. */
    public boolean committed() {
        return committedVersion.isPresent();
    }
}
