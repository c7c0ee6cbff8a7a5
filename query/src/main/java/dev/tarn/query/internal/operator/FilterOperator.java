package dev.tarn.query.internal.operator;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.expression.Column;
import dev.tarn.query.internal.expression.EvalContext;
import dev.tarn.query.internal.expression.Expr;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Keeps the rows whose predicate is TRUE (NULL and FALSE drop). A batch that survives whole passes through
 * untouched; otherwise the survivors are gathered column by column. With output columns (a column selection planned
 * into the filter) only those columns are returned, so a column the predicate alone reads is never copied.
 */
public final class FilterOperator implements Operator, RowSource {
    private final Operator input;
    private final Expr predicate;
    private final Bindings bindings;
    private ExecutionContext context;
    private EvalContext eval;
    private VectorSchemaRoot out;
    private VectorSchemaRoot view;
    private int[] selection = new int[0];
    private final int[] outputs;
    private final List<ResultColumn> columns;

    public FilterOperator(Operator input, Expr predicate, Bindings bindings) {
        this(input, predicate, bindings, null, input.columns());
    }

    /**
     * @param outputs the input columns returned, in order, or null for all of them
     * @param columns the output columns (one per entry of {@code outputs}, their types the input columns')
     */
    public FilterOperator(Operator input, Expr predicate, Bindings bindings, int[] outputs, List<ResultColumn> columns) {
        this.input = requireNonNull(input, "input is null");
        this.predicate = requireNonNull(predicate, "predicate is null");
        this.bindings = requireNonNull(bindings, "bindings is null");
        this.outputs = outputs == null ? null : outputs.clone();
        this.columns = List.copyOf(columns);
        if (this.columns.size() != (outputs == null ? input.columns().size() : outputs.length)) {
            throw new IllegalArgumentException("one output column per output index needed");
        }
    }

    @Override
    public Operator rowInput() {
        return input;
    }

    @Override
    public int inputColumn(int column) {
        return outputs == null ? column : column >= 0 && column < outputs.length ? outputs[column] : -1;
    }

    @Override
    public List<ResultColumn> columns() {
        return columns;
    }

    @Override
    public void open(ExecutionContext context) {
        this.context = requireNonNull(context, "context is null");
        this.eval = bindings.evalContext(context);
        input.open(context);
    }

    @Override
    public VectorSchemaRoot next() {
        try {
            return produce();
        } catch (org.apache.arrow.memory.OutOfMemoryException e) {
            throw context.memoryLimitExceeded("Filter", e);
        }
    }

    private VectorSchemaRoot produce() {
        while (true) {
            context.checkCancelled();
            VectorSchemaRoot batch = input.next();
            if (batch == null) {
                return null;
            }
            int n = batch.getRowCount();
            if (n == 0) {
                continue;
            }
            if (selection.length < n) {
                selection = new int[n];
            }
            int count;
            try (Column mask = predicate.evaluate(batch, eval)) {
                count = selectTrue((BitVector) mask.vector(), n, selection);
            }
            if (count == 0) {
                continue;
            }
            if (count == n && outputs == null) {
                return batch;
            }
            if (count == n) {
                // Every row kept: the selected columns are shared, not copied (in their own root, so the gathers'
                // buffers are never the input's).
                if (view == null) {
                    view = Batches.newRoot(columns, context.allocator());
                }
                for (int c = 0; c < outputs.length; c++) {
                    FieldVector to = view.getVector(c);
                    to.clear();
                    batch.getVector(outputs[c]).makeTransferPair(to).splitAndTransfer(0, n);
                }
                view.setRowCount(n);
                return view;
            }
            if (out == null) {
                out = Batches.newRoot(columns, context.allocator());
            }
            if (outputs == null) {
                Batches.copyRows(batch, selection, count, out);
            } else {
                for (int c = 0; c < outputs.length; c++) {
                    Gather.rows(batch.getVector(outputs[c]), selection, count, out.getVector(c));
                }
                out.setRowCount(count);
            }
            return out;
        }
    }

    /**
     * Writes the rows whose mask bit is TRUE (valid and set) into {@code selection}; returns how many. Works a
     * 64-row word at a time: validity AND value, then the set bits.
     */
    static int selectTrue(BitVector bits, int n, int[] selection) {
        int words = (n + 63) >>> 6;
        int bytes = (n + 7) >>> 3;
        ArrowBuf validity = bits.getValidityBuffer();
        ArrowBuf values = bits.getDataBuffer();
        int count = 0;
        for (int w = 0; w < words; w++) {
            long word;
            int at = w << 3;
            if (at + 8 <= bytes) {
                word = validity.getLong(at) & values.getLong(at);
            } else {
                word = 0;
                for (int b = at; b < bytes; b++) {
                    word |= ((long) (validity.getByte(b) & values.getByte(b)) & 0xFF) << ((b - at) << 3);
                }
            }
            int base = w << 6;
            if (base + 64 > n) {
                word &= (1L << (n - base)) - 1; // bits past the last row are padding
            }
            while (word != 0) {
                selection[count++] = base + Long.numberOfTrailingZeros(word);
                word &= word - 1;
            }
        }
        return count;
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
            if (view != null) {
                view.close();
                view = null;
            }
        }
    }
}
