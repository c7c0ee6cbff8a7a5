package dev.tarn.query.internal.optimizer;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.internal.catalog.TableHandle;
import dev.tarn.query.internal.catalog.TableStatistics;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Intersect;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Minus;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.Sarg;

/**
 * Estimates the rows of a logical plan and the distinct values and bounds of its columns, from the tables'
 * statistics ({@link TableHandle#statistics()}: row counts and min/max from the Delta log) and textbook heuristics:
 * equality selects 1/distinct values, ranges the fraction of [min, max] they cover, LIKE a tenth, AND multiplies,
 * OR adds (as independent events), an equi-join divides the product of its inputs by the larger distinct count of
 * its key, an aggregation yields at most the product of its keys' distinct counts. One instance per statement
 * (estimates are memoized per node).
 */
public final class CardinalityEstimator {
    /** Selectivity of a predicate nothing better is known about. */
    static final double UNKNOWN_SELECTIVITY = 0.25;
    /** Equality with a constant when the column's distinct count is unknown. */
    static final double EQUALS_SELECTIVITY = 0.1;
    static final double LIKE_SELECTIVITY = 0.1;
    static final double HAVING_SELECTIVITY = 0.1;
    /** Rows assumed for a table without statistics (its estimate is then not {@link Estimate#known()}). */
    static final double UNKNOWN_ROWS = 1000;

    /**
     * One column of an estimate.
     *
     * @param ndv estimated distinct values (NaN when unknown)
     * @param domain distinct values before any filter, the column's value domain (NaN when unknown)
     * @param min lower bound on the numeric line of {@link TableStatistics.ColumnStatistics} (NaN when unknown)
     * @param max upper bound (NaN when unknown)
     * @param fractions the fraction of the table's rows holding each value of a low-cardinality string column (from
     *     {@link TableStatistics.ColumnStatistics#valueCounts()}), or null when unknown
     */
    public record Column(double ndv, double domain, double min, double max, Map<String, Double> fractions) {
        public static final Column UNKNOWN = new Column(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

        public Column(double ndv, double domain, double min, double max) {
            this(ndv, domain, min, max, null);
        }

        Column capped(double rows) {
            return Double.isNaN(ndv) || ndv <= rows ? this : new Column(rows, domain, min, max, fractions);
        }

        /** The fraction of rows holding string {@code value}, or NaN when not known. */
        double fraction(String value) {
            if (fractions == null) {
                return Double.NaN;
            }
            Double f = fractions.get(value);
            if (f == null) {
                f = fractions.get(value.stripTrailing()); // a CHAR literal padded to a longer one's length
            }
            return f == null ? 0 : f;
        }

        boolean hasRange() {
            return !Double.isNaN(min) && !Double.isNaN(max) && max >= min;
        }
    }

    /**
     * @param rows estimated rows (at least 1)
     * @param columns one per output field
     * @param known false when a table without statistics fed the estimate
     */
    public record Estimate(double rows, List<Column> columns, boolean known) {
        public Estimate {
            columns = Collections.unmodifiableList(new ArrayList<>(columns));
            rows = Math.max(1, rows);
        }

        public Column column(int i) {
            return i >= 0 && i < columns.size() ? columns.get(i) : Column.UNKNOWN;
        }

        /** Distinct values of column {@code i}, the row count when unknown. */
        public double ndv(int i) {
            double n = column(i).ndv();
            return Double.isNaN(n) ? rows : Math.max(1, Math.min(n, rows));
        }
    }

    private final Function<TableScan, TableHandle> tables;
    private final Map<RelNode, Estimate> memo = new IdentityHashMap<>();
    private final Map<TableHandle, TableStatistics> statistics = new HashMap<>();

    /** @param tables the pinned handle of each scanned table */
    public CardinalityEstimator(Function<TableScan, TableHandle> tables) {
        this.tables = requireNonNull(tables, "tables is null");
    }

    public Estimate estimate(RelNode rel) {
        Estimate e = memo.get(rel);
        if (e == null) {
            e = compute(rel);
            memo.put(rel, e);
        }
        return e;
    }

    private Estimate compute(RelNode rel) {
        if (rel instanceof TableScan scan) {
            return scan(scan);
        }
        if (rel instanceof Filter filter) {
            Estimate in = estimate(filter.getInput());
            if (filter.getInput() instanceof Aggregate aggregate) {
                return filtered(in, havingSelectivity(filter.getCondition(), aggregate.getGroupCount(), in));
            }
            return filtered(in, selectivity(filter.getCondition(), in));
        }
        if (rel instanceof Project project) {
            Estimate in = estimate(project.getInput());
            List<Column> columns = new ArrayList<>();
            for (RexNode e : project.getProjects()) {
                columns.add(columnOf(e, in));
            }
            return new Estimate(in.rows(), columns, in.known());
        }
        if (rel instanceof Aggregate aggregate) {
            return aggregate(aggregate);
        }
        if (rel instanceof Join join) {
            return join(join);
        }
        if (rel instanceof Sort sort) {
            Estimate in = estimate(sort.getInput());
            double rows = in.rows();
            if (sort.fetch instanceof RexLiteral fetch && fetch.getValueAs(BigDecimal.class) != null) {
                rows = Math.min(rows, fetch.getValueAs(BigDecimal.class).doubleValue());
            }
            return rows == in.rows() ? in : capped(in, rows);
        }
        if (rel instanceof Values values) {
            return new Estimate(values.getTuples().size(), unknownColumns(rel), true);
        }
        if (rel instanceof Union || rel instanceof Intersect || rel instanceof Minus) {
            double rows = 0;
            boolean known = true;
            for (RelNode in : rel.getInputs()) {
                Estimate e = estimate(in);
                known &= e.known();
                rows = rel instanceof Union ? rows + e.rows()
                        : rel instanceof Intersect ? (rows == 0 ? e.rows() : Math.min(rows, e.rows()))
                        : (rows == 0 ? e.rows() : rows);
            }
            return new Estimate(rows, unknownColumns(rel), known);
        }
        if (rel.getInputs().isEmpty()) {
            return new Estimate(UNKNOWN_ROWS, unknownColumns(rel), false);
        }
        // Window (appends columns), Correlate and the rest: the first input's rows.
        Estimate in = estimate(rel.getInput(0));
        List<Column> columns = new ArrayList<>(in.columns());
        while (columns.size() < rel.getRowType().getFieldCount()) {
            columns.add(Column.UNKNOWN);
        }
        return new Estimate(in.rows(), columns.subList(0, rel.getRowType().getFieldCount()), in.known());
    }

    private static List<Column> unknownColumns(RelNode rel) {
        return Collections.nCopies(rel.getRowType().getFieldCount(), Column.UNKNOWN);
    }

    private Estimate scan(TableScan scan) {
        TableHandle handle = tables.apply(scan);
        TableStatistics stats = statistics.computeIfAbsent(handle, TableHandle::statistics);
        int width = scan.getRowType().getFieldCount();
        if (stats.rowCount() < 0) {
            return new Estimate(UNKNOWN_ROWS, Collections.nCopies(width, Column.UNKNOWN), false);
        }
        double rows = Math.max(1, stats.rowCount());
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            TableStatistics.ColumnStatistics c = stats.column(i);
            double ndv = c.distinctCount() < 0 ? Double.NaN : Math.max(1, c.distinctCount());
            Map<String, Double> fractions = null;
            if (c.valueCounts() != null) {
                fractions = new HashMap<>();
                for (Map.Entry<String, Long> v : c.valueCounts().entrySet()) {
                    fractions.put(v.getKey(), Math.min(1, v.getValue() / rows));
                }
            }
            columns.add(c.hasRange() ? new Column(ndv, ndv, c.min(), c.max()) : new Column(ndv, ndv, Double.NaN,
                    Double.NaN, fractions));
        }
        return new Estimate(rows, columns, true);
    }

    private static Estimate filtered(Estimate in, double selectivity) {
        return capped(in, in.rows() * clamp(selectivity));
    }

    private static Estimate capped(Estimate in, double rows) {
        double r = Math.max(1, rows);
        List<Column> columns = new ArrayList<>();
        for (Column c : in.columns()) {
            columns.add(c.capped(r));
        }
        return new Estimate(r, columns, in.known());
    }

    private static Column columnOf(RexNode e, Estimate in) {
        if (e instanceof RexInputRef ref) {
            return in.column(ref.getIndex());
        }
        if (e.getKind() == SqlKind.CAST && ((RexCall) e).getOperands().get(0) instanceof RexInputRef ref) {
            return in.column(ref.getIndex());
        }
        if (e instanceof RexLiteral) {
            return new Column(1, 1, Double.NaN, Double.NaN);
        }
        return Column.UNKNOWN;
    }

    private Estimate aggregate(Aggregate aggregate) {
        Estimate in = estimate(aggregate.getInput());
        double rows = 0;
        for (org.apache.calcite.util.ImmutableBitSet set : aggregate.getGroupSets()) {
            double groups = 1;
            for (int key : set) {
                groups *= in.ndv(key);
                if (groups >= in.rows()) {
                    break;
                }
            }
            rows += Math.min(groups, in.rows());
        }
        List<Column> columns = new ArrayList<>();
        for (int key : aggregate.getGroupSet()) {
            columns.add(in.column(key));
        }
        while (columns.size() < aggregate.getRowType().getFieldCount()) {
            columns.add(Column.UNKNOWN);
        }
        return capped(new Estimate(rows, columns, in.known()), rows);
    }

    private Estimate join(Join join) {
        Estimate left = estimate(join.getLeft());
        Estimate right = estimate(join.getRight());
        JoinInfo info = join.analyzeCondition();
        double denominator = 1;
        for (int k = 0; k < info.leftKeys.size(); k++) {
            double d = Math.max(left.ndv(info.leftKeys.get(k)), right.ndv(info.rightKeys.get(k)));
            denominator = k == 0 ? d : denominator * Math.sqrt(d);
        }
        denominator = Math.min(denominator, Math.max(left.rows(), right.rows()));
        List<Column> both = new ArrayList<>(left.columns());
        both.addAll(right.columns());
        double residual = info.nonEquiConditions.isEmpty() ? 1
                : selectivity(org.apache.calcite.rex.RexUtil.composeConjunction(
                        join.getCluster().getRexBuilder(), info.nonEquiConditions),
                        new Estimate(left.rows() * right.rows(), both, true));
        double inner = left.rows() * right.rows() / denominator * residual;
        boolean known = left.known() && right.known();
        JoinRelType type = join.getJoinType();
        return switch (type) {
            case SEMI, ANTI -> {
                double matched = info.leftKeys.isEmpty() ? 0.5 : Math.min(1, right.ndv(info.rightKeys.get(0))
                        / left.ndv(info.leftKeys.get(0)));
                double fraction = type == JoinRelType.SEMI ? matched : Math.max(0.1, 1 - matched);
                yield capped(new Estimate(left.rows(), left.columns(), known), left.rows() * fraction);
            }
            case LEFT -> capped(new Estimate(1, both, known), Math.max(left.rows(), inner));
            case RIGHT -> capped(new Estimate(1, both, known), Math.max(right.rows(), inner));
            case FULL -> capped(new Estimate(1, both, known), Math.max(left.rows() + right.rows(), inner));
            default -> capped(new Estimate(1, both, known), inner);
        };
    }

    /**
     * A HAVING clause: a conjunct on aggregate values alone (no statistics) selects {@value #HAVING_SELECTIVITY},
     * since HAVING thresholds usually keep the few outstanding groups (TPC-H Q18, Q11).
     */
    private double havingSelectivity(RexNode condition, int groupCount, Estimate in) {
        double s = 1;
        for (RexNode c : org.apache.calcite.plan.RelOptUtil.conjunctions(condition)) {
            boolean aggregatesOnly = !c.isAlwaysTrue();
            for (int field : org.apache.calcite.plan.RelOptUtil.InputFinder.bits(c)) {
                aggregatesOnly &= field >= groupCount;
            }
            s *= aggregatesOnly ? HAVING_SELECTIVITY : selectivity(c, in);
        }
        return s;
    }

    private static double clamp(double s) {
        return Double.isNaN(s) ? UNKNOWN_SELECTIVITY : Math.max(1e-9, Math.min(1, s));
    }

    /** The fraction of {@code input}'s rows that satisfy {@code condition} (over its fields). */
    public double selectivity(RexNode condition, Estimate input) {
        return clamp(rawSelectivity(condition, input));
    }

    private double rawSelectivity(RexNode condition, Estimate in) {
        if (condition instanceof RexLiteral literal) {
            Boolean b = literal.getValueAs(Boolean.class);
            return b == null || !b ? 0 : 1;
        }
        if (condition instanceof RexInputRef) {
            return 0.5;
        }
        if (!(condition instanceof RexCall call)) {
            return UNKNOWN_SELECTIVITY;
        }
        List<RexNode> operands = call.getOperands();
        switch (call.getKind()) {
            case AND: {
                // Bounds on one column combine into one range (a BETWEEN is not two independent predicates).
                Map<Integer, double[]> ranges = new HashMap<>();
                double s = 1;
                for (RexNode c : operands) {
                    if (!addBound(c, in, ranges)) {
                        s *= selectivity(c, in);
                    }
                }
                for (Map.Entry<Integer, double[]> r : ranges.entrySet()) {
                    s *= rangeFraction(in.column(r.getKey()), r.getValue()[0], r.getValue()[1]);
                }
                return s;
            }
            case OR: {
                double none = 1;
                for (RexNode c : operands) {
                    none *= 1 - selectivity(c, in);
                }
                return 1 - none;
            }
            case NOT:
                return 1 - selectivity(operands.get(0), in);
            case IS_NULL:
                return operands.get(0).getType().isNullable() ? 0.05 : 0;
            case IS_NOT_NULL:
                return operands.get(0).getType().isNullable() ? 0.95 : 1;
            case LIKE:
                return call.getOperator().getName().toUpperCase(java.util.Locale.ROOT).contains("NOT")
                        ? 1 - LIKE_SELECTIVITY : LIKE_SELECTIVITY;
            case EQUALS:
            case NOT_EQUALS:
            case IS_NOT_DISTINCT_FROM: {
                double eq = equality(operands.get(0), operands.get(1), in);
                return call.getKind() == SqlKind.NOT_EQUALS ? 1 - eq : eq;
            }
            case LESS_THAN:
            case LESS_THAN_OR_EQUAL:
            case GREATER_THAN:
            case GREATER_THAN_OR_EQUAL: {
                Map<Integer, double[]> ranges = new HashMap<>();
                if (addBound(call, in, ranges)) {
                    Map.Entry<Integer, double[]> r = ranges.entrySet().iterator().next();
                    return rangeFraction(in.column(r.getKey()), r.getValue()[0], r.getValue()[1]);
                }
                return 1.0 / 3;
            }
            case SEARCH:
                return search(operands.get(0), (RexLiteral) operands.get(1), in);
            default:
                return UNKNOWN_SELECTIVITY;
        }
    }

    private static int column(RexNode e) {
        if (e instanceof RexInputRef ref) {
            return ref.getIndex();
        }
        if (e.getKind() == SqlKind.CAST && ((RexCall) e).getOperands().get(0) instanceof RexInputRef ref) {
            return ref.getIndex();
        }
        return -1;
    }

    private static double equality(RexNode a, RexNode b, Estimate in) {
        int ca = column(a);
        int cb = column(b);
        if (ca >= 0 && cb >= 0) {
            return 1 / Math.max(in.ndv(ca), in.ndv(cb));
        }
        int c = ca >= 0 ? ca : cb;
        RexNode other = ca >= 0 ? b : a;
        if (c < 0 || !(other instanceof RexLiteral literal)) {
            return EQUALS_SELECTIVITY;
        }
        Column column = in.column(c);
        if (column.fractions() != null && !literal.isNull()
                && literal.getType().getSqlTypeName().getFamily() == org.apache.calcite.sql.type.SqlTypeFamily.CHARACTER) {
            return column.fraction(literal.getValueAs(String.class));
        }
        double v = literalValue(literal);
        if (column.hasRange() && !Double.isNaN(v) && (v < column.min() || v > column.max())) {
            return 0;
        }
        return Double.isNaN(column.ndv()) ? EQUALS_SELECTIVITY : 1 / Math.max(1, column.ndv());
    }

    /** Records {@code c} as a bound [lo, hi] on its column when it is {@code column <op> numeric literal}. */
    private static boolean addBound(RexNode c, Estimate in, Map<Integer, double[]> ranges) {
        SqlKind kind = c.getKind();
        if (kind != SqlKind.LESS_THAN && kind != SqlKind.LESS_THAN_OR_EQUAL && kind != SqlKind.GREATER_THAN
                && kind != SqlKind.GREATER_THAN_OR_EQUAL) {
            return false;
        }
        List<RexNode> operands = ((RexCall) c).getOperands();
        int col = column(operands.get(0));
        RexNode other = operands.get(1);
        if (col < 0) {
            col = column(operands.get(1));
            other = operands.get(0);
            kind = kind.reverse();
        }
        if (col < 0 || !(other instanceof RexLiteral literal) || !in.column(col).hasRange()) {
            return false;
        }
        double v = literalValue(literal);
        if (Double.isNaN(v)) {
            return false;
        }
        double[] r = ranges.computeIfAbsent(col, k -> new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY});
        if (kind == SqlKind.LESS_THAN || kind == SqlKind.LESS_THAN_OR_EQUAL) {
            r[1] = Math.min(r[1], v);
        } else {
            r[0] = Math.max(r[0], v);
        }
        return true;
    }

    /** The fraction of a column's [min, max] that [lo, hi] covers (a third per unknown side). */
    static double rangeFraction(Column column, double lo, double hi) {
        boolean bothSides = lo != Double.NEGATIVE_INFINITY && hi != Double.POSITIVE_INFINITY;
        if (!column.hasRange() || Double.isNaN(lo) || Double.isNaN(hi)) {
            return bothSides ? 0.25 : 1.0 / 3;
        }
        double min = column.min();
        double max = column.max();
        if (hi < min || lo > max || hi < lo) {
            return 0;
        }
        if (max == min) {
            return 1;
        }
        double from = Math.max(lo, min);
        double to = Math.min(hi, max);
        return Math.max(0, to - from) / (max - min);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static double search(RexNode operand, RexLiteral literal, Estimate in) {
        int col = column(operand);
        Sarg sarg = literal.getValueAs(Sarg.class);
        if (sarg == null) {
            return UNKNOWN_SELECTIVITY;
        }
        Column column = col < 0 ? Column.UNKNOWN : in.column(col);
        double point = col >= 0 && !Double.isNaN(column.ndv()) ? 1 / Math.max(1, in.ndv(col)) : EQUALS_SELECTIVITY;
        if ((sarg.isPoints() || sarg.isComplementedPoints()) && column.fractions() != null) {
            // Strings of a column whose values were counted: the fractions of the values listed.
            double listed = 0;
            boolean strings = true;
            Sarg points = sarg.isPoints() ? sarg : sarg.negate();
            for (Object o : points.rangeSet.asRanges()) {
                Object p = ((com.google.common.collect.Range) o).lowerEndpoint();
                strings &= p instanceof NlsString;
                listed += p instanceof NlsString n ? column.fraction(n.getValue()) : 0;
            }
            if (strings) {
                return sarg.isPoints() ? Math.min(1, listed) : Math.max(0, 1 - listed);
            }
        }
        if (sarg.isPoints()) {
            return Math.min(1, sarg.pointCount * point);
        }
        if (sarg.isComplementedPoints()) {
            return Math.max(0, 1 - sarg.negate().pointCount * point);
        }
        double s = 0;
        for (Object o : sarg.rangeSet.asRanges()) {
            com.google.common.collect.Range range = (com.google.common.collect.Range) o;
            double lo = range.hasLowerBound() ? numeric(range.lowerEndpoint()) : Double.NEGATIVE_INFINITY;
            double hi = range.hasUpperBound() ? numeric(range.upperEndpoint()) : Double.POSITIVE_INFINITY;
            if (range.hasLowerBound() && range.hasUpperBound() && range.lowerEndpoint().equals(range.upperEndpoint())) {
                s += point;
            } else {
                s += rangeFraction(column, lo, hi);
            }
        }
        return s;
    }

    private static double literalValue(RexLiteral literal) {
        if (literal.isNull()) {
            return Double.NaN;
        }
        return switch (literal.getType().getSqlTypeName()) {
            case DATE -> literal.getValueAs(DateString.class).getDaysSinceEpoch();
            case TINYINT, SMALLINT, INTEGER, BIGINT, DECIMAL, FLOAT, REAL, DOUBLE ->
                    numeric(literal.getValueAs(BigDecimal.class));
            default -> Double.NaN;
        };
    }

    /** A literal on the numeric line of the statistics (numbers, DATE as epoch days), or NaN. */
    static double numeric(Object value) {
        if (value instanceof BigDecimal d) {
            return d.doubleValue();
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof DateString d) {
            return d.getDaysSinceEpoch();
        }
        if (value instanceof NlsString) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
