/**
 * Parquet files as Arrow batches, without Hadoop: {@link dev.tarn.storage.parquet.ArrowParquetWriter} writes Arrow
 * batches in Spark's layout and returns {@link dev.tarn.storage.parquet.DataFileStatistics};
 * {@link dev.tarn.storage.parquet.ArrowParquetReader} reads projected columns (by name or field id) column by
 * column, skips row groups and can append each row's position in the file. Internals live in {@code internal}.
 */
package dev.tarn.storage.parquet;
