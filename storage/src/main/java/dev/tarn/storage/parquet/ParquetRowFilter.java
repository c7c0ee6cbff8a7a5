package dev.tarn.storage.parquet;

import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A pre-filter an {@link ArrowParquetReader} may apply while it decodes: it decodes the filter's columns of a batch
 * first, asks the filter which rows to keep, and decodes the other columns only for those rows, skipping batches
 * where none is kept (late materialization). The reader may also return rows the filter would reject (it does when
 * a row group's columns cannot be decoded separately), so callers still apply their full predicate.
 */
public interface ParquetRowFilter {
    /** Indices (into the requested schema) of the columns {@link #select} reads. */
    int[] columns();

    /**
     * Writes the ascending positions of the rows of {@code batch} to keep into {@code selection} (at least
     * {@code rows} long) and returns how many there are. Only the vectors of {@link #columns()} are filled, with
     * {@code rows} values each.
     */
    int select(VectorSchemaRoot batch, int rows, int[] selection);
}
