package dev.tarn.query;

import java.util.List;
import java.util.Optional;

/** Read-only view of the lake's schemas and tables. */
public interface CatalogView {
    /** Schema names, sorted. */
    List<String> schemas();

    /** Tables of a schema, sorted by name; empty when the schema does not exist. */
    List<TableInfo> tables(String schema);

    Optional<TableInfo> table(String schema, String table);
}
