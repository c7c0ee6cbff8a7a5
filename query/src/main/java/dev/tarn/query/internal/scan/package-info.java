/**
 * Reading a Delta snapshot as Arrow batches: pushed filters become the log's skipping predicate (files) and a
 * row-group check (footer statistics); each file is read through FileIO with only the needed stored columns,
 * partition columns are filled from the log, and deletion vectors drop rows by their row index.
 */
package dev.tarn.query.internal.scan;
