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

    @Override
    void close();
}
