package dev.tarn.txlog.skipping;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.txlog.skipping.Predicate.And;
import dev.tarn.txlog.skipping.Predicate.Column;
import dev.tarn.txlog.skipping.Predicate.Comparison;
import dev.tarn.txlog.skipping.Predicate.In;
import dev.tarn.txlog.skipping.Predicate.IsNotNull;
import dev.tarn.txlog.skipping.Predicate.IsNull;
import dev.tarn.txlog.skipping.Predicate.Literal;
import dev.tarn.txlog.skipping.Predicate.Not;
import dev.tarn.txlog.skipping.Predicate.Op;
import dev.tarn.txlog.skipping.Predicate.Or;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Decides whether a file might hold rows matching a {@link Predicate}. Partition columns are evaluated exactly;
 * data columns against min/max/nullCount statistics (PROTOCOL.md "Per-file Statistics"), always conservatively:
 * missing or unusable statistics keep the file. Timestamp bounds are widened by a millisecond because Spark writes
 * them truncated to milliseconds; with {@code tightBounds: false} (deletion vectors made bounds wide) min/max are
 * still valid bounds but the null count may count deleted rows, so it is not used to prove a file all-null.
 */
public final class DataSkipping {
    private final StructType schema;
    private final List<String> partitionColumns;

    public DataSkipping(StructType schema, List<String> partitionColumns) {
        this.schema = requireNonNull(schema, "schema is null");
        this.partitionColumns = List.copyOf(requireNonNull(partitionColumns, "partitionColumns is null"));
    }

    /** Rewrites NOT away (De Morgan; NOT of a comparison is the complementary comparison). */
    public static Predicate pushNot(Predicate p, boolean negate) {
        if (p instanceof Not n) {
            return pushNot(n.child(), !negate);
        }
        if (!negate) {
            if (p instanceof And a) {
                return new And(a.children().stream().map(c -> pushNot(c, false)).toList());
            }
            if (p instanceof Or o) {
                return new Or(o.children().stream().map(c -> pushNot(c, false)).toList());
            }
            return p;
        }
        if (p instanceof And a) {
            return new Or(a.children().stream().map(c -> pushNot(c, true)).toList());
        }
        if (p instanceof Or o) {
            return new And(o.children().stream().map(c -> pushNot(c, true)).toList());
        }
        if (p instanceof Comparison c) {
            return new Comparison(c.column(), c.op().negate(), c.literal());
        }
        if (p instanceof IsNull n) {
            return new IsNotNull(n.column());
        }
        if (p instanceof IsNotNull n) {
            return new IsNull(n.column());
        }
        In in = (In) p;
        List<Predicate> ne = new ArrayList<>();
        for (Literal l : in.values()) {
            ne.add(new Comparison(in.column(), Op.NE, l));
        }
        return new And(ne);
    }

    /** True when every column the predicate names is a partition column (no statistics needed). */
    public boolean onlyPartitionColumns(Predicate p) {
        if (p instanceof Not n) {
            return onlyPartitionColumns(n.child());
        }
        if (p instanceof And a) {
            return a.children().stream().allMatch(this::onlyPartitionColumns);
        }
        if (p instanceof Or o) {
            return o.children().stream().allMatch(this::onlyPartitionColumns);
        }
        return isPartition(column(p));
    }

    private static Column column(Predicate p) {
        if (p instanceof Comparison c) {
            return c.column();
        }
        if (p instanceof IsNull n) {
            return n.column();
        }
        if (p instanceof IsNotNull n) {
            return n.column();
        }
        return ((In) p).column();
    }

    private String partitionName(Column c) {
        if (c.path().size() != 1) {
            return null;
        }
        for (String pc : partitionColumns) {
            if (pc.equalsIgnoreCase(c.path().get(0))) {
                return pc;
            }
        }
        return null;
    }

    private boolean isPartition(Column c) {
        return partitionName(c) != null;
    }

    /**
     * Whether a file with these partition values (by logical column name, typed) and statistics might contain a
     * matching row. {@code predicate} must already be free of NOT (see {@link #pushNot}).
     */
    public boolean mightMatch(Predicate predicate, Map<String, Object> partitionValues, Supplier<FileStats> stats) {
        if (predicate instanceof And a) {
            for (Predicate c : a.children()) {
                if (!mightMatch(c, partitionValues, stats)) {
                    return false;
                }
            }
            return true;
        }
        if (predicate instanceof Or o) {
            for (Predicate c : o.children()) {
                if (mightMatch(c, partitionValues, stats)) {
                    return true;
                }
            }
            return o.children().isEmpty();
        }
        if (predicate instanceof Not n) {
            return mightMatch(pushNot(n.child(), true), partitionValues, stats);
        }
        Column column = column(predicate);
        String partition = partitionName(column);
        if (partition != null) {
            return evalPartition(predicate, partitionValues.get(partition));
        }
        ResolvedColumn rc = resolve(column);
        if (rc == null) {
            return true; // unknown column: not ours to judge
        }
        FileStats s = stats.get();
        if (s == null || s.isEmpty()) {
            return true;
        }
        return evalStats(predicate, rc, s);
    }

    private boolean evalPartition(Predicate p, Object value) {
        if (p instanceof IsNull) {
            return value == null;
        }
        if (p instanceof IsNotNull) {
            return value != null;
        }
        if (value == null) {
            return false; // comparisons with NULL are never true
        }
        if (p instanceof In in) {
            for (Literal l : in.values()) {
                if (compareExact(value, Op.EQ, l)) {
                    return true;
                }
            }
            return false;
        }
        Comparison c = (Comparison) p;
        return compareExact(value, c.op(), c.literal());
    }

    private static boolean compareExact(Object value, Op op, Literal literal) {
        if (literal.value() == null) {
            return false;
        }
        Integer cmp = compare(value, literal.value());
        if (cmp == null) {
            return true; // incomparable: keep the file
        }
        return switch (op) {
            case EQ -> cmp == 0;
            case NE -> cmp != 0;
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            case GT -> cmp > 0;
            case GE -> cmp >= 0;
        };
    }

    private record ResolvedColumn(List<String> physicalPath, DataType type) {}

    private ResolvedColumn resolve(Column column) {
        StructType current = schema;
        List<String> physical = new ArrayList<>();
        DataType type = null;
        for (int i = 0; i < column.path().size(); i++) {
            if (current == null) {
                return null;
            }
            StructField f = current.field(column.path().get(i)).orElse(null);
            if (f == null) {
                return null;
            }
            physical.add(f.physicalName());
            type = f.type();
            current = type instanceof StructType s ? s : null;
        }
        return new ResolvedColumn(physical, type);
    }

    private boolean evalStats(Predicate p, ResolvedColumn rc, FileStats s) {
        if (p instanceof IsNull) {
            long nulls = s.nullCount(rc.physicalPath());
            return nulls != 0; // unknown (-1) keeps the file
        }
        if (p instanceof IsNotNull) {
            long nulls = s.nullCount(rc.physicalPath());
            long rows = s.numRecords();
            return !(s.tightBounds() && nulls >= 0 && rows >= 0 && nulls == rows);
        }
        if (!(rc.type() instanceof PrimitiveType) && !(rc.type() instanceof DecimalType)) {
            return true;
        }
        long nulls = s.nullCount(rc.physicalPath());
        long rows = s.numRecords();
        if (s.tightBounds() && nulls >= 0 && rows >= 0 && nulls == rows && rows > 0) {
            return false; // all values null: no comparison can be true
        }
        Object min = statValue(s.min(rc.physicalPath()), rc.type(), false);
        Object max = statValue(s.max(rc.physicalPath()), rc.type(), true);
        if (p instanceof In in) {
            for (Literal l : in.values()) {
                if (l.value() != null && rangeMightMatch(Op.EQ, l.value(), min, max)) {
                    return true;
                }
            }
            return false;
        }
        Comparison c = (Comparison) p;
        if (c.literal().value() == null) {
            return false;
        }
        return rangeMightMatch(c.op(), c.literal().value(), min, max);
    }

    private static boolean rangeMightMatch(Op op, Object v, Object min, Object max) {
        Integer vsMin = min == null ? null : compare(v, min);
        Integer vsMax = max == null ? null : compare(v, max);
        return switch (op) {
            case EQ -> (vsMin == null || vsMin >= 0) && (vsMax == null || vsMax <= 0);
            // Every value equals v only when min == max == v.
            case NE -> !(vsMin != null && vsMax != null && vsMin == 0 && vsMax == 0);
            case LT -> vsMin == null || vsMin > 0;   // some x < v  <=> min < v
            case LE -> vsMin == null || vsMin >= 0;
            case GT -> vsMax == null || vsMax < 0;   // some x > v  <=> max > v
            case GE -> vsMax == null || vsMax <= 0;
        };
    }

    /** A statistics value as a Java value of the column type, or null when absent or unusable. */
    static Object statValue(JsonNode n, DataType type, boolean upper) {
        if (n == null || n.isNull() || n.isContainerNode()) {
            return null;
        }
        try {
            if (type instanceof DecimalType) {
                return n.isNumber() ? n.decimalValue() : new BigDecimal(n.asText());
            }
            PrimitiveType p = (PrimitiveType) type;
            switch (p) {
                case BYTE: case SHORT: case INTEGER: case LONG:
                    return n.isIntegralNumber() ? n.asLong() : null;
                case FLOAT: case DOUBLE: {
                    if (!n.isNumber()) {
                        return null;
                    }
                    double d = n.asDouble();
                    return Double.isNaN(d) ? null : d;
                }
                case STRING:
                    return n.isTextual() ? n.asText() : null;
                case DATE:
                    return LocalDate.parse(n.asText());
                case TIMESTAMP: {
                    String t = n.asText();
                    Instant i = t.endsWith("Z") || t.matches(".*[+-]\\d{2}:\\d{2}$")
                            ? OffsetDateTime.parse(t).toInstant() : LocalDateTime.parse(t).toInstant(java.time.ZoneOffset.UTC);
                    // Spark truncates timestamp statistics to milliseconds: widen the upper bound.
                    return upper ? i.plusNanos(999_000) : i;
                }
                case TIMESTAMP_NTZ: {
                    String t = n.asText();
                    LocalDateTime l = LocalDateTime.parse(t.endsWith("Z") ? t.substring(0, t.length() - 1) : t);
                    return upper ? l.plusNanos(999_000) : l;
                }
                case BOOLEAN:
                    return n.isBoolean() ? n.asBoolean() : null;
                default:
                    return null;
            }
        } catch (RuntimeException e) {
            return null; // unparsable statistics: keep the file
        }
    }

    /** Compares two values of compatible classes; null when they cannot be compared. */
    static Integer compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            if (isFloating(x) || isFloating(y)) {
                double dx = x.doubleValue();
                double dy = y.doubleValue();
                if (Double.isNaN(dx) || Double.isNaN(dy)) {
                    return null;
                }
                return Double.compare(dx, dy);
            }
            if (x instanceof BigDecimal || y instanceof BigDecimal) {
                return toBigDecimal(x).compareTo(toBigDecimal(y));
            }
            return Long.compare(x.longValue(), y.longValue());
        }
        if (a instanceof String x && b instanceof String y) {
            return compareUtf8(x, y);
        }
        if (a instanceof LocalDate x && b instanceof LocalDate y) {
            return x.compareTo(y);
        }
        if (a instanceof Instant x && b instanceof Instant y) {
            return x.compareTo(y);
        }
        if (a instanceof LocalDateTime x && b instanceof LocalDateTime y) {
            return x.compareTo(y);
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return x.compareTo(y);
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return java.util.Arrays.compareUnsigned(x, y);
        }
        return null;
    }

    private static boolean isFloating(Number n) {
        return n instanceof Double || n instanceof Float;
    }

    private static BigDecimal toBigDecimal(Number n) {
        return n instanceof BigDecimal b ? b : BigDecimal.valueOf(n.longValue());
    }

    /** Spark orders strings by their UTF-8 bytes, i.e. by code point. */
    private static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }


}
