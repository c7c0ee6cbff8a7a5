package dev.tarn.query.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.TarnException;
import dev.tarn.query.CatalogView;
import dev.tarn.query.TableInfo;
import dev.tarn.query.internal.catalog.DeltaLakeCatalog;
import dev.tarn.query.internal.catalog.DeltaTableHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The catalog as sessions and clients see it; every call reads the lake afresh. */
final class CatalogViewImpl implements CatalogView {
    private final DeltaLakeCatalog catalog;

    CatalogViewImpl(DeltaLakeCatalog catalog) {
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    @Override
    public List<String> schemas() {
        return catalog.schemaNames();
    }

    @Override
    public List<String> tableNames(String schema) {
        return catalog.tableNames(schema);
    }

    @Override
    public List<TableInfo> tables(String schema) {
        List<TableInfo> out = new ArrayList<>();
        for (String name : catalog.tableNames(schema)) {
            try {
                table(schema, name).ifPresent(out::add);
            } catch (TarnException e) {
                // A table whose log cannot be read is still listed by name elsewhere (SHOW TABLES); metadata
                // listings skip it rather than failing for the whole schema.
            }
        }
        return out;
    }

    @Override
    public Optional<TableInfo> table(String schema, String table) {
        return catalog.table(schema, table).map(h -> info(schema, (DeltaTableHandle) h));
    }

    private TableInfo info(String schema, DeltaTableHandle h) {
        String dirSchema = catalog.schemaDirectoryName(schema).orElse(schema);
        return new TableInfo(dirSchema, h.tableName(), h.location(), h.schema(), h.partitionColumns(), h.version(),
                h.comment());
    }
}
