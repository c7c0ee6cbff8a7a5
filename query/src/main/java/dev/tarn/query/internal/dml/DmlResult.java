package dev.tarn.query.internal.dml;

/**
 * What one row-level write committed.
 *
 * @param version the committed table version, or -1 when nothing changed and nothing was committed
 * @param deletedRows rows marked deleted (by deletion vector, rewrite or whole-file remove)
 * @param insertedRows rows written into new data files by the statement (not rows copied by a rewrite)
 * @param copiedRows rows copied unchanged into new files by copy-on-write rewrites
 * @param removedFiles data files removed outright or rewritten
 * @param deletionVectors data files that got a new deletion vector
 * @param addedFiles new data files (inserted and rewritten)
 * @param bytesWritten bytes of new data, change-data and deletion-vector files
 */
public record DmlResult(long version, long deletedRows, long insertedRows, long copiedRows, long removedFiles,
                        long deletionVectors, long addedFiles, long bytesWritten) {
}
