package dev.tarn.query.internal.operator;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Wraps an operator for EXPLAIN ANALYZE: counts into its node's {@link Meter} the rows and batches it returns and
 * the time spent in its {@code open} and {@code next} calls (including its inputs', which the wrappers around them
 * also measure).
 */
public final class MeteredOperator implements Operator, RowSource {
    private final Operator inner;
    private final Meter meter;

    public MeteredOperator(Operator inner, Meter meter) {
        this.inner = requireNonNull(inner, "inner is null");
        this.meter = requireNonNull(meter, "meter is null");
        meter.instantiated(inner);
    }

    /** The operator inside (parallel parts of a plan look through the wrapper for the scan they split). */
    public Operator inner() {
        return inner;
    }

    @Override
    public Operator rowInput() {
        return inner;
    }

    @Override
    public int inputColumn(int column) {
        return column;
    }

    @Override
    public List<ResultColumn> columns() {
        return inner.columns();
    }

    @Override
    public void open(ExecutionContext context) {
        long start = System.nanoTime();
        try {
            inner.open(context);
        } finally {
            meter.nanos.add(System.nanoTime() - start);
        }
    }

    @Override
    public VectorSchemaRoot next() {
        long start = System.nanoTime();
        try {
            VectorSchemaRoot batch = inner.next();
            if (batch != null) {
                meter.batches.increment();
                meter.rows.add(batch.getRowCount());
            }
            return batch;
        } finally {
            meter.nanos.add(System.nanoTime() - start);
        }
    }

    @Override
    public void close() {
        inner.close();
    }
}
