package dev.tarn.query.internal.operator;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Wraps an operator for EXPLAIN ANALYZE: counts the rows and batches it returns and the time spent in its
 * {@code open} and {@code next} calls (including its inputs', which the wrappers around them also measure).
 */
public final class MeteredOperator implements Operator {
    private final Operator inner;
    private long rows;
    private long batches;
    private long nanos;

    public MeteredOperator(Operator inner) {
        this.inner = requireNonNull(inner, "inner is null");
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
            nanos += System.nanoTime() - start;
        }
    }

    @Override
    public VectorSchemaRoot next() {
        long start = System.nanoTime();
        try {
            VectorSchemaRoot batch = inner.next();
            if (batch != null) {
                batches++;
                rows += batch.getRowCount();
            }
            return batch;
        } finally {
            nanos += System.nanoTime() - start;
        }
    }

    @Override
    public void close() {
        inner.close();
    }

    public long rows() {
        return rows;
    }

    public long batches() {
        return batches;
    }

    /** Time in this operator and its inputs. */
    public long nanos() {
        return nanos;
    }

    /** The wrapped scan's counters, if it is a scan that keeps them. */
    public Map<String, Long> scanMetrics() {
        return inner instanceof ScanMetrics m ? m.scanMetrics() : Map.of();
    }
}
