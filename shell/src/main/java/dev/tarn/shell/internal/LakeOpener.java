package dev.tarn.shell.internal;

import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.Session;
import java.nio.file.Path;

/** Opens the lake a command works on (created when absent) and a session on it, closed together. */
public final class LakeOpener implements AutoCloseable {
    private final Database database;
    private final Session session;

    private LakeOpener(Database database, Session session) {
        this.database = database;
        this.session = session;
    }

    public static LakeOpener open(Path lake, String schema) {
        Database db = Database.open(DatabaseConfig.of(lake));
        Session s = null;
        try {
            s = db.newSession();
            if (schema != null) {
                s.setCurrentSchema(schema);
            }
            return new LakeOpener(db, s);
        } catch (RuntimeException e) {
            try {
                if (s != null) {
                    s.close();
                }
                db.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    public Session session() {
        return session;
    }

    @Override
    public void close() {
        try {
            session.close();
        } finally {
            database.close();
        }
    }
}
