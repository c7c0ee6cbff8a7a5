/**
 * Writing Arrow batches into a table's data files: Hive-style partition directories, ZSTD Parquet files rolled at a
 * target size, add actions with statistics. Committing is the caller's (a table handle's or a new table's) job.
 */
package dev.tarn.query.internal.write;
