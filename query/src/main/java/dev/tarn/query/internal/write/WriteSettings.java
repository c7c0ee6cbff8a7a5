package dev.tarn.query.internal.write;

/**
 * How tables are written and read.
 *
 * @param targetFileSizeBytes a data file is closed (rolled) once about this many bytes of Arrow data went into it
 * @param rowGroupSizeBytes a Parquet row group is closed once its buffered size reaches this
 * @param batchRows rows per batch when reading Parquet files
 */
public record WriteSettings(long targetFileSizeBytes, long rowGroupSizeBytes, int batchRows) {
    public static final WriteSettings DEFAULTS = new WriteSettings(128L * 1024 * 1024, 128L * 1024 * 1024, 8192);

    public WriteSettings {
        if (targetFileSizeBytes <= 0) {
            throw new IllegalArgumentException("targetFileSizeBytes must be positive");
        }
        if (rowGroupSizeBytes <= 0) {
            throw new IllegalArgumentException("rowGroupSizeBytes must be positive");
        }
        if (batchRows <= 0) {
            throw new IllegalArgumentException("batchRows must be positive");
        }
    }
}
