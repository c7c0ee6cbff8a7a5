package dev.tarn.storage.parquet.internal;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * Arrow schema to Parquet schema and back, in the layout Spark writes: 3-level lists named {@code list/element},
 * maps as {@code key_value/key/value}, decimals in the narrowest physical type, timestamps as INT64 micros.
 */
public final class ParquetSchemas {
    /** Arrow field metadata key carrying the Parquet field id (Delta column mapping mode {@code id}). */
    public static final String FIELD_ID_KEY = "PARQUET:field_id";

    private ParquetSchemas() {}

    public static MessageType toParquet(Schema schema) {
        List<Type> fields = new ArrayList<>();
        for (Field f : schema.getFields()) {
            fields.add(toParquet(f));
        }
        return new MessageType("spark_schema", fields);
    }

    /** Bytes needed to hold any unscaled value of the given decimal precision in two's complement. */
    public static int decimalBytes(int precision) {
        int bytes = 1;
        while (Math.pow(2.0, 8 * bytes - 1) < Math.pow(10.0, precision)) {
            bytes++;
        }
        return bytes;
    }

    public static Integer fieldId(Field f) {
        Map<String, String> md = f.getMetadata();
        if (md == null || !md.containsKey(FIELD_ID_KEY)) {
            return null;
        }
        try {
            return Integer.parseInt(md.get(FIELD_ID_KEY).trim());
        } catch (NumberFormatException e) {
            throw new TarnException(ErrorCode.INVALID_VALUE,
                    "Field " + f.getName() + " has a non-numeric " + FIELD_ID_KEY + ": " + md.get(FIELD_ID_KEY), e);
        }
    }

    static Type toParquet(Field f) {
        return toParquet(f, f.getName(), f.isNullable() ? Repetition.OPTIONAL : Repetition.REQUIRED);
    }

    private static Type toParquet(Field f, String name, Repetition rep) {
        Type t = toParquetType(f, name, rep);
        Integer id = fieldId(f);
        return id == null ? t : t.withId(id);
    }

    private static Type toParquetType(Field f, String name, Repetition rep) {
        ArrowType type = f.getType();
        switch (type.getTypeID()) {
            case Bool:
                return Types.primitive(PrimitiveTypeName.BOOLEAN, rep).named(name);
            case Int: {
                ArrowType.Int it = (ArrowType.Int) type;
                if (!it.getIsSigned()) {
                    throw unsupported(f);
                }
                return switch (it.getBitWidth()) {
                    case 8, 16 -> Types.primitive(PrimitiveTypeName.INT32, rep)
                            .as(LogicalTypeAnnotation.intType(it.getBitWidth(), true)).named(name);
                    case 32 -> Types.primitive(PrimitiveTypeName.INT32, rep).named(name);
                    default -> Types.primitive(PrimitiveTypeName.INT64, rep).named(name);
                };
            }
            case FloatingPoint: {
                FloatingPointPrecision p = ((ArrowType.FloatingPoint) type).getPrecision();
                if (p == FloatingPointPrecision.SINGLE) {
                    return Types.primitive(PrimitiveTypeName.FLOAT, rep).named(name);
                }
                if (p == FloatingPointPrecision.DOUBLE) {
                    return Types.primitive(PrimitiveTypeName.DOUBLE, rep).named(name);
                }
                throw unsupported(f);
            }
            case Decimal: {
                ArrowType.Decimal d = (ArrowType.Decimal) type;
                LogicalTypeAnnotation dec = LogicalTypeAnnotation.decimalType(d.getScale(), d.getPrecision());
                if (d.getPrecision() <= 9) {
                    return Types.primitive(PrimitiveTypeName.INT32, rep).as(dec).named(name);
                }
                if (d.getPrecision() <= 18) {
                    return Types.primitive(PrimitiveTypeName.INT64, rep).as(dec).named(name);
                }
                return Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, rep)
                        .length(decimalBytes(d.getPrecision())).as(dec).named(name);
            }
            case Utf8:
                return Types.primitive(PrimitiveTypeName.BINARY, rep).as(LogicalTypeAnnotation.stringType()).named(name);
            case Binary:
                return Types.primitive(PrimitiveTypeName.BINARY, rep).named(name);
            case Date:
                if (((ArrowType.Date) type).getUnit() != DateUnit.DAY) {
                    throw unsupported(f);
                }
                return Types.primitive(PrimitiveTypeName.INT32, rep).as(LogicalTypeAnnotation.dateType()).named(name);
            case Timestamp: {
                ArrowType.Timestamp ts = (ArrowType.Timestamp) type;
                if (ts.getUnit() != TimeUnit.MICROSECOND) {
                    throw unsupported(f);
                }
                return Types.primitive(PrimitiveTypeName.INT64, rep)
                        .as(LogicalTypeAnnotation.timestampType(ts.getTimezone() != null, LogicalTypeAnnotation.TimeUnit.MICROS))
                        .named(name);
            }
            case Null:
                return Types.primitive(PrimitiveTypeName.INT32, Repetition.OPTIONAL).named(name);
            case Struct: {
                List<Type> children = new ArrayList<>();
                for (Field c : f.getChildren()) {
                    children.add(toParquet(c));
                }
                if (children.isEmpty()) {
                    throw new TarnException(ErrorCode.UNSUPPORTED_FEATURE,
                            "Parquet cannot store struct column " + name + " without fields");
                }
                return new GroupType(rep, name, children);
            }
            case List: {
                Field element = f.getChildren().get(0);
                Type el = toParquet(element, "element", element.isNullable() ? Repetition.OPTIONAL : Repetition.REQUIRED);
                GroupType list = new GroupType(Repetition.REPEATED, "list", el);
                return Types.buildGroup(rep).as(LogicalTypeAnnotation.listType()).addField(list).named(name);
            }
            case Map: {
                Field entries = f.getChildren().get(0);
                Field key = entries.getChildren().get(0);
                Field value = entries.getChildren().get(1);
                Type k = toParquet(key, "key", Repetition.REQUIRED);
                Type v = toParquet(value, "value", value.isNullable() ? Repetition.OPTIONAL : Repetition.REQUIRED);
                GroupType kv = new GroupType(Repetition.REPEATED, "key_value", k, v);
                return Types.buildGroup(rep).as(LogicalTypeAnnotation.mapType()).addField(kv).named(name);
            }
            default:
                throw unsupported(f);
        }
    }

    private static TarnException unsupported(Field f) {
        return new TarnException(ErrorCode.UNSUPPORTED_FEATURE,
                "Arrow type " + f.getType() + " of column " + f.getName() + " cannot be written to Parquet by Tarn");
    }

    // ---------------------------------------------------------------- Parquet -> Arrow

    public static Schema toArrow(MessageType schema) {
        List<Field> fields = new ArrayList<>();
        for (Type t : schema.getFields()) {
            fields.add(toArrow(t));
        }
        return new Schema(fields);
    }

    static Field toArrow(Type t) {
        Map<String, String> md = null;
        if (t.getId() != null) {
            md = new HashMap<>();
            md.put(FIELD_ID_KEY, Integer.toString(t.getId().intValue()));
        }
        if (t.isRepetition(Repetition.REPEATED)) {
            // An unannotated repeated field is a list of required elements.
            Field element = toArrow(t, false, "element", null);
            return new Field(t.getName(), new FieldType(false, ArrowType.List.INSTANCE, null, md), List.of(element));
        }
        return toArrow(t, t.isRepetition(Repetition.OPTIONAL), t.getName(), md);
    }

    private static Field toArrow(Type t, boolean nullable, String name, Map<String, String> md) {
        if (t.isPrimitive()) {
            return new Field(name, new FieldType(nullable, primitiveArrowType(t.asPrimitiveType()), null, md), null);
        }
        GroupType g = t.asGroupType();
        LogicalTypeAnnotation lt = g.getLogicalTypeAnnotation();
        if (lt instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation && g.getFieldCount() == 1
                && g.getType(0).isRepetition(Repetition.REPEATED)) {
            Type element = listElement(g);
            Field el = element == g.getType(0)
                    ? toArrow(element, false, "element", idMetadata(element))
                    : toArrow(element, element.isRepetition(Repetition.OPTIONAL), "element", idMetadata(element));
            return new Field(name, new FieldType(nullable, ArrowType.List.INSTANCE, null, md), List.of(el));
        }
        if ((lt instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
                || lt instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation)
                && g.getFieldCount() == 1 && !g.getType(0).isPrimitive()
                && g.getType(0).isRepetition(Repetition.REPEATED) && g.getType(0).asGroupType().getFieldCount() == 2) {
            GroupType kv = g.getType(0).asGroupType();
            Field key = toArrow(kv.getType(0), false, "key", idMetadata(kv.getType(0)));
            Type vt = kv.getType(1);
            Field value = toArrow(vt, !vt.isRepetition(Repetition.REQUIRED), "value", idMetadata(vt));
            Field entries = new Field("entries", FieldType.notNullable(ArrowType.Struct.INSTANCE), List.of(key, value));
            return new Field(name, new FieldType(nullable, new ArrowType.Map(false), null, md), List.of(entries));
        }
        List<Field> children = new ArrayList<>();
        for (Type c : g.getFields()) {
            children.add(toArrow(c));
        }
        return new Field(name, new FieldType(nullable, ArrowType.Struct.INSTANCE, null, md), children);
    }

    private static Map<String, String> idMetadata(Type t) {
        return t.getId() == null ? null : Map.of(FIELD_ID_KEY, Integer.toString(t.getId().intValue()));
    }

    /**
     * The element of a LIST-annotated group, following the Parquet backward-compatibility rules: a repeated
     * primitive, a repeated group with several fields, or one named {@code array} / {@code <name>_tuple} is itself
     * the (required) element (2-level lists); otherwise the repeated group's only field is the element.
     */
    public static Type listElement(GroupType list) {
        Type repeated = list.getType(0);
        if (repeated.isPrimitive()) {
            return repeated;
        }
        GroupType rg = repeated.asGroupType();
        if (rg.getFieldCount() > 1 || rg.getName().equals("array") || rg.getName().equals(list.getName() + "_tuple")) {
            return repeated;
        }
        return rg.getType(0);
    }

    public static ArrowType primitiveArrowType(PrimitiveType p) {
        LogicalTypeAnnotation lt = p.getLogicalTypeAnnotation();
        if (lt instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
            return new ArrowType.Decimal(d.getPrecision(), d.getScale(), 128);
        }
        switch (p.getPrimitiveTypeName()) {
            case BOOLEAN:
                return ArrowType.Bool.INSTANCE;
            case INT32:
                if (lt instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation it) {
                    if (it.getBitWidth() == 8) {
                        return new ArrowType.Int(8, true);
                    }
                    if (it.getBitWidth() == 16) {
                        return new ArrowType.Int(16, true);
                    }
                    if (!it.isSigned()) {
                        return new ArrowType.Int(64, true); // unsigned 32-bit values need 64 bits
                    }
                }
                if (lt instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    return new ArrowType.Date(DateUnit.DAY);
                }
                return new ArrowType.Int(32, true);
            case INT64:
                if (lt instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
                    return new ArrowType.Timestamp(TimeUnit.MICROSECOND, ts.isAdjustedToUTC() ? "UTC" : null);
                }
                return new ArrowType.Int(64, true);
            case INT96:
                return new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
            case FLOAT:
                return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            case DOUBLE:
                return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case BINARY:
                if (lt instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                        || lt instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                        || lt instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
                    return ArrowType.Utf8.INSTANCE;
                }
                return ArrowType.Binary.INSTANCE;
            case FIXED_LEN_BYTE_ARRAY:
            default:
                return ArrowType.Binary.INSTANCE;
        }
    }
}
