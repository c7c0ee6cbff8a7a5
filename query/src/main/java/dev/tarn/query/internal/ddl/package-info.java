/**
 * The statement front end for what Calcite's grammar lacks: Spark's schema and table DDL, SHOW, DESCRIBE and USE.
 * {@link dev.tarn.query.internal.ddl.DdlParser} (hand-written tokenizer and recursive descent) recognizes them and
 * returns empty for anything else, which goes to the SQL engine; {@link dev.tarn.query.internal.ddl.DdlExecutor}
 * runs them against the lake. CREATE TABLE AS SELECT writes its data and commits version 0 with protocol,
 * metadata and adds in one commit, so the table appears only if the whole statement succeeds.
 */
package dev.tarn.query.internal.ddl;
