package dev.tarn.query.internal.scan;

import dev.tarn.query.internal.catalog.PushedFilter;
import dev.tarn.storage.parquet.ColumnStatistics;
import dev.tarn.storage.parquet.RowGroupInfo;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Decides from a row group's footer statistics whether it can hold a row matching every pushed filter. Only
 * certain answers prune: a value whose class cannot be compared with the statistics (e.g. a file written before
 * a type change) keeps the row group.
 */
final class RowGroupPruner {
    private record Check(List<String> path, PushedFilter filter) {}

    private final List<Check> checks;

    private RowGroupPruner(List<Check> checks) {
        this.checks = checks;
    }

    /** Filters on stored (non-partition) primitive columns; statistics are keyed by the file's column names. */
    static RowGroupPruner of(StructType schema, List<String> partitionColumns, List<PushedFilter> filters) {
        List<Check> checks = new ArrayList<>();
        for (PushedFilter f : filters) {
            if (f.comparesColumns()) {
                continue; // statistics bound each column alone
            }
            StructField field = schema.fields().get(f.column());
            boolean partition = partitionColumns.stream().anyMatch(p -> p.equalsIgnoreCase(field.name()));
            if (!partition && !field.type().isNested()) {
                checks.add(new Check(List.of(field.physicalName()), f));
            }
        }
        return new RowGroupPruner(List.copyOf(checks));
    }

    boolean isEmpty() {
        return checks.isEmpty();
    }

    /** False only when no row of the group can satisfy all filters. */
    boolean mayMatch(RowGroupInfo group) {
        for (Check c : checks) {
            Optional<ColumnStatistics> stats = group.column(c.path());
            if (stats.isPresent() && !mayMatch(c.filter(), stats.get(), group.rowCount())) {
                return false;
            }
        }
        return true;
    }

    static boolean mayMatch(PushedFilter f, ColumnStatistics s, long rowCount) {
        long nulls = s.nullCount();
        boolean allNull = nulls >= 0 && nulls == rowCount;
        switch (f.op()) {
            case IS_NULL:
                return nulls != 0;
            case IS_NOT_NULL:
                return !allNull;
            default:
                break;
        }
        if (allNull) {
            return false; // comparisons and IN are never true for null
        }
        Object min = s.min();
        Object max = s.max();
        if (min == null || max == null) {
            return true;
        }
        if (f.op() == PushedFilter.Op.IN) {
            for (Object v : f.values()) {
                if (v == null || mayEqual(v, min, max)) {
                    return true;
                }
            }
            return false;
        }
        Object v = f.values().get(0);
        if (v == null) {
            return true;
        }
        Integer vsMin = compare(v, min);
        Integer vsMax = compare(v, max);
        if (vsMin == null || vsMax == null) {
            return true;
        }
        return switch (f.op()) {
            case EQ -> vsMin >= 0 && vsMax <= 0;
            case NE -> !(vsMin == 0 && vsMax == 0);
            case LT -> vsMin > 0;   // some value < v  <=>  min < v
            case LE -> vsMin >= 0;
            case GT -> vsMax < 0;   // some value > v  <=>  max > v
            case GE -> vsMax <= 0;
            default -> true;
        };
    }

    private static boolean mayEqual(Object v, Object min, Object max) {
        Integer a = compare(v, min);
        Integer b = compare(v, max);
        return a == null || b == null || (a >= 0 && b <= 0);
    }

    /** {@code sign(a - b)}, or null when the two cannot be compared exactly. */
    static Integer compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            if (isNaN(x) || isNaN(y) || isInfinite(x) || isInfinite(y)) {
                return null;
            }
            return Integer.signum(toBigDecimal(x).compareTo(toBigDecimal(y)));
        }
        if (a instanceof String x && b instanceof String y) {
            // Parquet orders strings by unsigned UTF-8 bytes, which differs from String.compareTo.
            return Integer.signum(Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)));
        }
        if (a instanceof LocalDate x && b instanceof LocalDate y) {
            return Integer.signum(x.compareTo(y));
        }
        if (a instanceof Instant x && b instanceof Instant y) {
            return Integer.signum(x.compareTo(y));
        }
        if (a instanceof LocalDateTime x && b instanceof LocalDateTime y) {
            return Integer.signum(x.compareTo(y));
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return Integer.signum(Boolean.compare(x, y));
        }
        return null;
    }

    private static boolean isNaN(Number n) {
        return (n instanceof Double d && d.isNaN()) || (n instanceof Float f && f.isNaN());
    }

    private static boolean isInfinite(Number n) {
        return (n instanceof Double d && d.isInfinite()) || (n instanceof Float f && f.isInfinite());
    }

    private static BigDecimal toBigDecimal(Number n) {
        if (n instanceof BigDecimal b) {
            return b;
        }
        if (n instanceof Double || n instanceof Float) {
            return new BigDecimal(n.doubleValue());
        }
        return BigDecimal.valueOf(n.longValue());
    }
}
