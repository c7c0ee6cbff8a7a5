package dev.tarn.query.internal.expression;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.function.Function;
import org.apache.calcite.avatica.util.ByteString;

/**
 * Conversions between canonical values ({@link Values}) of Tarn's types, as CAST performs them: numbers narrow
 * with NUMERIC_OVERFLOW on overflow, strings parse (leading/trailing blanks ignored) or fail with INVALID_CAST
 * naming the value, TIMESTAMP (an instant) and TIMESTAMP_NTZ convert through the session zone.
 */
public final class Casts {
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final DateTimeFormatter TIMESTAMP_TEXT = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendPattern("HH:mm")
            .optionalStart().appendPattern(":ss").optionalEnd()
            .optionalStart().appendFraction(ChronoField.MICRO_OF_SECOND, 0, 6, true).optionalEnd()
            .optionalEnd()
            .toFormatter(Locale.ROOT);

    private Casts() {}

    /** A converter for non-null values from {@code from} to {@code to}. */
    public static Function<Object, Object> converter(DataType from, DataType to, ZoneId zone) {
        if (from.equals(to) || from.simpleString().equals(to.simpleString()) || from == PrimitiveType.VOID) {
            return to instanceof DecimalType d ? v -> Values.fitDecimal(Values.toBigDecimal((Number) v), d) : v -> v;
        }
        if (to == PrimitiveType.STRING) {
            return v -> toText(v, from, zone);
        }
        if (from == PrimitiveType.STRING) {
            return v -> parse(((String) v), to, zone);
        }
        if (to instanceof DecimalType d) {
            if (from == PrimitiveType.BOOLEAN) {
                return v -> BigDecimal.valueOf((Boolean) v ? 1 : 0).setScale(d.scale());
            }
            return v -> {
                if (v instanceof Double x && (x.isNaN() || x.isInfinite())) {
                    throw invalid(v, from, to);
                }
                return Values.fitDecimal(Values.toBigDecimal((Number) v), d);
            };
        }
        if (to instanceof PrimitiveType p) {
            switch (p) {
                case BOOLEAN:
                    if (from instanceof DecimalType || (from instanceof PrimitiveType f && f.isNumeric())) {
                        return v -> Values.toBigDecimal((Number) v).signum() != 0;
                    }
                    break;
                case BYTE, SHORT, INTEGER, LONG:
                    if (from == PrimitiveType.BOOLEAN) {
                        return v -> (Boolean) v ? 1L : 0L;
                    }
                    if (from instanceof DecimalType || from == PrimitiveType.FLOAT || from == PrimitiveType.DOUBLE) {
                        return v -> toIntegral(v, p, from);
                    }
                    if (from instanceof PrimitiveType f && f.isIntegral()) {
                        return v -> checkIntegral((Long) v, p);
                    }
                    break;
                case FLOAT, DOUBLE:
                    if (from == PrimitiveType.BOOLEAN) {
                        return v -> (Boolean) v ? 1.0 : 0.0;
                    }
                    if (from instanceof DecimalType || (from instanceof PrimitiveType f && f.isNumeric())) {
                        return v -> p == PrimitiveType.FLOAT ? (double) ((Number) v).floatValue() : ((Number) v).doubleValue();
                    }
                    break;
                case DATE:
                    if (from == PrimitiveType.TIMESTAMP) {
                        return v -> (int) instant((Long) v).atZone(zone).toLocalDate().toEpochDay();
                    }
                    if (from == PrimitiveType.TIMESTAMP_NTZ) {
                        return v -> (int) Math.floorDiv((Long) v, MICROS_PER_DAY);
                    }
                    break;
                case TIMESTAMP:
                    if (from == PrimitiveType.DATE) {
                        return v -> micros(LocalDate.ofEpochDay((Integer) v).atStartOfDay(zone).toInstant());
                    }
                    if (from == PrimitiveType.TIMESTAMP_NTZ) {
                        return v -> micros(ntz((Long) v).atZone(zone).toInstant());
                    }
                    break;
                case TIMESTAMP_NTZ:
                    if (from == PrimitiveType.DATE) {
                        return v -> (long) (Integer) v * MICROS_PER_DAY;
                    }
                    if (from == PrimitiveType.TIMESTAMP) {
                        return v -> micros(LocalDateTime.ofInstant(instant((Long) v), zone).toInstant(ZoneOffset.UTC));
                    }
                    break;
                case BINARY:
                    break;
                default:
                    break;
            }
        }
        throw new TarnException(ErrorCode.TYPE_MISMATCH, "Cannot cast " + from.sqlName() + " to " + to.sqlName());
    }

    private static long checkIntegral(long v, PrimitiveType to) {
        return switch (to) {
            case BYTE -> Values.checkRange(v, Byte.MIN_VALUE, Byte.MAX_VALUE, "TINYINT");
            case SHORT -> Values.checkRange(v, Short.MIN_VALUE, Short.MAX_VALUE, "SMALLINT");
            case INTEGER -> Values.checkRange(v, Integer.MIN_VALUE, Integer.MAX_VALUE, "INT");
            default -> v;
        };
    }

    /** Fractional to integral truncates toward zero, as Spark does. */
    private static long toIntegral(Object v, PrimitiveType to, DataType from) {
        BigDecimal d;
        if (v instanceof Double x) {
            if (x.isNaN() || x.isInfinite()) {
                throw invalid(v, from, to);
            }
            d = new BigDecimal(x);
        } else {
            d = (BigDecimal) v;
        }
        BigDecimal t = d.setScale(0, RoundingMode.DOWN);
        if (t.toBigInteger().bitLength() > 63) {
            throw new TarnException(ErrorCode.NUMERIC_OVERFLOW, "Value " + d.toPlainString() + " is out of range for " + to.sqlName());
        }
        return checkIntegral(t.longValueExact(), to);
    }

    /** The text form of a value, as CAST(x AS STRING) and the shell show it. */
    public static String toText(Object v, DataType from, ZoneId zone) {
        if (from instanceof DecimalType) {
            return ((BigDecimal) v).toPlainString();
        }
        if (from instanceof PrimitiveType p) {
            switch (p) {
                case DATE:
                    return LocalDate.ofEpochDay((Integer) v).toString();
                case TIMESTAMP:
                    return formatDateTime(LocalDateTime.ofInstant(instant((Long) v), zone));
                case TIMESTAMP_NTZ:
                    return formatDateTime(ntz((Long) v));
                case BINARY:
                    return new String(((ByteString) v).getBytes(), StandardCharsets.UTF_8);
                case FLOAT:
                    return Float.toString(((Number) v).floatValue());
                default:
                    return String.valueOf(v);
            }
        }
        return String.valueOf(v);
    }

    private static String formatDateTime(LocalDateTime t) {
        // Always HH:mm:ss (LocalTime.toString drops zero seconds, which made 13:47:00.5 read 13:47.5).
        String s = t.toLocalDate() + " " + String.format(Locale.ROOT, "%02d:%02d:%02d", t.getHour(), t.getMinute(),
                t.getSecond());
        int micros = t.getNano() / 1000;
        if (micros != 0) {
            String f = String.format(Locale.ROOT, "%06d", micros).replaceAll("0+$", "");
            s += "." + f;
        }
        return s;
    }

    /** Parses text into a value of {@code to}; INVALID_CAST naming the value when it does not parse. */
    public static Object parse(String text, DataType to, ZoneId zone) {
        String s = text.trim();
        try {
            if (to instanceof DecimalType d) {
                return Values.fitDecimal(new BigDecimal(s), d);
            }
            PrimitiveType p = (PrimitiveType) to;
            switch (p) {
                case BOOLEAN: {
                    String l = s.toLowerCase(Locale.ROOT);
                    if (l.equals("true") || l.equals("t") || l.equals("yes") || l.equals("y") || l.equals("1")) {
                        return true;
                    }
                    if (l.equals("false") || l.equals("f") || l.equals("no") || l.equals("n") || l.equals("0")) {
                        return false;
                    }
                    throw invalid(text, PrimitiveType.STRING, to);
                }
                case BYTE, SHORT, INTEGER, LONG:
                    return checkIntegral(Long.parseLong(s), p);
                case FLOAT, DOUBLE: {
                    double x = Double.parseDouble(s);
                    return p == PrimitiveType.FLOAT ? (double) (float) x : x;
                }
                case DATE:
                    return (int) LocalDate.parse(s).toEpochDay();
                case TIMESTAMP:
                    return micros(parseDateTime(s).atZone(zone).toInstant());
                case TIMESTAMP_NTZ:
                    return micros(parseDateTime(s).toInstant(ZoneOffset.UTC));
                case BINARY:
                    return new ByteString(text.getBytes(StandardCharsets.UTF_8));
                case STRING:
                    return text;
                default:
                    break;
            }
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw new TarnException(ErrorCode.INVALID_CAST,
                    "Cannot cast '" + text + "' to " + to.sqlName() + ": not a valid " + to.sqlName() + " value", e);
        }
        throw new TarnException(ErrorCode.TYPE_MISMATCH, "Cannot cast STRING to " + to.sqlName());
    }

    private static LocalDateTime parseDateTime(String s) {
        var parsed = TIMESTAMP_TEXT.parse(s);
        LocalDate date = LocalDate.from(parsed);
        LocalTime time = parsed.isSupported(ChronoField.HOUR_OF_DAY) ? LocalTime.from(parsed) : LocalTime.MIDNIGHT;
        return date.atTime(time);
    }

    private static TarnException invalid(Object value, DataType from, DataType to) {
        return new TarnException(ErrorCode.INVALID_CAST,
                "Cannot cast " + from.sqlName() + " value '" + value + "' to " + to.sqlName());
    }

    public static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    public static LocalDateTime ntz(long micros) {
        return LocalDateTime.ofInstant(instant(micros), ZoneOffset.UTC);
    }

    public static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }
}
