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

    // Identifiers follow Tarn's Spark-like SQL dialect (query module, SparkDialect): backtick quoting, names kept as
    // written and matched case-insensitively.

    @Override
    public String getIdentifierQuoteString() {
        return "`";
    }

    @Override
    public boolean storesMixedCaseIdentifiers() {
        return true;
    }

    @Override
    public boolean supportsMixedCaseIdentifiers() {
        return false;
    }

    @Override
    public boolean storesMixedCaseQuotedIdentifiers() {
        return true;
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
    public boolean storesLowerCaseIdentifiers() {
        return false;
    }
}
