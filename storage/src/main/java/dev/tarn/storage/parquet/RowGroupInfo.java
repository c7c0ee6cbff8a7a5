package dev.tarn.storage.parquet;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One row group of a Parquet file.
 *
 * @param ordinal position among the file's row groups, from 0
 * @param firstRowIndex row index (position in the file) of the group's first row
 * @param rowCount rows in the group
 * @param columns statistics of the leaf columns not inside lists or maps; path = Parquet field names
 */
public record RowGroupInfo(int ordinal, long firstRowIndex, long rowCount, List<ColumnStatistics> columns) {
    public RowGroupInfo {
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
    }

    public Optional<ColumnStatistics> column(List<String> path) {
        return columns.stream().filter(c -> c.path().equals(path)).findFirst();
    }
}
