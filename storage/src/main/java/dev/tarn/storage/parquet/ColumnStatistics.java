package dev.tarn.storage.parquet;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Statistics of one leaf column (an array or map column counts as a leaf and has no min/max).
 *
 * @param path field names from the top-level column down to the leaf, through structs
 * @param min smallest non-null value as a Java value (see {@link ArrowParquetReader}), null when unknown
 * @param max largest non-null value, null when unknown
 * @param nullCount number of null values (a leaf under a null struct counts as null); -1 when unknown
 */
public record ColumnStatistics(List<String> path, Object min, Object max, long nullCount) {
    public ColumnStatistics {
        path = List.copyOf(requireNonNull(path, "path is null"));
        if (path.isEmpty()) {
            throw new IllegalArgumentException("path is empty");
        }
    }
}
