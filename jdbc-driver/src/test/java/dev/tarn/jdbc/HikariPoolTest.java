package dev.tarn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HikariCP pooling the embedded driver: validation, reuse, concurrent borrowers, and a clean shutdown. */
class HikariPoolTest {
    @TempDir
    Path lake;

    @Test
    void poolServesConcurrentWorkers() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:tarn:" + lake + ";create=true");
        config.setDriverClassName(TarnDriver.class.getName());
        config.setMaximumPoolSize(3);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(30_000);
        config.setPoolName("tarn-test");
        try (HikariDataSource ds = new HikariDataSource(config)) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("create table events (worker int, n int)");
            }
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int w = 0; w < 6; w++) {
                    int worker = w;
                    work.add(pool.submit(() -> {
                        for (int i = 0; i < 5; i++) {
                            try (Connection c = ds.getConnection();
                                 PreparedStatement ps = c.prepareStatement("insert into events values (?, ?)")) {
                                assertTrue(c.getAutoCommit());
                                ps.setInt(1, worker);
                                ps.setInt(2, i);
                                assertEquals(1, ps.executeUpdate());
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertTrue(ds.getHikariPoolMXBean().getTotalConnections() <= 3);
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*), count(distinct worker) from events")) {
                assertTrue(rs.next());
                assertEquals(30, rs.getLong(1));
                assertEquals(6, rs.getLong(2));
            }
            // A connection a borrower left read-only comes back writable: the pool resets it.
            try (Connection c = ds.getConnection()) {
                c.setReadOnly(true);
            }
            for (int i = 0; i < 3; i++) {
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute("insert into events values (99, " + i + ")");
                }
            }
        }
    }
}
