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
import dev.tarn.query.internal.sql.SessionState;
import dev.tarn.query.internal.sql.SqlEngine;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Warms storage ({@link StorageWarmup}) and then the SQL engine ({@link SqlEngine#warmUp}) up on a daemon thread when
 * the first lake of a JVM opens. A cold JVM spends a third of a second or more loading and initializing Calcite before
 * its first plan, and a tenth or more on Arrow's schema class and Parquet's writer before its first INSERT; done here,
 * that overlaps with the statements users start with (connect, CREATE TABLE, INSERT of literals) on the machine's
 * other core. Once per JVM: later lakes find Calcite loaded. The thread never delays JVM
 * exit (daemon) and {@link #awaitEnd} lets the lake that started it leave no thread behind when it closes.
 * {@code -Dtarn.warmup=false} turns it off.
 */
final class EngineWarmup {
    static final String THREAD_NAME = "tarn-engine-warmup";
    static final String PROPERTY = "tarn.warmup";
    private static final AtomicBoolean STARTED = new AtomicBoolean();

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

    /** Starts the warm-up unless this JVM has started one already or it is turned off; null then. */
    static EngineWarmup startOnce(Supplier<SqlEngine> engine) {
        requireNonNull(engine, "engine is null");
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY)) || !STARTED.compareAndSet(false, true)) {
            return null;
        }
        Thread t = new Thread(() -> {
            // Storage first: a first INSERT needs it before a first query needs the planner.
            try {
                StorageWarmup.run();
            } catch (RuntimeException | LinkageError e) {
                // Only a warm-up: a real problem shows again, and is reported, when a statement needs storage.
            }
            try {
                engine.get().warmUp(SESSION);
            } catch (RuntimeException e) {
                // Only a warm-up: a real problem shows again, and is reported, when a statement needs the engine.
            }
        }, THREAD_NAME);
        t.setDaemon(true);
        t.start();
        return new EngineWarmup(t);
    }

    /** Lets the next lake opened start a warm-up again (tests of the warm-up itself). */
    static void forgetStarted() {
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
