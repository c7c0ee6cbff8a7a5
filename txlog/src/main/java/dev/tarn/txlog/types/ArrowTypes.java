package dev.tarn.txlog.types;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The one mapping between Delta types and Arrow, used by scans, writers and query results alike:
 * BOOLEAN Bit, BYTE..LONG Int(8..64), FLOAT/DOUBLE FloatingPoint, DECIMAL Decimal128, STRING Utf8, BINARY Binary,
 * DATE Date(DAY), TIMESTAMP Timestamp(MICROSECOND, "UTC"), TIMESTAMP_NTZ Timestamp(MICROSECOND, null),
 * ARRAY List (child "element"), STRUCT Struct, MAP Map (entries struct "key"/"value"), VOID Null.
 */
public final class ArrowTypes {
    /** Arrow field metadata key carrying a Parquet field id (column mapping mode {@code id}). */
    public static final String PARQUET_FIELD_ID = "PARQUET:field_id";
    public static final String UTC = "UTC";

    private ArrowTypes() {}

    /** Arrow schema with logical names. */
    public static Schema toArrowSchema(StructType schema) {
        return new Schema(toArrowFields(schema, false));
    }

    /**
     * Arrow schema with the names (and field ids) used inside Parquet files, i.e. column-mapping physical names
     * when the table uses column mapping.
     */
    public static Schema toPhysicalArrowSchema(StructType schema) {
        return new Schema(toArrowFields(schema, true));
    }

    private static List<Field> toArrowFields(StructType schema, boolean physical) {
        List<Field> out = new ArrayList<>(schema.size());
        for (StructField f : schema.fields()) {
            out.add(toArrowField(physical ? f.physicalName() : f.name(), f.type(), f.nullable(),
                    physical && f.fieldId() >= 0 ? Map.of(PARQUET_FIELD_ID, Long.toString(f.fieldId())) : null, physical));
        }
        return out;
    }

    public static Field toArrowField(String name, DataType type, boolean nullable) {
        return toArrowField(name, type, nullable, null, false);
    }

    private static Field toArrowField(String name, DataType type, boolean nullable, Map<String, String> metadata,
                                      boolean physical) {
        FieldType ft = new FieldType(nullable, toArrowType(type), null, metadata);
        if (type instanceof ArrayType a) {
            return new Field(name, ft, List.of(toArrowField("element", a.elementType(), a.containsNull(), null, physical)));
        }
        if (type instanceof MapType m) {
            Field key = toArrowField("key", m.keyType(), false, null, physical);
            Field value = toArrowField("value", m.valueType(), m.valueContainsNull(), null, physical);
            Field entries = new Field("entries", new FieldType(false, ArrowType.Struct.INSTANCE, null), List.of(key, value));
            return new Field(name, ft, List.of(entries));
        }
        if (type instanceof StructType s) {
            return new Field(name, ft, toArrowFields(s, physical));
        }
        return new Field(name, ft, null);
    }

    public static ArrowType toArrowType(DataType type) {
        if (type instanceof DecimalType d) {
            return new ArrowType.Decimal(d.precision(), d.scale(), 128);
        }
        if (type instanceof ArrayType) {
            return ArrowType.List.INSTANCE;
        }
        if (type instanceof MapType) {
            return new ArrowType.Map(false);
        }
        if (type instanceof StructType) {
            return ArrowType.Struct.INSTANCE;
        }
        return switch ((PrimitiveType) type) {
            case BOOLEAN -> ArrowType.Bool.INSTANCE;
            case BYTE -> new ArrowType.Int(8, true);
            case SHORT -> new ArrowType.Int(16, true);
            case INTEGER -> new ArrowType.Int(32, true);
            case LONG -> new ArrowType.Int(64, true);
            case FLOAT -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            case DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case STRING -> ArrowType.Utf8.INSTANCE;
            case BINARY -> ArrowType.Binary.INSTANCE;
            case DATE -> new ArrowType.Date(DateUnit.DAY);
            case TIMESTAMP -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, UTC);
            case TIMESTAMP_NTZ -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
            case VOID -> ArrowType.Null.INSTANCE;
        };
    }

    /** The Delta type of an Arrow field in Tarn's mapping. */
    public static DataType fromArrowField(Field field) {
        ArrowType t = field.getType();
        switch (t.getTypeID()) {
            case Bool: return PrimitiveType.BOOLEAN;
            case Int: {
                int w = ((ArrowType.Int) t).getBitWidth();
                return w == 8 ? PrimitiveType.BYTE : w == 16 ? PrimitiveType.SHORT : w == 32 ? PrimitiveType.INTEGER : PrimitiveType.LONG;
            }
            case FloatingPoint:
                return ((ArrowType.FloatingPoint) t).getPrecision() == FloatingPointPrecision.SINGLE
                        ? PrimitiveType.FLOAT : PrimitiveType.DOUBLE;
            case Decimal: {
                ArrowType.Decimal d = (ArrowType.Decimal) t;
                return new DecimalType(d.getPrecision(), d.getScale());
            }
            case Utf8: case LargeUtf8: case Utf8View: return PrimitiveType.STRING;
            case Binary: case LargeBinary: case BinaryView: case FixedSizeBinary: return PrimitiveType.BINARY;
            case Date: return PrimitiveType.DATE;
            case Timestamp:
                return ((ArrowType.Timestamp) t).getTimezone() == null ? PrimitiveType.TIMESTAMP_NTZ : PrimitiveType.TIMESTAMP;
            case Null: return PrimitiveType.VOID;
            case List: case LargeList: case FixedSizeList: {
                Field el = field.getChildren().get(0);
                return new ArrayType(fromArrowField(el), el.isNullable());
            }
            case Map: {
                Field entries = field.getChildren().get(0);
                Field key = entries.getChildren().get(0);
                Field value = entries.getChildren().get(1);
                return new MapType(fromArrowField(key), fromArrowField(value), value.isNullable());
            }
            case Struct: {
                List<StructField> fs = new ArrayList<>();
                for (Field c : field.getChildren()) {
                    fs.add(new StructField(c.getName(), fromArrowField(c), c.isNullable()));
                }
                return new StructType(fs);
            }
            default:
                throw new IllegalArgumentException("No Delta type for Arrow type " + t);
        }
    }
}
