package dev.tarn.query.internal.ddl;

import java.util.Optional;

/**
 * A table as a statement names it: {@code t}, {@code s.t}, or {@code delta.`/abs/path`}.
 *
 * @param schema the schema, empty for an unqualified name or a path
 * @param name the table name, or the path for a path-named table
 * @param path whether {@code name} is a filesystem path
 */
public record TableName(Optional<String> schema, String name, boolean path) {
    public TableName {
        java.util.Objects.requireNonNull(schema, "schema is null");
        java.util.Objects.requireNonNull(name, "name is null");
        if (path && schema.isPresent()) {
            throw new IllegalArgumentException("a path-named table has no schema");
        }
    }

    public static TableName of(String schema, String name) {
        return new TableName(Optional.ofNullable(schema), name, false);
    }

    public static TableName ofPath(String path) {
        return new TableName(Optional.empty(), path, true);
    }

    @Override
    public String toString() {
        if (path) {
            return "delta.`" + name + "`";
        }
        return schema.map(s -> s + "." + name).orElse(name);
    }
}
