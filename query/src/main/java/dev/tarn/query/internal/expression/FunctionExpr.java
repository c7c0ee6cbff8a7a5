package dev.tarn.query.internal.expression;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.types.DataType;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.arrow.vector.VectorSchemaRoot;

/** A strict scalar function (NULL in, NULL out) evaluated by a loop over its argument vectors. */
public final class FunctionExpr implements Expr {
    private final String name;
    private final DataType type;
    private final List<Expr> args;
    private final Kernels.ValueFunction function;

    FunctionExpr(String name, DataType type, List<Expr> args, Kernels.ValueFunction function) {
        this.name = requireNonNull(name, "name is null");
        this.type = requireNonNull(type, "type is null");
        this.args = List.copyOf(args);
        this.function = requireNonNull(function, "function is null");
    }

    @Override
    public DataType type() {
        return type;
    }

    @Override
    public Column evaluate(VectorSchemaRoot batch, EvalContext context) {
        return Kernels.strict(args, type, batch, context, function);
    }

    @Override
    public String describe() {
        return name + args.stream().map(Expr::describe).collect(Collectors.joining(", ", "(", ")"));
    }
}
