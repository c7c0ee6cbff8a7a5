package dev.tarn.query.internal.plan;

import dev.tarn.query.internal.catalog.PushedFilter;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;

/**
 * Extracts the conjuncts of a filter over a table scan that the scan can use: {@code column op literal},
 * {@code column IS [NOT] NULL} and {@code column IN (literals)} (including OR chains of equalities on one column)
 * for file skipping and the scan's row filter, and {@code column op column} of one type (TPC-H's
 * {@code l_commitdate < l_receiptdate}) for the row filter only. The conjuncts the scan applies exactly
 * ({@link dev.tarn.query.internal.catalog.TableHandle#appliesExactly}) are left out of the filter above it; the
 * others are still applied to the scanned rows.
 */
public final class FilterPushdown {
    private FilterPushdown() {}

    /**
     * @param condition over the table's columns (input refs are table column indexes)
     * @param tableTypes the table's column types
     */
    public static List<PushedFilter> extract(RexBuilder rexBuilder, RexNode condition, List<DataType> tableTypes) {
        List<PushedFilter> out = new ArrayList<>();
        for (Conjunct c : conjuncts(rexBuilder, condition, tableTypes)) {
            if (c.pushed() != null) {
                out.add(c.pushed());
            }
        }
        return out;
    }

    /** One conjunct of a filter's condition and the filter a scan can use for it, or null. */
    public record Conjunct(RexNode condition, PushedFilter pushed) {}

    /**
     * Every conjunct of {@code condition} (searches expanded to comparisons), in order, each with its pushed
     * filter when it has one: the planner leaves the conjuncts a scan applies exactly out of the filter above it.
     */
    public static List<Conjunct> conjuncts(RexBuilder rexBuilder, RexNode condition, List<DataType> tableTypes) {
        List<Conjunct> out = new ArrayList<>();
        RexNode expanded = RexUtil.expandSearch(rexBuilder, null, condition);
        for (RexNode conjunct : RelOptUtil.conjunctions(expanded)) {
            out.add(new Conjunct(conjunct, toFilter(conjunct, tableTypes).orElse(null)));
        }
        return out;
    }

    private static Optional<PushedFilter> toFilter(RexNode node, List<DataType> types) {
        if (!(node instanceof RexCall call)) {
            return Optional.empty();
        }
        SqlKind kind = call.getKind();
        if (kind == SqlKind.IS_NULL || kind == SqlKind.IS_NOT_NULL) {
            if (call.getOperands().get(0) instanceof RexInputRef ref) {
                return Optional.of(new PushedFilter(ref.getIndex(),
                        kind == SqlKind.IS_NULL ? PushedFilter.Op.IS_NULL : PushedFilter.Op.IS_NOT_NULL, List.of()));
            }
            return Optional.empty();
        }
        if (kind == SqlKind.OR) {
            int column = -1;
            List<Object> values = new ArrayList<>();
            for (RexNode d : call.getOperands()) {
                Optional<PushedFilter> f = toFilter(d, types);
                if (f.isEmpty() || f.get().op() != PushedFilter.Op.EQ || (column >= 0 && f.get().column() != column)) {
                    return Optional.empty();
                }
                column = f.get().column();
                values.addAll(f.get().values());
            }
            return Optional.of(new PushedFilter(column, PushedFilter.Op.IN, values));
        }
        PushedFilter.Op op = switch (kind) {
            case EQUALS -> PushedFilter.Op.EQ;
            case NOT_EQUALS -> PushedFilter.Op.NE;
            case LESS_THAN -> PushedFilter.Op.LT;
            case LESS_THAN_OR_EQUAL -> PushedFilter.Op.LE;
            case GREATER_THAN -> PushedFilter.Op.GT;
            case GREATER_THAN_OR_EQUAL -> PushedFilter.Op.GE;
            default -> null;
        };
        if (op == null || call.getOperands().size() != 2) {
            return Optional.empty();
        }
        RexNode a = call.getOperands().get(0);
        RexNode b = call.getOperands().get(1);
        if (a instanceof RexLiteral && b instanceof RexInputRef) {
            RexNode t = a;
            a = b;
            b = t;
            op = switch (op) {
                case LT -> PushedFilter.Op.GT;
                case LE -> PushedFilter.Op.GE;
                case GT -> PushedFilter.Op.LT;
                case GE -> PushedFilter.Op.LE;
                default -> op;
            };
        }
        if (a instanceof RexInputRef left && b instanceof RexInputRef right && left.getIndex() != right.getIndex()
                && comparableColumns(types.get(left.getIndex()), types.get(right.getIndex()))) {
            return Optional.of(PushedFilter.columns(left.getIndex(), op, right.getIndex()));
        }
        if (a instanceof RexInputRef ref && b instanceof RexLiteral lit && !lit.isNull()) {
            Object value = javaValue(RexCompiler.literalValue(lit), RexCompiler.typeOf(lit), types.get(ref.getIndex()));
            if (value != null) {
                return Optional.of(new PushedFilter(ref.getIndex(), op, List.of(value)));
            }
        }
        return Optional.empty();
    }

    /**
     * Two columns compared without a cast: the same integral, DATE or DECIMAL type (the types a scan's row filter
     * compares as longs).
     */
    private static boolean comparableColumns(DataType a, DataType b) {
        if (!a.equals(b)) {
            return false;
        }
        if (a instanceof DecimalType) {
            return true;
        }
        return a == PrimitiveType.BYTE || a == PrimitiveType.SHORT || a == PrimitiveType.INTEGER
                || a == PrimitiveType.LONG || a == PrimitiveType.DATE;
    }

    /**
     * The literal as the Java class {@link PushedFilter} documents for the column's type, or null when it cannot be
     * represented exactly (then the conjunct is simply not pushed).
     */
    static Object javaValue(Object canonical, DataType literalType, DataType columnType) {
        if (columnType instanceof DecimalType) {
            return canonical instanceof Number n && !(n instanceof Double) ? dev.tarn.query.internal.expression.Values.toBigDecimal(n) : null;
        }
        if (!(columnType instanceof PrimitiveType p)) {
            return null;
        }
        try {
            return switch (p) {
                case BOOLEAN -> canonical instanceof Boolean ? canonical : null;
                case BYTE -> inRange(integral(canonical), Byte.MIN_VALUE, Byte.MAX_VALUE)
                        ? (Object) (byte) (long) integral(canonical) : null;
                case SHORT -> inRange(integral(canonical), Short.MIN_VALUE, Short.MAX_VALUE)
                        ? (Object) (short) (long) integral(canonical) : null;
                case INTEGER -> integral(canonical) == null ? null : (Object) Math.toIntExact(integral(canonical));
                case LONG -> integral(canonical);
                case FLOAT -> canonical instanceof Number n ? (Object) n.floatValue() : null;
                case DOUBLE -> canonical instanceof Number n ? (Object) n.doubleValue() : null;
                case STRING -> canonical instanceof String ? canonical : null;
                case BINARY -> canonical instanceof ByteString bs ? bs.getBytes() : null;
                case DATE -> literalType == PrimitiveType.DATE ? LocalDate.ofEpochDay((Integer) canonical) : null;
                case TIMESTAMP -> literalType == PrimitiveType.TIMESTAMP
                        ? dev.tarn.query.internal.expression.Casts.instant((Long) canonical) : null;
                case TIMESTAMP_NTZ -> literalType == PrimitiveType.TIMESTAMP_NTZ
                        ? dev.tarn.query.internal.expression.Casts.ntz((Long) canonical) : null;
                default -> null;
            };
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static boolean inRange(Long v, long min, long max) {
        return v != null && v >= min && v <= max;
    }

    private static Long integral(Object canonical) {
        if (canonical instanceof Long l) {
            return l;
        }
        if (canonical instanceof BigDecimal d) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        return null;
    }

}
