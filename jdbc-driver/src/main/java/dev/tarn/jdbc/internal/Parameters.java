package dev.tarn.jdbc.internal;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.ResultColumn;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.calcite.avatica.ColumnMetaData.Rep;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.avatica.util.ByteString;

/**
 * Converts the parameter values Avatica collects ({@link TypedValue}s in its "local" form: dates as days, timestamps
 * as wall-clock milliseconds in the JVM's zone) into the JDBC value classes {@link dev.tarn.query.Session} takes,
 * guided by the type the statement expects at each {@code ?}.
 *
 * <p>DATE parameters become {@link java.sql.Date}; TIMESTAMP_NTZ parameters a {@link Timestamp} whose
 * {@code toLocalDateTime()} is the wall-clock value; TIMESTAMP parameters a {@link Timestamp} whose
 * {@code toInstant()} is the instant, reading the wall-clock value in the connection's time zone. Strings are
 * accepted for DATE and TIMESTAMP parameters ({@code 2024-03-01}, {@code 2024-03-01 12:00:00.123456}).
 * Avatica carries {@code setTimestamp} values with millisecond precision; pass a string for microseconds.
 */
final class Parameters {
    private static final DateTimeFormatter TIMESTAMP_TEXT = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2).optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalEnd()
            .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
            .parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
            .parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0)
            .toFormatter();

    private Parameters() {}

    static List<Object> convert(List<TypedValue> values, List<ResultColumn> expected, ZoneId zone) {
        if (values == null) {
            return List.of();
        }
        List<Object> out = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            TypedValue tv = values.get(i);
            DataType type = i < expected.size() ? expected.get(i).type() : null;
            Object local = tv == null ? null : local(tv, i);
            out.add(adapt(local, type, zone, i));
        }
        return out;
    }

    private static Object local(TypedValue tv, int index) {
        Object v = tv.value;
        if (v == null) {
            return null;
        }
        Rep rep = tv.type;
        switch (rep) {
            case JAVA_SQL_TIMESTAMP:
            case JAVA_UTIL_DATE: {
                long millis = ((Number) v).longValue();
                return LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000L),
                        (int) Math.floorMod(millis, 1000L) * 1_000_000, ZoneOffset.UTC);
            }
            case JAVA_SQL_DATE:
                return LocalDate.ofEpochDay(((Number) v).longValue());
            case JAVA_SQL_TIME:
                throw new TarnException(ErrorCode.TYPE_MISMATCH,
                        "Parameter " + (index + 1) + ": Tarn has no TIME type; pass a TIMESTAMP or a string");
            case BYTE_STRING:
                if (v instanceof ByteString b) {
                    return b.getBytes();
                }
                if (v instanceof String s) {
                    return Base64.getDecoder().decode(s);
                }
                return v;
            case CHARACTER:
            case PRIMITIVE_CHAR:
                return v.toString();
            case ARRAY: {
                List<Object> list = new ArrayList<>();
                for (Object o : (List<?>) v) {
                    list.add(o instanceof TypedValue t ? local(t, index) : o);
                }
                return list;
            }
            default:
                if (v instanceof ByteString b) {
                    return b.getBytes();
                }
                return v;
        }
    }

    private static Object adapt(Object v, DataType type, ZoneId zone, int index) {
        if (v == null) {
            return null;
        }
        if (type == PrimitiveType.TIMESTAMP || type == PrimitiveType.TIMESTAMP_NTZ) {
            LocalDateTime ldt = v instanceof LocalDateTime l ? l
                    : v instanceof LocalDate d ? d.atStartOfDay()
                    : v instanceof String s ? parseTimestamp(s, index)
                    : null;
            if (ldt != null) {
                return type == PrimitiveType.TIMESTAMP_NTZ ? Timestamp.valueOf(ldt)
                        : Timestamp.from(ldt.atZone(zone).toInstant());
            }
        } else if (type == PrimitiveType.DATE) {
            if (v instanceof LocalDate d) {
                return java.sql.Date.valueOf(d);
            }
            if (v instanceof LocalDateTime l) {
                return java.sql.Date.valueOf(l.toLocalDate());
            }
            if (v instanceof String s) {
                try {
                    return java.sql.Date.valueOf(LocalDate.parse(s.trim()));
                } catch (DateTimeParseException e) {
                    throw new TarnException(ErrorCode.INVALID_CAST,
                            "Parameter " + (index + 1) + ": '" + s + "' is not a DATE (expected YYYY-MM-DD)", e);
                }
            }
        } else if (v instanceof Number n && type instanceof PrimitiveType p && p.isNumeric()) {
            return number(n, p, index);
        } else if (v instanceof Number n && type instanceof DecimalType) {
            return n instanceof BigDecimal b ? b
                    : n instanceof BigInteger b ? new BigDecimal(b)
                    : n instanceof Double || n instanceof Float ? new BigDecimal(n.toString())
                    : BigDecimal.valueOf(n.longValue());
        }
        if (v instanceof LocalDateTime l) {
            return Timestamp.valueOf(l);
        }
        if (v instanceof LocalDate d) {
            return java.sql.Date.valueOf(d);
        }
        return v;
    }

    private static Object number(Number n, PrimitiveType p, int index) {
        if (p == PrimitiveType.FLOAT) {
            return n.floatValue();
        }
        if (p == PrimitiveType.DOUBLE) {
            return n.doubleValue();
        }
        if (n instanceof Float || n instanceof Double || n instanceof BigDecimal) {
            // A fractional value for an integer parameter: the engine decides (it may round or reject).
            return n;
        }
        long l = n instanceof BigInteger b ? b.longValue() : n.longValue();
        if (n instanceof BigInteger b && b.bitLength() > 63) {
            throw overflow(n, p, index);
        }
        return switch (p) {
            case BYTE -> {
                if (l < Byte.MIN_VALUE || l > Byte.MAX_VALUE) {
                    throw overflow(n, p, index);
                }
                yield (byte) l;
            }
            case SHORT -> {
                if (l < Short.MIN_VALUE || l > Short.MAX_VALUE) {
                    throw overflow(n, p, index);
                }
                yield (short) l;
            }
            case INTEGER -> {
                if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                    throw overflow(n, p, index);
                }
                yield (int) l;
            }
            default -> l;
        };
    }

    private static TarnException overflow(Number n, PrimitiveType p, int index) {
        return new TarnException(ErrorCode.NUMERIC_OVERFLOW,
                "Parameter " + (index + 1) + ": value " + n + " is out of range for " + p.sqlName());
    }

    private static LocalDateTime parseTimestamp(String s, int index) {
        try {
            return LocalDateTime.parse(s.trim(), TIMESTAMP_TEXT);
        } catch (DateTimeParseException e) {
            throw new TarnException(ErrorCode.INVALID_CAST, "Parameter " + (index + 1) + ": '" + s
                    + "' is not a timestamp (expected YYYY-MM-DD HH:MM:SS[.ffffff])", e);
        }
    }
}
