package dev.tarn.query.internal.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.QueryResult;
import dev.tarn.query.internal.Lakes;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Session#cancel()} from another thread stops a long query running on several workers: the statement fails
 * with QUERY_CANCELLED, every worker stops (closing the database checks that no memory is left behind), and the
 * session's next statement runs normally.
 */
class CancellationTest extends ParallelTableTest {
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
            try (QueryResult r = session.execute(ParallelTables.LONG_QUERY)) {
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
