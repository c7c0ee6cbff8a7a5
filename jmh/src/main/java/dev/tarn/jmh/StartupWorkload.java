package dev.tarn.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The start-up workload that {@link ColdStart} and {@link StartupBenchmark} time, as a test using Tarn would run
 * it: open a lake through JDBC, create a table, insert 1,000 rows with one multi-row INSERT, query them.
 */
final class StartupWorkload {
    static final int ROWS = 1_000;
    static final String CREATE = "create table events (id int, kind string, amount double)";
    static final String INSERT = insert();
    static final String QUERY = "select count(*) as n, sum(id) as total from events where amount >= 0";
    /** The steps {@link #run} marks the end of. */
    static final String[] STEPS = {"create", "insert", "query"};

    private StartupWorkload() {}

    private static String insert() {
        StringBuilder sb = new StringBuilder("insert into events values ");
        for (int i = 0; i < ROWS; i++) {
            sb.append(i == 0 ? "" : ", ").append('(').append(i).append(", 'kind").append(i % 7).append("', ")
                    .append(i * 0.5).append(')');
        }
        return sb.toString();
    }

    /** A JDBC URL that creates the lake directory when missing. */
    static String url(Path lake) {
        return "jdbc:tarn:" + lake + ";create=true";
    }

    static Connection connect(Path lake) throws SQLException {
        return connect(lake, true);
    }

    /** With {@code sync} false, a throw-away lake whose commits skip fsync, as the JUnit extension opens it. */
    static Connection connect(Path lake, boolean sync) throws SQLException {
        return DriverManager.getConnection(sync ? url(lake) : url(lake) + ";sync=false");
    }

    /**
     * Creates, fills and queries the table; returns the row count of the first (only) result row. When
     * {@code stepEnds} is given, {@link System#nanoTime} after each of {@link #STEPS} goes into it.
     */
    static long run(Connection c, long[] stepEnds) throws SQLException {
        return run(c, stepEnds, null);
    }

    /** As {@link #run(Connection, long[])}, calling {@code atFirstRow} (when given) right after the first row. */
    static long run(Connection c, long[] stepEnds, Runnable atFirstRow) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(CREATE);
            mark(stepEnds, 0);
            int inserted = s.executeUpdate(INSERT);
            if (inserted != ROWS) {
                throw new IllegalStateException("inserted " + inserted + " rows, expected " + ROWS);
            }
            mark(stepEnds, 1);
            try (ResultSet rs = s.executeQuery(QUERY)) {
                if (!rs.next()) {
                    throw new IllegalStateException("the query returned no row");
                }
                long n = rs.getLong(1);
                mark(stepEnds, 2);
                if (atFirstRow != null) {
                    atFirstRow.run();
                }
                long total = rs.getLong(2);
                if (n != ROWS || total != (long) ROWS * (ROWS - 1) / 2) {
                    throw new IllegalStateException("unexpected result: n=" + n + ", total=" + total);
                }
                return n;
            }
        }
    }

    private static void mark(long[] stepEnds, int step) {
        if (stepEnds != null) {
            stepEnds[step] = System.nanoTime();
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
