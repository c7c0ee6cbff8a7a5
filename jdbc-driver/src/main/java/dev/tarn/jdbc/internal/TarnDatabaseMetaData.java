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
}
