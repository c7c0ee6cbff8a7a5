package dev.tarn.query.internal.ddl;

import dev.tarn.query.internal.sql.SessionState;

/** What running DDL needs from the session. */
public interface DdlSession {
    String currentSchema();

    /** {@code USE}: changes the current schema, failing with SCHEMA_NOT_FOUND. */
    void setCurrentSchema(String schema);

    /** {@code SET TIME ZONE}: the zone for zone-less timestamps, TIMESTAMP display and time travel literals. */
    void setTimeZone(java.time.ZoneId zone);

    /** {@code SET threads}: how many worker threads this session's queries use. */
    void setThreads(int threads);

    /** {@code SET memory_limit}: this session's per-query memory limit in bytes ({@code Long.MAX_VALUE}: none). */
    void setMemoryLimit(long bytes);

    /** {@code SET statement_timeout}: how long each statement may run; {@link java.time.Duration#ZERO} for no limit. */
    void setStatementTimeout(java.time.Duration timeout);

    /** For planning the query of CREATE TABLE AS SELECT. */
    SessionState sqlState();
}
