package dev.tarn.query.internal.plan;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.types.ArrayType;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.MapType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The one mapping between Tarn's (Delta) types and Calcite's. Delta TIMESTAMP is an instant, which is Calcite's
 * TIMESTAMP WITH LOCAL TIME ZONE; Delta TIMESTAMP_NTZ is Calcite's zone-less TIMESTAMP. STRING is an unbounded
 * VARCHAR; CHAR(n) values (Calcite's type of string literals) are plain strings to Tarn.
 */
public final class TypeMapping {
    /** Timestamps carry microseconds. */
    public static final int TIMESTAMP_PRECISION = 6;

    private TypeMapping() {}

    /**
     * Whether two types have the same values and Arrow layout: field metadata (column mapping ids, comments) and the
     * nullability of nested parts do not matter to execution.
     */
    public static boolean sameType(DataType a, DataType b) {
        return a.equals(b) || a.simpleString().equals(b.simpleString());
    }

    public static RelDataType toCalcite(DataType type, boolean nullable, RelDataTypeFactory f) {
        return f.createTypeWithNullability(toCalcite(type, f), nullable);
    }

    private static RelDataType toCalcite(DataType type, RelDataTypeFactory f) {
        if (type instanceof DecimalType d) {
            return f.createSqlType(SqlTypeName.DECIMAL, d.precision(), d.scale());
        }
        if (type instanceof ArrayType a) {
            return f.createArrayType(toCalcite(a.elementType(), a.containsNull(), f), -1);
        }
        if (type instanceof MapType m) {
            return f.createMapType(toCalcite(m.keyType(), false, f), toCalcite(m.valueType(), m.valueContainsNull(), f));
        }
        if (type instanceof StructType s) {
            List<RelDataType> types = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (StructField field : s.fields()) {
                names.add(field.name());
                types.add(toCalcite(field.type(), field.nullable(), f));
            }
            return f.createStructType(types, names);
        }
        return switch ((PrimitiveType) type) {
            case BOOLEAN -> f.createSqlType(SqlTypeName.BOOLEAN);
            case BYTE -> f.createSqlType(SqlTypeName.TINYINT);
            case SHORT -> f.createSqlType(SqlTypeName.SMALLINT);
            case INTEGER -> f.createSqlType(SqlTypeName.INTEGER);
            case LONG -> f.createSqlType(SqlTypeName.BIGINT);
            case FLOAT -> f.createSqlType(SqlTypeName.REAL);
            case DOUBLE -> f.createSqlType(SqlTypeName.DOUBLE);
            case STRING -> f.createSqlType(SqlTypeName.VARCHAR);
            case BINARY -> f.createSqlType(SqlTypeName.VARBINARY);
            case DATE -> f.createSqlType(SqlTypeName.DATE);
            case TIMESTAMP -> f.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, TIMESTAMP_PRECISION);
            case TIMESTAMP_NTZ -> f.createSqlType(SqlTypeName.TIMESTAMP, TIMESTAMP_PRECISION);
            case VOID -> f.createSqlType(SqlTypeName.NULL);
        };
    }

    /** Tarn's type for a Calcite type; UNSUPPORTED_FEATURE for types Tarn cannot store or return. */
    public static DataType toTarn(RelDataType type) {
        SqlTypeName name = type.getSqlTypeName();
        switch (name) {
            case BOOLEAN: return PrimitiveType.BOOLEAN;
            case TINYINT: return PrimitiveType.BYTE;
            case SMALLINT: return PrimitiveType.SHORT;
            case INTEGER: return PrimitiveType.INTEGER;
            case BIGINT: return PrimitiveType.LONG;
            case REAL: return PrimitiveType.FLOAT;
            case FLOAT: case DOUBLE: return PrimitiveType.DOUBLE;
            case DECIMAL: return new DecimalType(Math.max(1, type.getPrecision()), Math.max(0, type.getScale()));
            case CHAR: case VARCHAR: return PrimitiveType.STRING;
            case BINARY: case VARBINARY: return PrimitiveType.BINARY;
            case DATE: return PrimitiveType.DATE;
            case TIMESTAMP: return PrimitiveType.TIMESTAMP_NTZ;
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE: case TIMESTAMP_TZ: return PrimitiveType.TIMESTAMP;
            case NULL: return PrimitiveType.VOID;
            case ARRAY: return new ArrayType(toTarn(type.getComponentType()), type.getComponentType().isNullable());
            case MAP: return new MapType(toTarn(type.getKeyType()), toTarn(type.getValueType()),
                    type.getValueType().isNullable());
            case ROW: {
                List<StructField> fields = new ArrayList<>();
                for (RelDataTypeField field : type.getFieldList()) {
                    fields.add(new StructField(field.getName(), toTarn(field.getType()), field.getType().isNullable()));
                }
                return new StructType(fields);
            }
            default:
                throw new TarnException(ErrorCode.UNSUPPORTED_FEATURE, "SQL type " + type.getFullTypeString()
                        + " is not supported as a value type by Tarn");
        }
    }
}
