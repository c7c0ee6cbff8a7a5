package dev.tarn.jdbc;

import java.util.Locale;

/**
 * The connection properties Tarn's driver understands, given in the URL ({@code jdbc:tarn:/lake;schema=sales}) or in
 * the {@link java.util.Properties} passed to {@link java.sql.DriverManager#getConnection}; the URL wins when both set a
 * key. Keys are case-insensitive. Unknown keys (for example {@code user} and {@code password}, which tools always send)
 * are ignored.
 */
public enum TarnConnectionProperty {
    SCHEMA("schema", "default", "The current schema of a new connection."),
    READ_ONLY("read_only", "false", "true makes every statement that would write fail with READ_ONLY."),
    TIME_ZONE("time_zone", "UTC",
            "Zone in which TIMESTAMP values (instants) are shown as java.sql.Timestamp wall-clock values and in which "
                    + "TIMESTAMP parameters are read. TIMESTAMP_NTZ values are never shifted."),
    THREADS("threads", null, "Worker threads per query on this connection (its session's SET threads); default: "
            + "the number of processors."),
    MEMORY_LIMIT("memory_limit", null, "Per-query memory limit on this connection (its session's SET memory_limit) "
            + "in bytes, or with a suffix k, m, g (1024-based); default: none."),
    STATEMENT_TIMEOUT("statement_timeout", "0", "How long each statement on this connection may run before it is "
            + "cancelled (its session's SET statement_timeout): milliseconds, or a number with a unit ms, s, min or h "
            + "such as 30s; 0 for no limit. Unlike Statement.setQueryTimeout it also works through the Avatica "
            + "remote driver against tarn serve (given in the connection Properties, which that driver forwards), "
            + "which does not send query timeouts to the server."),
    CREATE("create", null, "Create the lake directory when missing. Default false for a path (a missing lake is "
            + "LAKE_NOT_FOUND), true for mem: lakes."),
    NESTED_AS_JSON("nested_as_json", "false", "true returns ARRAY, STRUCT and MAP columns as JSON text (VARCHAR) for "
            + "tools that cannot handle java.sql.Array, java.sql.Struct or java.util.Map values."),
    SYNC("sync", null, "false writes commits without forcing them to disk (no fsync): for throw-away lakes such as "
            + "test lakes, where the fsync per commit is most of a small statement's time; a machine crash may then "
            + "lose recent commits. The first connection to a lake decides. Default true for a path, false for mem: "
            + "lakes.");

    private final String key;
    private final String defaultValue;
    private final String description;

    TarnConnectionProperty(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() {
        return key;
    }

    /** The default as text, or null when the default depends on the lake or the machine (see the description). */
    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** The property for a key, ignoring case; null when the key is not Tarn's. */
    public static TarnConnectionProperty forKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        for (TarnConnectionProperty p : values()) {
            if (p.key.equals(k)) {
                return p;
            }
        }
        return null;
    }
}
