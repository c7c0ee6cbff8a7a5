package dev.tarn.maintenance;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.skipping.Predicate;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Parameters of {@link PurgeTask}.
 *
 * @param partitionPredicate which partitions to purge (partition columns only); empty: all
 * @param minDeletedRowsRatio files whose deletion vectors delete at least this share of their rows are rewritten;
 *     0 (the default, as REORG TABLE ... APPLY (PURGE)) rewrites every file with deleted rows
 * @param targetFileSize files with deleted rows in a partition are packed together up to this size; empty:
 *     {@code delta.targetFileSize}, else 128 MiB
 */
public record PurgeOptions(Optional<Predicate> partitionPredicate, double minDeletedRowsRatio, OptionalLong targetFileSize) {
    public PurgeOptions {
        requireNonNull(partitionPredicate, "partitionPredicate is null");
        requireNonNull(targetFileSize, "targetFileSize is null");
        if (!(minDeletedRowsRatio >= 0 && minDeletedRowsRatio <= 1)) {
            throw new IllegalArgumentException("minDeletedRowsRatio must be between 0 and 1: " + minDeletedRowsRatio);
        }
        if (targetFileSize.isPresent() && targetFileSize.getAsLong() <= 0) {
            throw new IllegalArgumentException("targetFileSize must be positive: " + targetFileSize.getAsLong());
        }
    }

    public static PurgeOptions defaults() {
        return new PurgeOptions(Optional.empty(), 0, OptionalLong.empty());
    }

    public PurgeOptions withPartitionPredicate(Predicate predicate) {
        return new PurgeOptions(Optional.of(predicate), minDeletedRowsRatio, targetFileSize);
    }

    public PurgeOptions withMinDeletedRowsRatio(double ratio) {
        return new PurgeOptions(partitionPredicate, ratio, targetFileSize);
    }

    public PurgeOptions withTargetFileSize(long bytes) {
        return new PurgeOptions(partitionPredicate, minDeletedRowsRatio, OptionalLong.of(bytes));
    }
}
