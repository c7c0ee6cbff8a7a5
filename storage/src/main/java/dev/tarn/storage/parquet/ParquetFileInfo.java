package dev.tarn.storage.parquet;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.apache.arrow.vector.types.pojo.Schema;

/** The footer of a Parquet file: row count, row groups with their statistics, and the file's schema as Arrow. */
public record ParquetFileInfo(long totalRows, List<RowGroupInfo> rowGroups, Schema fileSchema) {
    public ParquetFileInfo {
        rowGroups = List.copyOf(requireNonNull(rowGroups, "rowGroups is null"));
        requireNonNull(fileSchema, "fileSchema is null");
    }
}
