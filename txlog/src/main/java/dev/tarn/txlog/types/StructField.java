package dev.tarn.txlog.types;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A named field. {@code metadata} keeps the field's JSON metadata as parsed (strings, longs, booleans, doubles,
 * lists and maps), in order: column mapping ids and physical names, comments, generation expressions.
 */
public record StructField(String name, DataType type, boolean nullable, Map<String, Object> metadata) {
    public static final String COLUMN_MAPPING_ID = "delta.columnMapping.id";
    public static final String COLUMN_MAPPING_PHYSICAL_NAME = "delta.columnMapping.physicalName";
    public static final String COMMENT = "comment";

    public StructField {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(metadata, "metadata is null")));
    }

    public StructField(String name, DataType type, boolean nullable) {
        this(name, type, nullable, Map.of());
    }

    /** The name in Parquet files: the column-mapping physical name when present, else the logical name. */
    public String physicalName() {
        Object p = metadata.get(COLUMN_MAPPING_PHYSICAL_NAME);
        return p instanceof String s ? s : name;
    }

    /** The column-mapping field id, or -1. */
    public long fieldId() {
        Object id = metadata.get(COLUMN_MAPPING_ID);
        return id instanceof Number n ? n.longValue() : -1;
    }

    public String comment() {
        Object c = metadata.get(COMMENT);
        return c instanceof String s ? s : null;
    }
}
