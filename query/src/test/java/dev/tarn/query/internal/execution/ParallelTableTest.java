package dev.tarn.query.internal.execution;

import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.Session;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the test classes that run against one lake holding the eight-file table {@link ParallelTables}, with a
 * database of four worker threads and one session. Closing the database at the end fails on leaked Arrow memory, which
 * a worker still running (after a cancel, a timeout or a failed query) would hold.
 */
abstract class ParallelTableTest {
    @TempDir
    static Path lake;

    static Database db;
    static Session session;

    @BeforeAll
    static void createTable() {
        db = Database.open(DatabaseConfig.of(lake).withThreads(4));
        session = db.newSession();
        ParallelTables.create(session);
    }

    @AfterAll
    static void closeLake() {
        session.close();
        db.close();
    }
}
