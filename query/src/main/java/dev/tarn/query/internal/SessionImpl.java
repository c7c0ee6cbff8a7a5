package dev.tarn.query.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.CatalogView;
import dev.tarn.query.PreparedQuery;
import dev.tarn.query.QueryResult;
import dev.tarn.query.Session;
import dev.tarn.query.TableAppender;
import dev.tarn.query.internal.catalog.DeltaLakeCatalog;
import dev.tarn.query.internal.catalog.DeltaTableHandle;
import dev.tarn.query.internal.catalog.TableHandle;
import dev.tarn.query.internal.ddl.ChangeFeedSyntax;
import dev.tarn.query.internal.ddl.DdlExecutor;
import dev.tarn.query.internal.ddl.DdlParser;
import dev.tarn.query.internal.ddl.DdlSession;
import dev.tarn.query.internal.ddl.DdlStatement;
import dev.tarn.query.internal.ddl.TimeTravelSyntax;
import dev.tarn.query.internal.ddl.ValueTable;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.StatementTimeout;
import dev.tarn.query.internal.sql.PlannedStatement;
import dev.tarn.query.internal.sql.SessionState;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;

/**
 * A session: current schema, read-only flag and the statements it is running. DDL, SHOW, DESCRIBE and USE run
 * here; everything else is planned by the SQL engine.
 */
final class SessionImpl implements Session, DdlSession {
    private static final AtomicLong STATEMENT_IDS = new AtomicLong();

    private final DatabaseImpl database;
    private final DdlExecutor ddl;
    private final Set<StatementScope> running = ConcurrentHashMap.newKeySet();
    private final Set<RowsResult> openResults = ConcurrentHashMap.newKeySet();
    private final Set<TableAppender> openAppenders = ConcurrentHashMap.newKeySet();
    private volatile ZoneId timeZone = ZoneOffset.UTC;
    private volatile String currentSchema = DeltaLakeCatalog.DEFAULT_SCHEMA;
    private volatile boolean readOnly;
    private volatile boolean closed;
    private volatile int threads;
    private volatile long memoryLimit;
    private volatile Duration statementTimeout = Duration.ZERO;

    /** Fires statement timeouts; one daemon thread for the JVM, started by the first statement that has one. */
    private static final class Timeouts {
        static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tarn-statement-timeout");
            t.setDaemon(true);
            return t;
        });

        static {
            TIMER.setRemoveOnCancelPolicy(true); // statements that finish in time leave nothing queued
        }
    }

    SessionImpl(DatabaseImpl database) {
        this.database = requireNonNull(database, "database is null");
        this.threads = database.config().threads();
        this.memoryLimit = database.config().queryMemoryLimitBytes();
        this.ddl = new DdlExecutor(database.catalog(), database::engine);
    }

    @Override
    public QueryResult execute(String sql) {
        return execute(sql, List.of());
    }

    @Override
    public QueryResult execute(String sql, List<?> parameters) {
        requireNonNull(sql, "sql is null");
        requireNonNull(parameters, "parameters is null");
        checkOpen();
        Optional<DdlStatement> statement = DdlParser.parse(sql);
        if (statement.isPresent()) {
            if (!parameters.isEmpty()) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "This statement takes no parameters, but "
                        + parameters.size() + " were given");
            }
            return executeDdl(statement.get());
        }
        PlannedStatement planned = plan(ChangeFeedSyntax.rewrite(TimeTravelSyntax.rewrite(sql, timeZone), timeZone));
        return run(planned, parameters);
    }

    QueryResult executeDdl(DdlStatement statement) {
        checkOpen();
        if (statement.writes()) {
            checkWritable();
        }
        StatementScope scope = newScope();
        boolean handedOver = false;
        try {
            Optional<ValueTable> rows = scope.translate(() -> ddl.execute(statement, this, scope.context()));
            if (rows.isEmpty()) {
                return OkResult.ok();
            }
            Operator op = rows.get().operator();
            op.open(scope.context());
            handedOver = true;
            return track(new RowsResult(op, scope, openResults::remove));
        } finally {
            if (!handedOver) {
                scope.close();
            }
        }
    }

    QueryResult run(PlannedStatement planned, List<?> parameters) {
        checkOpen();
        if (planned.writes()) {
            checkWritable();
        }
        StatementScope scope = newScope();
        if (planned.kind() == PlannedStatement.Kind.INSERT) {
            try (scope) {
                long rows = scope.translate(() -> planned.executeInsert(parameters, scope.context()));
                return OkResult.updateCount(rows);
            }
        }
        Operator root = null;
        try {
            Operator op = planned.bindQuery(parameters);
            root = op;
            scope.translate(() -> {
                op.open(scope.context());
                return null;
            });
            return track(new RowsResult(op, scope, openResults::remove));
        } catch (RuntimeException e) {
            try {
                if (root != null) {
                    root.close();
                }
            } finally {
                scope.close();
            }
            throw e;
        }
    }

    private RowsResult track(RowsResult r) {
        openResults.add(r);
        return r;
    }

    @Override
    public PreparedQuery prepare(String sql) {
        requireNonNull(sql, "sql is null");
        checkOpen();
        Optional<DdlStatement> statement = DdlParser.parse(sql);
        if (statement.isPresent()) {
            return new PreparedQueryImpl(this, statement.get(), null);
        }
        return new PreparedQueryImpl(this, null, plan(ChangeFeedSyntax.rewrite(TimeTravelSyntax.rewrite(sql, timeZone), timeZone)));
    }

    /** Plans with the SQL engine; with schema auto-merge on, an INSERT with extra columns evolves its table. */
    private PlannedStatement plan(String sql) {
        SessionState state = state();
        if (ddl.schemaAutoMerge()) {
            state = dev.tarn.query.internal.sql.SchemaEvolution.forInsert(sql, state, database.engine()).orElse(state);
        }
        return database.engine().plan(sql, state);
    }

    @Override
    public SessionState sqlState() {
        return state();
    }

    private SessionState state() {
        return new SessionState(database.catalog(), currentSchema, timeZone);
    }

    @Override
    public String currentSchema() {
        return currentSchema;
    }

    @Override
    public void setCurrentSchema(String schema) {
        requireNonNull(schema, "schema is null");
        checkOpen();
        currentSchema = database.catalog().schemaDirectoryName(schema).orElseThrow(() -> new TarnException(
                ErrorCode.SCHEMA_NOT_FOUND, "Schema " + schema + " not found in " + database.config().lake()));
    }

    @Override
    public void setTimeZone(ZoneId zone) {
        requireNonNull(zone, "zone is null");
        checkOpen();
        timeZone = zone;
    }

    @Override
    public void setThreads(int threads) {
        if (threads < 1) {
            throw new TarnException(ErrorCode.INVALID_VALUE, "threads must be at least 1, got " + threads);
        }
        this.threads = threads;
    }

    @Override
    public void setMemoryLimit(long bytes) {
        if (bytes <= 0) {
            throw new TarnException(ErrorCode.INVALID_VALUE, "memory_limit must be positive, got " + bytes);
        }
        this.memoryLimit = bytes;
    }

    @Override
    public void setStatementTimeout(Duration timeout) {
        requireNonNull(timeout, "timeout is null");
        if (timeout.isNegative()) {
            throw new TarnException(ErrorCode.INVALID_VALUE, "statement_timeout must not be negative, got " + timeout);
        }
        this.statementTimeout = timeout;
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public void setReadOnly(boolean readOnly) {
        this.readOnly = readOnly;
    }

    @Override
    public TableAppender appender(String schema, String table) {
        requireNonNull(schema, "schema is null");
        requireNonNull(table, "table is null");
        checkOpen();
        checkWritable();
        TableHandle handle = database.catalog().table(schema, table).orElseThrow(() -> new TarnException(
                ErrorCode.TABLE_NOT_FOUND, "Table " + schema + "." + table + " not found in " + database.config().lake()));
        if (!(handle instanceof DeltaTableHandle delta)) {
            throw new TarnException(ErrorCode.UNSUPPORTED_FEATURE, "Cannot append to " + handle.displayName()
                    + ": only Delta tables in the lake take appenders");
        }
        long id = STATEMENT_IDS.incrementAndGet();
        BufferAllocator allocator = database.rootAllocator().newChildAllocator("appender-" + id, 0,
                database.config().queryMemoryLimitBytes());
        TableAppender[] self = new TableAppender[1];
        try {
            self[0] = new TableAppenderImpl(delta, allocator, timeZone, () -> openAppenders.remove(self[0]));
        } catch (RuntimeException e) {
            allocator.close();
            throw e;
        }
        openAppenders.add(self[0]);
        return self[0];
    }

    @Override
    public CatalogView catalog() {
        return new CatalogViewImpl(database.catalog());
    }

    @Override
    public void cancel() {
        for (StatementScope s : running) {
            s.context().cancel();
        }
    }

    @Override
    public Optional<dev.tarn.query.StatementProgress> progress() {
        long filesRead = 0;
        long filesTotal = 0;
        long rowsRead = 0;
        long rowsTotal = 0;
        boolean any = false;
        for (StatementScope s : running) {
            dev.tarn.query.internal.execution.ScanProgress p = s.context().progress();
            filesRead += p.filesRead();
            filesTotal += p.filesTotal();
            rowsRead += p.rowsRead();
            rowsTotal += p.rowsTotal();
            any = true;
        }
        return any ? Optional.of(new dev.tarn.query.StatementProgress(filesRead, filesTotal, rowsRead, rowsTotal))
                : Optional.empty();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        cancel();
        try {
            // Like closing a JDBC connection: its open results go with it and release their memory.
            for (RowsResult r : List.copyOf(openResults)) {
                r.close();
            }
            // An appender still open when its session closes was not finished by its user: commit nothing.
            for (TableAppender a : List.copyOf(openAppenders)) {
                a.abort();
            }
        } finally {
            database.sessionClosed(this);
        }
    }

    private StatementScope newScope() {
        long id = STATEMENT_IDS.incrementAndGet();
        long limit = memoryLimit;
        BufferAllocator allocator = database.rootAllocator().newChildAllocator("statement-" + id, 0, limit);
        ExecutionContext context = new ExecutionContext(allocator, database.executor(), threads, timeZone);
        StatementScope[] self = new StatementScope[1];
        Duration timeout = statementTimeout;
        // The timeout bounds the statement from the start of its execution until its last row is produced or its
        // result is closed; like PostgreSQL's statement_timeout it cancels with a message naming the limit.
        ScheduledFuture<?> timer = timeout.isZero() ? null : Timeouts.TIMER.schedule(
                () -> context.cancel("statement_timeout of " + StatementTimeout.format(timeout) + " expired"),
                timeout.toNanos(), TimeUnit.NANOSECONDS);
        StatementScope scope = new StatementScope(allocator, context, limit, () -> {
            if (timer != null) {
                timer.cancel(false);
            }
            running.remove(self[0]);
        });
        self[0] = scope;
        running.add(scope);
        return scope;
    }

    private void checkWritable() {
        if (readOnly) {
            throw new TarnException(ErrorCode.READ_ONLY, "The session is read-only; this statement would write");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "The session is closed");
        }
        database.checkOpen();
    }
}
