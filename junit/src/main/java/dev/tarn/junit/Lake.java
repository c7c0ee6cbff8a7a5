package dev.tarn.junit;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.jdbc.TarnDataSource;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test lake: a lake directory inside a temporary directory, open for the lake's lifetime (so connections share
 * one database), with every connection it handed out closed and the directory deleted when it closes. Its commits
 * are not forced to disk (the {@code sync=false} connection property): the lake does not outlive the test.
 */
@SuppressWarnings("deprecation") // CloseableResource: JUnit before 5.13 closes only these, later versions AutoCloseable
public final class Lake implements AutoCloseable, ExtensionContext.Store.CloseableResource {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Path temporaryDirectory;
    private final Path path;
    private final String url;
    private final TarnDataSource dataSource;
    private final List<Connection> connections = new ArrayList<>();
    private Connection anchor;
    private boolean closed;

    private Lake(Path temporaryDirectory, Path path) {
        this.temporaryDirectory = temporaryDirectory;
        this.path = path;
        this.url = "jdbc:tarn:" + path;
        this.dataSource = new TarnDataSource(url);
    }

    /** A new lake in a new temporary directory, with the given tables copied in ({@link TarnLake#copyFrom}). */
    public static Lake create(List<String> copyFrom) {
        Path tmp;
        try {
            tmp = Files.createTempDirectory("tarn-junit-");
            Files.createDirectories(tmp.resolve("lake"));
        } catch (IOException e) {
            throw new TarnException(ErrorCode.IO_ERROR, "Cannot create a temporary lake directory: " + e.getMessage(),
                    e);
        }
        Lake lake = new Lake(tmp, tmp.resolve("lake"));
        try {
            for (String spec : copyFrom) {
                int eq = spec.indexOf('=');
                Path source = Path.of(eq < 0 ? spec : spec.substring(eq + 1)).toAbsolutePath().normalize();
                String table = eq < 0 ? source.getFileName().toString() : spec.substring(0, eq).strip();
                lake.copyTable(source, table);
            }
            // The first connection opens the database and decides its settings: a lake deleted after the test
            // needs no fsync per commit, which is most of a small test's statement time.
            lake.anchor = new TarnDataSource(lake.url + ";sync=false").getConnection();
            return lake;
        } catch (SQLException | RuntimeException e) {
            lake.close();
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new TarnException(ErrorCode.IO_ERROR, "Cannot open test lake " + lake.path + ": " + e.getMessage(),
                    e);
        }
    }

    /** The lake directory. */
    public Path path() {
        return path;
    }

    /** The JDBC URL of the lake ({@code jdbc:tarn:/.../lake}). */
    public String url() {
        return url;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** A new connection, closed with the lake if the test does not close it first. */
    public synchronized Connection connect() throws SQLException {
        if (closed) {
            throw new SQLException("The test lake " + path + " is closed", "08003");
        }
        Connection c = dataSource.getConnection();
        connections.add(c);
        return c;
    }

    /**
     * Copies a Delta table directory (one with a {@code _delta_log}) into the lake as {@code table}
     * ({@code "name"} in schema {@code default}, or {@code "schema.name"}); usable while connections are open.
     */
    public void copyTable(Path source, String table) {
        requireNonNull(source, "source is null");
        requireNonNull(table, "table is null");
        String[] parts = table.split("\\.", -1);
        if (parts.length > 2 || !Stream.of(parts).allMatch(p -> NAME.matcher(p).matches())) {
            throw new TarnException(ErrorCode.INVALID_VALUE, "Table name '" + table
                    + "' must be name or schema.name (letters, digits, _); name the copy with \"schema.name=path\"");
        }
        String schema = parts.length == 2 ? parts[0].toLowerCase(Locale.ROOT) : "default";
        String name = parts[parts.length - 1].toLowerCase(Locale.ROOT);
        if (!Files.isDirectory(source.resolve("_delta_log"))) {
            throw new TarnException(ErrorCode.NOT_A_DELTA_TABLE,
                    "Cannot copy " + source + " into the test lake: it is not a Delta table (no _delta_log directory)");
        }
        Path target = path.resolve(schema).resolve(name);
        if (Files.exists(target)) {
            throw new TarnException(ErrorCode.TABLE_ALREADY_EXISTS,
                    "Cannot copy " + source + ": table " + schema + "." + name + " already exists in the test lake");
        }
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        } catch (IOException e) {
            throw new TarnException(ErrorCode.IO_ERROR, "Cannot copy table " + source + " to " + target + ": "
                    + e.getMessage(), e);
        }
    }

    /** Closes every connection the lake handed out, the lake's database, and deletes the directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        TarnException failure = null;
        List<Connection> all = new ArrayList<>(connections);
        if (anchor != null) {
            all.add(anchor);
        }
        for (Connection c : all) {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                if (failure == null) {
                    failure = new TarnException(ErrorCode.IO_ERROR, "Closing test lake " + path + " failed: "
                            + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        try {
            deleteRecursively(temporaryDirectory);
        } catch (IOException e) {
            if (failure == null) {
                failure = new TarnException(ErrorCode.IO_ERROR, "Cannot delete test lake " + temporaryDirectory
                        + ": " + e.getMessage(), e);
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public String toString() {
        return "Lake[" + path + "]";
    }
}
