package dev.tarn.maintenance;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.skipping.Predicate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Parameters of {@link OptimizeTask}.
 *
 * @param targetFileSize the file size to compact toward; empty: {@code delta.targetFileSize}, else 128 MiB
 * @param partitionPredicate which partitions to optimize (partition columns only); empty: all
 * @param zOrderBy columns to Z-order the rows of each partition by; empty: bin-packing only
 * @param maxDeletedRowsRatio files whose deletion vectors delete more than this share of rows are rewritten even
 *     when large (delta-spark's {@code optimize.maxDeletedRowsRatio}, 0.05)
 * @param sortMemoryBytes Z-order sorts at most this many bytes of rows in memory before spilling a sorted run
 * @param spillDirectory local directory for Z-order's sorted runs; empty: {@code java.io.tmpdir}
 * @param full on a clustered table, recluster every file ({@code OPTIMIZE t FULL}); otherwise only files not yet
 *     written by clustering (and files with many deleted rows) are clustered. Ignored on other tables.
 * @param auto run as auto compaction after a write (recorded as {@code "auto": "true"} in the commit, as
 *     delta-spark does)
 * @param maxRewriteBytes rewrite at most about this many bytes of input files (bins are taken in order while the
 *     total stays within it; the first bin always); {@code Long.MAX_VALUE}: no bound
 */
public record OptimizeOptions(OptionalLong targetFileSize, Optional<Predicate> partitionPredicate, List<String> zOrderBy,
                              double maxDeletedRowsRatio, long sortMemoryBytes, Optional<String> spillDirectory,
                              boolean full, boolean auto, long maxRewriteBytes) {
    public static final long DEFAULT_TARGET_FILE_SIZE = 128L * 1024 * 1024;
    public static final double DEFAULT_MAX_DELETED_ROWS_RATIO = 0.05;
    public static final long DEFAULT_SORT_MEMORY_BYTES = 256L * 1024 * 1024;

    public OptimizeOptions {
        requireNonNull(targetFileSize, "targetFileSize is null");
        requireNonNull(partitionPredicate, "partitionPredicate is null");
        zOrderBy = List.copyOf(requireNonNull(zOrderBy, "zOrderBy is null"));
        requireNonNull(spillDirectory, "spillDirectory is null");
        if (targetFileSize.isPresent() && targetFileSize.getAsLong() <= 0) {
            throw new IllegalArgumentException("targetFileSize must be positive: " + targetFileSize.getAsLong());
        }
        if (!(maxDeletedRowsRatio >= 0 && maxDeletedRowsRatio <= 1)) {
            throw new IllegalArgumentException("maxDeletedRowsRatio must be between 0 and 1: " + maxDeletedRowsRatio);
        }
        if (sortMemoryBytes <= 0) {
            throw new IllegalArgumentException("sortMemoryBytes must be positive: " + sortMemoryBytes);
        }
        if (maxRewriteBytes <= 0) {
            throw new IllegalArgumentException("maxRewriteBytes must be positive: " + maxRewriteBytes);
        }
    }

    /** Options of a user-run OPTIMIZE (not auto, unbounded). */
    public OptimizeOptions(OptionalLong targetFileSize, Optional<Predicate> partitionPredicate, List<String> zOrderBy,
                           double maxDeletedRowsRatio, long sortMemoryBytes, Optional<String> spillDirectory,
                           boolean full) {
        this(targetFileSize, partitionPredicate, zOrderBy, maxDeletedRowsRatio, sortMemoryBytes, spillDirectory, full,
                false, Long.MAX_VALUE);
    }

    /** Options without {@code full}. */
    public OptimizeOptions(OptionalLong targetFileSize, Optional<Predicate> partitionPredicate, List<String> zOrderBy,
                           double maxDeletedRowsRatio, long sortMemoryBytes, Optional<String> spillDirectory) {
        this(targetFileSize, partitionPredicate, zOrderBy, maxDeletedRowsRatio, sortMemoryBytes, spillDirectory, false);
    }

    public static OptimizeOptions defaults() {
        return new OptimizeOptions(OptionalLong.empty(), Optional.empty(), List.of(), DEFAULT_MAX_DELETED_ROWS_RATIO,
                DEFAULT_SORT_MEMORY_BYTES, Optional.empty());
    }

    public OptimizeOptions withTargetFileSize(long bytes) {
        return new OptimizeOptions(OptionalLong.of(bytes), partitionPredicate, zOrderBy, maxDeletedRowsRatio,
                sortMemoryBytes, spillDirectory, full, auto, maxRewriteBytes);
    }

    public OptimizeOptions withPartitionPredicate(Predicate predicate) {
        return new OptimizeOptions(targetFileSize, Optional.of(predicate), zOrderBy, maxDeletedRowsRatio,
                sortMemoryBytes, spillDirectory, full, auto, maxRewriteBytes);
    }

    public OptimizeOptions withZOrderBy(List<String> columns) {
        return new OptimizeOptions(targetFileSize, partitionPredicate, columns, maxDeletedRowsRatio, sortMemoryBytes,
                spillDirectory, full, auto, maxRewriteBytes);
    }

    public OptimizeOptions withMaxDeletedRowsRatio(double ratio) {
        return new OptimizeOptions(targetFileSize, partitionPredicate, zOrderBy, ratio, sortMemoryBytes, spillDirectory,
                full, auto, maxRewriteBytes);
    }

    public OptimizeOptions withSortMemoryBytes(long bytes) {
        return new OptimizeOptions(targetFileSize, partitionPredicate, zOrderBy, maxDeletedRowsRatio, bytes,
                spillDirectory, full, auto, maxRewriteBytes);
    }

    public OptimizeOptions withSpillDirectory(String directory) {
        return new OptimizeOptions(targetFileSize, partitionPredicate, zOrderBy, maxDeletedRowsRatio, sortMemoryBytes,
                Optional.of(directory), full, auto, maxRewriteBytes);
    }

    public OptimizeOptions withFull(boolean reclusterAll) {
        return new OptimizeOptions(targetFileSize, partitionPredicate, zOrderBy, maxDeletedRowsRatio, sortMemoryBytes,
                spillDirectory, reclusterAll, auto, maxRewriteBytes);
    }

    /** Auto compaction after a write, rewriting at most about {@code maxBytes} of small files. */
    public OptimizeOptions withAuto(long maxBytes) {
        return new OptimizeOptions(targetFileSize, partitionPredicate, zOrderBy, maxDeletedRowsRatio, sortMemoryBytes,
                spillDirectory, full, true, maxBytes);
    }
}
