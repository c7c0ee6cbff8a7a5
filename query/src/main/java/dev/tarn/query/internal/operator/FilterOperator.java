package dev.tarn.query.internal.operator;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.expression.Column;
import dev.tarn.query.internal.expression.EvalContext;
import dev.tarn.query.internal.expression.Expr;
import java.util.List;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Keeps the rows whose predicate is TRUE (NULL and FALSE drop). A batch that survives whole passes through
 * untouched; otherwise the survivors are gathered column by column.
 */
public final class FilterOperator implements Operator {
    private final Operator input;
    private final Expr predicate;
    private final Bindings bindings;
    private ExecutionContext context;
    private EvalContext eval;
    private VectorSchemaRoot out;
    private int[] selection = new int[0];

    public FilterOperator(Operator input, Expr predicate, Bindings bindings) {
        this.input = requireNonNull(input, "input is null");
        this.predicate = requireNonNull(predicate, "predicate is null");
        this.bindings = requireNonNull(bindings, "bindings is null");
    }

    @Override
    public List<ResultColumn> columns() {
        return input.columns();
    }

    @Override
    public void open(ExecutionContext context) {
        this.context = requireNonNull(context, "context is null");
        this.eval = bindings.evalContext(context);
        input.open(context);
    }

    @Override
    public VectorSchemaRoot next() {
        try {
            return produce();
        } catch (org.apache.arrow.memory.OutOfMemoryException e) {
            throw context.memoryLimitExceeded("Filter", e);
        }
    }

    private VectorSchemaRoot produce() {
        while (true) {
            context.checkCancelled();
            VectorSchemaRoot batch = input.next();
            if (batch == null) {
                return null;
            }
            int n = batch.getRowCount();
            if (n == 0) {
                continue;
            }
            if (selection.length < n) {
                selection = new int[n];
            }
            int count = 0;
            try (Column mask = predicate.evaluate(batch, eval)) {
                BitVector bits = (BitVector) mask.vector();
                for (int i = 0; i < n; i++) {
                    if (!bits.isNull(i) && bits.get(i) != 0) {
                        selection[count++] = i;
                    }
                }
            }
            if (count == n) {
                return batch;
            }
            if (count == 0) {
                continue;
            }
            if (out == null) {
                out = Batches.newRoot(columns(), context.allocator());
            }
            Batches.copyRows(batch, selection, count, out);
            return out;
        }
    }

    @Override
    public void close() {
        try {
            input.close();
        } finally {
            if (out != null) {
                out.close();
                out = null;
            }
        }
    }
}
