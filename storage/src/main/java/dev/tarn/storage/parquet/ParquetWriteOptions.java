package dev.tarn.storage.parquet;

/**
 * How {@link ArrowParquetWriter} lays out a file.
 *
 * @param zstdLevel ZSTD compression level for every page
 * @param rowGroupSizeBytes a row group is closed once its buffered size reaches this many bytes
 * @param pageSizeBytes target size of one data page
 * @param maxStatsLeafColumns statistics are reported for the first this-many leaf columns, depth-first
 */
public record ParquetWriteOptions(int zstdLevel, long rowGroupSizeBytes, int pageSizeBytes, int maxStatsLeafColumns) {
    public ParquetWriteOptions {
        if (zstdLevel < -7 || zstdLevel > 22) {
            throw new IllegalArgumentException("zstdLevel must be between -7 and 22: " + zstdLevel);
        }
        if (rowGroupSizeBytes <= 0) {
            throw new IllegalArgumentException("rowGroupSizeBytes must be positive: " + rowGroupSizeBytes);
        }
        if (pageSizeBytes <= 0) {
            throw new IllegalArgumentException("pageSizeBytes must be positive: " + pageSizeBytes);
        }
        if (maxStatsLeafColumns < 0) {
            throw new IllegalArgumentException("maxStatsLeafColumns is negative: " + maxStatsLeafColumns);
        }
    }

    /** ZSTD level 3, 128 MiB row groups, 1 MiB pages, statistics for 32 leaf columns (Delta's default). */
    public static ParquetWriteOptions defaults() {
        return new ParquetWriteOptions(3, 128L * 1024 * 1024, 1024 * 1024, 32);
    }

    public ParquetWriteOptions withRowGroupSizeBytes(long bytes) {
        return new ParquetWriteOptions(zstdLevel, bytes, pageSizeBytes, maxStatsLeafColumns);
    }

    public ParquetWriteOptions withPageSizeBytes(int bytes) {
        return new ParquetWriteOptions(zstdLevel, rowGroupSizeBytes, bytes, maxStatsLeafColumns);
    }

    public ParquetWriteOptions withMaxStatsLeafColumns(int columns) {
        return new ParquetWriteOptions(zstdLevel, rowGroupSizeBytes, pageSizeBytes, columns);
    }
}
