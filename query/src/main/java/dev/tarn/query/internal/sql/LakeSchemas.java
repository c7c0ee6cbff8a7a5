package dev.tarn.query.internal.sql;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.internal.catalog.LakeCatalog;
import dev.tarn.query.internal.catalog.TableHandle;
import dev.tarn.query.internal.plan.HiddenColumns;
import dev.tarn.query.internal.plan.TypeMapping;
import dev.tarn.txlog.types.StructField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.schema.lookup.Lookup;
import org.apache.calcite.schema.lookup.Named;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The Calcite view of a {@link LakeCatalog} for one statement: one sub-schema per lake schema whose tables are
 * resolved lazily, plus the schema {@code delta} in which any name is a table path. Every table resolves at most
 * once per statement (the handle, and so the snapshot, is pinned for the whole plan).
 */
final class LakeSchemas {
    static final String PATH_SCHEMA = "delta";

    private final LakeCatalog catalog;
    /** Pinned handles by lower-cased "schema.table" (or "delta.path"). */
    private final Map<String, Optional<TableHandle>> pinned = new HashMap<>();
    /** Lower-cased names of the hidden columns of the tables resolved so far (kept out of SELECT *). */
    private final java.util.Set<String> hiddenNames = java.util.concurrent.ConcurrentHashMap.newKeySet();

    LakeSchemas(LakeCatalog catalog) {
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    /** A root schema with the lake's schemas, the {@code delta} path schema and Tarn's type aliases. */
    SchemaPlus root() {
        SchemaPlus root = CalciteSchema.createRootSchema(false, false).plus();
        for (String schema : catalog.schemaNames()) {
            if (!schema.equalsIgnoreCase(PATH_SCHEMA)) {
                root.add(schema, new LakeSchema(schema));
            }
        }
        root.add(PATH_SCHEMA, new PathSchema());
        root.add("STRING", f -> f.createTypeWithNullability(f.createSqlType(SqlTypeName.VARCHAR), true));
        root.add("TIMESTAMP_NTZ", f -> f.createTypeWithNullability(
                f.createSqlType(SqlTypeName.TIMESTAMP, TypeMapping.TIMESTAMP_PRECISION), true));
        return root;
    }

    /** The hidden column names (lower case) of the tables resolved so far. */
    java.util.Set<String> hiddenNames() {
        return java.util.Set.copyOf(hiddenNames);
    }

    private Optional<TableHandle> resolve(String schema, String name) {
        String key = schema.toLowerCase(Locale.ROOT) + "." + (schema.equals(PATH_SCHEMA) ? name : name.toLowerCase(Locale.ROOT));
        Optional<TableHandle> handle = pinned.computeIfAbsent(key,
                k -> schema.equals(PATH_SCHEMA) ? catalog.tableByPath(name) : catalog.table(schema, name));
        if (handle.isPresent() && handle.get() instanceof HiddenColumns hidden) {
            hidden.hiddenColumns().forEach(f -> hiddenNames.add(f.name().toLowerCase(Locale.ROOT)));
        }
        return handle;
    }

    /** A table of the lake as Calcite sees it; {@link #handle()} is the pinned snapshot the plan reads. */
    static final class LakeTable extends AbstractTable {
        private final TableHandle handle;

        LakeTable(TableHandle handle) {
            this.handle = requireNonNull(handle, "handle is null");
        }

        TableHandle handle() {
            return handle;
        }

        @Override
        public RelDataType getRowType(RelDataTypeFactory f) {
            List<RelDataType> types = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (StructField field : handle.schema().fields()) {
                names.add(field.name());
                // Generated and identity columns are nullable to the validator so that INSERT may leave them out.
                types.add(TypeMapping.toCalcite(field.type(),
                        field.nullable() || dev.tarn.query.internal.write.WriteChecks.isComputed(field), f));
            }
            if (handle instanceof HiddenColumns hidden) {
                // After the visible columns; nullable, so that an INSERT may leave them out.
                for (StructField field : hidden.hiddenColumns()) {
                    names.add(field.name());
                    types.add(TypeMapping.toCalcite(field.type(), true, f));
                }
            }
            return f.createStructType(types, names);
        }
    }

    private final class LakeSchema extends AbstractSchema {
        private final String schema;

        LakeSchema(String schema) {
            this.schema = schema;
        }

        @Override
        public Lookup<Table> tables() {
            return new Lookup<>() {
                @Override
                public Table get(String name) {
                    return resolve(schema, name).map(h -> (Table) new LakeTable(h)).orElse(null);
                }

                @Override
                public Named<Table> getIgnoreCase(String name) {
                    Optional<TableHandle> h = resolve(schema, name);
                    if (h.isEmpty()) {
                        return null;
                    }
                    // The name as written: listing the schema to find the stored spelling would cost a directory scan.
                    return new Named<>(name, new LakeTable(h.get()));
                }

                @Override
                public Set<String> getNames(LikePattern pattern) {
                    Set<String> out = new LinkedHashSet<>();
                    for (String n : catalog.tableNames(schema)) {
                        if (pattern.matcher().apply(n)) {
                            out.add(n);
                        }
                    }
                    return out;
                }
            };
        }

        @Override
        protected Map<String, Table> getTableMap() {
            return Map.of();
        }
    }

    /** {@code delta.`/abs/path`}: every name is a path to a Delta table. */
    private final class PathSchema extends AbstractSchema {
        @Override
        public Lookup<Table> tables() {
            return new Lookup<>() {
                @Override
                public Table get(String name) {
                    return resolve(PATH_SCHEMA, name).map(h -> (Table) new LakeTable(h)).orElse(null);
                }

                @Override
                public Named<Table> getIgnoreCase(String name) {
                    Table t = get(name);
                    return t == null ? null : new Named<>(name, t);
                }

                @Override
                public Set<String> getNames(LikePattern pattern) {
                    return Set.of();
                }
            };
        }

        @Override
        protected Map<String, Table> getTableMap() {
            return Map.of();
        }
    }
}
