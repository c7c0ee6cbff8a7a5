package dev.tarn.query.internal.operator;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Reads a table through the catalog's scan operator, checking for cancellation between batches. */
public final class ScanOperator implements Operator, ScanMetrics {
    private final Operator scan;
    private final List<ResultColumn> columns;
    private ExecutionContext context;

    public ScanOperator(Operator scan, List<ResultColumn> columns) {
        this.scan = requireNonNull(scan, "scan is null");
        this.columns = List.copyOf(columns);
    }

    @Override
    public List<ResultColumn> columns() {
        return columns;
    }

    @Override
    public void open(ExecutionContext context) {
        this.context = requireNonNull(context, "context is null");
        scan.open(context);
    }

    @Override
    public VectorSchemaRoot next() {
        context.checkCancelled();
        return scan.next();
    }

    @Override
    public void close() {
        scan.close();
    }

    /** The catalog scan's counters when it keeps any (see {@link ScanMetrics}), else none. */
    @Override
    public java.util.Map<String, Long> scanMetrics() {
        return scan instanceof ScanMetrics m ? m.scanMetrics() : java.util.Map.of();
    }
}
