package dev.tarn.storage.parquet;

/**
 * A pre-filter an {@link ArrowParquetReader} may apply while it decodes: it decodes the filter's columns of a batch
 * into heap staging first, asks the filter which rows to keep, and writes only those rows to Arrow, decoding the
 * other columns only when some row is kept (late materialization). The reader may also return rows the filter would
 * reject (it does when a row group's columns cannot be decoded separately); it then says so
 * ({@link ArrowParquetReader#lastBatchFiltered()}) and the caller filters that batch.
 */
public interface ParquetRowFilter {
    /** Indices (into the requested schema) of the columns {@link #select} reads. */
    int[] columns();

    /**
     * Writes the ascending positions of the rows to keep into {@code selection} (at least {@code rows} long) and
     * returns how many there are. {@code columns[c]} holds the staged values of each column {@code c} of
     * {@link #columns()}, {@code rows} rows each (other entries are null).
     */
    int select(StagedColumn[] columns, int rows, int[] selection);
}
