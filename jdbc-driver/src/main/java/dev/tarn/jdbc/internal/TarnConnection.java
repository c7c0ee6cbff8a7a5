package dev.tarn.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
                                              int resultSetHoldability) throws SQLException {
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
            return super.executeQueryInternal(statement, signature, firstFrame, state, isUpdate);
        } catch (SQLException | RuntimeException e) {
            throw SqlErrors.toSqlException(e);
        }
    }

    @Override
    protected Meta.ExecuteResult prepareAndExecuteInternal(AvaticaStatement statement, String sql, long maxRowCount)
            throws SQLException, NoSuchStatementException {
        try {
            return super.prepareAndExecuteInternal(statement, sql, maxRowCount);
        } catch (SQLException | RuntimeException e) {
            throw SqlErrors.toSqlException(e);
        }
    }

    @Override
    protected long[] executeBatchUpdateInternal(AvaticaPreparedStatement pstmt) throws SQLException {
        try {
            return super.executeBatchUpdateInternal(pstmt);
        } catch (SQLException | RuntimeException e) {
            throw SqlErrors.toSqlException(e);
        }
    }

    @Override
    protected Meta.ExecuteBatchResult prepareAndUpdateBatch(AvaticaStatement statement, List<String> queries)
            throws NoSuchStatementException, SQLException {
        try {
            return super.prepareAndUpdateBatch(statement, queries);
        } catch (SQLException | RuntimeException e) {
            throw SqlErrors.toSqlException(e);
        }
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
