package dev.tarn.query.internal.sql;

/**
 * The SQL engine behind every statement the DDL front end does not handle itself (queries and INSERT): Calcite
 * parses, validates and optimizes; the result is converted into Tarn's own operators.
 */
public interface SqlEngine {
    /** Parses, validates and plans; errors are TarnExceptions naming the problem and its position. */
    PlannedStatement plan(String sql, SessionState session);

    /** The one table of the catalog {@link #warmUp} gets: {@code id INT, kind STRING, amount DOUBLE, created DATE}. */
    String WARM_UP_TABLE = "warmup";

    /**
     * Loads and initializes what planning a first query needs (a cold JVM spends hundreds of milliseconds on it), so
     * a background thread can do it while the first statements run. The session's catalog is a stand-in whose
     * default schema holds only {@link #WARM_UP_TABLE}, which may be planned against but is never read; the
     * warm-up changes nothing. Engines without such start-up cost do nothing.
     */
    default void warmUp(SessionState session) {}
}
