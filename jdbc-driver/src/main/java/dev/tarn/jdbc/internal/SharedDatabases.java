package dev.tarn.jdbc.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.jdbc.internal.ConnectionSettings.DirectoryLake;
import dev.tarn.jdbc.internal.ConnectionSettings.LakeLocation;
import dev.tarn.jdbc.internal.ConnectionSettings.MemoryLake;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.storage.fs.LocalFileIO;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One {@link Database} per lake per JVM, shared by every connection to it and closed when the last connection
 * closes. A {@code mem:} lake lives in a temporary directory that is deleted at that moment, so the same name opened
 * again later starts empty. The first connection to a lake decides its threads, memory limit and sync.
 */
public final class SharedDatabases {
    /** The registry the driver uses. */
    public static final SharedDatabases INSTANCE = new SharedDatabases(Database::open);

    private final Function<DatabaseConfig, Database> opener;
    private final Map<LakeLocation, Entry> open = new HashMap<>();

    SharedDatabases(Function<DatabaseConfig, Database> opener) {
        this.opener = requireNonNull(opener, "opener is null");
    }

    private static final class Entry {
        final Database database;
        final Path temporaryDirectory;
        int references;

        Entry(Database database, Path temporaryDirectory) {
            this.database = database;
            this.temporaryDirectory = temporaryDirectory;
        }
    }

    /** A connection's hold on a database; closing it releases the hold once. */
    public final class Lease implements AutoCloseable {
        private final LakeLocation location;
        private final Database database;
        private boolean closed;

        private Lease(LakeLocation location, Database database) {
            this.location = location;
            this.database = database;
        }

        public Database database() {
            return database;
        }

        @Override
        public void close() {
            synchronized (SharedDatabases.this) {
                if (closed) {
                    return;
                }
                closed = true;
                release(location);
            }
        }
    }

    /** Opens (or shares) the database for the settings' lake. */
    public synchronized Lease acquire(ConnectionSettings settings) {
        LakeLocation location = settings.lake();
        Entry entry = open.get(location);
        if (entry == null) {
            entry = openEntry(settings);
            open.put(location, entry);
        }
        entry.references++;
        return new Lease(location, entry.database);
    }

    /** Whether a database for the location is open (for tests of sharing). */
    public synchronized boolean isOpen(LakeLocation location) {
        return open.containsKey(location);
    }

    /** Whether the open database at the location forces its commits to disk (for tests of the sync property). */
    public synchronized boolean syncs(LakeLocation location) {
        Entry e = open.get(location);
        if (e == null) {
            throw new IllegalStateException("No open lake at " + location);
        }
        return !(e.database.config().fileIO() instanceof LocalFileIO io) || io.syncs();
    }

    /** The temporary directory behind an open {@code mem:} lake, if it is open. */
    public synchronized Path memoryLakeDirectory(String name) {
        Entry e = open.get(new MemoryLake(name));
        return e == null ? null : e.temporaryDirectory;
    }

    private Entry openEntry(ConnectionSettings settings) {
        Path lake;
        Path temporary = null;
        if (settings.lake() instanceof MemoryLake mem) {
            try {
                temporary = Files.createTempDirectory("tarn-mem-" + sanitize(mem.name()) + "-");
            } catch (IOException e) {
                throw new TarnException(ErrorCode.IO_ERROR,
                        "Cannot create a temporary directory for lake mem:" + mem.name() + ": " + e.getMessage(), e);
            }
            lake = temporary.resolve("lake");
        } else {
            lake = ((DirectoryLake) settings.lake()).path();
            if (!settings.create() && !Files.isDirectory(lake)) {
                throw new TarnException(ErrorCode.LAKE_NOT_FOUND, "Lake directory not found: " + lake
                        + " (connect with create=true to create a new lake there)");
            }
        }
        DatabaseConfig config = DatabaseConfig.of(lake)
                .withFileIO(settings.sync() ? new LocalFileIO() : LocalFileIO.withoutSync())
                .withCreateIfMissing(settings.create())
                .withThreads(settings.threads())
                .withQueryMemoryLimit(settings.memoryLimitBytes());
        try {
            return new Entry(opener.apply(config), temporary);
        } catch (RuntimeException e) {
            if (temporary != null) {
                deleteQuietly(temporary, e);
            }
            throw e;
        }
    }

    private void release(LakeLocation location) {
        Entry entry = open.get(location);
        if (entry == null || --entry.references > 0) {
            return;
        }
        open.remove(location);
        try {
            entry.database.close();
        } finally {
            if (entry.temporaryDirectory != null) {
                deleteRecursively(entry.temporaryDirectory);
            }
        }
    }

    private static String sanitize(String name) {
        return name.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private static void deleteQuietly(Path dir, RuntimeException primary) {
        try {
            deleteRecursively(dir);
        } catch (RuntimeException e) {
            primary.addSuppressed(e);
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
                    if (exc != null) {
                        throw exc;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new TarnException(ErrorCode.IO_ERROR, "Cannot delete temporary lake directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
