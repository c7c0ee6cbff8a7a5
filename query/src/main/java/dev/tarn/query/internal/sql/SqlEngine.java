package dev.tarn.query.internal.sql;

/**
 * The SQL engine behind every statement the DDL front end does not handle itself (queries and INSERT): Calcite
 * parses, validates and optimizes; the result is converted into Tarn's own operators.
 */
public interface SqlEngine {
    /** Parses, validates and plans; errors are TarnExceptions naming the problem and its position. */
    PlannedStatement plan(String sql, SessionState session);
}
