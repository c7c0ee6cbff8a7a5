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
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
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
    /** A DECIMAL tree of {@code + - *} evaluated in one go when its bounds allow; null when there is none. */
    private final DecimalFusion fused;

    public ArithmeticExpr(Op op, DataType type, Expr left, Expr right) {
        this.op = requireNonNull(op, "op is null");
        this.type = requireNonNull(type, "type is null");
        this.left = requireNonNull(left, "left is null");
        this.right = requireNonNull(right, "right is null");
        this.fused = DecimalFusion.of(this);
    }

    Op op() {
        return op;
    }

    Expr left() {
        return left;
    }

    Expr right() {
        return right;
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
        if (type == PrimitiveType.DOUBLE && left.type() == PrimitiveType.DOUBLE && right.type() == PrimitiveType.DOUBLE
                && op != Op.DIVIDE && op != Op.MOD) {
            return Kernels.run(List.of(left, right), type, batch, context, this::doubleLoop);
        }
        if (type == PrimitiveType.DOUBLE || type == PrimitiveType.FLOAT) {
            return Kernels.strict(List.of(left, right), type, batch, context,
                    a -> doubleOp(((Number) a[0]).doubleValue(), ((Number) a[1]).doubleValue()));
        }
        if (type instanceof DecimalType d && op != Op.DIVIDE && op != Op.MOD && exact(left.type())
                && exact(right.type())) {
            Column c = fused == null ? null : fused.evaluate(batch, context);
            return c != null ? c : decimalKernel(d, batch, context);
        }
        if (type instanceof DecimalType d) {
            return Kernels.strict(List.of(left, right), type, batch, context,
                    a -> decimalOp(Values.toBigDecimal((Number) a[0]), Values.toBigDecimal((Number) a[1]), d));
        }
        throw new TarnException(ErrorCode.TYPE_MISMATCH, "Arithmetic " + op.symbol + " is not defined for " + type.sqlName());
    }

    private static boolean exact(DataType t) {
        return t instanceof DecimalType || t instanceof PrimitiveType p && p.isIntegral();
    }

    /**
     * DECIMAL {@code + - *} on unscaled longs (see {@link DecimalLongs}); a row whose operands or result do not fit
     * a long, and every {@code / %}, take the BigDecimal path, which also reports overflow.
     */
    private Column decimalKernel(DecimalType result, VectorSchemaRoot batch, EvalContext context) {
        int n = batch.getRowCount();
        Column leftColumn = null;
        Column rightColumn = null;
        FieldVector out = null;
        try {
            DecimalLongs.Operand a;
            DecimalLongs.Operand b;
            if (left instanceof Constant c) {
                a = DecimalLongs.Operand.constant(c.value(context));
            } else {
                leftColumn = left.evaluate(batch, context);
                a = DecimalLongs.Operand.of(leftColumn.vector());
            }
            if (right instanceof Constant c) {
                b = DecimalLongs.Operand.constant(c.value(context));
            } else {
                rightColumn = right.evaluate(batch, context);
                b = DecimalLongs.Operand.of(rightColumn.vector());
            }
            out = Values.newVector("expr", result, context.allocator(), n);
            DecimalVector o = (DecimalVector) out;
            if (a == null || b == null) {
                // Not vectors of exact numbers after all: value by value.
                Values.Reader ra = a == null ? reader(left, leftColumn, context) : null;
                Values.Reader rb = b == null ? reader(right, rightColumn, context) : null;
                for (int i = 0; i < n; i++) {
                    Object x = ra != null ? ra.get(i) : a.isNull(i) ? null : a.big(i);
                    Object y = rb != null ? rb.get(i) : b.isNull(i) ? null : b.big(i);
                    if (x == null || y == null) {
                        o.setNull(i);
                    } else {
                        o.setSafe(i, decimalOp(Values.toBigDecimal((Number) x), Values.toBigDecimal((Number) y),
                                result));
                    }
                }
                out.setValueCount(n);
                Column col = Column.owned(out);
                out = null;
                return col;
            }
            if (!a.mayBeNull() && !b.mayBeNull() && noNullLoop(a, b, result, o, n)) {
                out.setValueCount(n);
                Column col = Column.owned(out);
                out = null;
                return col;
            }
            for (int i = 0; i < n; i++) {
                if (a.isNull(i) || b.isNull(i)) {
                    o.setNull(i);
                    continue;
                }
                if (a.fits(i) && b.fits(i)) {
                    try {
                        long r = longDecimalOp(a.unscaled(i), a.scale(), b.unscaled(i), b.scale(), result.scale());
                        if (DecimalLongs.fitsPrecision(r, result.precision())) {
                            o.set(i, r);
                            continue;
                        }
                    } catch (ArithmeticException e) {
                        // Does not fit a long: the BigDecimal path below decides (a result or NUMERIC_OVERFLOW).
                    }
                }
                o.setSafe(i, decimalOp(a.big(i), b.big(i), result));
            }
            out.setValueCount(n);
            Column col = Column.owned(out);
            out = null;
            return col;
        } finally {
            if (out != null) {
                out.close();
            }
            if (leftColumn != null) {
                leftColumn.close();
            }
            if (rightColumn != null) {
                rightColumn.close();
            }
        }
    }

    /**
     * {@code + - *} over operands without NULLs (TPC-H's prices and discounts): the scale factors are worked out once,
     * results are written straight into the data buffer and all rows marked valid at once. A row whose operands or
     * result leave a long takes the BigDecimal path. False (nothing written) when the scales need no long path.
     */
    private boolean noNullLoop(DecimalLongs.Operand a, DecimalLongs.Operand b, DecimalType result, DecimalVector o,
                               int n) {
        int rScale;
        int aUp = 0;
        int bUp = 0;
        switch (op) {
            case PLUS, MINUS -> {
                rScale = Math.max(a.scale(), b.scale());
                aUp = rScale - a.scale();
                bUp = rScale - b.scale();
            }
            case TIMES -> rScale = a.scale() + b.scale();
            default -> {
                return false;
            }
        }
        int down = rScale - result.scale();
        int limit = DecimalLongs.POW10.length;
        if (aUp >= limit || bUp >= limit || down >= limit || -down >= limit) {
            return false;
        }
        long aMul = DecimalLongs.POW10[aUp];
        long bMul = DecimalLongs.POW10[bUp];
        long maxAbs = result.precision() >= limit ? Long.MAX_VALUE : DecimalLongs.POW10[result.precision()] - 1;
        int bytes = (n + 7) / 8;
        o.getValidityBuffer().setOne(0, bytes);
        long aAddress = a.address(n);
        long bAddress = b.address(n);
        if ((aAddress != 0 || a.fittingConstant()) && (bAddress != 0 || b.fittingConstant())
                && o.getValueCapacity() >= n
                && o.getDataBuffer().capacity() >= (long) n * DecimalVector.TYPE_WIDTH) {
            directLoop(a, aAddress, aMul, b, bAddress, bMul, down, maxAbs, result, o, n);
            return true;
        }
        for (int i = 0; i < n; i++) {
            boolean done = false;
            if (a.fits(i) && b.fits(i)) {
                try {
                    long x = a.unscaled(i);
                    long y = b.unscaled(i);
                    long r = switch (op) {
                        case PLUS -> Math.addExact(Math.multiplyExact(x, aMul), Math.multiplyExact(y, bMul));
                        case MINUS -> Math.subtractExact(Math.multiplyExact(x, aMul), Math.multiplyExact(y, bMul));
                        default -> Math.multiplyExact(x, y);
                    };
                    r = down >= 0 ? DecimalLongs.scaleDownHalfUp(r, down) : DecimalLongs.scaleUp(r, -down);
                    if (r <= maxAbs && r >= -maxAbs) {
                        o.getDataBuffer().setLong((long) i * DecimalVector.TYPE_WIDTH, r);
                        o.getDataBuffer().setLong((long) i * DecimalVector.TYPE_WIDTH + 8, r >> 63);
                        done = true;
                    }
                } catch (ArithmeticException e) {
                    // Does not fit a long: the BigDecimal path below decides (a result or NUMERIC_OVERFLOW).
                }
            }
            if (!done) {
                o.setSafe(i, decimalOp(a.big(i), b.big(i), result));
            }
        }
        return true;
    }

    /**
     * {@link #noNullLoop} over decimal vectors (or constants) whose buffers were checked to hold {@code n} values:
     * unscaled longs are read and written at their addresses, not through a bounds-checked buffer per value. A row
     * whose operands or result leave a long takes the BigDecimal path, as there.
     */
    private void directLoop(DecimalLongs.Operand a, long aAddress, long aMul, DecimalLongs.Operand b, long bAddress,
                            long bMul, int down, long maxAbs, DecimalType result, DecimalVector o, int n) {
        long out = o.getDataBuffer().memoryAddress();
        long aConstant = aAddress == 0 ? a.unscaled(0) : 0;
        long bConstant = bAddress == 0 ? b.unscaled(0) : 0;
        int kind = op == Op.PLUS ? 0 : op == Op.MINUS ? 1 : 2;
        for (int i = 0; i < n; i++) {
            long at = (long) i * DecimalVector.TYPE_WIDTH;
            long x = aConstant;
            long y = bConstant;
            boolean fits = true;
            if (aAddress != 0) {
                x = MemoryUtil.getLong(aAddress + at);
                fits = MemoryUtil.getLong(aAddress + at + 8) == (x >> 63);
            }
            if (bAddress != 0) {
                y = MemoryUtil.getLong(bAddress + at);
                fits &= MemoryUtil.getLong(bAddress + at + 8) == (y >> 63);
            }
            boolean done = false;
            if (fits) {
                try {
                    long r;
                    if (kind == 2) {
                        r = Math.multiplyExact(x, y);
                    } else if (kind == 0) {
                        r = Math.addExact(Math.multiplyExact(x, aMul), Math.multiplyExact(y, bMul));
                    } else {
                        r = Math.subtractExact(Math.multiplyExact(x, aMul), Math.multiplyExact(y, bMul));
                    }
                    if (down != 0) {
                        r = down > 0 ? DecimalLongs.scaleDownHalfUp(r, down) : DecimalLongs.scaleUp(r, -down);
                    }
                    if (r <= maxAbs && r >= -maxAbs) {
                        MemoryUtil.putLong(out + at, r);
                        MemoryUtil.putLong(out + at + 8, r >> 63);
                        done = true;
                    }
                } catch (ArithmeticException e) {
                    // Does not fit a long: the BigDecimal path below decides (a result or NUMERIC_OVERFLOW).
                }
            }
            if (!done) {
                o.set(i, decimalOp(a.big(i), b.big(i), result));
            }
        }
    }

    private static Values.Reader reader(Expr e, Column evaluated, EvalContext context) {
        if (evaluated != null) {
            return Values.reader(evaluated.vector());
        }
        Object v = ((Constant) e).value(context);
        return i -> v;
    }

    /** {@code a op b} of unscaled values at their scales, as an unscaled value at {@code scale} (HALF_UP). */
    private long longDecimalOp(long a, int aScale, long b, int bScale, int scale) {
        long r;
        int rScale;
        switch (op) {
            case PLUS, MINUS -> {
                rScale = Math.max(aScale, bScale);
                long x = DecimalLongs.scaleUp(a, rScale - aScale);
                long y = DecimalLongs.scaleUp(b, rScale - bScale);
                r = op == Op.PLUS ? Math.addExact(x, y) : Math.subtractExact(x, y);
            }
            case TIMES -> {
                rScale = aScale + bScale;
                r = Math.multiplyExact(a, b);
            }
            default -> throw new ArithmeticException("not on longs");
        }
        return scale >= rScale ? DecimalLongs.scaleUp(r, scale - rScale) : DecimalLongs.scaleDownHalfUp(r, rScale - scale);
    }

    private void doubleLoop(FieldVector[] in, FieldVector out, int n) {
        Float8Vector a = (Float8Vector) in[0];
        Float8Vector b = (Float8Vector) in[1];
        Float8Vector o = (Float8Vector) out;
        for (int i = 0; i < n; i++) {
            if (a.isNull(i) || b.isNull(i)) {
                o.setNull(i);
            } else {
                o.set(i, doubleOp(a.get(i), b.get(i)));
            }
        }
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
