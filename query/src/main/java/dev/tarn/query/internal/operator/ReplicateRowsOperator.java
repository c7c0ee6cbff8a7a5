package dev.tarn.query.internal.operator;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Emits each input row as many times as its last column (a BIGINT count; NULL or negative is zero) says, without
 * that column: INTERSECT ALL and EXCEPT ALL after counting each distinct row per input. Rows are gathered a batch
 * at a time through an index array, never copied one value at a time outside that gather.
 */
public final class ReplicateRowsOperator implements Operator {
    private final Operator input;
    private final List<ResultColumn> columns;
    private ExecutionContext context;
    private VectorSchemaRoot out;
    private VectorSchemaRoot batch;
    private int row;
    private long emittedOfRow;
    private int[] rows = new int[Batches.BATCH_ROWS];

    public ReplicateRowsOperator(Operator input, List<ResultColumn> columns) {
        this.input = requireNonNull(input, "input is null");
        this.columns = List.copyOf(columns);
        if (input.columns().size() != columns.size() + 1) {
            throw new IllegalArgumentException("the input must have the output columns plus a count");
        }
    }

    @Override
    public List<ResultColumn> columns() {
        return columns;
    }

    @Override
    public void open(ExecutionContext context) {
        this.context = requireNonNull(context, "context is null");
        input.open(context);
    }

    @Override
    public VectorSchemaRoot next() {
        context.checkCancelled();
        if (out == null) {
            out = Batches.newRoot(columns, context.allocator());
        }
        while (true) {
            if (batch == null || row >= batch.getRowCount()) {
                batch = input.next();
                row = 0;
                emittedOfRow = 0;
                if (batch == null) {
                    return null;
                }
                continue;
            }
            BigIntVector counts = (BigIntVector) batch.getVector(columns.size());
            int n = 0;
            while (n < rows.length && row < batch.getRowCount()) {
                long want = counts.isNull(row) ? 0 : Math.max(0, counts.get(row));
                if (emittedOfRow >= want) {
                    row++;
                    emittedOfRow = 0;
                    continue;
                }
                int take = (int) Math.min(rows.length - n, want - emittedOfRow);
                Arrays.fill(rows, n, n + take, row);
                n += take;
                emittedOfRow += take;
            }
            if (n > 0) {
                Batches.copyRows(batch, rows, n, out);
                return out;
            }
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
