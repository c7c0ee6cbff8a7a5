package dev.tarn.query.internal.expression;

import static java.util.Objects.requireNonNull;

import org.apache.arrow.vector.FieldVector;

/**
 * The result of evaluating an expression over one batch: a vector with one value per row. A column reference
 * borrows the batch's own vector ({@code owned == false}); every computed column is owned and must be closed.
 */
public record Column(FieldVector vector, boolean owned) implements AutoCloseable {
    public Column {
        requireNonNull(vector, "vector is null");
    }

    public static Column owned(FieldVector vector) {
        return new Column(vector, true);
    }

    @Override
    public void close() {
        if (owned) {
            vector.close();
        }
    }
}
