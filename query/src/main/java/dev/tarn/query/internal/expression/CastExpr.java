package dev.tarn.query.internal.expression;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import java.util.List;
import java.util.function.Function;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * {@code CAST(x AS type)}: a loop applying one {@link Casts} converter chosen before the loop. A safe cast
 * ({@code TRY_CAST}) yields NULL for a value that does not convert instead of failing the statement.
 */
public final class CastExpr implements Expr {
    private final Expr input;
    private final DataType type;
    private final boolean safe;

    public CastExpr(Expr input, DataType type) {
        this(input, type, false);
    }

    public CastExpr(Expr input, DataType type, boolean safe) {
        this.input = requireNonNull(input, "input is null");
        this.type = requireNonNull(type, "type is null");
        this.safe = safe;
        Casts.converter(input.type(), type, java.time.ZoneOffset.UTC);
    }

    @Override
    public DataType type() {
        return type;
    }

    @Override
    public String describe() {
        return (safe ? "TRY_CAST(" : "CAST(") + input.describe() + " AS " + type.sqlName() + ")";
    }

    /**
     * DECIMAL or integer to DECIMAL (rescaled HALF_UP, as {@link Values#fitDecimal}) or to DOUBLE on unscaled longs;
     * a row whose value does not fit, or whose result needs the precision check to fail, takes the converter.
     */
    private void exactLoop(FieldVector in, FieldVector out, int n, Function<Object, Object> f) {
        DecimalLongs.Operand x = DecimalLongs.Operand.of(in);
        Values.Writer w = Values.writer(out);
        if (x == null) {
            Values.Reader r = Values.reader(in);
            for (int i = 0; i < n; i++) {
                Object v = r.get(i);
                w.set(i, v == null ? null : convert(f, v));
            }
            return;
        }
        DecimalVector decimals = out instanceof DecimalVector d ? d : null;
        Float8Vector doubles = out instanceof Float8Vector d ? d : null;
        int toScale = decimals != null ? decimals.getScale() : 0;
        int toPrecision = decimals != null ? decimals.getPrecision() : 0;
        for (int i = 0; i < n; i++) {
            if (x.isNull(i)) {
                out.setNull(i);
                continue;
            }
            if (x.fits(i)) {
                long u = x.unscaled(i);
                if (decimals != null) {
                    try {
                        long r = toScale >= x.scale() ? DecimalLongs.scaleUp(u, toScale - x.scale())
                                : DecimalLongs.scaleDownHalfUp(u, x.scale() - toScale);
                        if (DecimalLongs.fitsPrecision(r, toPrecision)) {
                            decimals.set(i, r);
                            continue;
                        }
                    } catch (ArithmeticException e) {
                        // Does not fit a long: the converter decides.
                    }
                } else if (Math.abs(u) < 1L << 52 && x.scale() < DecimalLongs.POW10.length) {
                    // Both operands are exact doubles, so the quotient is the correctly rounded value, as
                    // BigDecimal.doubleValue() computes it.
                    doubles.set(i, x.scale() == 0 ? (double) u : (double) u / DecimalLongs.POW10[x.scale()]);
                    continue;
                }
            }
            w.set(i, convert(f, x.big(i)));
        }
    }

    private Object convert(Function<Object, Object> f, Object value) {
        if (!safe) {
            return f.apply(value);
        }
        try {
            return f.apply(value);
        } catch (RuntimeException e) {
            return null; // TRY_CAST: a value that does not convert is NULL
        }
    }

    @Override
    public Column evaluate(VectorSchemaRoot batch, EvalContext context) {
        Function<Object, Object> f = Casts.converter(input.type(), type, context.zone());
        DataType from = input.type();
        boolean exactFrom = from instanceof DecimalType || from instanceof PrimitiveType p && p.isIntegral();
        if (exactFrom && (type instanceof DecimalType || type == PrimitiveType.DOUBLE)) {
            return Kernels.run(List.of(input), type, batch, context, (in, out, n) -> exactLoop(in[0], out, n, f));
        }
        if (!safe) {
            return Kernels.strict(List.of(input), type, batch, context, a -> f.apply(a[0]));
        }
        return Kernels.strict(List.of(input), type, batch, context, a -> {
            try {
                return f.apply(a[0]);
            } catch (RuntimeException e) {
                return null; // TRY_CAST: a value that does not convert is NULL
            }
        });
    }
}
