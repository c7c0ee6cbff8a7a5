package dev.tarn.query.internal.expression;

import dev.tarn.txlog.types.DataType;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A compiled, immutable scalar expression evaluated a whole batch at a time: every implementation loops over
 * vectors (a kernel per operation), never over rows of the plan.
 */
public interface Expr {
    /** The result type (Tarn's Delta type model; the vector follows {@link dev.tarn.txlog.types.ArrowTypes}). */
    DataType type();

    /** A vector with {@code batch.getRowCount()} values. The caller closes the result. */
    Column evaluate(VectorSchemaRoot batch, EvalContext context);

    /** A readable rendering for plans and messages. */
    String describe();
}
