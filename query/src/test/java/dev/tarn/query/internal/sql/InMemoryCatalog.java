package dev.tarn.query.internal.sql;

import dev.tarn.query.internal.catalog.LakeCatalog;
import dev.tarn.query.internal.catalog.TableHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A hand-written LakeCatalog over {@link InMemoryTable}s: the test seam between the SQL engine and Delta. */
final class InMemoryCatalog implements LakeCatalog {
    private final Map<String, Map<String, TableHandle>> schemas = new TreeMap<>();
    private final Map<String, InMemoryTable> paths = new TreeMap<>();
    int tableLookups;

    InMemoryCatalog schema(String name) {
        schemas.computeIfAbsent(name, k -> new TreeMap<>());
        return this;
    }

    InMemoryCatalog add(String schema, String name, TableHandle table) {
        schemas.computeIfAbsent(schema, k -> new TreeMap<>()).put(name, table);
        return this;
    }

    InMemoryCatalog addPath(String path, InMemoryTable table) {
        paths.put(path, table);
        return this;
    }

    @Override
    public List<String> schemaNames() {
        return new ArrayList<>(schemas.keySet());
    }

    @Override
    public boolean schemaExists(String schema) {
        return schemas.keySet().stream().anyMatch(s -> s.equalsIgnoreCase(schema));
    }

    @Override
    public List<String> tableNames(String schema) {
        for (var e : schemas.entrySet()) {
            if (e.getKey().equalsIgnoreCase(schema)) {
                return new ArrayList<>(e.getValue().keySet());
            }
        }
        return List.of();
    }

    @Override
    public Optional<TableHandle> table(String schema, String table) {
        tableLookups++;
        for (var e : schemas.entrySet()) {
            if (e.getKey().equalsIgnoreCase(schema)) {
                for (var t : e.getValue().entrySet()) {
                    if (t.getKey().toLowerCase(Locale.ROOT).equals(table.toLowerCase(Locale.ROOT))) {
                        return Optional.of(t.getValue());
                    }
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<TableHandle> tableByPath(String path) {
        return Optional.ofNullable(paths.get(path));
    }
}
