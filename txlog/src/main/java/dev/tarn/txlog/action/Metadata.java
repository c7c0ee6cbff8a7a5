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

    /** A metadata action for a new table: random id, Parquet format, created now. */
    public static Metadata create(StructType schema, List<String> partitionColumns, Map<String, String> configuration,
                                  String name, String description) {
        requireNonNull(schema, "schema is null");
        for (String column : requireNonNull(partitionColumns, "partitionColumns is null")) {
            if (schema.field(column).isEmpty()) {
                throw new IllegalArgumentException("Partition column " + column + " is not in the schema " + schema.simpleString());
            }
        }
        return new Metadata(UUID.randomUUID().toString(), name, description, Format.PARQUET, DataTypeJson.toJson(schema),
                partitionColumns, configuration, System.currentTimeMillis());
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
