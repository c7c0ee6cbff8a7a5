package dev.tarn.txlog.types;

/**
 * A Delta column type, as written in the {@code schemaString} of a table's metadata (PROTOCOL.md, "Schema
 * Serialization Format"). The same model types query results, so JDBC and the shell see table types unchanged.
 */
public sealed interface DataType permits PrimitiveType, DecimalType, ArrayType, MapType, StructType {

    /** The Delta name: {@code long}, {@code decimal(10,2)}, {@code array<string>}, ... */
    String simpleString();

    /** The SQL spelling Tarn's DDL and DESCRIBE use: {@code BIGINT}, {@code DECIMAL(10,2)}, {@code ARRAY<STRING>}. */
    String sqlName();

    default boolean isNested() {
        return this instanceof ArrayType || this instanceof MapType || this instanceof StructType;
    }
}
