package dev.tarn.txlog.action;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.types.DataTypeJson;
import dev.tarn.txlog.types.StructType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The metaData action (PROTOCOL.md "Change Metadata"): table id, schema (as {@code schemaString}), partition
 * columns, table properties ({@code configuration}). {@code name}, {@code description} and {@code createdTime} may be
 * null (absent in the log).
 */
public record Metadata(String id, String name, String description, Format format, String schemaString,
                       List<String> partitionColumns, Map<String, String> configuration, Long createdTime)
        implements Action {

    public Metadata {
        requireNonNull(id, "id is null");
        requireNonNull(format, "format is null");
        requireNonNull(schemaString, "schemaString is null");
        partitionColumns = List.copyOf(requireNonNull(partitionColumns, "partitionColumns is null"));
        configuration = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(configuration, "configuration is null")));
    }

    /**
     * A metadata action for a new table: random id, Parquet format, created now. With
     * {@code delta.columnMapping.mode} name or id, fields get column ids and physical names and
     * {@code delta.columnMapping.maxColumnId} is set, as delta-spark does.
     */
    public static Metadata create(StructType schema, List<String> partitionColumns, Map<String, String> configuration,
                                  String name, String description) {
        requireNonNull(schema, "schema is null");
        for (String column : requireNonNull(partitionColumns, "partitionColumns is null")) {
            if (schema.field(column).isEmpty()) {
                throw new IllegalArgumentException("Partition column " + column + " is not in the schema " + schema.simpleString());
            }
        }
        Map<String, String> conf = new LinkedHashMap<>(requireNonNull(configuration, "configuration is null"));
        StructType finalSchema = schema;
        String mode = conf.getOrDefault(COLUMN_MAPPING_MODE, "none").toLowerCase(java.util.Locale.ROOT);
        if (mode.equals("name") || mode.equals("id")) {
            long[] maxId = {parseLong(conf.get(COLUMN_MAPPING_MAX_ID))};
            finalSchema = (StructType) assignColumnMapping(schema, maxId);
            conf.put(COLUMN_MAPPING_MAX_ID, Long.toString(maxId[0]));
        } else if (!mode.equals("none")) {
            throw new IllegalArgumentException("Unknown column mapping mode '" + mode + "': expected none, name or id");
        }
        return new Metadata(UUID.randomUUID().toString(), name, description, Format.PARQUET,
                DataTypeJson.toJson(finalSchema), partitionColumns, conf, System.currentTimeMillis());
    }

    public static final String COLUMN_MAPPING_MODE = "delta.columnMapping.mode";
    public static final String COLUMN_MAPPING_MAX_ID = "delta.columnMapping.maxColumnId";

    private static long parseLong(String v) {
        try {
            return v == null ? 0 : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Gives every field without one a column id above {@code maxId} and a physical name {@code col-<uuid>}
     * (PROTOCOL.md "Writer Requirements for Column Mapping"), including fields nested in structs, arrays and maps.
     */
    private static dev.tarn.txlog.types.DataType assignColumnMapping(dev.tarn.txlog.types.DataType type, long[] maxId) {
        if (type instanceof StructType s) {
            List<dev.tarn.txlog.types.StructField> fields = new java.util.ArrayList<>();
            for (dev.tarn.txlog.types.StructField f : s.fields()) {
                Map<String, Object> md = new LinkedHashMap<>(f.metadata());
                if (!md.containsKey(dev.tarn.txlog.types.StructField.COLUMN_MAPPING_ID)) {
                    md.put(dev.tarn.txlog.types.StructField.COLUMN_MAPPING_ID, ++maxId[0]);
                }
                md.putIfAbsent(dev.tarn.txlog.types.StructField.COLUMN_MAPPING_PHYSICAL_NAME, "col-" + UUID.randomUUID());
                fields.add(new dev.tarn.txlog.types.StructField(f.name(), assignColumnMapping(f.type(), maxId),
                        f.nullable(), md));
            }
            return new StructType(fields);
        }
        if (type instanceof dev.tarn.txlog.types.ArrayType a) {
            return new dev.tarn.txlog.types.ArrayType(assignColumnMapping(a.elementType(), maxId), a.containsNull());
        }
        if (type instanceof dev.tarn.txlog.types.MapType m) {
            return new dev.tarn.txlog.types.MapType(assignColumnMapping(m.keyType(), maxId),
                    assignColumnMapping(m.valueType(), maxId), m.valueContainsNull());
        }
        return type;
    }

    @Override
    public String actionName() {
        return "metaData";
    }

    /** Parses {@code schemaString}; callers that need it often should keep the result (Snapshot does). */
    public StructType schema() {
        return DataTypeJson.parseSchema(schemaString);
    }

    public Metadata withSchema(StructType schema) {
        return new Metadata(id, name, description, format, DataTypeJson.toJson(schema), partitionColumns, configuration, createdTime);
    }

    public Metadata withConfiguration(Map<String, String> newConfiguration) {
        return new Metadata(id, name, description, format, schemaString, partitionColumns, newConfiguration, createdTime);
    }

    public Metadata withPartitionColumns(List<String> columns) {
        return new Metadata(id, name, description, format, schemaString, columns, configuration, createdTime);
    }
}
