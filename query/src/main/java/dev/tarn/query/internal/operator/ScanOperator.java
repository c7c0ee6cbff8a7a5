package dev.tarn.query.internal.operator;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.MorselScan;
import dev.tarn.query.internal.execution.MorselSource;
import dev.tarn.query.internal.execution.Operator;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Reads a table through the catalog's scan operator, checking for cancellation between batches. Parallel workers
 * split it by the catalog scan's morsels when it has them ({@link MorselScan}); a scan without them is one morsel,
 * read whole by the worker that claims it.
 */
public final class ScanOperator implements Operator, ScanMetrics, MorselScan, RowSource {
    private static final List<Object> WHOLE = List.of("whole scan");

    private final Operator scan;
    private final List<ResultColumn> columns;
    private ExecutionContext context;
    private MorselSource source;
    private int worker;
    private int morsel = -1;

    public ScanOperator(Operator scan, List<ResultColumn> columns) {
        this.scan = requireNonNull(scan, "scan is null");
        this.columns = List.copyOf(columns);
    }

    @Override
    public Operator rowInput() {
        return scan;
    }

    @Override
    public int inputColumn(int column) {
        return column;
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
        if (source != null && !(scan instanceof MorselScan)) {
            if (morsel < 0) {
                morsel = source.claim(worker);
                if (morsel < 0) {
                    return null;
                }
            }
        }
        return scan.next();
    }

    @Override
    public void close() {
        scan.close();
    }

    /** The catalog scan's counters when it keeps any (see {@link ScanMetrics}), else none. */
    @Override
    public Map<String, Long> scanMetrics() {
        return scan instanceof ScanMetrics m ? m.scanMetrics() : Map.of();
    }

    @Override
    public List<?> morsels(int workers) {
        return scan instanceof MorselScan m ? m.morsels(workers) : WHOLE;
    }

    @Override
    public void readFrom(MorselSource source, int worker) {
        if (scan instanceof MorselScan m) {
            m.readFrom(source, worker);
        } else {
            this.source = requireNonNull(source, "source is null");
            this.worker = worker;
        }
    }

    @Override
    public int currentMorsel() {
        return scan instanceof MorselScan m ? m.currentMorsel() : morsel;
    }
}
