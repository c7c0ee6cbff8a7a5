package dev.tarn.txlog;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Partition values as the log stores them (PROTOCOL.md "Partition Value Serialization"): strings in
 * {@code add.partitionValues}, where null (or an empty string) is a null value. Java values follow Tarn's value
 * classes: Boolean, Byte, Short, Integer, Long, Float, Double, BigDecimal, String, byte[], LocalDate (date), Instant
 * (timestamp), LocalDateTime (timestamp_ntz).
 */
public final class PartitionValues {
    /** {@code yyyy-MM-dd HH:mm:ss} with an optional fraction of up to 9 digits. */
    private static final DateTimeFormatter ZONELESS = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();
    private static final DateTimeFormatter MICROS = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.MICRO_OF_SECOND, 0, 6, true).optionalEnd()
            .toFormatter();

    private PartitionValues() {}

    /**
     * The string written to the log for a value; null for null. Timestamps are written as ISO-8601 instants in UTC
     * with microseconds ({@code 2024-01-01T00:00:00.000000Z}), which no reader can misread in another time zone;
     * timestamp_ntz as {@code yyyy-MM-dd HH:mm:ss[.SSSSSS]}.
     */
    public static String serialize(Object value, DataType type) {
        requireNonNull(type, "type is null");
        if (value == null) {
            return null;
        }
        if (type instanceof DecimalType d) {
            return ((BigDecimal) value).setScale(d.scale(), java.math.RoundingMode.UNNECESSARY).toPlainString();
        }
        if (!(type instanceof PrimitiveType p)) {
            throw new IllegalArgumentException("Partition columns must have a primitive type, got " + type.simpleString());
        }
        return switch (p) {
            case BOOLEAN, BYTE, SHORT, INTEGER, LONG, FLOAT, DOUBLE, STRING -> value.toString();
            case BINARY -> new String((byte[]) value, StandardCharsets.UTF_8);
            case DATE -> ((LocalDate) value).toString();
            case TIMESTAMP -> DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
                    .format(((Instant) value).atOffset(ZoneOffset.UTC));
            case TIMESTAMP_NTZ -> MICROS.format((LocalDateTime) value);
            case VOID -> null;
        };
    }

    /** Parses a serialized value; zone-less timestamps are read as UTC. */
    public static Object parse(String value, DataType type) {
        return parse(value, type, ZoneOffset.UTC);
    }

    /**
     * Parses a serialized value. A zone-less timestamp string is a local time of the writer's time zone, which the
     * log does not record; {@code zoneForZonelessTimestamps} supplies it (Spark uses its session time zone).
     */
    public static Object parse(String value, DataType type, ZoneId zoneForZonelessTimestamps) {
        requireNonNull(type, "type is null");
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            if (type instanceof DecimalType d) {
                return new BigDecimal(value.trim()).setScale(d.scale(), java.math.RoundingMode.UNNECESSARY);
            }
            if (!(type instanceof PrimitiveType p)) {
                throw new IllegalArgumentException("not a primitive type");
            }
            return switch (p) {
                case BOOLEAN -> parseBoolean(value);
                case BYTE -> Byte.parseByte(value.trim());
                case SHORT -> Short.parseShort(value.trim());
                case INTEGER -> Integer.parseInt(value.trim());
                case LONG -> Long.parseLong(value.trim());
                case FLOAT -> Float.parseFloat(value.trim());
                case DOUBLE -> Double.parseDouble(value.trim());
                case STRING -> value;
                case BINARY -> value.getBytes(StandardCharsets.UTF_8);
                case DATE -> LocalDate.parse(value.trim());
                case TIMESTAMP -> parseTimestamp(value.trim(), zoneForZonelessTimestamps);
                case TIMESTAMP_NTZ -> parseNtz(value.trim());
                case VOID -> null;
            };
        } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
            throw new TarnException(ErrorCode.CORRUPT_LOG, "Partition value '" + value + "' is not a valid "
                    + type.simpleString() + ": " + e.getMessage(), e);
        }
    }

    private static Boolean parseBoolean(String v) {
        if (v.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (v.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException("not a boolean");
    }

    private static Instant parseTimestamp(String v, ZoneId zone) {
        if (v.length() > 10 && (v.endsWith("Z") || v.matches(".*[+-]\\d{2}:?\\d{2}$"))) {
            String iso = v.replace(' ', 'T').replaceAll("([+-]\\d{2})(\\d{2})$", "$1:$2");
            return OffsetDateTime.parse(iso).toInstant();
        }
        if (v.indexOf('T') > 0) {
            return LocalDateTime.parse(v).atZone(zone).toInstant();
        }
        if (v.length() == 10) {
            return LocalDate.parse(v).atStartOfDay(zone).toInstant();
        }
        return LocalDateTime.parse(v, ZONELESS).atZone(zone).toInstant();
    }

    private static LocalDateTime parseNtz(String v) {
        if (v.indexOf('T') > 0) {
            String s = v.endsWith("Z") ? v.substring(0, v.length() - 1) : v;
            return LocalDateTime.parse(s);
        }
        if (v.length() == 10) {
            return LocalDate.parse(v).atStartOfDay();
        }
        return LocalDateTime.parse(v, ZONELESS);
    }
}
