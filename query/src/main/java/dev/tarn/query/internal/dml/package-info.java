/**
 * Row-level DML on Delta tables: {@link dev.tarn.query.internal.dml.RowLevelWrite} (deletion vectors or
 * copy-on-write, row ids kept through the materialized row-tracking columns, change data files, conflict-checked
 * commit) and the statements built on it, DELETE, UPDATE, TRUNCATE, INSERT OVERWRITE and INSERT INTO ... REPLACE
 * WHERE ({@link dev.tarn.query.internal.dml.DmlStatement}). Statements find their rows with ordinary queries over
 * the target's {@code _metadata.file_path} and {@code _metadata.row_index}; MERGE lives in the subpackage
 * {@code merge} and uses {@code RowLevelWrite} the same way.
 */
package dev.tarn.query.internal.dml;
