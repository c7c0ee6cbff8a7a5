package dev.tarn.query.internal.catalog;

import java.util.List;
import java.util.Optional;

/**
 * The lake's schemas and tables as the SQL engine resolves names. Implemented over Delta tables; the SQL engine
 * knows only this interface and {@link TableHandle}.
 */
public interface LakeCatalog {
    /** Schema names, sorted. */
    List<String> schemaNames();

    boolean schemaExists(String schema);

    /** Table names of a schema, sorted. */
    List<String> tableNames(String schema);

    /** A table of the lake (names matched case-insensitively), pinned at its latest version. */
    Optional<TableHandle> table(String schema, String table);

    /** Any Delta table named by path, as in {@code delta.`/abs/path`}; pinned at its latest version. */
    Optional<TableHandle> tableByPath(String path);
}
