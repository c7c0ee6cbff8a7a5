package dev.tarn.jdbc.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.PreparedQuery;
import dev.tarn.query.QueryResult;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.Session;
import dev.tarn.txlog.types.DataType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Avatica's view of one Tarn connection: every call runs through the connection's {@link Session}. Query results
 * stay open between fetches (frames are cut from the Arrow batches as the client asks for them) and are closed when
 * exhausted, when {@code maxRows} is reached, or when the statement closes. Catalog metadata comes from
 * {@link Session#catalog()} (see {@link CatalogMetadata}).
 */
public final class TarnMeta extends MetaImpl {
    /** Rows per frame when the client gives no fetch size. */
    static final int DEFAULT_FRAME_ROWS = 1000;

    private final ConnectionSettings settings;
    private final SharedDatabases.Lease lease;
    private final Session session;
    private final Map<Integer, StatementState> statements = new ConcurrentHashMap<>();
    private final CatalogMetadata catalogMetadata;
    private boolean closed;

    /**
     * A connection's meta over its lease on the lake's database, which it owns from here on (closed on failure).
     * The lease is taken before this constructor runs: Avatica's {@link MetaImpl} initializes its protobuf
     * descriptors here, and in a cold JVM the database opened first has its warm-up thread running meanwhile.
     */
    public TarnMeta(AvaticaConnection connection, ConnectionSettings settings, SharedDatabases.Lease lease) {
        super(connection);
        this.settings = requireNonNull(settings, "settings is null");
        SharedDatabases.Lease l = requireNonNull(lease, "lease is null");
        Session s = null;
        try {
            s = l.database().newSession();
            if (!settings.schema().equals("default")) {
                s.setCurrentSchema(settings.schema());
            }
            s.setReadOnly(settings.readOnly());
            // The connection's threads and memory_limit are its session's settings (SET threads / memory_limit).
            s.execute("SET threads = " + settings.threads()).close();
            s.execute("SET memory_limit = " + (settings.memoryLimitBytes() == Long.MAX_VALUE ? "'none'"
                    : Long.toString(settings.memoryLimitBytes()))).close();
            s.setStatementTimeout(settings.statementTimeout());
        } catch (RuntimeException e) {
            if (s != null) {
                s.close();
            }
            l.close();
            throw e;
        }
        this.lease = l;
        this.session = s;
        this.catalogMetadata = new CatalogMetadata(this, session);
        connProps.setAutoCommit(true);
        connProps.setReadOnly(session.isReadOnly());
        connProps.setSchema(session.currentSchema());
        connProps.setTransactionIsolation(java.sql.Connection.TRANSACTION_SERIALIZABLE);
        connProps.setDirty(false);
    }

    public Session session() {
        return session;
    }

    public ConnectionSettings settings() {
        return settings;
    }

    /** Cancels whatever the connection's session is running (JDBC {@code Statement.cancel}). */
    public void cancel() {
        session.cancel();
    }

    /** What the driver keeps per statement: its prepared form and the open result being fetched. */
    private final class StatementState {
        PreparedQuery prepared;
        long preparedMaxRows = -1;
        QueryResult result;
        List<DataType> types = List.of();
        /** Per column, the embedded type of a nested column returned as JSON text; null elsewhere. */
        ColumnMetaData.AvaticaType[] jsonColumns;
        VectorSchemaRoot batch;
        ArrowRows.Reader[] readers;
        int position;
        long remaining;

        synchronized void open(QueryResult r, long maxRows) {
            closeResult();
            result = r;
            types = r.columns().stream().map(ResultColumn::type).toList();
            jsonColumns = null;
            if (settings.nestedAsJson()) {
                List<ResultColumn> cols = r.columns();
                for (int i = 0; i < cols.size(); i++) {
                    ColumnMetaData c = JdbcTypes.columnMetaData(i, cols.get(i));
                    if (WireFormat.nested(c)) {
                        if (jsonColumns == null) {
                            jsonColumns = new ColumnMetaData.AvaticaType[cols.size()];
                        }
                        jsonColumns[i] = c.type;
                    }
                }
            }
            batch = null;
            readers = null;
            position = 0;
            remaining = maxRows > 0 ? maxRows : Long.MAX_VALUE;
        }

        synchronized Frame fetch(long offset, int maxCount) {
            if (result == null) {
                return new Frame(offset, true, List.of());
            }
            int limit = maxCount > 0 ? maxCount : DEFAULT_FRAME_ROWS;
            List<Object> rows = new ArrayList<>();
            boolean exhausted = false;
            try {
                while (rows.size() < limit && remaining > 0) {
                    if (batch == null || position >= batch.getRowCount()) {
                        batch = result.nextBatch();
                        if (batch == null) {
                            exhausted = true;
                            break;
                        }
                        readers = ArrowRows.readers(batch, types, settings.timeZone());
                        position = 0;
                        continue;
                    }
                    int n = (int) Math.min(Math.min(limit - rows.size(), batch.getRowCount() - position), remaining);
                    List<Object> cut = ArrowRows.rows(readers, position, position + n);
                    if (jsonColumns != null) {
                        toJson(cut, jsonColumns);
                    }
                    rows.addAll(cut);
                    position += n;
                    remaining -= n;
                }
            } catch (RuntimeException e) {
                closeResult();
                throw e;
            }
            boolean done = exhausted || remaining == 0;
            if (done) {
                closeResult();
            }
            return new Frame(offset, done, rows);
        }

        synchronized void closeResult() {
            QueryResult r = result;
            result = null;
            batch = null;
            readers = null;
            if (r != null) {
                r.close();
            }
        }

        synchronized void close() {
            try {
                closeResult();
            } finally {
                if (prepared != null) {
                    prepared.close();
                    prepared = null;
                }
            }
        }
    }

    private static void toJson(List<Object> rows, ColumnMetaData.AvaticaType[] jsonColumns) {
        for (Object row : rows) {
            Object[] values = (Object[]) row;
            for (int i = 0; i < jsonColumns.length; i++) {
                if (jsonColumns[i] != null) {
                    values[i] = WireFormat.value(values[i], jsonColumns[i]);
                }
            }
        }
    }

    private StatementState state(StatementHandle h) {
        return statements.computeIfAbsent(h.id, id -> new StatementState());
    }

    @Override
    public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
        StatementHandle h = createStatement(ch);
        PreparedQuery pq = session.prepare(sql);
        StatementState st = state(h);
        st.prepared = pq;
        st.preparedMaxRows = maxRowCount;
        List<AvaticaParameter> params = new ArrayList<>();
        for (ResultColumn p : pq.parameters()) {
            params.add(JdbcTypes.parameter(params.size(), p));
        }
        h.signature = signature(sql, pq.columns(), params);
        return h;
    }

    @SuppressWarnings("deprecation")
    @Override
    public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, PrepareCallback callback)
            throws NoSuchStatementException {
        return prepareAndExecute(h, sql, maxRowCount, -1, callback);
    }

    @Override
    public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, int maxRowsInFirstFrame,
                                           PrepareCallback callback) throws NoSuchStatementException {
        StatementState st = state(h);
        st.closeResult();
        MetaResultSet rs;
        try {
            synchronized (callback.getMonitor()) {
                callback.clear();
                QueryResult r = session.execute(sql);
                rs = resultSet(h, st, sql, r, maxRowCount, maxRowsInFirstFrame);
                if (rs.signature == null) {
                    callback.assign(signature(sql, List.of(), List.of()), null, rs.updateCount);
                } else {
                    callback.assign(rs.signature, rs.firstFrame, -1);
                }
            }
            callback.execute();
        } catch (java.sql.SQLException e) {
            throw new RuntimeException(e);
        }
        return new ExecuteResult(List.of(rs));
    }

    @SuppressWarnings("deprecation")
    @Override
    public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, long maxRowCount)
            throws NoSuchStatementException {
        return execute(h, parameterValues, org.apache.calcite.avatica.AvaticaUtils.toSaturatedInt(maxRowCount));
    }

    @Override
    public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, int maxRowsInFirstFrame)
            throws NoSuchStatementException {
        StatementState st = statements.get(h.id);
        if (st == null || st.prepared == null) {
            throw new NoSuchStatementException(h);
        }
        st.closeResult();
        List<Object> values = parameters(st.prepared, parameterValues);
        QueryResult r = st.prepared.execute(values);
        String sql = h.signature == null ? "" : h.signature.sql;
        long maxRows = maxRows(h);
        if (maxRows <= 0) {
            maxRows = st.preparedMaxRows; // a remote client's statement is not in this connection
        }
        return new ExecuteResult(List.of(resultSet(h, st, sql, r, maxRows, maxRowsInFirstFrame)));
    }

    @Override
    public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands) {
        long[] counts = new long[sqlCommands.size()];
        for (int i = 0; i < counts.length; i++) {
            try (QueryResult r = session.execute(sqlCommands.get(i))) {
                counts[i] = updateCount(r, sqlCommands.get(i));
            }
        }
        return new ExecuteBatchResult(counts);
    }

    @Override
    public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues)
            throws NoSuchStatementException {
        StatementState st = statements.get(h.id);
        if (st == null || st.prepared == null) {
            throw new NoSuchStatementException(h);
        }
        String sql = h.signature == null ? "" : h.signature.sql;
        long[] counts = new long[parameterValues.size()];
        String multiRow = counts.length > 1 ? BatchInsert.multiRow(sql, counts.length) : null;
        if (multiRow != null) {
            // One INSERT of every row: the whole batch is one commit, all or nothing.
            List<Object> all = new ArrayList<>();
            for (List<TypedValue> row : parameterValues) {
                all.addAll(parameters(st.prepared, row));
            }
            try (PreparedQuery pq = session.prepare(multiRow); QueryResult r = pq.execute(all)) {
                long total = updateCount(r, sql);
                if (total != counts.length) {
                    throw new TarnException(ErrorCode.INTERNAL_ERROR, "A batch of " + counts.length
                            + " rows inserted " + total + " rows: " + sql);
                }
            }
            java.util.Arrays.fill(counts, 1);
            return new ExecuteBatchResult(counts);
        }
        for (int i = 0; i < counts.length; i++) {
            try (QueryResult r = st.prepared.execute(parameters(st.prepared, parameterValues.get(i)))) {
                counts[i] = updateCount(r, sql);
            }
        }
        return new ExecuteBatchResult(counts);
    }

    private static long updateCount(QueryResult r, String sql) {
        return switch (r.kind()) {
            case UPDATE_COUNT -> r.updateCount();
            case OK -> 0;
            case ROWS -> throw new TarnException(ErrorCode.VALIDATION_ERROR,
                    "A batch may not contain a query that returns rows: " + sql);
        };
    }

    private List<Object> parameters(PreparedQuery pq, List<TypedValue> values) {
        List<ResultColumn> expected = pq.parameters();
        List<TypedValue> given = values == null ? List.of() : values;
        if (given.size() != expected.size()) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "The statement has " + expected.size()
                    + " parameter(s) but " + given.size() + " value(s) were given");
        }
        for (int i = 0; i < given.size(); i++) {
            if (given.get(i) == null) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "Parameter " + (i + 1) + " is not set");
            }
        }
        return Parameters.convert(given, expected, settings.timeZone());
    }

    private long maxRows(StatementHandle h) {
        AvaticaStatement statement = connection.statementMap.get(h.id);
        try {
            return statement == null ? -1 : statement.getLargeMaxRows();
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }

    private MetaResultSet resultSet(StatementHandle h, StatementState st, String sql, QueryResult r, long maxRows,
                                    int firstFrameRows) {
        switch (r.kind()) {
            case ROWS: {
                st.open(r, maxRows);
                Signature signature = signature(sql, r.columns(), List.of());
                Frame first = st.fetch(0, firstFrameRows);
                return MetaResultSet.create(h.connectionId, h.id, false, signature, first);
            }
            case UPDATE_COUNT: {
                long count = r.updateCount();
                r.close();
                return MetaResultSet.count(h.connectionId, h.id, Math.max(count, 0));
            }
            default:
                r.close();
                return MetaResultSet.count(h.connectionId, h.id, 0);
        }
    }

    private Signature signature(String sql, List<ResultColumn> columns, List<AvaticaParameter> params) {
        List<ColumnMetaData> cols = new ArrayList<>(columns.size());
        for (ResultColumn c : columns) {
            ColumnMetaData m = JdbcTypes.columnMetaData(cols.size(), c);
            cols.add(settings.nestedAsJson() && WireFormat.nested(m) ? WireFormat.asJsonText(m) : m);
        }
        return new Signature(cols, sql, params, Map.of(), CursorFactory.ARRAY,
                columns.isEmpty() ? statementType(sql) : StatementType.SELECT);
    }

    /** The kind of a statement that returns no rows, from its first keyword (Avatica only uses it for display). */
    static StatementType statementType(String sql) {
        String s = sql.stripLeading();
        int end = 0;
        while (end < s.length() && Character.isLetter(s.charAt(end))) {
            end++;
        }
        return switch (s.substring(0, end).toUpperCase(Locale.ROOT)) {
            case "INSERT" -> StatementType.INSERT;
            case "UPDATE" -> StatementType.UPDATE;
            case "DELETE" -> StatementType.DELETE;
            case "MERGE" -> StatementType.MERGE;
            case "CREATE" -> StatementType.CREATE;
            case "DROP" -> StatementType.DROP;
            case "ALTER" -> StatementType.ALTER;
            default -> StatementType.OTHER_DDL;
        };
    }

    @Override
    public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount)
            throws NoSuchStatementException, MissingResultsException {
        StatementState st = statements.get(h.id);
        if (st == null) {
            throw new NoSuchStatementException(h);
        }
        return st.fetch(offset, fetchMaxRowCount);
    }

    /** Closes the query result a statement is streaming, keeping its prepared form. */
    void closeResult(StatementHandle h) {
        StatementState st = statements.get(h.id);
        if (st != null) {
            st.closeResult();
        }
    }

    @Override
    public void closeStatement(StatementHandle h) {
        StatementState st = statements.remove(h.id);
        if (st != null) {
            st.close();
        }
    }

    @Override
    public boolean syncResults(StatementHandle sh, QueryState state, long offset) {
        // Results live in this JVM; there is never a server-side cursor to re-create.
        return false;
    }

    @Override
    public void commit(ConnectionHandle ch) {
        // Auto-commit only: every statement has already committed.
    }

    @Override
    public void rollback(ConnectionHandle ch) {
        // Auto-commit only: there is never an open transaction to roll back.
    }

    @Override
    public ConnectionProperties connectionSync(ConnectionHandle ch, ConnectionProperties props) {
        if (props.isAutoCommit() != null && !props.isAutoCommit()) {
            throw new TarnException(ErrorCode.TRANSACTION_NOT_SUPPORTED,
                    "Tarn runs every statement in auto-commit mode; setAutoCommit(false) is not supported");
        }
        if (props.getSchema() != null) {
            session.setCurrentSchema(props.getSchema());
        }
        if (props.isReadOnly() != null) {
            session.setReadOnly(props.isReadOnly());
        }
        connProps.setAutoCommit(true);
        connProps.setReadOnly(session.isReadOnly());
        connProps.setSchema(session.currentSchema());
        // Every statement commits alone against one snapshot; conflicting commits fail: serializable per statement.
        connProps.setTransactionIsolation(java.sql.Connection.TRANSACTION_SERIALIZABLE);
        connProps.setDirty(false);
        return connProps;
    }

    @Override
    public synchronized void closeConnection(ConnectionHandle ch) {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        for (StatementState st : List.copyOf(statements.values())) {
            try {
                st.close();
            } catch (RuntimeException e) {
                failure = addFailure(failure, e);
            }
        }
        statements.clear();
        try {
            session.close();
        } catch (RuntimeException e) {
            failure = addFailure(failure, e);
        }
        try {
            lease.close();
        } catch (RuntimeException e) {
            failure = addFailure(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException addFailure(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    @Override
    public Map<DatabaseProperty, Object> getDatabaseProperties(ConnectionHandle ch) {
        Map<DatabaseProperty, Object> m = new HashMap<>();
        m.put(DatabaseProperty.GET_DATABASE_PRODUCT_NAME, "Tarn");
        m.put(DatabaseProperty.GET_DATABASE_PRODUCT_VERSION, DriverInfo.VERSION);
        m.put(DatabaseProperty.GET_DATABASE_MAJOR_VERSION, DriverInfo.MAJOR);
        m.put(DatabaseProperty.GET_DATABASE_MINOR_VERSION, DriverInfo.MINOR);
        m.put(DatabaseProperty.GET_DRIVER_NAME, DriverInfo.NAME);
        m.put(DatabaseProperty.GET_DRIVER_VERSION, DriverInfo.VERSION);
        m.put(DatabaseProperty.GET_DRIVER_MAJOR_VERSION, DriverInfo.MAJOR);
        m.put(DatabaseProperty.GET_DRIVER_MINOR_VERSION, DriverInfo.MINOR);
        m.put(DatabaseProperty.GET_DEFAULT_TRANSACTION_ISOLATION, java.sql.Connection.TRANSACTION_SERIALIZABLE);
        m.put(DatabaseProperty.GET_NUMERIC_FUNCTIONS, EngineFunctions.names(EngineFunctions.Kind.NUMERIC));
        m.put(DatabaseProperty.GET_STRING_FUNCTIONS, EngineFunctions.names(EngineFunctions.Kind.STRING));
        m.put(DatabaseProperty.GET_TIME_DATE_FUNCTIONS, EngineFunctions.names(EngineFunctions.Kind.TIME_DATE));
        m.put(DatabaseProperty.GET_SYSTEM_FUNCTIONS, EngineFunctions.names(EngineFunctions.Kind.SYSTEM));
        m.put(DatabaseProperty.GET_S_Q_L_KEYWORDS, EngineFunctions.sqlKeywords());
        return m;
    }

    // Catalog metadata.

    @Override
    public MetaResultSet getSchemas(ConnectionHandle ch, String catalog, Pat schemaPattern) {
        return catalogMetadata.schemas(catalog, schemaPattern);
    }

    @Override
    public MetaResultSet getTables(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
                                   List<String> typeList) {
        return catalogMetadata.tables(catalog, schemaPattern, tableNamePattern, typeList);
    }

    @Override
    public MetaResultSet getColumns(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
                                    Pat columnNamePattern) {
        return catalogMetadata.columns(catalog, schemaPattern, tableNamePattern, columnNamePattern);
    }

    @Override
    public MetaResultSet getCatalogs(ConnectionHandle ch) {
        return catalogMetadata.catalogs();
    }

    @Override
    public MetaResultSet getTableTypes(ConnectionHandle ch) {
        return catalogMetadata.tableTypes();
    }

    @Override
    public MetaResultSet getFunctions(ConnectionHandle ch, String catalog, Pat schemaPattern,
                                      Pat functionNamePattern) {
        return catalogMetadata.functions(catalog, functionNamePattern);
    }

    @Override
    public MetaResultSet getTypeInfo(ConnectionHandle ch) {
        return catalogMetadata.typeInfo();
    }

    /** Lets {@link CatalogMetadata} build result sets through MetaImpl's protected helper. */
    MetaResultSet arrayResultSet(List<ColumnMetaData> columns, List<Object[]> rows) {
        return createResultSet(Map.of(), columns, CursorFactory.ARRAY, new Frame(0, true, new ArrayList<>(rows)));
    }
}
