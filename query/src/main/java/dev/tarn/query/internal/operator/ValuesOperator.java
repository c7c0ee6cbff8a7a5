package dev.tarn.query.internal.operator;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.expression.Values;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Literal rows (canonical values), produced as batches built one column at a time. */
public final class ValuesOperator implements Operator {
    private final List<ResultColumn> columns;
    private final List<List<Object>> rows;
    private ExecutionContext context;
    private VectorSchemaRoot out;
    private int position;

    public ValuesOperator(List<ResultColumn> columns, List<List<Object>> rows) {
        this.columns = List.copyOf(columns);
        List<List<Object>> copy = new ArrayList<>(rows.size());
        for (List<Object> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("row has " + row.size() + " values for " + columns.size() + " columns");
            }
            copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
        }
        this.rows = Collections.unmodifiableList(copy);
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
        context.checkCancelled();
        if (position >= rows.size()) {
            return null;
        }
        if (out == null) {
            out = Batches.newRoot(columns, context.allocator());
        }
        int n = Math.min(Batches.BATCH_ROWS, rows.size() - position);
        for (int c = 0; c < columns.size(); c++) {
            out.getVector(c).reset();
            Values.Writer w = Values.writer(out.getVector(c));
            for (int i = 0; i < n; i++) {
                w.set(i, rows.get(position + i).get(c));
            }
            out.getVector(c).setValueCount(n);
        }
        out.setRowCount(n);
        position += n;
        return out;
    }

    @Override
    public void close() {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
