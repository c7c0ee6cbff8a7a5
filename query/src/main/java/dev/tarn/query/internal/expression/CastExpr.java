package dev.tarn.query.internal.expression;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.types.DataType;
import java.util.List;
import java.util.function.Function;
import org.apache.arrow.vector.VectorSchemaRoot;

/** {@code CAST(x AS type)}: a loop applying one {@link Casts} converter chosen before the loop. */
public final class CastExpr implements Expr {
    private final Expr input;
    private final DataType type;

    public CastExpr(Expr input, DataType type) {
        this.input = requireNonNull(input, "input is null");
        this.type = requireNonNull(type, "type is null");
        Casts.converter(input.type(), type, java.time.ZoneOffset.UTC);
    }

    @Override
    public DataType type() {
        return type;
    }

    @Override
    public String describe() {
        return "CAST(" + input.describe() + " AS " + type.sqlName() + ")";
    }

    @Override
    public Column evaluate(VectorSchemaRoot batch, EvalContext context) {
        Function<Object, Object> f = Casts.converter(input.type(), type, context.zone());
        return Kernels.strict(List.of(input), type, batch, context, a -> f.apply(a[0]));
    }
}
