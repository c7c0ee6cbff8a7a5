package dev.tarn.jdbc.internal;

import dev.tarn.error.TarnException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

/**
 * Maps Tarn's error taxonomy onto JDBC: the SQLState and vendor code come from the {@link TarnException}'s
 * {@link dev.tarn.error.ErrorCode}, the message is Tarn's, and the TarnException is kept as the cause. Avatica wraps
 * what a Meta throws in SQLExceptions without a state, so every entry point unwraps through here.
 */
public final class SqlErrors {
    private SqlErrors() {}

    /** The TarnException somewhere in the cause chain, or null. */
    public static TarnException findTarnException(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TarnException te) {
                return te;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    /** A SQLException for any failure, carrying the Tarn SQLState when a TarnException caused it. */
    public static SQLException toSqlException(Throwable t) {
        TarnException te = findTarnException(t);
        if (te != null) {
            if (t instanceof SQLException sql && te.errorCode().sqlState().equals(sql.getSQLState())
                    && sql.getErrorCode() == te.errorCode().code()) {
                return sql;
            }
            return new SQLException(te.getMessage(), te.errorCode().sqlState(), te.errorCode().code(), te);
        }
        if (t instanceof SQLException sql) {
            return sql;
        }
        if (t instanceof UnsupportedOperationException) {
            return new SQLFeatureNotSupportedException(t.getMessage(), "0A000", t);
        }
        return new SQLException(String.valueOf(t.getMessage()), "XX000", t);
    }
}
