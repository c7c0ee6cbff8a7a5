package dev.tarn.jdbc.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.jdbc.TarnConnectionProperty;
import dev.tarn.jdbc.TarnDriver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchConnectionException;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.TypedValue;

/**
 * The {@link Meta} behind {@code tarn serve}: one embedded Tarn connection (so one {@link dev.tarn.query.Session},
 * with its own schema and settings) per remote connection id, all sharing the server's database. Results and
 * metadata are re-labelled with the remote connection id and converted to what Avatica's JSON client decodes
 * ({@link WireFormat}); Tarn errors travel with their SQLState and vendor code. Connections idle past the timeout are
 * closed (statements, open results and their memory released); a client that comes back gets Avatica's missing
 * connection error, on which clients connected with {@code transparent_reconnection=true} open a new session.
 */
public final class ServerMeta implements Meta, AutoCloseable {
    private final String url;
    private final boolean readOnly;
    private final long idleNanos;
    private final Duration statementTimeout;
    private final TarnDriver driver = new TarnDriver();
    private final TarnConnection anchor;
    private final Map<String, Remote> connections = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reaper;
    private volatile boolean closed;

    /** One remote connection: its embedded connection, when it was last used, and calls now running on it. */
    private static final class Remote {
        final TarnConnection connection;
        final Map<Integer, List<ColumnMetaData>> columns = new ConcurrentHashMap<>();
        final AtomicInteger running = new AtomicInteger();
        volatile long lastUsed = System.nanoTime();

        Remote(TarnConnection connection) {
            this.connection = connection;
        }

        TarnMeta meta() {
            return connection.tarnMeta();
        }
    }

    /**
     * Opens the lake at {@code lakeUrl} ({@code jdbc:tarn:...}) and keeps it open until {@link #close}.
     *
     * @param readOnly every remote session is read-only and cannot be switched back
     * @param idleTimeout remote connections unused this long are closed
     * @param statementTimeout the statement timeout of remote sessions whose client sets none ({@link Duration#ZERO}:
     *     no limit); the stock Avatica remote driver never sends {@code setQueryTimeout} to the server
     */
    public ServerMeta(String lakeUrl, boolean readOnly, Duration idleTimeout, Duration statementTimeout) {
        this.url = requireNonNull(lakeUrl, "lakeUrl is null");
        this.statementTimeout = requireNonNull(statementTimeout, "statementTimeout is null");
        if (statementTimeout.isNegative()) {
            throw new IllegalArgumentException("statementTimeout must not be negative, got " + statementTimeout);
        }
        this.readOnly = readOnly;
        requireNonNull(idleTimeout, "idleTimeout is null");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive, got " + idleTimeout);
        }
        this.idleNanos = idleTimeout.toNanos();
        this.anchor = open(Map.of());
        this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tarn-serve-idle-reaper");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(50, Math.min(idleTimeout.toMillis() / 4, 30_000));
        reaper.scheduleWithFixedDelay(this::closeIdle, period, period, TimeUnit.MILLISECONDS);
    }

    private TarnConnection open(Map<String, String> clientInfo) {
        Properties props = new Properties();
        // Clients choose their schema, time zone and statement timeout; the lake, its threads and memory are the
        // server's.
        if (!statementTimeout.isZero()) {
            props.setProperty(TarnConnectionProperty.STATEMENT_TIMEOUT.key(), Long.toString(statementTimeout.toMillis()));
        }
        for (TarnConnectionProperty p : List.of(TarnConnectionProperty.SCHEMA, TarnConnectionProperty.TIME_ZONE,
                TarnConnectionProperty.READ_ONLY, TarnConnectionProperty.STATEMENT_TIMEOUT)) {
            for (Map.Entry<String, String> e : clientInfo.entrySet()) {
                if (e.getValue() != null && p == TarnConnectionProperty.forKey(e.getKey())) {
                    props.setProperty(p.key(), e.getValue());
                }
            }
        }
        if (readOnly) {
            props.setProperty(TarnConnectionProperty.READ_ONLY.key(), "true");
        }
        try {
            return (TarnConnection) driver.connect(url, props);
        } catch (SQLException e) {
            throw remoteError(e);
        }
    }

    /** Remote connections open now (for tests and the server's log). */
    public int openConnections() {
        return connections.size();
    }

    void closeIdle() {
        long now = System.nanoTime();
        for (Map.Entry<String, Remote> e : connections.entrySet()) {
            Remote r = e.getValue();
            if (r.running.get() == 0 && now - r.lastUsed > idleNanos && connections.remove(e.getKey(), r)) {
                closeQuietly(r);
            }
        }
    }

    private static void closeQuietly(Remote r) {
        try {
            r.connection.close();
        } catch (SQLException | RuntimeException e) {
            // The client is gone; nobody is left to tell.
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T run(Remote r) throws Exception;
    }

    /** Runs a call on a remote connection, keeping it from expiring meanwhile and mapping errors for the wire. */
    private <T> T with(String connectionId, Call<T> call) {
        Remote r = connections.get(connectionId);
        if (r == null) {
            throw new NoSuchConnectionException(connectionId);
        }
        r.running.incrementAndGet();
        try {
            return call.run(r);
        } catch (NoSuchConnectionException e) {
            throw e;
        } catch (Exception e) {
            throw remoteError(e);
        } finally {
            r.lastUsed = System.nanoTime();
            r.running.decrementAndGet();
        }
    }

    private static RuntimeException remoteError(Throwable e) {
        if (e instanceof AvaticaRuntimeException are) {
            return are;
        }
        SQLException sql = SqlErrors.toSqlException(e);
        return new AvaticaRuntimeException(sql.getMessage(), sql.getErrorCode(), sql.getSQLState(),
                AvaticaSeverity.ERROR);
    }

    /** A result set of the embedded connection as the remote client sees it. */
    private static MetaResultSet wire(Remote r, ConnectionHandle ch, MetaResultSet rs) {
        if (rs.signature == null) {
            return MetaResultSet.count(ch.id, rs.statementId, rs.updateCount);
        }
        r.columns.put(rs.statementId, rs.signature.columns);
        if (rs.signature.cursorFactory.style != CursorFactory.ARRAY.style
                && (rs.firstFrame == null || rs.firstFrame.rows.iterator().hasNext())) {
            throw new TarnException(ErrorCode.INTERNAL_ERROR, "A metadata result cannot be sent to a remote client");
        }
        return MetaResultSet.create(ch.id, rs.statementId, rs.ownStatement, WireFormat.signature(rs.signature),
                WireFormat.frame(rs.firstFrame, rs.signature.columns));
    }

    private static ExecuteResult wire(Remote r, ConnectionHandle ch, ExecuteResult result) {
        List<MetaResultSet> out = new ArrayList<>();
        for (MetaResultSet rs : result.resultSets) {
            out.add(wire(r, ch, rs));
        }
        return new ExecuteResult(out);
    }

    private static ConnectionHandle handle(StatementHandle h) {
        return new ConnectionHandle(h.connectionId);
    }

    // Connections.

    @Override
    public void openConnection(ConnectionHandle ch, Map<String, String> info) {
        if (closed) {
            throw new AvaticaRuntimeException("The server is shutting down", 0, "08006", AvaticaSeverity.ERROR);
        }
        Remote r = new Remote(open(info == null ? Map.of() : info));
        if (connections.putIfAbsent(ch.id, r) != null) {
            closeQuietly(r);
            throw new AvaticaRuntimeException("Connection " + ch.id + " is already open", 0, "08002",
                    AvaticaSeverity.ERROR);
        }
    }

    @Override
    public void closeConnection(ConnectionHandle ch) {
        Remote r = connections.remove(ch.id);
        if (r != null) {
            try {
                r.connection.close();
            } catch (SQLException e) {
                throw remoteError(e);
            }
        }
    }

    @Override
    public ConnectionProperties connectionSync(ConnectionHandle ch, ConnectionProperties props) {
        return with(ch.id, r -> {
            if (readOnly && props.isReadOnly() != null && !props.isReadOnly()) {
                throw new TarnException(ErrorCode.READ_ONLY,
                        "The server was started with --read-only; connections cannot be made writable");
            }
            return r.meta().connectionSync(ch, props);
        });
    }

    @Override
    public Map<DatabaseProperty, Object> getDatabaseProperties(ConnectionHandle ch) {
        return with(ch.id, r -> r.meta().getDatabaseProperties(ch));
    }

    @Override
    public void commit(ConnectionHandle ch) {
        with(ch.id, r -> {
            r.meta().commit(ch);
            return null;
        });
    }

    @Override
    public void rollback(ConnectionHandle ch) {
        with(ch.id, r -> {
            r.meta().rollback(ch);
            return null;
        });
    }

    // Statements.

    @Override
    public StatementHandle createStatement(ConnectionHandle ch) {
        return with(ch.id, r -> r.meta().createStatement(ch));
    }

    @Override
    public void closeStatement(StatementHandle h) {
        Remote r = connections.get(h.connectionId);
        if (r == null) {
            return; // already expired or closed: its statements went with it
        }
        with(h.connectionId, c -> {
            c.columns.remove(h.id);
            // Metadata results were made through a local statement; closing it releases it.
            AvaticaStatement local = c.connection.statementMap.get(h.id);
            if (local != null) {
                local.close();
            } else {
                c.meta().closeStatement(h);
            }
            return null;
        });
    }

    @Override
    public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
        return with(ch.id, r -> {
            StatementHandle h = r.meta().prepare(ch, sql, maxRowCount);
            if (h.signature != null) {
                r.columns.put(h.id, h.signature.columns);
            }
            StatementHandle out = new StatementHandle(ch.id, h.id, WireFormat.signature(h.signature));
            return out;
        });
    }

    @SuppressWarnings("deprecation")
    @Override
    public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, PrepareCallback callback) {
        return prepareAndExecute(h, sql, maxRowCount, -1, callback);
    }

    @Override
    public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, int maxRowsInFirstFrame,
                                           PrepareCallback callback) {
        return with(h.connectionId, r -> wire(r, handle(h),
                r.meta().prepareAndExecute(h, sql, maxRowCount, maxRowsInFirstFrame, callback)));
    }

    @Override
    public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands) {
        return with(h.connectionId, r -> r.meta().prepareAndExecuteBatch(h, sqlCommands));
    }

    @Override
    public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues) {
        return with(h.connectionId, r -> r.meta().executeBatch(h, parameterValues));
    }

    @SuppressWarnings("deprecation")
    @Override
    public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, long maxRowCount) {
        return with(h.connectionId, r -> wire(r, handle(h), r.meta().execute(h, parameterValues, maxRowCount)));
    }

    @Override
    public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, int maxRowsInFirstFrame) {
        return with(h.connectionId, r -> wire(r, handle(h),
                r.meta().execute(h, parameterValues, maxRowsInFirstFrame)));
    }

    @Override
    public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount)
            throws NoSuchStatementException, MissingResultsException {
        return with(h.connectionId, r -> WireFormat.frame(r.meta().fetch(h, offset, fetchMaxRowCount),
                r.columns.getOrDefault(h.id, List.of())));
    }

    @Override
    public boolean syncResults(StatementHandle sh, QueryState state, long offset) {
        return with(sh.connectionId, r -> r.meta().syncResults(sh, state, offset));
    }

    @Override
    public Iterable<Object> createIterable(StatementHandle stmt, QueryState state, Signature signature,
                                           List<TypedValue> parameters, Frame firstFrame) {
        throw new UnsupportedOperationException("createIterable is a client-side call");
    }

    // Catalog metadata.

    @Override
    public MetaResultSet getTables(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
                                   List<String> typeList) {
        return with(ch.id, r -> wire(r, ch, r.meta().getTables(ch, catalog, schemaPattern, tableNamePattern,
                typeList)));
    }

    @Override
    public MetaResultSet getColumns(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
                                    Pat columnNamePattern) {
        return with(ch.id, r -> wire(r, ch, r.meta().getColumns(ch, catalog, schemaPattern, tableNamePattern,
                columnNamePattern)));
    }

    @Override
    public MetaResultSet getSchemas(ConnectionHandle ch, String catalog, Pat schemaPattern) {
        return with(ch.id, r -> wire(r, ch, r.meta().getSchemas(ch, catalog, schemaPattern)));
    }

    @Override
    public MetaResultSet getCatalogs(ConnectionHandle ch) {
        return with(ch.id, r -> wire(r, ch, r.meta().getCatalogs(ch)));
    }

    @Override
    public MetaResultSet getTableTypes(ConnectionHandle ch) {
        return with(ch.id, r -> wire(r, ch, r.meta().getTableTypes(ch)));
    }

    @Override
    public MetaResultSet getProcedures(ConnectionHandle ch, String catalog, Pat schemaPattern,
                                       Pat procedureNamePattern) {
        return with(ch.id, r -> wire(r, ch, r.meta().getProcedures(ch, catalog, schemaPattern,
                procedureNamePattern)));
    }

    @Override
    public MetaResultSet getProcedureColumns(ConnectionHandle ch, String catalog, Pat schemaPattern,
                                             Pat procedureNamePattern, Pat columnNamePattern) {
        return with(ch.id, r -> wire(r, ch, r.meta().getProcedureColumns(ch, catalog, schemaPattern,
                procedureNamePattern, columnNamePattern)));
    }

    @Override
    public MetaResultSet getColumnPrivileges(ConnectionHandle ch, String catalog, String schema, String table,
                                             Pat columnNamePattern) {
        return with(ch.id, r -> wire(r, ch, r.meta().getColumnPrivileges(ch, catalog, schema, table,
                columnNamePattern)));
    }

    @Override
    public MetaResultSet getTablePrivileges(ConnectionHandle ch, String catalog, Pat schemaPattern,
                                            Pat tableNamePattern) {
        return with(ch.id, r -> wire(r, ch, r.meta().getTablePrivileges(ch, catalog, schemaPattern,
                tableNamePattern)));
    }

    @Override
    public MetaResultSet getBestRowIdentifier(ConnectionHandle ch, String catalog, String schema, String table,
                                              int scope, boolean nullable) {
        return with(ch.id, r -> wire(r, ch, r.meta().getBestRowIdentifier(ch, catalog, schema, table, scope,
                nullable)));
    }

    @Override
    public MetaResultSet getVersionColumns(ConnectionHandle ch, String catalog, String schema, String table) {
        return with(ch.id, r -> wire(r, ch, r.meta().getVersionColumns(ch, catalog, schema, table)));
    }

    @Override
    public MetaResultSet getPrimaryKeys(ConnectionHandle ch, String catalog, String schema, String table) {
        return with(ch.id, r -> wire(r, ch, r.meta().getPrimaryKeys(ch, catalog, schema, table)));
    }

    @Override
    public MetaResultSet getImportedKeys(ConnectionHandle ch, String catalog, String schema, String table) {
        return with(ch.id, r -> wire(r, ch, r.meta().getImportedKeys(ch, catalog, schema, table)));
    }

    @Override
    public MetaResultSet getExportedKeys(ConnectionHandle ch, String catalog, String schema, String table) {
        return with(ch.id, r -> wire(r, ch, r.meta().getExportedKeys(ch, catalog, schema, table)));
    }

    @Override
    public MetaResultSet getCrossReference(ConnectionHandle ch, String parentCatalog, String parentSchema,
                                           String parentTable, String foreignCatalog, String foreignSchema,
                                           String foreignTable) {
        return with(ch.id, r -> wire(r, ch, r.meta().getCrossReference(ch, parentCatalog, parentSchema,
                parentTable, foreignCatalog, foreignSchema, foreignTable)));
    }

    @Override
    public MetaResultSet getTypeInfo(ConnectionHandle ch) {
        return with(ch.id, r -> wire(r, ch, r.meta().getTypeInfo(ch)));
    }

    @Override
    public MetaResultSet getIndexInfo(ConnectionHandle ch, String catalog, String schema, String table,
                                      boolean unique, boolean approximate) {
        return with(ch.id, r -> wire(r, ch, r.meta().getIndexInfo(ch, catalog, schema, table, unique,
                approximate)));
    }

    @Override
    public MetaResultSet getUDTs(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat typeNamePattern,
                                 int[] types) {
        return with(ch.id, r -> wire(r, ch, r.meta().getUDTs(ch, catalog, schemaPattern, typeNamePattern, types)));
    }

    @Override
    public MetaResultSet getSuperTypes(ConnectionHandle ch, String catalog, Pat schemaPattern,
                                       Pat typeNamePattern) {
        return with(ch.id, r -> wire(r, ch, r.meta().getSuperTypes(ch, catalog, schemaPattern, typeNamePattern)));
    }

    @Override
    public MetaResultSet getSuperTables(ConnectionHandle ch, String catalog, Pat schemaPattern,
                                        Pat tableNamePattern) {
        return with(ch.id, r -> wire(r, ch, r.meta().getSuperTables(ch, catalog, schemaPattern,
                tableNamePattern)));
    }

    @Override
    public MetaResultSet getAttributes(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat typeNamePattern,
                                       Pat attributeNamePattern) {
        return with(ch.id, r -> wire(r, ch, r.meta().getAttributes(ch, catalog, schemaPattern, typeNamePattern,
                attributeNamePattern)));
    }

    @Override
    public MetaResultSet getClientInfoProperties(ConnectionHandle ch) {
        return with(ch.id, r -> wire(r, ch, r.meta().getClientInfoProperties(ch)));
    }

    @Override
    public MetaResultSet getFunctions(ConnectionHandle ch, String catalog, Pat schemaPattern,
                                      Pat functionNamePattern) {
        return with(ch.id, r -> wire(r, ch, r.meta().getFunctions(ch, catalog, schemaPattern,
                functionNamePattern)));
    }

    @Override
    public MetaResultSet getFunctionColumns(ConnectionHandle ch, String catalog, Pat schemaPattern,
                                            Pat functionNamePattern, Pat columnNamePattern) {
        return with(ch.id, r -> wire(r, ch, r.meta().getFunctionColumns(ch, catalog, schemaPattern,
                functionNamePattern, columnNamePattern)));
    }

    @Override
    public MetaResultSet getPseudoColumns(ConnectionHandle ch, String catalog, Pat schemaPattern,
                                          Pat tableNamePattern, Pat columnNamePattern) {
        return with(ch.id, r -> wire(r, ch, r.meta().getPseudoColumns(ch, catalog, schemaPattern,
                tableNamePattern, columnNamePattern)));
    }

    /** Closes every remote connection, then the server's own hold on the lake (closing its database). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        reaper.shutdownNow();
        for (String id : List.copyOf(connections.keySet())) {
            Remote r = connections.remove(id);
            if (r != null) {
                closeQuietly(r);
            }
        }
        try {
            anchor.close();
        } catch (SQLException e) {
            throw new TarnException(ErrorCode.IO_ERROR, "Closing the lake failed: " + e.getMessage(), e);
        }
    }
}
