/**
 * Reading a Delta snapshot as Arrow batches: pushed filters become the log's skipping predicate (files) and a
 * row-group check (footer statistics); each file is read through FileIO with only the needed stored columns,
 * partition columns are filled from the log, deletion vectors drop rows by their row index, and the hidden
 * {@code _metadata} column ({@link dev.tarn.query.internal.scan.MetadataColumn}: file fields, row tracking's row ids
 * and commit versions) is computed from the log and the row index. Decoded deletion vectors are cached per database
 * ({@link dev.tarn.query.internal.scan.DeletionVectorCache}). A change data feed is read by
 * {@link dev.tarn.query.internal.scan.ChangeFeedOperator}: the same file scan per commit file, with a
 * {@link dev.tarn.query.internal.scan.RowSelection} choosing the changed rows, plus the change columns.
 */
package dev.tarn.query.internal.scan;
