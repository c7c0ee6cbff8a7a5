package dev.tarn.query.internal.plan;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.internal.expression.ArithmeticExpr;
import dev.tarn.query.internal.expression.CaseExpr;
import dev.tarn.query.internal.expression.CastExpr;
import dev.tarn.query.internal.expression.ColumnRef;
import dev.tarn.query.internal.expression.CompareExpr;
import dev.tarn.query.internal.expression.Constant;
import dev.tarn.query.internal.expression.Expr;
import dev.tarn.query.internal.expression.InListExpr;
import dev.tarn.query.internal.expression.LogicalExpr;
import dev.tarn.query.internal.expression.ScalarFunctions;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.PrimitiveType;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlLikeOperator;
import org.apache.calcite.sql.fun.SqlTrimFunction;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.TimestampString;

/**
 * Translates Calcite row expressions into Tarn's vectorized {@link Expr} trees. Interval values (only operands of
 * datetime arithmetic) are carried as BIGINT: milliseconds for day-time intervals, months for year-month ones,
 * as Calcite represents them.
 */
public final class RexCompiler {
    private final RexBuilder rexBuilder;
    private final List<DataType> inputTypes;

    public RexCompiler(RexBuilder rexBuilder, List<DataType> inputTypes) {
        this.rexBuilder = requireNonNull(rexBuilder, "rexBuilder is null");
        this.inputTypes = List.copyOf(inputTypes);
    }

    public Expr compile(RexNode node) {
        return translate(RexUtil.expandSearch(rexBuilder, null, node));
    }

    /** Tarn's type of a Calcite expression; intervals are BIGINT internally. */
    static DataType typeOf(RexNode node) {
        if (node.getType().getSqlTypeName().getFamily() == SqlTypeFamily.INTERVAL_DAY_TIME
                || node.getType().getSqlTypeName().getFamily() == SqlTypeFamily.INTERVAL_YEAR_MONTH) {
            return PrimitiveType.LONG;
        }
        return TypeMapping.toTarn(node.getType());
    }

    private Expr translate(RexNode node) {
        if (node instanceof RexInputRef ref) {
            return new ColumnRef(ref.getIndex(), inputTypes.get(ref.getIndex()));
        }
        if (node instanceof RexLiteral literal) {
            return Constant.literal(typeOf(literal), literalValue(literal));
        }
        if (node instanceof RexDynamicParam param) {
            return Constant.parameter(typeOf(param), param.getIndex());
        }
        if (node instanceof RexCall call) {
            return translateCall(call);
        }
        if (node instanceof org.apache.calcite.rex.RexFieldAccess access) {
            return new dev.tarn.query.internal.expression.FieldAccessExpr(translate(access.getReferenceExpr()),
                    access.getField().getName(), typeOf(access));
        }
        throw unsupported(node.toString());
    }

    /** The canonical value of a literal (see {@link dev.tarn.query.internal.expression.Values}). */
    public static Object literalValue(RexLiteral literal) {
        if (literal.isNull()) {
            return null;
        }
        SqlTypeName t = literal.getType().getSqlTypeName();
        switch (t) {
            case BOOLEAN:
                return literal.getValueAs(Boolean.class);
            case TINYINT: case SMALLINT: case INTEGER: case BIGINT:
                return literal.getValueAs(BigDecimal.class).longValueExact();
            case DECIMAL:
                return literal.getValueAs(BigDecimal.class);
            case REAL: case FLOAT: case DOUBLE:
                return literal.getValueAs(Double.class);
            case CHAR: case VARCHAR:
                return literal.getValueAs(String.class);
            case BINARY: case VARBINARY:
                return literal.getValueAs(ByteString.class);
            case DATE:
                return literal.getValueAs(DateString.class).getDaysSinceEpoch();
            case TIMESTAMP: case TIMESTAMP_WITH_LOCAL_TIME_ZONE: {
                String s = literal.getValueAs(TimestampString.class).toString();
                LocalDateTime ldt = LocalDateTime.parse(s.replace(' ', 'T'));
                long secs = ldt.toEpochSecond(ZoneOffset.UTC);
                return secs * 1_000_000L + ldt.getNano() / 1000;
            }
            default:
                if (t.getFamily() == SqlTypeFamily.INTERVAL_DAY_TIME || t.getFamily() == SqlTypeFamily.INTERVAL_YEAR_MONTH) {
                    return literal.getValueAs(Long.class);
                }
                throw unsupported("literal of type " + literal.getType().getFullTypeString());
        }
    }

    private List<Expr> operands(RexCall call) {
        List<Expr> out = new ArrayList<>();
        for (RexNode o : call.getOperands()) {
            out.add(translate(o));
        }
        return out;
    }

    /**
     * AND/OR whose comparisons of one expression with literals become an {@link InListExpr}: {@code x = a OR x = b}
     * is {@code x IN (a, b)} and {@code x <> a AND x <> b} is {@code NOT (x IN (a, b))}, the same value in
     * three-valued logic with x evaluated once (expanded IN lists arrive in this shape). Other operands stay as
     * they are.
     */
    private Expr connective(RexCall call, LogicalExpr.Op op, SqlKind comparison) {
        Map<RexNode, List<Object>> lists = new LinkedHashMap<>();
        for (RexNode o : call.getOperands()) {
            RexNode side = comparedWithLiteral(o, comparison);
            if (side != null) {
                lists.computeIfAbsent(side, k -> new ArrayList<>()).add(null);
            }
        }
        lists.values().removeIf(v -> v.size() < 2);
        if (lists.isEmpty()) {
            return new LogicalExpr(op, operands(call));
        }
        for (List<Object> v : lists.values()) {
            v.clear();
        }
        List<Expr> out = new ArrayList<>();
        for (RexNode o : call.getOperands()) {
            RexNode side = comparedWithLiteral(o, comparison);
            List<Object> list = side == null ? null : lists.get(side);
            if (list == null) {
                out.add(translate(o));
                continue;
            }
            List<RexNode> pair = ((RexCall) o).getOperands();
            RexLiteral literal = (RexLiteral) (pair.get(0) == side ? pair.get(1) : pair.get(0));
            if (list.isEmpty()) {
                out.add(null); // the list's place: the first of its comparisons
            }
            list.add(literalValue(literal));
        }
        Iterator<Map.Entry<RexNode, List<Object>>> groups = lists.entrySet().iterator();
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i) == null) {
                Map.Entry<RexNode, List<Object>> g = groups.next();
                Expr in = new InListExpr(translate(g.getKey()), g.getValue());
                out.set(i, op == LogicalExpr.Op.OR ? in : new LogicalExpr(LogicalExpr.Op.NOT, List.of(in)));
            }
        }
        return out.size() == 1 ? out.get(0) : new LogicalExpr(op, out);
    }

    /** The non-literal, deterministic side of {@code side <comparison> literal} (either order), else null. */
    private static RexNode comparedWithLiteral(RexNode node, SqlKind comparison) {
        if (node.getKind() != comparison || !(node instanceof RexCall c) || c.getOperands().size() != 2) {
            return null;
        }
        RexNode a = c.getOperands().get(0);
        RexNode b = c.getOperands().get(1);
        RexNode side = b instanceof RexLiteral ? a : a instanceof RexLiteral ? b : null;
        if (side == null || side instanceof RexLiteral || !RexUtil.isDeterministic(side)) {
            return null;
        }
        return side;
    }

    private Expr translateCall(RexCall call) {
        SqlKind kind = call.getKind();
        DataType type = typeOf(call);
        switch (kind) {
            case PLUS: case MINUS: case TIMES: case DIVIDE: case MOD: {
                RexNode a = call.getOperands().get(0);
                RexNode b = call.getOperands().get(1);
                if (isDatetime(a) && isInterval(b)) {
                    return addInterval(translate(a), translate(b), isMonths(b), kind == SqlKind.MINUS);
                }
                if (isInterval(a) && isDatetime(b) && kind == SqlKind.PLUS) {
                    return addInterval(translate(b), translate(a), isMonths(a), false);
                }
                if (isDatetime(a) || isDatetime(b)) {
                    throw unsupported("datetime arithmetic " + call);
                }
                ArithmeticExpr.Op op = switch (kind) {
                    case PLUS -> ArithmeticExpr.Op.PLUS;
                    case MINUS -> ArithmeticExpr.Op.MINUS;
                    case TIMES -> ArithmeticExpr.Op.TIMES;
                    case DIVIDE -> ArithmeticExpr.Op.DIVIDE;
                    default -> ArithmeticExpr.Op.MOD;
                };
                return new ArithmeticExpr(op, type, translate(a), translate(b));
            }
            case MINUS_PREFIX:
                return new ArithmeticExpr(ArithmeticExpr.Op.MINUS, type,
                        Constant.literal(type, zeroOf(type)), translate(call.getOperands().get(0)));
            case PLUS_PREFIX:
            case REINTERPRET:
                return translate(call.getOperands().get(0));
            case EQUALS: return compare(CompareExpr.Op.EQ, call);
            case NOT_EQUALS: return compare(CompareExpr.Op.NE, call);
            case LESS_THAN: return compare(CompareExpr.Op.LT, call);
            case LESS_THAN_OR_EQUAL: return compare(CompareExpr.Op.LE, call);
            case GREATER_THAN: return compare(CompareExpr.Op.GT, call);
            case GREATER_THAN_OR_EQUAL: return compare(CompareExpr.Op.GE, call);
            case IS_NOT_DISTINCT_FROM: return compare(CompareExpr.Op.NOT_DISTINCT, call);
            case IS_DISTINCT_FROM: return compare(CompareExpr.Op.DISTINCT, call);
            case AND: return connective(call, LogicalExpr.Op.AND, SqlKind.NOT_EQUALS);
            case OR: return connective(call, LogicalExpr.Op.OR, SqlKind.EQUALS);
            case NOT: return new LogicalExpr(LogicalExpr.Op.NOT, operands(call));
            case IS_NULL: return new LogicalExpr(LogicalExpr.Op.IS_NULL, operands(call));
            case IS_NOT_NULL: return new LogicalExpr(LogicalExpr.Op.IS_NOT_NULL, operands(call));
            case IS_TRUE: return new LogicalExpr(LogicalExpr.Op.IS_TRUE, operands(call));
            case IS_NOT_TRUE: return new LogicalExpr(LogicalExpr.Op.IS_NOT_TRUE, operands(call));
            case IS_FALSE: return new LogicalExpr(LogicalExpr.Op.IS_FALSE, operands(call));
            case IS_NOT_FALSE: return new LogicalExpr(LogicalExpr.Op.IS_NOT_FALSE, operands(call));
            case CAST: {
                Expr input = translate(call.getOperands().get(0));
                return TypeMapping.sameType(input.type(), type) ? input : new CastExpr(input, type);
            }
            case SAFE_CAST: {
                Expr input = translate(call.getOperands().get(0));
                return TypeMapping.sameType(input.type(), type) ? input : new CastExpr(input, type, true);
            }
            case CASE: {
                List<Expr> ops = operands(call);
                List<Expr> conditions = new ArrayList<>();
                List<Expr> values = new ArrayList<>();
                for (int i = 0; i + 1 < ops.size(); i += 2) {
                    conditions.add(ops.get(i));
                    values.add(ops.get(i + 1));
                }
                Expr otherwise = ops.size() % 2 == 1 ? ops.get(ops.size() - 1) : Constant.literal(type, null);
                return new CaseExpr(type, conditions, values, otherwise);
            }
            case COALESCE: {
                List<Expr> ops = operands(call);
                List<Expr> conditions = new ArrayList<>();
                for (int i = 0; i < ops.size() - 1; i++) {
                    conditions.add(new LogicalExpr(LogicalExpr.Op.IS_NOT_NULL, List.of(ops.get(i))));
                }
                return new CaseExpr(type, conditions, ops.subList(0, ops.size() - 1), ops.get(ops.size() - 1));
            }
            case NULLIF: {
                List<Expr> ops = operands(call);
                return new CaseExpr(type, List.of(new CompareExpr(CompareExpr.Op.EQ, ops.get(0), ops.get(1))),
                        List.of(Constant.literal(type, null)), ops.get(0));
            }
            case LIKE: {
                List<Expr> ops = operands(call);
                boolean negated = call.getOperator() instanceof SqlLikeOperator l && l.isNegated();
                return ScalarFunctions.like(ops.get(0), ops.get(1), ops.size() > 2 ? ops.get(2) : null, negated);
            }
            case TRIM: {
                SqlTrimFunction.Flag flag = ((RexLiteral) call.getOperands().get(0)).getValueAs(SqlTrimFunction.Flag.class);
                return ScalarFunctions.trim(flag != SqlTrimFunction.Flag.TRAILING, flag != SqlTrimFunction.Flag.LEADING,
                        translate(call.getOperands().get(1)), translate(call.getOperands().get(2)));
            }
            case EXTRACT: {
                TimeUnitRange unit = ((RexLiteral) call.getOperands().get(0)).getValueAs(TimeUnitRange.class);
                Expr source = translate(call.getOperands().get(1));
                if (source.type() == PrimitiveType.TIMESTAMP) {
                    source = ScalarFunctions.atSessionZone(source);
                }
                ScalarFunctions.Field field;
                try {
                    field = ScalarFunctions.Field.valueOf(unit.name());
                } catch (IllegalArgumentException e) {
                    throw unsupported("EXTRACT(" + unit + ")");
                }
                return ScalarFunctions.extract(field, type, source);
            }
            default:
                break;
        }
        String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
        switch (name) {
            case "||":
            case "CONCAT":
                return ScalarFunctions.concat(operands(call));
            case "UPPER":
                return ScalarFunctions.upper(translate(call.getOperands().get(0)));
            case "LOWER":
                return ScalarFunctions.lower(translate(call.getOperands().get(0)));
            case "CHAR_LENGTH":
            case "CHARACTER_LENGTH":
            case "LENGTH":
                return ScalarFunctions.charLength(type, translate(call.getOperands().get(0)));
            case "SUBSTRING":
                return ScalarFunctions.substring(operands(call));
            case "POSITION":
                if (call.getOperands().size() != 2) {
                    throw unsupported("POSITION with a start position");
                }
                return ScalarFunctions.position(type, translate(call.getOperands().get(0)),
                        translate(call.getOperands().get(1)));
            case "ABS":
                return ScalarFunctions.abs(translate(call.getOperands().get(0)));
            case "ROUND":
                return ScalarFunctions.round(type, translate(call.getOperands().get(0)),
                        call.getOperands().size() > 1 ? translate(call.getOperands().get(1)) : null);
            case "MOD":
                return new ArithmeticExpr(ArithmeticExpr.Op.MOD, type, translate(call.getOperands().get(0)),
                        translate(call.getOperands().get(1)));
            case "IF": {
                List<Expr> ops = operands(call);
                return new CaseExpr(type, List.of(ops.get(0)), List.of(ops.get(1)), ops.get(2));
            }
            case "NVL":
            case "IFNULL": {
                List<Expr> ops = operands(call);
                return new CaseExpr(type, List.of(new LogicalExpr(LogicalExpr.Op.IS_NOT_NULL, List.of(ops.get(0)))),
                        List.of(ops.get(0)), ops.get(1));
            }
            case "LEFT":
            case "RIGHT":
                return ScalarFunctions.leftOrRight(name.equals("LEFT"), translate(call.getOperands().get(0)),
                        translate(call.getOperands().get(1)));
            case "LTRIM":
            case "RTRIM":
                return ScalarFunctions.trim(name.equals("LTRIM"), name.equals("RTRIM"),
                        Constant.literal(PrimitiveType.STRING, " "), translate(call.getOperands().get(0)));
            case "STARTS_WITH":
                return ScalarFunctions.strict(name, type, operands(call), a -> ((String) a[0]).startsWith((String) a[1]));
            case "ENDS_WITH":
                return ScalarFunctions.strict(name, type, operands(call), a -> ((String) a[0]).endsWith((String) a[1]));
            case "REVERSE":
                return ScalarFunctions.strict(name, type, operands(call),
                        a -> new StringBuilder((String) a[0]).reverse().toString());
            case "REPLACE":
                return ScalarFunctions.strict(name, type, operands(call),
                        a -> ((String) a[0]).replace((String) a[1], (String) a[2]));
            case "POWER":
                return ScalarFunctions.strict(name, type, operands(call),
                        a -> Math.pow(((Number) a[0]).doubleValue(), ((Number) a[1]).doubleValue()));
            case "SQRT":
                return ScalarFunctions.strict(name, type, operands(call), a -> Math.sqrt(((Number) a[0]).doubleValue()));
            case "FLOOR":
            case "CEIL":
            case "CEILING": {
                if (call.getOperands().size() != 1 || isDatetime(call.getOperands().get(0))) {
                    throw unsupported(name + " of a date or time");
                }
                boolean floor = name.equals("FLOOR");
                return ScalarFunctions.strict(name, type, operands(call), a -> {
                    Object v = a[0];
                    if (v instanceof Double d) {
                        return floor ? Math.floor(d) : Math.ceil(d);
                    }
                    if (v instanceof BigDecimal d) {
                        BigDecimal r = d.setScale(0, floor ? java.math.RoundingMode.FLOOR : java.math.RoundingMode.CEILING);
                        return type instanceof dev.tarn.txlog.types.DecimalType ? r : (Object) r.longValueExact();
                    }
                    return v;
                });
            }
            case "DATE_ADD":
            case "DATE_SUB": {
                if (call.getOperands().size() != 2 || isInterval(call.getOperands().get(1))) {
                    throw unsupported(name + " with an interval");
                }
                boolean sub = name.equals("DATE_SUB");
                return ScalarFunctions.strict(name, PrimitiveType.DATE, List.of(asDate(call.getOperands().get(0)),
                        translate(call.getOperands().get(1))), a -> Math.toIntExact((Integer) a[0]
                        + (sub ? -1 : 1) * ((Number) a[1]).longValue()));
            }
            case "DATEDIFF":
                if (call.getOperands().size() != 2) {
                    throw unsupported("DATEDIFF with " + call.getOperands().size() + " arguments (Spark's is DATEDIFF(end, start))");
                }
                return ScalarFunctions.strict(name, PrimitiveType.INTEGER, List.of(asDate(call.getOperands().get(0)),
                        asDate(call.getOperands().get(1))), a -> (long) ((Integer) a[0] - (Integer) a[1]));
            case "DATE_TRUNC": {
                // Truncates the wall clock: an instant (TIMESTAMP) or DATE in the session zone, TIMESTAMP_NTZ as is.
                Expr ts = translate(call.getOperands().get(1));
                Expr wall = ts.type() == PrimitiveType.TIMESTAMP_NTZ ? ts
                        : new CastExpr(ts.type() == PrimitiveType.DATE ? new CastExpr(ts, PrimitiveType.TIMESTAMP) : ts,
                                PrimitiveType.TIMESTAMP_NTZ);
                Expr truncated = ScalarFunctions.strict(name, PrimitiveType.TIMESTAMP_NTZ,
                        List.of(translate(call.getOperands().get(0)), wall),
                        a -> ScalarFunctions.truncate((String) a[0], (Long) a[1]));
                return type == PrimitiveType.TIMESTAMP_NTZ ? truncated : new CastExpr(truncated, PrimitiveType.TIMESTAMP);
            }
            case "ADD_MONTHS":
                return ScalarFunctions.strict(name, PrimitiveType.DATE, List.of(asDate(call.getOperands().get(0)),
                        translate(call.getOperands().get(1))), a -> (int) java.time.LocalDate.ofEpochDay((Integer) a[0])
                        .plusMonths(((Number) a[1]).longValue()).toEpochDay());
            case "CURRENT_DATE":
            case "CURRENT_TIMESTAMP":
            case "LOCALTIMESTAMP":
                return new CurrentTime(type);
            default:
                throw new TarnException(ErrorCode.FUNCTION_NOT_FOUND,
                        "Function " + call.getOperator().getName() + " is not supported by Tarn's executor");
        }
    }

    /**
     * Months move an instant (TIMESTAMP) along the session zone's calendar, as Spark does; day-time intervals are
     * exact durations.
     */
    private static Expr addInterval(Expr datetime, Expr interval, boolean months, boolean subtract) {
        if (months && datetime.type() == PrimitiveType.TIMESTAMP) {
            Expr local = ScalarFunctions.addInterval(new CastExpr(datetime, PrimitiveType.TIMESTAMP_NTZ), interval, true,
                    subtract);
            return new CastExpr(local, PrimitiveType.TIMESTAMP);
        }
        return ScalarFunctions.addInterval(datetime, interval, months, subtract);
    }

    /** Spark's date functions take dates; timestamps and strings are cast (in the session zone). */
    private Expr asDate(RexNode node) {
        Expr e = translate(node);
        return e.type() == PrimitiveType.DATE ? e : new CastExpr(e, PrimitiveType.DATE);
    }

    private Expr compare(CompareExpr.Op op, RexCall call) {
        return new CompareExpr(op, translate(call.getOperands().get(0)), translate(call.getOperands().get(1)));
    }

    private static Object zeroOf(DataType type) {
        if (type == PrimitiveType.DOUBLE || type == PrimitiveType.FLOAT) {
            return 0.0;
        }
        if (type instanceof dev.tarn.txlog.types.DecimalType) {
            return BigDecimal.ZERO;
        }
        return 0L;
    }

    private static boolean isDatetime(RexNode n) {
        return SqlTypeFamily.DATETIME.contains(n.getType());
    }

    private static boolean isInterval(RexNode n) {
        return isMonths(n) || n.getType().getSqlTypeName().getFamily() == SqlTypeFamily.INTERVAL_DAY_TIME;
    }

    private static boolean isMonths(RexNode n) {
        return n.getType().getSqlTypeName().getFamily() == SqlTypeFamily.INTERVAL_YEAR_MONTH;
    }

    private static TarnException unsupported(String what) {
        return new TarnException(ErrorCode.UNSUPPORTED_STATEMENT, "Not supported by Tarn's executor yet: " + what);
    }
}
