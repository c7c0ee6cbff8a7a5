package dev.tarn.query.internal;

import static dev.tarn.query.internal.Lakes.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.Session;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OPTIMIZE racing INSERT and DELETE on threads of one process, many rounds: whatever interleaving happens, no row
 * is lost or duplicated. As in delta-spark, a blind append never conflicts with OPTIMIZE (its files were not read by
 * the rewrite), while DELETE and OPTIMIZE that touch the same file conflict and the loser fails with a retryable
 * conflict, leaving the table as the winner made it.
 */
class ConcurrentOptimizeTest {
    private static final Set<ErrorCode> CONFLICTS = Set.of(ErrorCode.CONCURRENT_MODIFICATION,
            ErrorCode.COMMIT_CONFLICT_RETRIES_EXHAUSTED);
    private static final int ROUNDS = 12;

    @TempDir
    Path dir;
    Database db;
    ExecutorService pool;

    @BeforeEach
    void open() {
        db = Database.open(DatabaseConfig.of(dir.resolve("lake")));
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        db.close();
    }

    private void run(Session s, String sql) {
        s.execute(sql).close();
    }

    private String one(String sql) {
        try (Session s = db.newSession()) {
            return rows(s.execute(sql)).get(0);
        }
    }

    /** Runs {@code sql}, retrying while it loses to a concurrent writer; returns how often it lost. */
    private static int untilCommitted(Session s, String sql) {
        for (int lost = 0; ; lost++) {
            try {
                s.execute(sql).close();
                return lost;
            } catch (TarnException e) {
                if (!CONFLICTS.contains(e.errorCode())) {
                    throw e;
                }
                if (lost > 50) {
                    throw e;
                }
            }
        }
    }

    @Test
    void insertsRacingOptimizeNeverConflictAndKeepEveryRow() throws Exception {
        try (Session s = db.newSession()) {
            run(s, "CREATE TABLE t (id BIGINT)");
            run(s, "INSERT INTO t VALUES (-1), (-2)");
            run(s, "INSERT INTO t VALUES (-3)");
        }
        AtomicInteger optimizeCommits = new AtomicInteger();
        Callable<Integer> inserts = () -> {
            try (Session s = db.newSession()) {
                for (int r = 0; r < ROUNDS; r++) {
                    // Appends are blind: they must never fail because of OPTIMIZE.
                    run(s, "INSERT INTO t VALUES (" + (r * 10) + "), (" + (r * 10 + 1) + ")");
                }
            }
            return 0;
        };
        Callable<Integer> optimizes = () -> {
            int lost = 0;
            try (Session s = db.newSession()) {
                for (int r = 0; r < ROUNDS; r++) {
                    lost += untilCommitted(s, "OPTIMIZE t");
                    optimizeCommits.incrementAndGet();
                }
            }
            return lost;
        };
        Future<Integer> a = pool.submit(inserts);
        Future<Integer> b = pool.submit(optimizes);
        a.get();
        int optimizeLost = b.get();

        long expectedSum = -6;
        for (int r = 0; r < ROUNDS; r++) {
            expectedSum += r * 20L + 1;
        }
        assertEquals("[" + (3 + 2 * ROUNDS) + "," + (3 + 2 * ROUNDS) + "," + expectedSum + "]",
                one("SELECT count(*), count(DISTINCT id), sum(id) FROM t"));
        assertEquals(0, optimizeLost, "an OPTIMIZE never conflicts with blind appends: it retries on top of them");
        assertEquals(ROUNDS, optimizeCommits.get());
        try (Session s = db.newSession()) {
            run(s, "OPTIMIZE t");
        }
        assertEquals(1, db.tableLog("default", "t").latestSnapshot().activeFiles().size());
        assertEquals("[" + (3 + 2 * ROUNDS) + "," + expectedSum + "]", one("SELECT count(*), sum(id) FROM t"));
    }

    @Test
    void deletesRacingOptimizeLoseNoRowAndDeleteEachRowOnce() throws Exception {
        int ids = 4 * ROUNDS;
        try (Session s = db.newSession()) {
            run(s, "CREATE TABLE t (id BIGINT)");
            for (int f = 0; f < 4; f++) {
                StringBuilder values = new StringBuilder();
                for (int i = f; i < ids; i += 4) {
                    values.append(values.length() == 0 ? "" : ", ").append("(").append(i).append(")");
                }
                run(s, "INSERT INTO t VALUES " + values);
            }
        }
        List<Integer> lost = new ArrayList<>();
        Callable<Integer> deletes = () -> {
            int l = 0;
            try (Session s = db.newSession()) {
                for (int r = 0; r < ROUNDS; r++) {
                    // Every round deletes the ids r*4 .. r*4+1: rows of two different files.
                    l += untilCommitted(s, "DELETE FROM t WHERE id = " + (r * 4) + " OR id = " + (r * 4 + 1));
                }
            }
            return l;
        };
        Callable<Integer> optimizes = () -> {
            int l = 0;
            try (Session s = db.newSession()) {
                for (int r = 0; r < ROUNDS; r++) {
                    l += untilCommitted(s, "OPTIMIZE t");
                }
            }
            return l;
        };
        Future<Integer> a = pool.submit(deletes);
        Future<Integer> b = pool.submit(optimizes);
        lost.add(a.get());
        lost.add(b.get());

        long expectedSum = 0;
        for (int i = 0; i < ids; i++) {
            if (i % 4 >= 2) {
                expectedSum += i;
            }
        }
        int remaining = ids / 2;
        assertEquals("[" + remaining + "," + remaining + "," + expectedSum + "]",
                one("SELECT count(*), count(DISTINCT id), sum(id) FROM t"), "conflicts lost: " + lost);
        assertEquals("[0]", one("SELECT count(*) FROM t WHERE id % 4 < 2"));
    }
}
