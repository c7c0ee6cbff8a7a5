package dev.tarn.query.internal.operator;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.expression.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * ORDER BY over the whole input: batches are copied, key columns extracted column by column, row indexes sorted
 * (stably), and the output gathered column by column. OFFSET/FETCH apply to the sorted order; with a FETCH the
 * buffer is periodically cut down to the best OFFSET+FETCH rows (top-N), bounding memory.
 */
public final class SortOperator implements Operator {
    /** One sort key: input column, direction and where NULLs go. */
    public record Key(int column, boolean descending, boolean nullsFirst) {
        public Key {
            if (column < 0) {
                throw new IllegalArgumentException("column is negative");
            }
        }
    }

    private final Operator input;
    private final List<Key> keys;
    private final long offset;
    private final long limit;
    private ExecutionContext context;
    private final List<VectorSchemaRoot> buffered = new ArrayList<>();
    private VectorSchemaRoot out;
    private int[] batchOf;
    private int[] rowOf;
    private Integer[] order;
    private int position;
    private int end;

    public SortOperator(Operator input, List<Key> keys, long offset, long limit) {
        this.input = requireNonNull(input, "input is null");
        this.keys = List.copyOf(keys);
        this.offset = offset;
        this.limit = limit;
    }

    @Override
    public List<ResultColumn> columns() {
        return input.columns();
    }

    @Override
    public void open(ExecutionContext context) {
        this.context = requireNonNull(context, "context is null");
        input.open(context);
    }

    private void sortInput() {
        long keep = limit < 0 ? -1 : offset + limit;
        int bufferedRows = 0;
        VectorSchemaRoot batch;
        while ((batch = input.next()) != null) {
            context.checkCancelled();
            if (batch.getRowCount() > 0) {
                buffered.add(Batches.copy(batch, columns(), context.allocator()));
                bufferedRows += batch.getRowCount();
                // Top-N: with a LIMIT, keep only the best offset+limit rows once the buffer grows well past them.
                if (keep >= 0 && bufferedRows > Math.max(4 * keep, 4L * Batches.BATCH_ROWS)) {
                    bufferedRows = compact((int) Math.min(keep, Integer.MAX_VALUE));
                }
            }
        }
        sortBuffered();
        int total = order.length;
        position = (int) Math.min(offset, total);
        end = limit < 0 ? total : (int) Math.min(total, offset + limit);
    }

    /** Sorts the buffered rows: fills batchOf/rowOf and the sorted row order. */
    private void sortBuffered() {
        int total = 0;
        for (VectorSchemaRoot root : buffered) {
            total += root.getRowCount();
        }
        batchOf = new int[total];
        rowOf = new int[total];
        Object[][] keyValues = new Object[keys.size()][total];
        int r = 0;
        for (int b = 0; b < buffered.size(); b++) {
            VectorSchemaRoot root = buffered.get(b);
            int n = root.getRowCount();
            Arrays.fill(batchOf, r, r + n, b);
            for (int i = 0; i < n; i++) {
                rowOf[r + i] = i;
            }
            for (int k = 0; k < keys.size(); k++) {
                Values.Reader reader = Values.reader(root.getVector(keys.get(k).column()));
                Object[] column = keyValues[k];
                for (int i = 0; i < n; i++) {
                    column[r + i] = reader.get(i);
                }
            }
            r += n;
        }
        order = new Integer[total];
        for (int i = 0; i < total; i++) {
            order[i] = i;
        }
        Arrays.sort(order, comparator(keyValues));
    }

    /** Replaces the buffer by its first {@code keep} rows in sorted order; returns the rows kept. */
    private int compact(int keep) {
        sortBuffered();
        int n = Math.min(keep, order.length);
        VectorSchemaRoot kept = Batches.newRoot(columns(), context.allocator());
        try {
            for (int c = 0; c < columns().size(); c++) {
                FieldVector to = kept.getVector(c);
                for (int i = 0; i < n; i++) {
                    Values.copy(buffered.get(batchOf[order[i]]).getVector(c), rowOf[order[i]], to, i);
                }
                to.setValueCount(n);
            }
            kept.setRowCount(n);
        } catch (RuntimeException e) {
            kept.close();
            throw e;
        }
        buffered.forEach(VectorSchemaRoot::close);
        buffered.clear();
        buffered.add(kept);
        order = null;
        return n;
    }

    private Comparator<Integer> comparator(Object[][] keyValues) {
        return (a, b) -> {
            for (int k = 0; k < keys.size(); k++) {
                Key key = keys.get(k);
                Object x = keyValues[k][a];
                Object y = keyValues[k][b];
                int c;
                if (x == null || y == null) {
                    if (x == y) {
                        continue;
                    }
                    c = (x == null) == key.nullsFirst() ? -1 : 1;
                    return c;
                }
                c = Values.compare(x, y);
                if (c != 0) {
                    return key.descending() ? -c : c;
                }
            }
            return 0;
        };
    }

    @Override
    public VectorSchemaRoot next() {
        context.checkCancelled();
        if (order == null) {
            sortInput();
        }
        if (position >= end) {
            return null;
        }
        if (out == null) {
            out = Batches.newRoot(columns(), context.allocator());
        }
        int n = Math.min(Batches.BATCH_ROWS, end - position);
        for (int c = 0; c < columns().size(); c++) {
            FieldVector to = out.getVector(c);
            to.reset();
            for (int i = 0; i < n; i++) {
                int row = order[position + i];
                Values.copy(buffered.get(batchOf[row]).getVector(c), rowOf[row], to, i);
            }
            to.setValueCount(n);
        }
        out.setRowCount(n);
        position += n;
        return out;
    }

    @Override
    public void close() {
        try {
            input.close();
        } finally {
            for (VectorSchemaRoot root : buffered) {
                root.close();
            }
            buffered.clear();
            if (out != null) {
                out.close();
                out = null;
            }
        }
    }
}
