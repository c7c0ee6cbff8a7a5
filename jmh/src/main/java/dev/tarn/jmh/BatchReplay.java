package dev.tarn.jmh;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/** An operator handing out prepared batches (owned by the benchmark), so operator benchmarks time the operator only. */
final class BatchReplay implements Operator {
    private final List<ResultColumn> columns;
    private final List<VectorSchemaRoot> batches;
    private int next;

    BatchReplay(List<ResultColumn> columns, List<VectorSchemaRoot> batches) {
        this.columns = List.copyOf(columns);
        this.batches = requireNonNull(batches, "batches is null");
    }

    @Override
    public List<ResultColumn> columns() {
        return columns;
    }

    @Override
    public void open(ExecutionContext context) {
        next = 0;
    }

    @Override
    public VectorSchemaRoot next() {
        return next < batches.size() ? batches.get(next++) : null;
    }

    @Override
    public void close() {
        // The batches belong to the benchmark state, reused across invocations.
    }
}
