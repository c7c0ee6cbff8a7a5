package dev.tarn.query.internal.plan;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.operator.Batches;
import dev.tarn.query.internal.operator.Bindings;
import dev.tarn.query.internal.operator.Meter;
import dev.tarn.txlog.types.PrimitiveType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * EXPLAIN ANALYZE: runs the query's plan with every operator metered, discards its rows, and returns the plan one
 * line per row, each operator with the rows and batches it produced and the time spent in it and its inputs (summed
 * over parallel workers, whose count is shown when there are several; scans also with their
 * {@link dev.tarn.query.internal.operator.ScanMetrics} counters), after a first line with totals.
 */
public final class ExplainAnalyzeOperator implements Operator {
    public static final List<ResultColumn> COLUMNS = List.of(new ResultColumn("plan", PrimitiveType.STRING, false));

    private final PlanNode plan;
    private final Bindings bindings;
    private ExecutionContext context;
    private VectorSchemaRoot out;
    private boolean done;

    public ExplainAnalyzeOperator(PlanNode plan, Bindings bindings) {
        this.plan = requireNonNull(plan, "plan is null");
        this.bindings = requireNonNull(bindings, "bindings is null");
    }

    @Override
    public List<ResultColumn> columns() {
        return COLUMNS;
    }

    @Override
    public void open(ExecutionContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public VectorSchemaRoot next() {
        if (done) {
            return null;
        }
        done = true;
        List<Meter> metered = new ArrayList<>();
        long start = System.nanoTime();
        long rows = 0;
        try (Operator root = plan.instantiateMetered(bindings, metered)) {
            root.open(context);
            for (VectorSchemaRoot b = root.next(); b != null; b = root.next()) {
                context.checkCancelled();
                rows += b.getRowCount();
            }
        }
        long total = System.nanoTime() - start;
        List<String> lines = new ArrayList<>();
        lines.add("Total: rows=" + rows + " time=" + millis(total));
        List<String> nodes = plan.explainLines();
        for (int i = 0; i < nodes.size(); i++) {
            Meter m = metered.get(i);
            StringBuilder line = new StringBuilder(nodes.get(i)).append("  (rows=").append(m.rows())
                    .append(" batches=").append(m.batches()).append(" time=").append(millis(m.nanos()));
            if (m.instances() > 1) {
                line.append(" workers=").append(m.instances());
            }
            for (Map.Entry<String, Long> e : m.scanMetrics().entrySet()) {
                line.append(' ').append(e.getKey()).append('=').append(e.getValue());
            }
            lines.add(line.append(')').toString());
        }
        out = Batches.newRoot(COLUMNS, context.allocator());
        VarCharVector v = (VarCharVector) out.getVector(0);
        for (int i = 0; i < lines.size(); i++) {
            v.setSafe(i, lines.get(i).getBytes(StandardCharsets.UTF_8));
        }
        v.setValueCount(lines.size());
        out.setRowCount(lines.size());
        return out;
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3fms", nanos / 1e6);
    }

    @Override
    public void close() {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
