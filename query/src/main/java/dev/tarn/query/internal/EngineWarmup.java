package dev.tarn.query.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.internal.catalog.DeltaLakeCatalog;
import dev.tarn.query.internal.catalog.LakeCatalog;
import dev.tarn.query.internal.catalog.PushedFilter;
import dev.tarn.query.internal.catalog.TableHandle;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.sql.CalciteSqlEngine;
import dev.tarn.query.internal.sql.SessionState;
import dev.tarn.query.internal.sql.SqlEngine;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.unsafe.UnsafeAllocationManager;
import org.apache.arrow.vector.VectorSchemaRoot;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Warms the SQL engine ({@link SqlEngine#warmUp}, then a query over literals run in memory, {@link #EXECUTED}) and
 * then storage ({@link StorageWarmup}) up on a daemon thread when the first lake of a JVM opens. A cold JVM spends a
 * third of a second or more loading and initializing Calcite before its first plan, and a tenth or more on Arrow's
 * schema class and Parquet's writer before its first INSERT; done here, that overlaps with the statements users start
 * with (connect, CREATE TABLE, INSERT of literals) on the machine's other core. Callers about to open a lake start it
 * earlier ({@link #startEarly}: the JDBC driver when it connects, the shell when it starts), so it overlaps their
 * set-up as well. Once per JVM: later lakes find Calcite loaded. The thread never delays JVM exit (daemon) and {@link
 * #awaitEnd} lets the lake that started it leave no thread behind when it closes. {@code -Dtarn.warmup=false} turns it
 * off.
 */
final class EngineWarmup {
    static final String THREAD_NAME = "tarn-engine-warmup";
    static final String PROPERTY = "tarn.warmup";
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    /** A warm-up started by {@link #startEarly} that no lake has taken on yet (see {@link #startOnce}). */
    private static final AtomicReference<EngineWarmup> UNCLAIMED = new AtomicReference<>();

    private final Thread thread;

    private EngineWarmup(Thread thread) {
        this.thread = thread;
    }

    /**
     * The stand-in table the warm-up plans a query over (a first query usually reads a table): it exists only in
     * {@link #SESSION}'s catalog and is never scanned or written.
     */
    static final TableHandle TABLE = new TableHandle() {
        private final StructType schema = new StructType(List.of(
                new StructField("id", PrimitiveType.INTEGER, true),
                new StructField("kind", PrimitiveType.STRING, true),
                new StructField("amount", PrimitiveType.DOUBLE, true),
                new StructField("created", PrimitiveType.DATE, true)));

        @Override
        public String displayName() {
            return DeltaLakeCatalog.DEFAULT_SCHEMA + "." + SqlEngine.WARM_UP_TABLE;
        }

        @Override
        public StructType schema() {
            return schema;
        }

        @Override
        public List<String> partitionColumns() {
            return List.of();
        }

        @Override
        public long estimatedRowCount() {
            return 1_000;
        }

        @Override
        public Operator scan(int[] projectedColumns, List<PushedFilter> filters) {
            throw new TarnException(ErrorCode.INTERNAL_ERROR, "The warm-up table is planned, never read");
        }

        @Override
        public long append(Operator source, ExecutionContext context) {
            throw new TarnException(ErrorCode.INTERNAL_ERROR, "The warm-up table is planned, never written");
        }
    };

    /**
     * What the warm-up plans against: a catalog whose default schema holds only {@link #TABLE}, so that it never
     * touches the lake (its FileIO may count or fail calls, and the user's first statements are running on it).
     */
    static final SessionState SESSION = new SessionState(new LakeCatalog() {
        @Override
        public List<String> schemaNames() {
            return List.of(DeltaLakeCatalog.DEFAULT_SCHEMA);
        }

        @Override
        public boolean schemaExists(String schema) {
            return DeltaLakeCatalog.DEFAULT_SCHEMA.equalsIgnoreCase(schema);
        }

        @Override
        public List<String> tableNames(String schema) {
            return schemaExists(schema) ? List.of(SqlEngine.WARM_UP_TABLE) : List.of();
        }

        @Override
        public Optional<TableHandle> table(String schema, String table) {
            return schemaExists(schema) && SqlEngine.WARM_UP_TABLE.equalsIgnoreCase(table) ? Optional.of(TABLE)
                    : Optional.empty();
        }

        @Override
        public Optional<TableHandle> tableByPath(String path) {
            return Optional.empty();
        }
    }, DeltaLakeCatalog.DEFAULT_SCHEMA, ZoneOffset.UTC);

    /**
     * A query over literals that the warm-up runs, not only plans, after the engine's own warm-up: a filter on a
     * DOUBLE, a grouping expression and aggregates, as first queries have. Executing it loads and links what
     * planning does not touch (operators, expression kernels, result vectors), without a table or a lake.
     */
    static final String EXECUTED = "SELECT COUNT(*) AS n, SUM(a) AS total, MIN(b) AS first FROM (VALUES "
            + "(1, 'x', 5e-1), (2, 'y', 15e-1), (3, 'x', -1e0)) AS t(a, b, c) WHERE c >= 0 GROUP BY a % 2";

    /** Plans and runs {@link #EXECUTED} in memory on one thread; returns the number of result rows. */
    static long execute(SqlEngine engine) {
        ExecutorService unused = Executors.newSingleThreadExecutor();
        try (BufferAllocator allocator = new RootAllocator(RootAllocator.configBuilder()
                .allocationManagerFactory(UnsafeAllocationManager.FACTORY).build())) {
            // One worker: every part of the plan runs in this thread, so the executor never starts a thread.
            ExecutionContext context = new ExecutionContext(allocator, unused, 1, ZoneOffset.UTC);
            Operator root = engine.plan(EXECUTED, SESSION).bindQuery(List.of());
            long rows = 0;
            try {
                root.open(context);
                for (VectorSchemaRoot batch = root.next(); batch != null; batch = root.next()) {
                    rows += batch.getRowCount();
                }
            } finally {
                root.close();
            }
            return rows;
        } finally {
            unused.shutdownNow();
        }
    }

    /**
     * Starts the warm-up of the default engine now, unless this JVM has started one already or it is turned off:
     * for callers that know a lake is about to open (the JDBC driver on connect, the shell on start), so that the
     * warm-up overlaps their own set-up too. The first lake opened afterwards takes it on as its own.
     */
    static void startEarly() {
        EngineWarmup w = start(CalciteSqlEngine::new);
        if (w != null) {
            UNCLAIMED.set(w);
        }
    }

    /**
     * Starts the warm-up unless this JVM has started one already or it is turned off; returns it to the lake that
     * should wait for it when closing: a new one, or one {@link #startEarly} started that no lake has taken yet;
     * null otherwise.
     */
    static EngineWarmup startOnce(Supplier<SqlEngine> engine) {
        requireNonNull(engine, "engine is null");
        EngineWarmup early = UNCLAIMED.getAndSet(null);
        return early != null ? early : start(engine);
    }

    private static EngineWarmup start(Supplier<SqlEngine> engine) {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY)) || !STARTED.compareAndSet(false, true)) {
            return null;
        }
        Thread t = new Thread(() -> {
            // The engine first: Calcite's first plan is the longest step, and a first query that starts while the
            // warm-up is still inside it waits on the same class initializations (measured: a cold first result
            // came 50 ms sooner this way, though the first INSERT then loads the Parquet writer itself).
            try {
                SqlEngine e = engine.get();
                e.warmUp(SESSION);
                execute(e);
            } catch (RuntimeException e) {
                // Only a warm-up: a real problem shows again, and is reported, when a statement needs the engine.
            }
            try {
                StorageWarmup.run();
            } catch (RuntimeException | LinkageError e) {
                // Only a warm-up: a real problem shows again, and is reported, when a statement needs storage.
            }
        }, THREAD_NAME);
        t.setDaemon(true);
        t.start();
        return new EngineWarmup(t);
    }

    /** Lets the next lake opened start a warm-up again (tests of the warm-up itself). */
    static void forgetStarted() {
        EngineWarmup early = UNCLAIMED.getAndSet(null);
        if (early != null) {
            early.awaitEnd();
        }
        STARTED.set(false);
    }

    /** Waits for the warm-up to end (it is short and cannot be stopped halfway through loading classes). */
    void awaitEnd() {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
