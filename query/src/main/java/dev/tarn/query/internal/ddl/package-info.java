/**
 * The statement front end for what Calcite's grammar lacks: Spark's schema and table DDL, SHOW, DESCRIBE (also
 * DESCRIBE HISTORY and DESCRIBE DETAIL), SET TIME ZONE, USE, and the maintenance statements CHECKPOINT, OPTIMIZE,
 * REORG TABLE ... APPLY (PURGE), VACUUM (with its session-scoped retention-check SET) and ALTER TABLE ... CLUSTER BY,
 * which run the tasks of {@code dev.tarn.maintenance}. {@link dev.tarn.query.internal.ddl.DdlParser}
 * (hand-written tokenizer and recursive descent) recognizes them and returns empty for anything else, which goes to
 * the SQL engine after {@link dev.tarn.query.internal.ddl.TimeTravelSyntax} has folded {@code VERSION AS OF} /
 * {@code TIMESTAMP AS OF} into Delta's {@code t@v3} table-name suffix and
 * {@link dev.tarn.query.internal.ddl.ChangeFeedSyntax} has turned {@code table_changes(...)} calls into
 * {@code t@changes:v2:v5} names; {@link dev.tarn.query.internal.ddl.DdlExecutor}
 * runs them against the lake. CREATE TABLE AS SELECT writes its data and commits version 0 with protocol,
 * metadata and adds in one commit, so the table appears only if the whole statement succeeds.
 */
package dev.tarn.query.internal.ddl;
