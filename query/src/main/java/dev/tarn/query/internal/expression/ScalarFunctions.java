package dev.tarn.query.internal.expression;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Factories for the strict scalar functions. Each returns an {@link Expr} whose kernel loops over the batch;
 * argument types were checked by Calcite's validator.
 */
public final class ScalarFunctions {
    private ScalarFunctions() {}

    /** A value function over canonical values, called only when no argument is NULL. */
    @FunctionalInterface
    public interface Fn {
        Object apply(Object[] args);
    }

    /** A strict function (NULL if any argument is NULL) evaluated by a loop over the argument vectors. */
    public static Expr strict(String name, DataType type, List<Expr> args, Fn fn) {
        return new FunctionExpr(name, type, args, fn::apply);
    }

    /** The first (or, from the end, last) {@code n} code points of a string; none when n is not positive. */
    public static Expr leftOrRight(boolean left, Expr s, Expr n) {
        return strict(left ? "LEFT" : "RIGHT", PrimitiveType.STRING, List.of(s, n), a -> {
            String x = (String) a[0];
            long count = ((Number) a[1]).longValue();
            int length = x.codePointCount(0, x.length());
            if (count <= 0) {
                return "";
            }
            if (count >= length) {
                return x;
            }
            int split = x.offsetByCodePoints(0, left ? (int) count : length - (int) count);
            return left ? x.substring(0, split) : x.substring(split);
        });
    }

    public static Expr upper(Expr s) {
        return new FunctionExpr("UPPER", PrimitiveType.STRING, List.of(s), a -> ((String) a[0]).toUpperCase(Locale.ROOT));
    }

    public static Expr lower(Expr s) {
        return new FunctionExpr("LOWER", PrimitiveType.STRING, List.of(s), a -> ((String) a[0]).toLowerCase(Locale.ROOT));
    }

    public static Expr charLength(DataType type, Expr s) {
        return new FunctionExpr("CHAR_LENGTH", type, List.of(s), a -> {
            String x = (String) a[0];
            return (long) x.codePointCount(0, x.length());
        });
    }

    public static Expr concat(List<Expr> args) {
        return new FunctionExpr("CONCAT", PrimitiveType.STRING, args, a -> {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < a.length; i++) {
                b.append(a[i] instanceof String s ? s : Casts.toText(a[i], args.get(i).type(), ZoneOffset.UTC));
            }
            return b.toString();
        });
    }

    /**
     * SUBSTRING with Spark's rules: positions count from 1; position 0 means 1; a negative position counts from
     * the end; a negative or zero length gives the empty string.
     */
    public static Expr substring(List<Expr> args) {
        if (args.size() >= 2 && args.size() <= 3 && args.get(0).type() == PrimitiveType.STRING
                && args.get(1) instanceof Constant pos
                && (args.size() == 2 || args.get(2) instanceof Constant)) {
            return new SubstringExpr(args.get(0), pos, args.size() == 3 ? (Constant) args.get(2) : null,
                    substringByValue(args));
        }
        return substringByValue(args);
    }

    private static Expr substringByValue(List<Expr> args) {
        return new FunctionExpr("SUBSTRING", PrimitiveType.STRING, args, a -> {
            String s = (String) a[0];
            int[] cps = s.codePoints().toArray();
            long pos = ((Number) a[1]).longValue();
            long start = pos > 0 ? pos - 1 : pos < 0 ? cps.length + pos : 0;
            long end = a.length > 2 ? start + ((Number) a[2]).longValue() : Long.MAX_VALUE;
            start = Math.max(start, 0);
            end = Math.min(end, cps.length);
            return start >= end ? "" : new String(cps, (int) start, (int) (end - start));
        });
    }

    /** POSITION(needle IN haystack): 1-based index of the first occurrence, 0 when absent. */
    public static Expr position(DataType type, Expr needle, Expr haystack) {
        return new FunctionExpr("POSITION", type, List.of(needle, haystack), a -> {
            String h = (String) a[1];
            int i = h.indexOf((String) a[0]);
            return i < 0 ? 0L : (long) h.codePointCount(0, i) + 1;
        });
    }

    /** TRIM([BOTH|LEADING|TRAILING] chars FROM s). */
    public static Expr trim(boolean leading, boolean trailing, Expr chars, Expr s) {
        return new FunctionExpr("TRIM", PrimitiveType.STRING, List.of(chars, s), a -> {
            String set = (String) a[0];
            String x = (String) a[1];
            int b = 0;
            int e = x.length();
            while (leading && b < e && set.indexOf(x.charAt(b)) >= 0) {
                b++;
            }
            while (trailing && e > b && set.indexOf(x.charAt(e - 1)) >= 0) {
                e--;
            }
            return x.substring(b, e);
        });
    }

    public static Expr abs(Expr x) {
        DataType t = x.type();
        return new FunctionExpr("ABS", t, List.of(x), a -> {
            Object v = a[0];
            if (v instanceof Long l) {
                if (l == Long.MIN_VALUE) {
                    throw new TarnException(ErrorCode.NUMERIC_OVERFLOW, "ABS overflows for " + l);
                }
                return Math.abs(l);
            }
            if (v instanceof Double d) {
                return Math.abs(d);
            }
            return ((BigDecimal) v).abs();
        });
    }

    /** ROUND(x [, digits]) half-up, as Spark. */
    public static Expr round(DataType type, Expr x, Expr digits) {
        List<Expr> args = digits == null ? List.of(x) : List.of(x, digits);
        return new FunctionExpr("ROUND", type, args, a -> {
            int d = a.length > 1 ? ((Number) a[1]).intValue() : 0;
            Object v = a[0];
            if (v instanceof Double dbl) {
                if (dbl.isNaN() || dbl.isInfinite()) {
                    return dbl;
                }
                return BigDecimal.valueOf(dbl).setScale(d, RoundingMode.HALF_UP).doubleValue();
            }
            if (v instanceof Long l) {
                return d >= 0 ? l : BigDecimal.valueOf(l).setScale(d, RoundingMode.HALF_UP).longValueExact();
            }
            BigDecimal r = ((BigDecimal) v).setScale(d, RoundingMode.HALF_UP);
            return type instanceof DecimalType ? r : r.longValue();
        });
    }

    public enum Field { YEAR, QUARTER, MONTH, WEEK, DAY, DOW, DOY, HOUR, MINUTE, SECOND }

    /** EXTRACT(field FROM date or timestamp); TIMESTAMP (an instant) is seen in the session zone. */
    public static Expr extract(Field field, DataType type, Expr source) {
        DataType from = source.type();
        if (from == PrimitiveType.DATE && type instanceof PrimitiveType p && p.isIntegral()
                && (field == Field.YEAR || field == Field.MONTH || field == Field.DAY || field == Field.QUARTER)) {
            return new DateFieldExpr(field, type, source);
        }
        return new FunctionExpr("EXTRACT_" + field, type, List.of(source), new Kernels.ValueFunction() {
            @Override
            public Object apply(Object[] a) {
                LocalDateTime t;
                if (from == PrimitiveType.DATE) {
                    t = LocalDate.ofEpochDay((Integer) a[0]).atStartOfDay();
                } else if (from == PrimitiveType.TIMESTAMP_NTZ) {
                    t = Casts.ntz((Long) a[0]);
                } else {
                    t = Casts.ntz((Long) a[0]);
                }
                return (long) switch (field) {
                    case YEAR -> t.getYear();
                    case QUARTER -> (t.getMonthValue() + 2) / 3;
                    case MONTH -> t.getMonthValue();
                    case WEEK -> t.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR);
                    case DAY -> t.getDayOfMonth();
                    case DOW -> t.getDayOfWeek().getValue() % 7 + 1;
                    case DOY -> t.getDayOfYear();
                    case HOUR -> t.getHour();
                    case MINUTE -> t.getMinute();
                    case SECOND -> t.getSecond();
                };
            }
        });
    }

    /**
     * Spark's {@code DATE_TRUNC} of a wall-clock timestamp (microseconds): units YEAR/YYYY/YY, QUARTER,
     * MONTH/MON/MM, WEEK (to Monday), DAY/DD, HOUR, MINUTE, SECOND, MILLISECOND, MICROSECOND; NULL for any other
     * unit, as in Spark.
     */
    public static Object truncate(String unit, long micros) {
        java.time.LocalDateTime t = Casts.ntz(micros);
        java.time.LocalDateTime r = switch (unit.trim().toUpperCase(java.util.Locale.ROOT)) {
            case "YEAR", "YYYY", "YY" -> t.toLocalDate().withDayOfYear(1).atStartOfDay();
            case "QUARTER" -> t.toLocalDate().withMonth((t.getMonthValue() - 1) / 3 * 3 + 1).withDayOfMonth(1)
                    .atStartOfDay();
            case "MONTH", "MON", "MM" -> t.toLocalDate().withDayOfMonth(1).atStartOfDay();
            case "WEEK" -> t.toLocalDate().minusDays(t.getDayOfWeek().getValue() - 1).atStartOfDay();
            case "DAY", "DD" -> t.toLocalDate().atStartOfDay();
            case "HOUR" -> t.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
            case "MINUTE" -> t.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
            case "SECOND" -> t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            case "MILLISECOND" -> t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            case "MICROSECOND" -> t;
            default -> null;
        };
        return r == null ? null : Casts.micros(r.toInstant(ZoneOffset.UTC));
    }

    /** EXTRACT on TIMESTAMP (instant) first converts it to the session's wall clock. */
    public static Expr atSessionZone(Expr timestamp) {
        return new CastExpr(timestamp, PrimitiveType.TIMESTAMP_NTZ);
    }

    /**
     * datetime +/- interval. {@code months} intervals move the calendar (clamping the day of month); day-time
     * intervals are milliseconds (Calcite's representation).
     */
    public static Expr addInterval(Expr datetime, Expr interval, boolean months, boolean subtract) {
        DataType t = datetime.type();
        return new FunctionExpr(subtract ? "DATETIME_MINUS" : "DATETIME_PLUS", t, List.of(datetime, interval), a -> {
            long amount = ((Number) a[1]).longValue();
            if (subtract) {
                amount = Math.negateExact(amount);
            }
            if (t == PrimitiveType.DATE) {
                LocalDate d = LocalDate.ofEpochDay((Integer) a[0]);
                LocalDate r = months ? d.plusMonths(amount) : d.plusDays(Math.floorDiv(amount, 86_400_000L));
                return (int) r.toEpochDay();
            }
            long micros = (Long) a[0];
            if (!months) {
                return Math.addExact(micros, Math.multiplyExact(amount, 1000L));
            }
            LocalDateTime r = Casts.ntz(micros).plusMonths(amount);
            return Casts.micros(r.toInstant(ZoneOffset.UTC));
        });
    }

    /** SQL LIKE with {@code %}, {@code _} and an optional escape character. */
    public static Expr like(Expr s, Expr pattern, Expr escape, boolean negated) {
        if (s.type() == PrimitiveType.STRING && pattern instanceof Constant p && !p.isParameter()
                && p.value() instanceof String text
                && (escape == null || escape instanceof Constant e && !e.isParameter() && e.value() instanceof String)) {
            LikeExpr kernel = LikeExpr.of(s, text, escape == null ? null : (String) ((Constant) escape).value(), negated);
            if (kernel != null) {
                return kernel;
            }
        }
        List<Expr> args = escape == null ? List.of(s, pattern) : List.of(s, pattern, escape);
        java.util.Map<String, Pattern> cache = new java.util.concurrent.ConcurrentHashMap<>();
        return new FunctionExpr(negated ? "NOT LIKE" : "LIKE", PrimitiveType.BOOLEAN, args, a -> {
            String esc = a.length > 2 ? (String) a[2] : null;
            String key = (esc == null ? "" : esc) + "\u0000" + a[1];
            Pattern p = cache.size() < 1024 ? cache.computeIfAbsent(key, k -> likeToRegex((String) a[1], esc))
                    : likeToRegex((String) a[1], esc);
            return p.matcher((String) a[0]).matches() != negated;
        });
    }

    static Pattern likeToRegex(String pattern, String escape) {
        if (escape != null && escape.length() != 1) {
            throw new TarnException(ErrorCode.INVALID_VALUE, "LIKE escape must be a single character: '" + escape + "'");
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (escape != null && c == escape.charAt(0)) {
                if (++i >= pattern.length()) {
                    throw new TarnException(ErrorCode.INVALID_VALUE, "LIKE pattern ends with the escape character: '" + pattern + "'");
                }
                b.append(Pattern.quote(String.valueOf(pattern.charAt(i))));
            } else if (c == '%') {
                b.append(".*");
            } else if (c == '_') {
                b.append('.');
            } else {
                b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(b.toString(), Pattern.DOTALL);
    }

    /** EXTRACT(YEAR|QUARTER|MONTH|DAY FROM date) in a primitive loop over the epoch days. */
    private static final class DateFieldExpr implements Expr {
        private final Field field;
        private final DataType type;
        private final Expr source;

        DateFieldExpr(Field field, DataType type, Expr source) {
            this.field = field;
            this.type = type;
            this.source = source;
        }

        @Override
        public DataType type() {
            return type;
        }

        @Override
        public String describe() {
            return "EXTRACT_" + field + "(" + source.describe() + ")";
        }

        @Override
        public Column evaluate(org.apache.arrow.vector.VectorSchemaRoot batch, EvalContext context) {
            return Kernels.run(List.of(source), type, batch, context, (in, result, n) -> {
                org.apache.arrow.vector.DateDayVector days = (org.apache.arrow.vector.DateDayVector) in[0];
                org.apache.arrow.vector.BaseIntVector out = (org.apache.arrow.vector.BaseIntVector) result;
                for (int i = 0; i < n; i++) {
                    if (days.isNull(i)) {
                        result.setNull(i);
                    } else {
                        LocalDate d = LocalDate.ofEpochDay(days.get(i));
                        out.setWithPossibleTruncate(i, switch (field) {
                            case YEAR -> d.getYear();
                            case QUARTER -> (d.getMonthValue() + 2) / 3;
                            case MONTH -> d.getMonthValue();
                            default -> d.getDayOfMonth();
                        });
                    }
                }
            });
        }
    }
}
