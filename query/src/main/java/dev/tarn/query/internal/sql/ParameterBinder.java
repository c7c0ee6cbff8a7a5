package dev.tarn.query.internal.sql;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.expression.Casts;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.util.ByteString;

/**
 * Converts JDBC parameter values into the canonical values of the parameters' inferred types, with the same rules
 * as CAST (so a String bound to an INT parameter parses, and a bad one fails with INVALID_CAST).
 */
public final class ParameterBinder {
    private ParameterBinder() {}

    static List<Object> bind(List<ResultColumn> parameters, List<?> values, ZoneId zone) {
        if (values.size() != parameters.size()) {
            throw new TarnException(ErrorCode.INVALID_VALUE,
                    "The statement has " + parameters.size() + " parameters, but " + values.size() + " values were given");
        }
        List<Object> out = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            out.add(convert("Parameter " + (i + 1), values.get(i), parameters.get(i).type(), zone));
        }
        return out;
    }

    /**
     * One JDBC-style Java value as the canonical value of {@code type} (CAST rules); {@code what} names the value in
     * error messages ("Parameter 2", "Column 'id'").
     */
    public static Object convert(String what, Object value, DataType type, ZoneId zone) {
        if (value == null) {
            return null;
        }
        Object canonical;
        DataType from;
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            canonical = ((Number) value).longValue();
            from = PrimitiveType.LONG;
        } else if (value instanceof BigDecimal d) {
            BigDecimal n = d.scale() < 0 ? d.setScale(0) : d;
            int scale = Math.min(n.scale(), DecimalType.MAX_PRECISION);
            int precision = Math.min(Math.max(n.precision(), scale), DecimalType.MAX_PRECISION);
            canonical = n;
            from = new DecimalType(Math.max(precision, 1), scale);
        } else if (value instanceof Double || value instanceof Float) {
            canonical = ((Number) value).doubleValue();
            from = PrimitiveType.DOUBLE;
        } else if (value instanceof String s) {
            canonical = s;
            from = PrimitiveType.STRING;
        } else if (value instanceof Boolean b) {
            canonical = b;
            from = PrimitiveType.BOOLEAN;
        } else if (value instanceof java.sql.Date d) {
            canonical = (int) d.toLocalDate().toEpochDay();
            from = PrimitiveType.DATE;
        } else if (value instanceof LocalDate d) {
            canonical = (int) d.toEpochDay();
            from = PrimitiveType.DATE;
        } else if (value instanceof java.sql.Timestamp t) {
            canonical = Casts.micros(t.toInstant());
            from = PrimitiveType.TIMESTAMP;
        } else if (value instanceof Instant t) {
            canonical = Casts.micros(t);
            from = PrimitiveType.TIMESTAMP;
        } else if (value instanceof LocalDateTime t) {
            canonical = Casts.micros(t.toInstant(ZoneOffset.UTC));
            from = PrimitiveType.TIMESTAMP_NTZ;
        } else if (value instanceof byte[] b) {
            canonical = new ByteString(b);
            from = PrimitiveType.BINARY;
        } else {
            throw new TarnException(ErrorCode.TYPE_MISMATCH, what + ": values of class "
                    + value.getClass().getName() + " are not supported");
        }
        try {
            return Casts.converter(from, type, zone).apply(canonical);
        } catch (TarnException e) {
            throw new TarnException(e.errorCode(), what + " (" + type.sqlName() + "): " + e.getMessage(), e);
        }
    }
}
