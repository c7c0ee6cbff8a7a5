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

    /**
     * Starts now, on a daemon thread, the one-time warm-up the first lake opened in a JVM would start (it loads and
     * initializes the storage and SQL engine classes a first statement needs while the caller goes on): for
     * applications and drivers that are about to open a lake and have set-up of their own to do first. Does nothing
     * when the warm-up already ran or {@code -Dtarn.warmup=false}.
     */
    static void startWarmup() {
        DatabaseImpl.startWarmup();
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
