package dev.tarn.query.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.Session;
import dev.tarn.query.internal.sql.PlannedStatement;
import dev.tarn.query.internal.sql.SessionState;
import dev.tarn.query.internal.sql.SqlEngine;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.testdata.CountingFileIO;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineWarmupTest {
    @TempDir
    Path dir;

    @BeforeEach
    void allowWarmup() {
        EngineWarmup.forgetStarted();
    }

    @AfterEach
    void clearProperty() {
        System.clearProperty(EngineWarmup.PROPERTY);
    }

    /** An engine whose warm-up takes a while, as loading Calcite does in a cold JVM, and counts its calls. */
    private static final class SlowWarmupEngine implements SqlEngine {
        final AtomicInteger warmUps = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        final RuntimeException failure;

        SlowWarmupEngine(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public PlannedStatement plan(String sql, SessionState session) {
            throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT, "this engine plans nothing");
        }

        @Override
        public void warmUp(SessionState session) {
            warmUps.incrementAndGet();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished.incrementAndGet();
            if (failure != null) {
                throw failure;
            }
        }
    }

    private static boolean warmupThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(EngineWarmup.THREAD_NAME) && t.isAlive());
    }

    @Test
    void closingRightAfterOpenLeavesNoWarmupThread() {
        SlowWarmupEngine engine = new SlowWarmupEngine(null);
        Database db = DatabaseImpl.open(DatabaseConfig.of(dir), () -> engine);
        db.close();
        assertFalse(warmupThreadAlive(), "the warm-up thread outlived close()");
        assertEquals(1, engine.finished.get(), "close() returned while the warm-up was still running");
    }

    @Test
    void theFirstLakeTakesOnAWarmupStartedBeforeItOpened() {
        // The JDBC driver starts the warm-up when it connects; the lake it then opens waits for it when closing.
        Database.startWarmup();
        SlowWarmupEngine engine = new SlowWarmupEngine(null);
        Database db = DatabaseImpl.open(DatabaseConfig.of(dir), () -> engine);
        db.close();
        assertFalse(warmupThreadAlive(), "the early warm-up outlived the lake that took it on");
        assertEquals(0, engine.warmUps.get(), "the JVM warmed up twice");
    }

    @Test
    void onlyTheFirstLakeOfTheJvmWarmsUp() {
        SlowWarmupEngine first = new SlowWarmupEngine(null);
        SlowWarmupEngine second = new SlowWarmupEngine(null);
        try (Database a = DatabaseImpl.open(DatabaseConfig.of(dir.resolve("a")),
                () -> first);
             Database b = DatabaseImpl.open(DatabaseConfig.of(dir.resolve("b")),
                     () -> second)) {
            assertTrue(a.config().lake().endsWith("a") && b.config().lake().endsWith("b"));
        }
        assertEquals(1, first.warmUps.get());
        assertEquals(0, second.warmUps.get());
        assertFalse(warmupThreadAlive());
    }

    @Test
    void aFailedWarmupDoesNotBreakTheLake() {
        SlowWarmupEngine engine = new SlowWarmupEngine(new TarnException(ErrorCode.INTERNAL_ERROR, "warm-up failed"));
        try (Database db = DatabaseImpl.open(DatabaseConfig.of(dir), () -> engine)) {
            Session s = db.newSession();
            s.execute("CREATE TABLE t (a INT)").close();
            assertEquals(1, Lakes.rows(s.execute("SHOW TABLES")).size());
        }
        assertEquals(1, engine.finished.get());
        assertFalse(warmupThreadAlive());
    }

    @Test
    void calcitePlansTheWarmupQueriesOverTheStandInTable() {
        // The warm-up swallows errors (it is only a warm-up), so a query that stopped planning would go unnoticed.
        assertDoesNotThrow(() -> new dev.tarn.query.internal.sql.CalciteSqlEngine().warmUp(EngineWarmup.SESSION));
        PlannedStatement plan = new dev.tarn.query.internal.sql.CalciteSqlEngine()
                .plan("SELECT kind, COUNT(*) FROM " + SqlEngine.WARM_UP_TABLE + " GROUP BY kind", EngineWarmup.SESSION);
        assertEquals(2, plan.columns().size());
        assertThrows(TarnException.class, () -> EngineWarmup.TABLE.scan(new int[] {0}, List.of()),
                "the stand-in table is never read");
        // The query it runs in memory: rows with c >= 0 are a = 1 and a = 2, one group each for a % 2.
        assertEquals(2, EngineWarmup.execute(new dev.tarn.query.internal.sql.CalciteSqlEngine()));
    }

    @Test
    void systemPropertyTurnsItOff() {
        System.setProperty(EngineWarmup.PROPERTY, "false");
        SlowWarmupEngine engine = new SlowWarmupEngine(null);
        try (Database db = DatabaseImpl.open(DatabaseConfig.of(dir), () -> engine)) {
            assertFalse(warmupThreadAlive());
        }
        assertEquals(0, engine.warmUps.get());
    }

    @Test
    void theWarmupNeverTouchesTheLake() {
        // A counting (or fault-injecting) FileIO must see only the user's statements.
        CountingFileIO io = new CountingFileIO(new LocalFileIO());
        try (Database db = DatabaseImpl.open(DatabaseConfig.of(dir).withFileIO(io))) {
            assertTrue(db.config().fileIO() == io);
        }
        assertEquals(0, io.listCalls() + io.createCalls() + io.deleteCalls() + io.openedFiles().size());
    }

    @Test
    void statementsRunWhileTheCalciteEngineWarmsUp() {
        // The real engine: CREATE and a literal INSERT run while the warm-up plans; the query sees the rows.
        try (Database db = Database.open(DatabaseConfig.of(dir))) {
            Session s = db.newSession();
            s.execute("CREATE TABLE t (id INT, kind STRING)").close();
            s.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'a')").close();
            assertEquals(List.of("[\"a\",2]", "[\"b\",1]"), Lakes.sorted(Lakes.rows(
                    s.execute("SELECT kind, COUNT(*) FROM t GROUP BY kind"))));
        }
        assertFalse(warmupThreadAlive());
    }
}
