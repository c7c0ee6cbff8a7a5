package dev.tarn.query.internal.expression;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.types.DataType;
import org.apache.arrow.vector.VectorSchemaRoot;

/** An input column, borrowed from the batch without copying. */
public record ColumnRef(int index, DataType type) implements Expr {
    public ColumnRef {
        requireNonNull(type, "type is null");
        if (index < 0) {
            throw new IllegalArgumentException("index is negative");
        }
    }

    @Override
    public Column evaluate(VectorSchemaRoot batch, EvalContext context) {
        return new Column(batch.getVector(index), false);
    }

    @Override
    public String describe() {
        return "$" + index;
    }
}
