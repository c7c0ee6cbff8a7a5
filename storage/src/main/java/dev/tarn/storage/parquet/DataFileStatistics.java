package dev.tarn.storage.parquet;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** What a finished Parquet file holds: row count, size and per-column statistics. */
public record DataFileStatistics(long numRecords, long fileSizeBytes, List<ColumnStatistics> columns) {
    public DataFileStatistics {
        if (numRecords < 0) {
            throw new IllegalArgumentException("numRecords is negative: " + numRecords);
        }
        if (fileSizeBytes < 0) {
            throw new IllegalArgumentException("fileSizeBytes is negative: " + fileSizeBytes);
        }
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
    }

    /** The statistics of the column at {@code path} (field names from the top level down), if collected. */
    public Optional<ColumnStatistics> column(List<String> path) {
        return columns.stream().filter(c -> c.path().equals(path)).findFirst();
    }
}
