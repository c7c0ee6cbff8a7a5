package dev.tarn.jdbc.internal;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaDatabaseMetaData;

/** Avatica's DatabaseMetaData, answering from {@link TarnMeta}; the hooks Tarn changes are here. */
final class TarnDatabaseMetaData extends AvaticaDatabaseMetaData {
    TarnDatabaseMetaData(AvaticaConnection connection) {
        super(connection);
    }

    @Override
    public boolean supportsTransactions() {
        // Each statement is its own atomic commit; there are no multi-statement transactions.
        return false;
    }

    @Override
    public String getSchemaTerm() {
        return "schema";
    }

    @Override
    public String getCatalogTerm() {
        return "catalog";
    }

    // Identifiers follow Tarn's Spark-like SQL dialect (query module, SparkDialect): backtick quoting, all names
    // matched ignoring case. Schema and table names are stored lower-case, quoted or not; column names keep the
    // case they were written in (JDBC has one flag for both: lower-case is what tools need to find tables, and
    // metadata patterns match ignoring case, so columns are found too).

    @Override
    public String getIdentifierQuoteString() {
        return "`";
    }

    @Override
    public boolean storesMixedCaseIdentifiers() {
        return false;
    }

    @Override
    public boolean supportsMixedCaseIdentifiers() {
        return false;
    }

    @Override
    public boolean storesMixedCaseQuotedIdentifiers() {
        return false;
    }

    @Override
    public boolean supportsMixedCaseQuotedIdentifiers() {
        return false;
    }

    @Override
    public boolean storesUpperCaseIdentifiers() {
        return false;
    }

    @Override
    public boolean storesUpperCaseQuotedIdentifiers() {
        return false;
    }

    @Override
    public boolean storesLowerCaseIdentifiers() {
        return true;
    }

    @Override
    public boolean storesLowerCaseQuotedIdentifiers() {
        return true;
    }

    @Override
    public String getCatalogSeparator() {
        return ".";
    }

    @Override
    public String getSearchStringEscape() {
        // CatalogMetadata reads LIKE patterns with backslash as the escape.
        return "\\";
    }

    @Override
    public String getExtraNameCharacters() {
        return "";
    }

    @Override
    public boolean supportsResultSetType(int type) {
        return type == java.sql.ResultSet.TYPE_FORWARD_ONLY;
    }

    @Override
    public boolean supportsResultSetConcurrency(int type, int concurrency) {
        return type == java.sql.ResultSet.TYPE_FORWARD_ONLY && concurrency == java.sql.ResultSet.CONCUR_READ_ONLY;
    }

    @Override
    public boolean supportsTransactionIsolationLevel(int level) {
        return level == java.sql.Connection.TRANSACTION_SERIALIZABLE;
    }

    @Override
    public boolean supportsBatchUpdates() {
        return true;
    }
}
