package dev.tarn.query.internal.catalog;

/**
 * How tables are written.
 *
 * @param targetFileSizeBytes a data file is closed (rolled) once it holds about this many bytes
 * @param batchRows rows per batch when reading Parquet files
 */
public record WriteSettings(long targetFileSizeBytes, int batchRows) {
    public static final WriteSettings DEFAULTS = new WriteSettings(128L * 1024 * 1024, 8192);

    public WriteSettings {
        if (targetFileSizeBytes <= 0) {
            throw new IllegalArgumentException("targetFileSizeBytes must be positive");
        }
        if (batchRows <= 0) {
            throw new IllegalArgumentException("batchRows must be positive");
        }
    }
}
