package dev.tarn.query.internal.expression;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * {@code + - * / %} with SQL semantics: integer results fail with NUMERIC_OVERFLOW instead of wrapping, any
 * division by zero fails with DIVISION_BY_ZERO, DECIMAL arithmetic is exact and rounded (HALF_UP) to the result
 * scale Calcite derived. Integer operands take a primitive loop; other types go through canonical values.
 */
public final class ArithmeticExpr implements Expr {
    public enum Op { PLUS("+"), MINUS("-"), TIMES("*"), DIVIDE("/"), MOD("%");
        final String symbol;
        Op(String symbol) {
            this.symbol = symbol;
        }
    }

    private final Op op;
    private final DataType type;
    private final Expr left;
    private final Expr right;

    public ArithmeticExpr(Op op, DataType type, Expr left, Expr right) {
        this.op = requireNonNull(op, "op is null");
        this.type = requireNonNull(type, "type is null");
        this.left = requireNonNull(left, "left is null");
        this.right = requireNonNull(right, "right is null");
    }

    @Override
    public DataType type() {
        return type;
    }

    @Override
    public String describe() {
        return "(" + left.describe() + " " + op.symbol + " " + right.describe() + ")";
    }

    @Override
    public Column evaluate(VectorSchemaRoot batch, EvalContext context) {
        if (type instanceof PrimitiveType p && p.isIntegral()) {
            if (right instanceof Constant c && c.value(context) instanceof Long l) {
                return integerWithConstant(left, l, false, batch, context);
            }
            if (left instanceof Constant c && c.value(context) instanceof Long l) {
                return integerWithConstant(right, l, true, batch, context);
            }
            return Kernels.run(List.of(left, right), type, batch, context, this::integerLoop);
        }
        if (type == PrimitiveType.DOUBLE || type == PrimitiveType.FLOAT) {
            return Kernels.strict(List.of(left, right), type, batch, context,
                    a -> doubleOp(((Number) a[0]).doubleValue(), ((Number) a[1]).doubleValue()));
        }
        if (type instanceof DecimalType d) {
            return Kernels.strict(List.of(left, right), type, batch, context,
                    a -> decimalOp(Values.toBigDecimal((Number) a[0]), Values.toBigDecimal((Number) a[1]), d));
        }
        throw new TarnException(ErrorCode.TYPE_MISMATCH, "Arithmetic " + op.symbol + " is not defined for " + type.sqlName());
    }

    private Column integerWithConstant(Expr side, long constant, boolean constantLeft, VectorSchemaRoot batch,
                                       EvalContext context) {
        return Kernels.run(List.of(side), type, batch, context, (in, out, n) -> {
            Values.Writer w = Values.writer(out);
            if (in[0] instanceof BaseIntVector ints) {
                for (int i = 0; i < n; i++) {
                    if (in[0].isNull(i)) {
                        w.set(i, null);
                    } else {
                        long x = ints.getValueAsLong(i);
                        w.set(i, constantLeft ? longOp(constant, x) : longOp(x, constant));
                    }
                }
                return;
            }
            Values.Reader r = Values.reader(in[0]);
            for (int i = 0; i < n; i++) {
                Object x = r.get(i);
                w.set(i, x == null ? null : constantLeft ? longOp(constant, ((Number) x).longValue())
                        : longOp(((Number) x).longValue(), constant));
            }
        });
    }

    private void integerLoop(FieldVector[] in, FieldVector out, int n) {
        Values.Writer w = Values.writer(out);
        if (in[0] instanceof BaseIntVector a && in[1] instanceof BaseIntVector b) {
            for (int i = 0; i < n; i++) {
                if (in[0].isNull(i) || in[1].isNull(i)) {
                    w.set(i, null);
                } else {
                    w.set(i, longOp(a.getValueAsLong(i), b.getValueAsLong(i)));
                }
            }
            return;
        }
        Values.Reader ra = Values.reader(in[0]);
        Values.Reader rb = Values.reader(in[1]);
        for (int i = 0; i < n; i++) {
            Object x = ra.get(i);
            Object y = rb.get(i);
            w.set(i, x == null || y == null ? null : longOp(((Number) x).longValue(), ((Number) y).longValue()));
        }
    }

    private long longOp(long a, long b) {
        try {
            return switch (op) {
                case PLUS -> Math.addExact(a, b);
                case MINUS -> Math.subtractExact(a, b);
                case TIMES -> Math.multiplyExact(a, b);
                case DIVIDE -> {
                    checkDivisor(b == 0);
                    if (a == Long.MIN_VALUE && b == -1) {
                        throw new ArithmeticException("overflow");
                    }
                    yield a / b;
                }
                case MOD -> {
                    checkDivisor(b == 0);
                    yield b == -1 ? 0 : a % b;
                }
            };
        } catch (ArithmeticException e) {
            throw new TarnException(ErrorCode.NUMERIC_OVERFLOW,
                    "Integer overflow in " + a + " " + op.symbol + " " + b + " (" + type.sqlName() + ")", e);
        }
    }

    private double doubleOp(double a, double b) {
        return switch (op) {
            case PLUS -> a + b;
            case MINUS -> a - b;
            case TIMES -> a * b;
            case DIVIDE -> {
                checkDivisor(b == 0);
                yield a / b;
            }
            case MOD -> {
                checkDivisor(b == 0);
                yield a % b;
            }
        };
    }

    private BigDecimal decimalOp(BigDecimal a, BigDecimal b, DecimalType result) {
        BigDecimal r = switch (op) {
            case PLUS -> a.add(b);
            case MINUS -> a.subtract(b);
            case TIMES -> a.multiply(b);
            case DIVIDE -> {
                checkDivisor(b.signum() == 0);
                yield a.divide(b, result.scale(), RoundingMode.HALF_UP);
            }
            case MOD -> {
                checkDivisor(b.signum() == 0);
                yield a.remainder(b);
            }
        };
        return Values.fitDecimal(r, result);
    }

    private void checkDivisor(boolean zero) {
        if (zero) {
            throw new TarnException(ErrorCode.DIVISION_BY_ZERO, "Division by zero in " + describe());
        }
    }
}
