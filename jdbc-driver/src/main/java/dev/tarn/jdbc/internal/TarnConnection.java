package dev.tarn.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Properties;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.AvaticaPreparedStatement;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.UnregisteredDriver;

/**
 * A connection to one lake through one {@link dev.tarn.query.Session}. Every entry point that runs SQL turns Tarn
 * errors into SQLExceptions with Tarn's SQLState, vendor code and message (Avatica alone would drop them).
 */
public final class TarnConnection extends AvaticaConnection {
    TarnConnection(UnregisteredDriver driver, AvaticaFactory factory, String url, Properties info) {
        super(driver, factory, url, info);
    }

    /** The property under which the driver hands the full URL to the connection (Avatica keeps its own copy private). */
    public static final String URL_PROPERTY = "tarn.internal.url";

    /** Called by the driver while the superclass constructor runs: the properties are already set. */
    public ConnectionSettings parseSettings() {
        return ConnectionSettings.parse(info.getProperty(URL_PROPERTY), info);
    }

    public TarnMeta tarnMeta() {
        return (TarnMeta) meta;
    }

    void cancelRunning() throws SQLException {
        checkOpen();
        tarnMeta().cancel();
    }

    /** Fires query timeouts; one daemon thread for every connection in the JVM. */
    private static final ScheduledExecutorService TIMEOUTS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tarn-jdbc-query-timeout");
        t.setDaemon(true);
        return t;
    });

    @FunctionalInterface
    private interface SqlCall<T> {
        T run() throws SQLException, NoSuchStatementException;
    }

    /**
     * Runs a statement under its query timeout: when it expires the session's running statement is cancelled, which
     * fails it with QUERY_CANCELLED (SQLState 57014). Errors carry Tarn's SQLState.
     */
    private <T> T run(AvaticaStatement statement, SqlCall<T> call) throws SQLException, NoSuchStatementException {
        int seconds = statement == null ? 0 : statement.getQueryTimeout();
        // Once expired, the timer keeps cancelling until the call returns: a cancel that lands while the statement
        // is still being planned finds nothing running yet and would otherwise be lost.
        ScheduledFuture<?> timer = seconds > 0
                ? TIMEOUTS.scheduleAtFixedRate(() -> tarnMeta().cancel(), seconds * 1000L, 100, TimeUnit.MILLISECONDS)
                : null;
        try {
            return call.run();
        } catch (SQLException | RuntimeException e) {
            throw SqlErrors.toSqlException(e);
        } finally {
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }

    private static void checkResultSetType(int resultSetType, int resultSetConcurrency) throws SQLException {
        if (resultSetType != ResultSet.TYPE_FORWARD_ONLY) {
            throw new SQLFeatureNotSupportedException("Tarn result sets are forward-only (TYPE_FORWARD_ONLY); "
                    + "scrollable result sets are not supported", "0A000");
        }
        if (resultSetConcurrency != ResultSet.CONCUR_READ_ONLY) {
            throw new SQLFeatureNotSupportedException("Tarn result sets are read-only (CONCUR_READ_ONLY)", "0A000");
        }
    }

    @Override
    public AvaticaStatement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        checkResultSetType(resultSetType, resultSetConcurrency);
        return super.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability);
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        // Tarn has no catalogs; JDBC says a driver without catalogs ignores this.
        checkOpen();
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
                                              int resultSetHoldability) throws SQLException {
        checkResultSetType(resultSetType, resultSetConcurrency);
        try {
            return super.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
        } catch (SQLException | RuntimeException e) {
            throw SqlErrors.toSqlException(e);
        }
    }

    @Override
    protected ResultSet executeQueryInternal(AvaticaStatement statement, Meta.Signature signature,
                                             Meta.Frame firstFrame, QueryState state, boolean isUpdate)
            throws SQLException {
        try {
            return run(statement, () -> super.executeQueryInternal(statement, signature, firstFrame, state, isUpdate));
        } catch (NoSuchStatementException e) {
            throw SqlErrors.toSqlException(e);
        }
    }

    @Override
    protected Meta.ExecuteResult prepareAndExecuteInternal(AvaticaStatement statement, String sql, long maxRowCount)
            throws SQLException, NoSuchStatementException {
        return run(statement, () -> super.prepareAndExecuteInternal(statement, sql, maxRowCount));
    }

    @Override
    protected long[] executeBatchUpdateInternal(AvaticaPreparedStatement pstmt) throws SQLException {
        try {
            return run(pstmt, () -> super.executeBatchUpdateInternal(pstmt));
        } catch (NoSuchStatementException e) {
            throw SqlErrors.toSqlException(e);
        }
    }

    @Override
    protected Meta.ExecuteBatchResult prepareAndUpdateBatch(AvaticaStatement statement, List<String> queries)
            throws NoSuchStatementException, SQLException {
        return run(statement, () -> super.prepareAndUpdateBatch(statement, queries));
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        try {
            super.setSchema(schema);
        } catch (RuntimeException e) {
            throw SqlErrors.toSqlException(e);
        }
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        try {
            super.setReadOnly(readOnly);
        } catch (RuntimeException e) {
            throw SqlErrors.toSqlException(e);
        }
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        try {
            super.setAutoCommit(autoCommit);
        } catch (RuntimeException e) {
            throw SqlErrors.toSqlException(e);
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            super.close();
        } catch (SQLException | RuntimeException e) {
            throw SqlErrors.toSqlException(e);
        }
    }
}
