/**
 * Reading a Delta snapshot as Arrow batches: pushed filters become the log's skipping predicate (files) and a
 * row-group check (footer statistics); each file is read through FileIO with only the needed stored columns,
 * partition columns are filled from the log, deletion vectors drop rows by their row index, and the hidden
 * {@code _metadata} column ({@link dev.tarn.query.internal.scan.MetadataColumn}: file fields, row tracking's row ids
 * and commit versions) is computed from the log and the row index.
 */
package dev.tarn.query.internal.scan;
