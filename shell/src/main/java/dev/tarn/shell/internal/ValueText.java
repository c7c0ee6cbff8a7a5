package dev.tarn.shell.internal;

import dev.tarn.txlog.types.ArrayType;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.MapType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructType;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * Text for Arrow values, the one place the shell decides how a value looks. Scalars have a plain form (used by csv
 * and table output) and a JSON form (jsonl, and nested values everywhere):
 * BOOLEAN true/false; integers as digits; FLOAT/DOUBLE as the shortest decimal that reads back to the same value
 * (NaN, Infinity, -Infinity as JSON strings); DECIMAL with exactly the type's scale (a JSON string); STRING as is;
 * BINARY base64; DATE {@code YYYY-MM-DD}; TIMESTAMP {@code YYYY-MM-DDTHH:MM:SS.ffffffZ} (UTC);
 * TIMESTAMP_NTZ the same without {@code Z}; ARRAY a JSON array; STRUCT a JSON object in field order; MAP a JSON array
 * of {@code {"key":...,"value":...}}.
 */
public final class ValueText {
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");

    private ValueText() {}

    /** Whether a type's values are numbers (right-aligned in tables, JSON numbers when finite). */
    public static boolean isNumeric(DataType type) {
        return type instanceof DecimalType || type instanceof PrimitiveType p && p.isNumeric();
    }

    /** The plain text of a non-null value: nested values as JSON, scalars unquoted. */
    public static String plain(ValueVector v, DataType type, int i) {
        if (type.isNested()) {
            StringBuilder sb = new StringBuilder();
            json(sb, v, type, i);
            return sb.toString();
        }
        return scalar(v, type, i);
    }

    /** Appends the JSON form of value {@code i} (which may be null). */
    public static void json(StringBuilder sb, ValueVector v, DataType type, int i) {
        if (v.isNull(i)) {
            sb.append("null");
            return;
        }
        if (type instanceof ArrayType a) {
            ListVector lv = (ListVector) v;
            sb.append('[');
            for (int j = lv.getElementStartIndex(i); j < lv.getElementEndIndex(i); j++) {
                if (j > lv.getElementStartIndex(i)) {
                    sb.append(',');
                }
                json(sb, lv.getDataVector(), a.elementType(), j);
            }
            sb.append(']');
        } else if (type instanceof MapType m) {
            MapVector mv = (MapVector) v;
            StructVector entries = (StructVector) mv.getDataVector();
            sb.append('[');
            for (int j = mv.getElementStartIndex(i); j < mv.getElementEndIndex(i); j++) {
                if (j > mv.getElementStartIndex(i)) {
                    sb.append(',');
                }
                sb.append("{\"key\":");
                json(sb, entries.getChildByOrdinal(0), m.keyType(), j);
                sb.append(",\"value\":");
                json(sb, entries.getChildByOrdinal(1), m.valueType(), j);
                sb.append('}');
            }
            sb.append(']');
        } else if (type instanceof StructType s) {
            StructVector sv = (StructVector) v;
            sb.append('{');
            for (int f = 0; f < s.size(); f++) {
                if (f > 0) {
                    sb.append(',');
                }
                jsonString(sb, s.fields().get(f).name());
                sb.append(':');
                json(sb, sv.getChildByOrdinal(f), s.fields().get(f).type(), i);
            }
            sb.append('}');
        } else if (type == PrimitiveType.BOOLEAN || type instanceof PrimitiveType p && p.isIntegral()) {
            sb.append(scalar(v, type, i));
        } else if (type == PrimitiveType.FLOAT || type == PrimitiveType.DOUBLE) {
            String s = scalar(v, type, i);
            if (s.equals("NaN") || s.endsWith("Infinity")) {
                jsonString(sb, s);
            } else {
                sb.append(s);
            }
        } else if (type == PrimitiveType.VOID) {
            sb.append("null");
        } else {
            jsonString(sb, scalar(v, type, i));
        }
    }

    private static String scalar(ValueVector v, DataType type, int i) {
        if (type instanceof DecimalType d) {
            BigDecimal b = ((DecimalVector) v).getObject(i);
            return b.setScale(d.scale()).toPlainString();
        }
        return switch ((PrimitiveType) type) {
            case BOOLEAN -> ((BitVector) v).get(i) != 0 ? "true" : "false";
            case BYTE -> Byte.toString(((TinyIntVector) v).get(i));
            case SHORT -> Short.toString(((SmallIntVector) v).get(i));
            case INTEGER -> Integer.toString(((IntVector) v).get(i));
            case LONG -> Long.toString(((BigIntVector) v).get(i));
            case FLOAT -> floatText(((Float4Vector) v).get(i));
            case DOUBLE -> doubleText(((Float8Vector) v).get(i));
            case STRING -> new String(((VarCharVector) v).get(i), StandardCharsets.UTF_8);
            case BINARY -> Base64.getEncoder().encodeToString(((VarBinaryVector) v).get(i));
            case DATE -> LocalDate.ofEpochDay(((DateDayVector) v).get(i)).toString();
            case TIMESTAMP -> timestampText(((TimeStampVector) v).get(i)) + "Z";
            case TIMESTAMP_NTZ -> timestampText(((TimeStampVector) v).get(i));
            case VOID -> "";
        };
    }

    /** {@code YYYY-MM-DDTHH:MM:SS.ffffff} of microseconds since the epoch, UTC. */
    public static String timestampText(long micros) {
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1000L);
        return TIMESTAMP.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    public static String doubleText(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (Double.doubleToRawLongBits(d) < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(d);
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p));
            if (r.doubleValue() == d) {
                return decimalText(r);
            }
        }
        return decimalText(exact.round(MathContext.DECIMAL64));
    }

    public static String floatText(float f) {
        if (Float.isNaN(f)) {
            return "NaN";
        }
        if (Float.isInfinite(f)) {
            return f > 0 ? "Infinity" : "-Infinity";
        }
        if (f == 0) {
            return (Float.floatToRawIntBits(f) < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(f);
        for (int p = 1; p <= 9; p++) {
            BigDecimal r = exact.round(new MathContext(p));
            if (r.floatValue() == f) {
                return decimalText(r);
            }
        }
        return decimalText(exact.round(MathContext.DECIMAL32));
    }

    /**
     * Plain notation between 1e-7 and 1e21 (integral values get {@code .0}), otherwise {@code d.dddE[+-]n}; always a
     * valid JSON number.
     */
    private static String decimalText(BigDecimal r) {
        BigDecimal s = r.stripTrailingZeros();
        BigDecimal abs = s.abs();
        if (abs.compareTo(new BigDecimal("1e-7")) >= 0 && abs.compareTo(new BigDecimal("1e21")) < 0) {
            String plain = s.toPlainString();
            return plain.indexOf('.') < 0 ? plain + ".0" : plain;
        }
        String digits = s.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - s.scale();
        StringBuilder sb = new StringBuilder();
        if (s.signum() < 0) {
            sb.append('-');
        }
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        sb.append('E').append(exponent < 0 ? "-" : "+").append(Math.abs(exponent));
        return sb.toString();
    }

    /** Appends a JSON string literal. */
    public static void jsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
