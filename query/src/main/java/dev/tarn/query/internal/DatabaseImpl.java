package dev.tarn.query.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.Session;
import dev.tarn.query.internal.catalog.DeltaLakeCatalog;
import dev.tarn.query.internal.catalog.ManagingCatalogs;
import dev.tarn.query.internal.write.WriteSettings;
import dev.tarn.txlog.TableLog;
import dev.tarn.query.internal.sql.CalciteSqlEngine;
import dev.tarn.query.internal.sql.SqlEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.unsafe.UnsafeAllocationManager;

/**
 * An open lake: owns the worker threads, the root Arrow allocator (direct memory through the unsafe allocation
 * manager, so no Netty is needed) and the catalog; sessions borrow them.
 */
public final class DatabaseImpl implements Database {
    private final DatabaseConfig config;
    private final BufferAllocator rootAllocator;
    private final ExecutorService executor;
    private final DeltaLakeCatalog catalog;
    private final Supplier<SqlEngine> engineFactory;
    private volatile SqlEngine engine;
    private final Set<SessionImpl> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final EngineWarmup warmup;

    private DatabaseImpl(DatabaseConfig config, Supplier<SqlEngine> engineFactory, ManagingCatalogs managingCatalogs) {
        this.config = config;
        this.engineFactory = requireNonNull(engineFactory, "engineFactory is null");
        this.rootAllocator = new RootAllocator(RootAllocator.configBuilder()
                .allocationManagerFactory(UnsafeAllocationManager.FACTORY)
                .maxAllocation(Long.MAX_VALUE)
                .build());
        // Threads are created as statements ask for workers and reused (idle ones end after a minute): the number
        // running is set per statement by its session's thread count, and nested parallel parts of one plan (a join
        // build inside a parallel probe) wait for each other, which a fixed-size pool could deadlock.
        this.executor = Executors.newCachedThreadPool(new WorkerThreads(config.lake().getFileName()));
        this.catalog = new DeltaLakeCatalog(config.lake(), config.fileIO(), WriteSettings.DEFAULTS, managingCatalogs);
        this.warmup = EngineWarmup.startOnce(this::engine);
    }

    /** {@link Database#startWarmup()}. */
    public static void startWarmup() {
        EngineWarmup.startEarly();
    }

    public static Database open(DatabaseConfig config) {
        return open(config, CalciteSqlEngine::new);
    }

    /** Opens a lake with a given SQL engine (tests and embedders that bring their own). */
    public static Database open(DatabaseConfig config, Supplier<SqlEngine> engine) {
        return open(config, engine, ManagingCatalogs.NONE);
    }

    /**
     * Opens a lake whose catalog-managed tables are read through their managing catalogs (embedders that hold a
     * catalog client, and tests).
     */
    public static Database open(DatabaseConfig config, Supplier<SqlEngine> engine, ManagingCatalogs managingCatalogs) {
        requireNonNull(config, "config is null");
        requireNonNull(managingCatalogs, "managingCatalogs is null");
        Path lake = config.lake();
        if (!Files.isDirectory(lake)) {
            if (Files.exists(lake)) {
                throw new TarnException(ErrorCode.LAKE_NOT_FOUND, "The lake " + lake + " is a file, not a directory");
            }
            if (!config.createIfMissing()) {
                throw new TarnException(ErrorCode.LAKE_NOT_FOUND, "The lake directory " + lake + " does not exist");
            }
        }
        if (config.createIfMissing()) {
            // Schemas are plain directories; FileIO has no verb for an empty directory, and a lake is local.
            try {
                Files.createDirectories(lake.resolve(DeltaLakeCatalog.DEFAULT_SCHEMA));
            } catch (IOException e) {
                throw new TarnException(ErrorCode.IO_ERROR, "Cannot create the lake directory " + lake, e);
            }
        }
        return new DatabaseImpl(config, engine, managingCatalogs);
    }

    @Override
    public DatabaseConfig config() {
        return config;
    }

    @Override
    public Session newSession() {
        checkOpen();
        SessionImpl s = new SessionImpl(this);
        sessions.add(s);
        return s;
    }

    DeltaLakeCatalog catalog() {
        return catalog;
    }

    @Override
    public TableLog tableLog(String schema, String table) {
        requireNonNull(schema, "schema is null");
        requireNonNull(table, "table is null");
        checkOpen();
        java.util.Optional<String> location = catalog.tableLocation(schema, table);
        TableLog log = location.map(catalog::log).orElse(null);
        if (log == null || !log.exists()) {
            throw new TarnException(ErrorCode.TABLE_NOT_FOUND, "Table " + schema + "." + table + " not found in lake "
                    + config.lake());
        }
        return log;
    }

    @Override
    public TableLog tableLogAt(String location) {
        requireNonNull(location, "location is null");
        checkOpen();
        String normalized = DeltaLakeCatalog.normalizePath(location);
        TableLog log = catalog.log(normalized);
        if (!log.exists()) {
            throw new TarnException(ErrorCode.TABLE_NOT_FOUND, "No Delta table at " + normalized);
        }
        return log;
    }

    /** The SQL engine, created on first use (DDL-only sessions never need Calcite). */
    SqlEngine engine() {
        SqlEngine e = engine;
        if (e == null) {
            synchronized (this) {
                e = engine;
                if (e == null) {
                    e = requireNonNull(engineFactory.get(), "engine factory returned null");
                    engine = e;
                }
            }
        }
        return e;
    }

    ExecutorService executor() {
        return executor;
    }

    BufferAllocator rootAllocator() {
        return rootAllocator;
    }

    void sessionClosed(SessionImpl session) {
        sessions.remove(session);
    }

    void checkOpen() {
        if (closed.get()) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "The database " + config.lake() + " is closed");
        }
    }

    /** Closes every session (cancelling their statements), stops the workers and releases memory. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (SessionImpl s : sessions) {
            s.close();
        }
        if (warmup != null) {
            warmup.awaitEnd();
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            rootAllocator.close();
        } catch (IllegalStateException e) {
            throw new TarnException(ErrorCode.INTERNAL_ERROR, "Closing " + config.lake() + " found "
                    + rootAllocator.getAllocatedMemory() + " bytes of Arrow memory still in use", e);
        }
    }

    private static final class WorkerThreads implements ThreadFactory {
        private final String prefix;
        private final AtomicInteger next = new AtomicInteger();

        WorkerThreads(Path lakeName) {
            this.prefix = "tarn-" + (lakeName == null ? "lake" : lakeName) + "-worker-";
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, prefix + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
