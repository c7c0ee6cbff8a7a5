package dev.tarn.query.internal.dml.merge;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.internal.catalog.LakeCatalog;
import dev.tarn.query.internal.catalog.TableHandle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A catalog that resolves each table once: the MERGE target the statement writes is the very snapshot its join
 * scanned (the positions it deletes are positions in that snapshot's files), even though planning runs several
 * queries.
 */
final class PinnedCatalog implements LakeCatalog {
    private final LakeCatalog delegate;
    private final Map<String, Optional<TableHandle>> pinned = new ConcurrentHashMap<>();

    PinnedCatalog(LakeCatalog delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    @Override
    public List<String> schemaNames() {
        return delegate.schemaNames();
    }

    @Override
    public boolean schemaExists(String schema) {
        return delegate.schemaExists(schema);
    }

    @Override
    public List<String> tableNames(String schema) {
        return delegate.tableNames(schema);
    }

    @Override
    public Optional<TableHandle> table(String schema, String table) {
        String key = "t:" + schema.toLowerCase(Locale.ROOT) + "." + table.toLowerCase(Locale.ROOT);
        return pinned.computeIfAbsent(key, k -> delegate.table(schema, table));
    }

    @Override
    public Optional<TableHandle> tableByPath(String path) {
        return pinned.computeIfAbsent("p:" + path, k -> delegate.tableByPath(path));
    }
}
