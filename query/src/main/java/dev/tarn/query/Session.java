package dev.tarn.query;

import java.util.List;

/**
 * One user's conversation with a {@link Database}: a current schema, settings, and at most one running statement.
 * Every statement is atomic: it commits completely or leaves every table as it was. Not thread-safe, except
 * {@link #cancel()}, which may be called from any thread.
 */
public interface Session extends AutoCloseable {

    /** Runs one SQL statement (no trailing {@code ;} needed). Errors are {@link dev.tarn.error.TarnException}s. */
    QueryResult execute(String sql);

    /** Runs one statement whose {@code ?} markers take {@code parameters} in order (JDBC value classes). */
    QueryResult execute(String sql, List<?> parameters);

    /** Parses and validates a statement once, for repeated execution with parameters. */
    PreparedQuery prepare(String sql);

    String currentSchema();

    /** Changes the current schema; {@code SCHEMA_NOT_FOUND} when it does not exist. */
    void setCurrentSchema(String schema);

    boolean isReadOnly();

    /** In read-only mode every statement that would write fails with {@code READ_ONLY}. */
    void setReadOnly(boolean readOnly);

    /**
     * An appender that bulk-loads rows into an existing table and commits them once, on close; see
     * {@link TableAppender}. {@code TABLE_NOT_FOUND} when the table does not exist, {@code READ_ONLY} in read-only
     * mode.
     */
    TableAppender appender(String schema, String table);

    /** The lake's catalog as this session sees it (for JDBC metadata, completion, {@code .tables}). */
    CatalogView catalog();

    /**
     * How long each statement may run before it is cancelled with {@code QUERY_CANCELLED} naming the limit
     * ({@code SET statement_timeout}); {@link java.time.Duration#ZERO}, the default, for no limit. The time counts
     * from the start of execution until the last row is produced or the result is closed.
     */
    void setStatementTimeout(java.time.Duration timeout);

    /** Cancels the running statement, if any; it fails with {@code QUERY_CANCELLED}. Callable from any thread. */
    void cancel();

    /**
     * The scan progress of the statement running now (files and rows read so far), or empty when none runs or the
     * session cannot tell. Callable from any thread.
     */
    default java.util.Optional<StatementProgress> progress() {
        return java.util.Optional.empty();
    }

    @Override
    void close();
}
