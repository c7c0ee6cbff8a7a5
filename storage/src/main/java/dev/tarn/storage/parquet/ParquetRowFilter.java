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
    /** The columns of a batch as a filter asks for them ({@link #select(Columns, int, int[])}). */
    interface Columns {
        /**
         * Column {@code c} (one of {@link #columns()}) staged. The first call decodes it, and may leave undefined
         * the values of rows outside {@code selection[0..count)} (ascending; null for every row): a filter asks
         * with the rows it still keeps, so values of rows already dropped need not be looked up. Later calls return
         * the same staging.
         */
        StagedColumn column(int c, int[] selection, int count);
    }

    /**
     * As {@link #select(StagedColumn[], int, int[])}, asking for each column when it needs it, with the rows it
     * still keeps; by default it asks for every column first.
     */
    default int select(Columns columns, int rows, int[] selection) {
        int[] wanted = columns();
        int size = 0;
        for (int c : wanted) {
            size = Math.max(size, c + 1);
        }
        StagedColumn[] staged = new StagedColumn[size];
        for (int c : wanted) {
            staged[c] = columns.column(c, null, rows);
        }
        return select(staged, rows, selection);
    }
}
