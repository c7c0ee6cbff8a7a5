package dev.tarn.query.internal.operator;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.expression.Column;
import dev.tarn.query.internal.expression.EvalContext;
import dev.tarn.query.internal.expression.Expr;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Computes one vector per output expression. Computed vectors move into the output without copying; input
 * columns are shared (split-and-transfer keeps the input's buffers alive by reference count).
 */
public final class ProjectOperator implements Operator, RowSource {
    private final Operator input;
    private final List<Expr> expressions;
    private final List<ResultColumn> columns;
    private final Bindings bindings;
    private ExecutionContext context;
    private EvalContext eval;
    private VectorSchemaRoot out;

    public ProjectOperator(Operator input, List<Expr> expressions, List<ResultColumn> columns, Bindings bindings) {
        this.input = requireNonNull(input, "input is null");
        this.expressions = List.copyOf(expressions);
        this.columns = List.copyOf(columns);
        this.bindings = requireNonNull(bindings, "bindings is null");
        if (expressions.size() != columns.size()) {
            throw new IllegalArgumentException("expressions and columns differ in count");
        }
    }

    @Override
    public Operator rowInput() {
        return input;
    }

    @Override
    public int inputColumn(int column) {
        return column >= 0 && column < expressions.size()
                && expressions.get(column) instanceof dev.tarn.query.internal.expression.ColumnRef ref ? ref.index() : -1;
    }

    @Override
    public List<ResultColumn> columns() {
        return columns;
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
            throw context.memoryLimitExceeded("Project", e);
        }
    }

    private VectorSchemaRoot produce() {
        context.checkCancelled();
        VectorSchemaRoot batch = input.next();
        if (batch == null) {
            return null;
        }
        if (out == null) {
            out = Batches.newRoot(columns, context.allocator());
        }
        int n = batch.getRowCount();
        for (int c = 0; c < expressions.size(); c++) {
            FieldVector target = out.getVector(c);
            target.clear();
            try (Column col = expressions.get(c).evaluate(batch, eval)) {
                if (col.owned()) {
                    col.vector().makeTransferPair(target).transfer();
                } else {
                    col.vector().makeTransferPair(target).splitAndTransfer(0, n);
                }
            }
        }
        out.setRowCount(n);
        return out;
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
