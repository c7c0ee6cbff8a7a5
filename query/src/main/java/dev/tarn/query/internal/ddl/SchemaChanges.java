package dev.tarn.query.internal.ddl;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.internal.catalog.DeltaTableHandle;
import dev.tarn.query.internal.ddl.DdlStatement.ColumnDefinition;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.write.WriteChecks;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.Transaction;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.Metadata;
import dev.tarn.txlog.action.Protocol;
import dev.tarn.txlog.types.ArrayType;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.MapType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Runs {@code ALTER TABLE} schema and property changes: each is one commit of a new metaData action (and the
 * protocol it needs, PROTOCOL.md "Table Features for New and Existing Tables") on top of the table's latest
 * snapshot, with delta-spark's operation names. Changes that constrain existing rows (SET NOT NULL, ADD CONSTRAINT)
 * read the whole table first and fail without committing when a row violates them.
 */
final class SchemaChanges {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String TYPE_CHANGES = "delta.typeChanges";

    private SchemaChanges() {}

    static void run(DdlStatement.AlterTable statement, DeltaTableHandle handle, ExecutionContext context) {
        Snapshot snapshot = handle.snapshot();
        Change change = plan(statement.action(), handle, context);
        Metadata metadata = snapshot.metadata();
        Metadata next = metadata.withSchema(change.schema).withConfiguration(change.configuration)
                .withPartitionColumns(change.partitionColumns);
        Map<String, String> stored = new LinkedHashMap<>(change.configuration);
        // Protocol versions are requests, not properties (delta-spark does not keep them in the configuration).
        stored.remove("delta.minReaderVersion");
        stored.remove("delta.minWriterVersion");
        next = next.withConfiguration(stored);
        Protocol protocol = snapshot.protocol().merge(WriteChecks.requiredProtocol(change.configuration, change.schema));
        Transaction txn = snapshot.tableLog().newTransaction(snapshot, change.operation, change.parameters);
        txn.updateMetadata(next);
        txn.updateProtocol(protocol);
        if (change.readsRows) {
            txn.readWholeTable();
        }
        if (!change.readds.isEmpty()) {
            txn.addFiles(change.readds);
        }
        txn.commit();
    }

    /** The new schema, configuration and partition columns, and how the commit describes the change. */
    private static final class Change {
        StructType schema;
        Map<String, String> configuration;
        List<String> partitionColumns;
        String operation;
        Map<String, String> parameters = new LinkedHashMap<>();
        boolean readsRows;
        List<AddFile> readds = List.of();
    }

    private static Change plan(AlterAction action, DeltaTableHandle handle, ExecutionContext context) {
        Snapshot snapshot = handle.snapshot();
        Change c = new Change();
        c.schema = snapshot.schema();
        c.configuration = new LinkedHashMap<>(snapshot.configuration());
        c.partitionColumns = new ArrayList<>(snapshot.partitionColumns());
        String table = handle.displayName();
        if (action instanceof AlterAction.AddColumns a) {
            addColumns(c, a, table);
        } else if (action instanceof AlterAction.RenameColumn r) {
            renameColumn(c, r, table);
        } else if (action instanceof AlterAction.DropColumns d) {
            dropColumns(c, d, table);
        } else if (action instanceof AlterAction.SetNullability n) {
            setNullability(c, n, handle, context);
        } else if (action instanceof AlterAction.SetComment m) {
            int i = columnIndex(c.schema, m.column(), table);
            StructField f = c.schema.fields().get(i);
            Map<String, Object> md = new LinkedHashMap<>(f.metadata());
            md.put(StructField.COMMENT, m.comment());
            c.schema = replace(c.schema, i, new StructField(f.name(), f.type(), f.nullable(), md));
            c.operation = "CHANGE COLUMN";
            c.parameters.put("column", json(Map.of("name", f.name(), "type", f.type().sqlName().toLowerCase(Locale.ROOT),
                    "nullable", f.nullable(), "metadata", md)));
        } else if (action instanceof AlterAction.ChangeType t) {
            changeType(c, t, table);
        } else if (action instanceof AlterAction.SetProperties p) {
            TableConfigChanges.set(c, p.properties(), snapshot, table);
        } else if (action instanceof AlterAction.UnsetProperties u) {
            TableConfigChanges.unset(c, u, table);
        } else if (action instanceof AlterAction.AddConstraint a) {
            addConstraint(c, a, handle, context);
        } else if (action instanceof AlterAction.DropConstraint d) {
            String key = WriteChecks.CONSTRAINT_PREFIX + d.name().toLowerCase(Locale.ROOT);
            String existing = c.configuration.remove(key);
            if (existing == null && !d.ifExists()) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "Table " + table + " has no CHECK constraint "
                        + d.name() + " (its constraints: " + constraintNames(c.configuration) + ")");
            }
            c.operation = "DROP CONSTRAINT";
            c.parameters.put("name", d.name());
            c.parameters.put("expr", existing == null ? "" : existing);
            c.parameters.put("existed", Boolean.toString(existing != null));
        } else {
            throw new IllegalStateException("Unknown ALTER TABLE action " + action);
        }
        return c;
    }

    private static void addColumns(Change c, AlterAction.AddColumns a, String table) {
        List<StructField> fields = new ArrayList<>(c.schema.fields());
        boolean mapped = columnMappingMode(c.configuration) != null;
        long maxId = maxColumnId(c.configuration);
        List<Map<String, Object>> described = new ArrayList<>();
        for (ColumnDefinition d : a.columns()) {
            if (c.schema.field(d.name()).isPresent()) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "Table " + table + " already has a column "
                        + d.name());
            }
            Map<String, Object> md = new LinkedHashMap<>();
            d.comment().ifPresent(comment -> md.put(StructField.COMMENT, comment));
            DataType type = d.type();
            if (mapped) {
                long[] id = {maxId};
                md.put(StructField.COLUMN_MAPPING_ID, ++id[0]);
                md.put(StructField.COLUMN_MAPPING_PHYSICAL_NAME, "col-" + UUID.randomUUID());
                type = assignMapping(type, id, false);
                maxId = id[0];
            }
            StructField f = new StructField(d.name(), type, true, md);
            fields.add(f);
            described.add(Map.of("column", Map.of("name", f.name(), "type", type.sqlName().toLowerCase(Locale.ROOT),
                    "nullable", true, "metadata", md)));
        }
        if (mapped) {
            c.configuration.put(Metadata.COLUMN_MAPPING_MAX_ID, Long.toString(maxId));
        }
        c.schema = new StructType(fields);
        c.operation = "ADD COLUMNS";
        c.parameters.put("columns", json(described));
    }

    private static void renameColumn(Change c, AlterAction.RenameColumn r, String table) {
        int i = columnIndex(c.schema, r.from(), table);
        StructField f = c.schema.fields().get(i);
        if (!r.to().equalsIgnoreCase(f.name()) && c.schema.field(r.to()).isPresent()) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Cannot rename column " + f.name() + " of table "
                    + table + " to " + r.to() + ": a column of that name exists");
        }
        checkNotReferenced(c, f.name(), "rename", table);
        upgradeToColumnMapping(c, table, "RENAME COLUMN");
        f = c.schema.fields().get(i);
        c.schema = replace(c.schema, i, new StructField(r.to(), f.type(), f.nullable(), f.metadata()));
        for (int p = 0; p < c.partitionColumns.size(); p++) {
            if (c.partitionColumns.get(p).equalsIgnoreCase(f.name())) {
                c.partitionColumns.set(p, r.to());
            }
        }
        c.operation = "RENAME COLUMN";
        c.parameters.put("oldColumnPath", f.name());
        c.parameters.put("newColumnPath", r.to());
    }

    private static void dropColumns(Change c, AlterAction.DropColumns d, String table) {
        List<String> dropped = new ArrayList<>();
        for (String name : d.columns()) {
            Optional<StructField> f = c.schema.field(name);
            if (f.isEmpty()) {
                if (d.ifExists()) {
                    continue;
                }
                throw new TarnException(ErrorCode.COLUMN_NOT_FOUND, "Table " + table + " has no column " + name
                        + " (its columns: " + c.schema.fieldNames() + ")");
            }
            if (c.partitionColumns.stream().anyMatch(p -> p.equalsIgnoreCase(name))) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "Cannot drop partition column " + f.get().name()
                        + " of table " + table);
            }
            checkNotReferenced(c, f.get().name(), "drop", table);
            dropped.add(f.get().name());
        }
        if (dropped.isEmpty()) {
            c.operation = "DROP COLUMNS";
            c.parameters.put("columns", json(dropped));
            return;
        }
        if (dropped.size() >= c.schema.size()) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Cannot drop every column of table " + table);
        }
        upgradeToColumnMapping(c, table, "DROP COLUMN");
        List<StructField> kept = new ArrayList<>();
        for (StructField f : c.schema.fields()) {
            if (dropped.stream().noneMatch(n -> n.equalsIgnoreCase(f.name()))) {
                kept.add(f);
            }
        }
        c.schema = new StructType(kept);
        c.operation = "DROP COLUMNS";
        c.parameters.put("columns", json(dropped));
    }

    /**
     * RENAME and DROP COLUMN need column mapping (PROTOCOL.md "Column Mapping"): a table without it is upgraded
     * as delta-spark does, to mode {@code name} with every existing column's physical name being its current name
     * (so existing files and statistics stay valid) and ids from 1 ({@code delta.columnMapping.maxColumnId}).
     */
    private static void upgradeToColumnMapping(Change c, String table, String statement) {
        if (columnMappingMode(c.configuration) != null) {
            return;
        }
        if (c.configuration.containsKey("delta.enableIcebergCompatV1")) {
            throw new TarnException(ErrorCode.UNSUPPORTED_FEATURE, statement + " needs column mapping, but table "
                    + table + " cannot be upgraded to it: it has IcebergCompatV1 enabled");
        }
        long[] id = {0};
        c.schema = (StructType) assignMapping(c.schema, id, true);
        c.configuration.put(Metadata.COLUMN_MAPPING_MODE, "name");
        c.configuration.put(Metadata.COLUMN_MAPPING_MAX_ID, Long.toString(id[0]));
    }

    /**
     * Gives every field an id above {@code id[0]} and a physical name: its current name when upgrading an existing
     * table ({@code keepNames}), else a fresh {@code col-<uuid>}. Fields that already have them keep them.
     */
    private static DataType assignMapping(DataType type, long[] id, boolean keepNames) {
        if (type instanceof StructType s) {
            List<StructField> fields = new ArrayList<>();
            for (StructField f : s.fields()) {
                Map<String, Object> md = new LinkedHashMap<>(f.metadata());
                if (!md.containsKey(StructField.COLUMN_MAPPING_ID)) {
                    md.put(StructField.COLUMN_MAPPING_ID, ++id[0]);
                }
                md.putIfAbsent(StructField.COLUMN_MAPPING_PHYSICAL_NAME, keepNames ? f.name() : "col-" + UUID.randomUUID());
                fields.add(new StructField(f.name(), assignMapping(f.type(), id, keepNames), f.nullable(), md));
            }
            return new StructType(fields);
        }
        if (type instanceof ArrayType a) {
            return new ArrayType(assignMapping(a.elementType(), id, keepNames), a.containsNull());
        }
        if (type instanceof MapType m) {
            return new MapType(assignMapping(m.keyType(), id, keepNames), assignMapping(m.valueType(), id, keepNames),
                    m.valueContainsNull());
        }
        return type;
    }

    private static void setNullability(Change c, AlterAction.SetNullability n, DeltaTableHandle handle,
                                       ExecutionContext context) {
        String table = handle.displayName();
        int i = columnIndex(c.schema, n.column(), table);
        StructField f = c.schema.fields().get(i);
        if (!n.nullable() && f.nullable()) {
            long nulls = 0;
            try (Operator scan = handle.scan(new int[] {i}, List.of())) {
                scan.open(context);
                for (VectorSchemaRoot b = scan.next(); b != null; b = scan.next()) {
                    context.checkCancelled();
                    nulls += b.getVector(0).getNullCount();
                }
            }
            if (nulls > 0) {
                throw new TarnException(ErrorCode.NOT_NULL_VIOLATION, "Cannot set column " + f.name() + " of table "
                        + table + " NOT NULL: " + nulls + " existing row(s) hold NULL in it");
            }
            c.readsRows = true;
        }
        c.schema = replace(c.schema, i, new StructField(f.name(), f.type(), n.nullable(), f.metadata()));
        c.operation = "CHANGE COLUMN";
        c.parameters.put("column", json(Map.of("name", f.name(), "type", f.type().sqlName().toLowerCase(Locale.ROOT),
                "nullable", n.nullable(), "metadata", f.metadata())));
    }

    private static void addConstraint(Change c, AlterAction.AddConstraint a, DeltaTableHandle handle,
                                      ExecutionContext context) {
        String table = handle.displayName();
        String key = WriteChecks.CONSTRAINT_PREFIX + a.name().toLowerCase(Locale.ROOT);
        if (c.configuration.containsKey(key)) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Table " + table + " already has a CHECK constraint "
                    + a.name() + " (" + c.configuration.get(key) + "); drop it first");
        }
        WriteChecks checks = WriteChecks.forConstraint(c.schema, a.name(), a.expression(), table);
        int[] all = new int[c.schema.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        try (Operator scan = handle.scan(all, List.of())) {
            scan.open(context);
            for (VectorSchemaRoot b = scan.next(); b != null; b = scan.next()) {
                context.checkCancelled();
                checks.prepare(b, context.allocator(), context.sessionZone()).close();
            }
        } catch (TarnException e) {
            if (e.errorCode() == ErrorCode.CHECK_VIOLATION) {
                throw new TarnException(ErrorCode.CHECK_VIOLATION, "Cannot add the constraint: rows already in the "
                        + "table violate it. " + e.getMessage(), e);
            }
            throw e;
        }
        c.configuration.put(key, a.expression());
        c.readsRows = true;
        c.operation = "ADD CONSTRAINT";
        c.parameters.put("name", a.name());
        c.parameters.put("expr", a.expression());
    }

    private static void changeType(Change c, AlterAction.ChangeType t, String table) {
        int i = columnIndex(c.schema, t.column(), table);
        StructField f = c.schema.fields().get(i);
        if (f.type().equals(t.type())) {
            c.operation = "CHANGE COLUMN";
            c.parameters.put("column", f.name());
            return;
        }
        if (!TypeWidening.isWidening(f.type(), t.type())) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Cannot change column " + f.name() + " of table "
                    + table + " from " + f.type().sqlName() + " to " + t.type().sqlName() + ": " + TypeWidening.help());
        }
        checkNotReferenced(c, f.name(), "change the type of", table);
        Map<String, Object> md = new LinkedHashMap<>(f.metadata());
        List<Object> changes = new ArrayList<>();
        if (md.get(TYPE_CHANGES) instanceof List<?> existing) {
            changes.addAll(existing);
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("fromType", f.type().simpleString());
        entry.put("toType", t.type().simpleString());
        changes.add(entry);
        md.put(TYPE_CHANGES, changes);
        c.schema = replace(c.schema, i, new StructField(f.name(), t.type(), f.nullable(), md));
        c.configuration.put("delta.enableTypeWidening", "true");
        c.operation = "CHANGE COLUMN";
        c.parameters.put("column", json(Map.of("name", f.name(), "type", t.type().sqlName().toLowerCase(Locale.ROOT),
                "nullable", f.nullable(), "metadata", md)));
    }

    /** Renaming, dropping or retyping a column used by a CHECK constraint or generation expression is refused. */
    private static void checkNotReferenced(Change c, String column, String verb, String table) {
        Pattern word = Pattern.compile("(?i)(?<![A-Za-z0-9_`])`?" + Pattern.quote(column) + "`?(?![A-Za-z0-9_])");
        for (Map.Entry<String, String> e : c.configuration.entrySet()) {
            if (e.getKey().startsWith(WriteChecks.CONSTRAINT_PREFIX) && word.matcher(e.getValue()).find()) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "Cannot " + verb + " column " + column + " of table "
                        + table + ": CHECK constraint " + e.getKey().substring(WriteChecks.CONSTRAINT_PREFIX.length())
                        + " (" + e.getValue() + ") uses it; drop the constraint first");
            }
        }
        for (StructField f : c.schema.fields()) {
            Object g = f.metadata().get(WriteChecks.GENERATION_EXPRESSION);
            if (g instanceof String text && (f.name().equalsIgnoreCase(column) || word.matcher(text).find())) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "Cannot " + verb + " column " + column + " of table "
                        + table + ": generated column " + f.name() + " is defined by it (" + text + ")");
            }
        }
    }

    static int columnIndex(StructType schema, String name, String table) {
        int i = schema.indexOf(name);
        if (i < 0) {
            throw new TarnException(ErrorCode.COLUMN_NOT_FOUND, "Table " + table + " has no column " + name
                    + " (its columns: " + schema.fieldNames() + ")");
        }
        return i;
    }

    private static StructType replace(StructType schema, int index, StructField field) {
        List<StructField> fields = new ArrayList<>(schema.fields());
        fields.set(index, field);
        return new StructType(fields);
    }

    /** The column mapping mode, or null for none. */
    static String columnMappingMode(Map<String, String> configuration) {
        String mode = configuration.getOrDefault(Metadata.COLUMN_MAPPING_MODE, "none").toLowerCase(Locale.ROOT);
        return mode.equals("none") ? null : mode;
    }

    private static long maxColumnId(Map<String, String> configuration) {
        try {
            return Long.parseLong(configuration.getOrDefault(Metadata.COLUMN_MAPPING_MAX_ID, "0").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static List<String> constraintNames(Map<String, String> configuration) {
        return configuration.keySet().stream().filter(k -> k.startsWith(WriteChecks.CONSTRAINT_PREFIX))
                .map(k -> k.substring(WriteChecks.CONSTRAINT_PREFIX.length())).toList();
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SET / UNSET TBLPROPERTIES. */
    static final class TableConfigChanges {
        private TableConfigChanges() {}

        static void set(Change c, Map<String, String> properties, Snapshot snapshot, String table) {
            for (String key : properties.keySet()) {
                String lower = key.toLowerCase(Locale.ROOT);
                if (lower.startsWith(WriteChecks.CONSTRAINT_PREFIX)) {
                    throw new TarnException(ErrorCode.INVALID_TABLE_PROPERTY, "Table property " + key + " cannot be set"
                            + " directly; use ALTER TABLE " + table + " ADD CONSTRAINT name CHECK (...)");
                }
                if (lower.equals("delta.columnmapping.maxcolumnid")) {
                    throw new TarnException(ErrorCode.INVALID_TABLE_PROPERTY, "Table property " + key
                            + " is maintained by Tarn and cannot be set");
                }
            }
            Map<String, String> valid = TableProperties.validate(properties);
            String mode = valid.get(Metadata.COLUMN_MAPPING_MODE);
            if (mode != null) {
                String current = columnMappingMode(c.configuration);
                String wanted = mode.toLowerCase(Locale.ROOT);
                if (current == null && wanted.equals("name")) {
                    upgradeToColumnMapping(c, table, "SET TBLPROPERTIES");
                } else if (!(current == null ? "none" : current).equals(wanted)) {
                    throw new TarnException(ErrorCode.UNSUPPORTED_FEATURE, "Cannot change delta.columnMapping.mode of"
                            + " table " + table + " from " + (current == null ? "none" : current) + " to " + wanted
                            + ": an existing table can only be upgraded from none to name");
                }
                valid.remove(Metadata.COLUMN_MAPPING_MODE);
            }
            for (String k : List.of("delta.minReaderVersion", "delta.minWriterVersion")) {
                if (valid.containsKey(k)) {
                    int current = k.endsWith("ReaderVersion") ? snapshot.protocol().minReaderVersion()
                            : snapshot.protocol().minWriterVersion();
                    if (Integer.parseInt(valid.get(k).trim()) < current) {
                        throw new TarnException(ErrorCode.INVALID_TABLE_PROPERTY, "Table " + table + " already needs "
                                + k + " " + current + "; protocol versions cannot be lowered");
                    }
                }
            }
            boolean rowTrackingBefore = snapshot.protocol().supportsWriterFeature("rowTracking");
            c.configuration.putAll(valid);
            if ("true".equals(valid.get("delta.enableRowTracking")) && !rowTrackingBefore) {
                // Enabling row tracking on a table with data: every file gets a baseRowId in this same commit
                // (PROTOCOL.md "Row Tracking": "Row IDs" of files written before the feature), re-added without
                // a data change.
                List<AddFile> readds = new ArrayList<>();
                for (AddFile a : snapshot.activeFiles()) {
                    readds.add(a.withDataChange(false));
                }
                c.readds = readds;
            }
            c.operation = "SET TBLPROPERTIES";
            c.parameters.put("properties", json(properties));
        }

        static void unset(Change c, AlterAction.UnsetProperties u, String table) {
            List<String> removed = new ArrayList<>();
            for (String key : u.keys()) {
                String lower = key.toLowerCase(Locale.ROOT);
                if (lower.startsWith(WriteChecks.CONSTRAINT_PREFIX)) {
                    throw new TarnException(ErrorCode.INVALID_TABLE_PROPERTY, "Use ALTER TABLE " + table
                            + " DROP CONSTRAINT to remove " + key);
                }
                if (lower.startsWith("delta.columnmapping.")) {
                    throw new TarnException(ErrorCode.UNSUPPORTED_FEATURE, "Table property " + key + " of table "
                            + table + " cannot be removed: column mapping cannot be turned off");
                }
                String match = c.configuration.keySet().stream().filter(k -> k.equalsIgnoreCase(key)).findFirst()
                        .orElse(null);
                if (match == null) {
                    if (!u.ifExists()) {
                        throw new TarnException(ErrorCode.INVALID_TABLE_PROPERTY, "Table " + table
                                + " has no property " + key + "; use UNSET TBLPROPERTIES IF EXISTS to ignore it");
                    }
                    continue;
                }
                c.configuration.remove(match);
                removed.add(match);
            }
            c.operation = "UNSET TBLPROPERTIES";
            c.parameters.put("properties", json(removed));
            c.parameters.put("ifExists", Boolean.toString(u.ifExists()));
        }
    }
}
