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
 * @param batchRows rows decoded per batch, the most a batch returns without a row filter; with one that keeps
 *     few rows the reader decodes up to eight times as many per batch, so that its batches keep about a quarter of
 *     this (a batch may then return more than this, up to eight times, when the kept fraction rises)
 * @param rowGroupFilter receives each row group's ordinal; row groups it rejects are not read
 * @param rowFilter rows the reader may leave out (see {@link ParquetRowFilter}), or null to return every row
 * @param part which of {@code parts} consecutive row ranges of the file to read, from 0
 * @param parts how many row ranges the file is split into (1 reads it whole): readers of parts {@code 0..parts-1}
 *     of the same file with the same requested schema together return every row once, in file order. The
 *     reader cuts the file at row-group boundaries, or inside a row group at page boundaries (from the offset
 *     index) when every requested column is decoded page by page, so parallel workers can share one file.
 * @param pageFilter null, or told the statistics of single pages (from the column index: a {@link RowGroupInfo} of
 *     the page's rows holding one column's page statistics; its ordinal is the row group's): in a row group whose
 *     columns are all decoded page by page, the reader leaves out the leading and trailing rows whose pages of some
 *     requested column it rejects (it may still return rows of rejected pages between accepted ones)
 * @param dictionaries null, or where the readers of the parts of a file share its decoded dictionary pages (see
 *     {@link DictionaryCache}); used only when the file is read in parts
 */
public record ParquetReadRequest(Schema requestedSchema, boolean withRowIndex, int batchRows, IntPredicate rowGroupFilter,
                                 ParquetRowFilter rowFilter, int part, int parts,
                                 java.util.function.Predicate<RowGroupInfo> pageFilter, DictionaryCache dictionaries) {
    public static final int DEFAULT_BATCH_ROWS = 4096;

    public ParquetReadRequest {
        requireNonNull(requestedSchema, "requestedSchema is null");
        requireNonNull(rowGroupFilter, "rowGroupFilter is null");
        if (batchRows <= 0) {
            throw new IllegalArgumentException("batchRows must be positive: " + batchRows);
        }
        if (parts < 1 || part < 0 || part >= parts) {
            throw new IllegalArgumentException("part " + part + " of " + parts + " is not a part");
        }
        if (rowFilter != null) {
            for (int c : rowFilter.columns()) {
                if (c < 0 || c >= requestedSchema.getFields().size()) {
                    throw new IllegalArgumentException("Row filter column " + c + " is not requested");
                }
            }
        }
    }

    /** The whole file. */
    public ParquetReadRequest(Schema requestedSchema, boolean withRowIndex, int batchRows, IntPredicate rowGroupFilter,
                              ParquetRowFilter rowFilter) {
        this(requestedSchema, withRowIndex, batchRows, rowGroupFilter, rowFilter, 0, 1, null, null);
    }

    /** This request restricted to part {@code part} of {@code parts} of the file. */
    public ParquetReadRequest withPart(int part, int parts) {
        return new ParquetReadRequest(requestedSchema, withRowIndex, batchRows, rowGroupFilter, rowFilter, part, parts,
                pageFilter, dictionaries);
    }

    /** This request with {@code pageFilter} (see the record's description). */
    public ParquetReadRequest withPageFilter(java.util.function.Predicate<RowGroupInfo> pageFilter) {
        return new ParquetReadRequest(requestedSchema, withRowIndex, batchRows, rowGroupFilter, rowFilter, part, parts,
                pageFilter, dictionaries);
    }

    /** This request with its part readers sharing decoded dictionaries through {@code dictionaries}. */
    public ParquetReadRequest withDictionaries(DictionaryCache dictionaries) {
        return new ParquetReadRequest(requestedSchema, withRowIndex, batchRows, rowGroupFilter, rowFilter, part, parts,
                pageFilter, dictionaries);
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
