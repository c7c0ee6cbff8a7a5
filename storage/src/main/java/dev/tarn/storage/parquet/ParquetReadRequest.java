package dev.tarn.storage.parquet;

import static java.util.Objects.requireNonNull;

import java.util.function.IntPredicate;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * What to read from one Parquet file.
 *
 * @param requestedSchema the columns to return, matched by field id ({@code PARQUET:field_id} metadata) when
 *     present, otherwise by exact physical name; columns absent from the file come back as nulls
 * @param withRowIndex append {@link ArrowParquetReader#ROW_INDEX_COLUMN} (the row's position in the file)
 * @param batchRows maximum rows per batch
 * @param rowGroupFilter receives each row group's ordinal; row groups it rejects are not read
 * @param rowFilter rows the reader may leave out (see {@link ParquetRowFilter}), or null to return every row
 */
public record ParquetReadRequest(Schema requestedSchema, boolean withRowIndex, int batchRows, IntPredicate rowGroupFilter,
                                 ParquetRowFilter rowFilter) {
    public static final int DEFAULT_BATCH_ROWS = 4096;

    public ParquetReadRequest {
        requireNonNull(requestedSchema, "requestedSchema is null");
        requireNonNull(rowGroupFilter, "rowGroupFilter is null");
        if (batchRows <= 0) {
            throw new IllegalArgumentException("batchRows must be positive: " + batchRows);
        }
        if (rowFilter != null) {
            for (int c : rowFilter.columns()) {
                if (c < 0 || c >= requestedSchema.getFields().size()) {
                    throw new IllegalArgumentException("Row filter column " + c + " is not requested");
                }
            }
        }
    }

    /** Every row of the row groups {@code rowGroupFilter} accepts. */
    public ParquetReadRequest(Schema requestedSchema, boolean withRowIndex, int batchRows, IntPredicate rowGroupFilter) {
        this(requestedSchema, withRowIndex, batchRows, rowGroupFilter, null);
    }

    /** Every row group, default batch size. */
    public static ParquetReadRequest of(Schema requestedSchema, boolean withRowIndex) {
        return new ParquetReadRequest(requestedSchema, withRowIndex, DEFAULT_BATCH_ROWS, ordinal -> true);
    }
}
