package dev.tarn.query;

import dev.tarn.query.internal.DatabaseImpl;

/**
 * An open lake: a directory whose sub-directories are schemas holding Delta tables ({@code <lake>/<schema>/<table>}).
 * Thread-safe; open one per lake per JVM and hand out {@link Session}s.
 */
public interface Database extends AutoCloseable {

    static Database open(DatabaseConfig config) {
        return DatabaseImpl.open(config);
    }

    DatabaseConfig config();

    /** A new session whose current schema is {@code default}. */
    Session newSession();

    /**
     * The transaction log of the lake's table {@code schema.table} (names matched ignoring case), read and committed
     * through its managing catalog when it has one: for maintenance tools such as {@code tarn optimize}, which run
     * the maintenance tasks on it. {@code TABLE_NOT_FOUND} when there is no such table.
     */
    dev.tarn.txlog.TableLog tableLog(String schema, String table);

    /** The transaction log of the Delta table at {@code location} (any directory); {@code TABLE_NOT_FOUND} if none. */
    dev.tarn.txlog.TableLog tableLogAt(String location);

    @Override
    void close();
}
