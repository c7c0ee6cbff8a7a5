package dev.tarn.query.internal.operator;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/** UNION ALL: the inputs' batches one input after the other (the planner casts inputs to the output types). */
public final class UnionAllOperator implements Operator {
    private final List<Operator> inputs;
    private final List<ResultColumn> columns;
    private ExecutionContext context;
    private int current;
    private boolean currentOpen;

    public UnionAllOperator(List<Operator> inputs, List<ResultColumn> columns) {
        this.inputs = List.copyOf(inputs);
        this.columns = List.copyOf(columns);
    }

    @Override
    public List<ResultColumn> columns() {
        return columns;
    }

    @Override
    public void open(ExecutionContext context) {
        this.context = context;
    }

    @Override
    public VectorSchemaRoot next() {
        while (current < inputs.size()) {
            context.checkCancelled();
            Operator in = inputs.get(current);
            if (!currentOpen) {
                in.open(context);
                currentOpen = true;
            }
            VectorSchemaRoot batch = in.next();
            if (batch != null) {
                return batch;
            }
            in.close();
            currentOpen = false;
            current++;
        }
        return null;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (Operator in : inputs) {
            try {
                in.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
