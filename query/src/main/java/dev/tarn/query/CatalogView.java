package dev.tarn.query;

import java.util.List;
import java.util.Optional;

/** Read-only view of the lake's schemas and tables. */
public interface CatalogView {
    /** Schema names, sorted. */
    List<String> schemas();

    /**
     * Names of the tables of a schema, sorted; empty when the schema does not exist. Unlike {@link #tables}, it
     * includes tables whose log cannot be read (so a maintenance run can report them).
     */
    List<String> tableNames(String schema);

    /** Tables of a schema, sorted by name; empty when the schema does not exist. */
    List<TableInfo> tables(String schema);

    Optional<TableInfo> table(String schema, String table);
}
