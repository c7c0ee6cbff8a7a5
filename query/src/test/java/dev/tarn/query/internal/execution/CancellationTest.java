package dev.tarn.query.internal.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.QueryResult;
import dev.tarn.query.Session;
import dev.tarn.query.internal.Lakes;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Session#cancel()} from another thread stops a long query running on several workers: the statement fails
 * with QUERY_CANCELLED, every worker stops (closing the database checks that no memory is left behind), and the
 * session's next statement runs normally.
 */
class CancellationTest {
    /** About 80 000 x 8 000 joined rows: seconds of work however fast the join gets, far longer than the wait. */
    private static final String LONG_QUERY =
            "SELECT a.grp, count(*), sum(b.amount) FROM t a JOIN t b ON a.id % 10 = b.id % 10 GROUP BY a.grp";

    @TempDir
    static Path lake;

    private static Database db;
    private static Session session;

    @BeforeAll
    static void createTable() {
        db = Database.open(DatabaseConfig.of(lake).withThreads(4));
        session = db.newSession();
        ParallelTables.create(session);
    }

    @AfterAll
    static void close() {
        session.close();
        db.close(); // fails on leaked Arrow memory, which a worker still running would hold
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 4})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void cancelStopsAllWorkersAndTheSessionGoesOn(int threads) throws Exception {
        session.execute("SET threads = " + threads).close();
        CountDownLatch started = new CountDownLatch(1);
        Thread canceller = new Thread(() -> {
            try {
                started.await();
                // Cancel once the scans are under way (or after a while, should progress never show).
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (System.nanoTime() < deadline
                        && session.progress().map(p -> p.rowsRead()).orElse(0L) == 0) {
                    Thread.sleep(10);
                }
                Thread.sleep(200);
                session.cancel();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        canceller.start();
        started.countDown();
        TarnException e = assertThrows(TarnException.class, () -> {
            try (QueryResult r = session.execute(LONG_QUERY)) {
                while (r.nextBatch() != null) {
                    // drain
                }
            }
        });
        canceller.join();
        assertEquals(ErrorCode.QUERY_CANCELLED, e.errorCode(), e.getMessage());
        assertEquals(1, Lakes.rows(session.execute("SELECT count(*) FROM t")).size());
    }
}
