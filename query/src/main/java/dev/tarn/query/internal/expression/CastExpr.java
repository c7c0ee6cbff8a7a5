package dev.tarn.query.internal.expression;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.types.DataType;
import java.util.List;
import java.util.function.Function;
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

    @Override
    public Column evaluate(VectorSchemaRoot batch, EvalContext context) {
        Function<Object, Object> f = Casts.converter(input.type(), type, context.zone());
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
