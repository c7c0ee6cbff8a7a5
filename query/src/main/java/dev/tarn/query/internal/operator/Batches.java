package dev.tarn.query.internal.operator;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.txlog.types.ArrowTypes;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** Batch plumbing shared by operators; every loop here runs over one column at a time. */
public final class Batches {
    /** Rows per batch operators produce when they build batches themselves. */
    public static final int BATCH_ROWS = 8192;

    private Batches() {}

    public static Schema schema(List<ResultColumn> columns) {
        List<Field> fields = new ArrayList<>(columns.size());
        for (ResultColumn c : columns) {
            fields.add(ArrowTypes.toArrowField(c.name(), c.type(), true));
        }
        return new Schema(fields);
    }

    public static VectorSchemaRoot newRoot(List<ResultColumn> columns, BufferAllocator allocator) {
        VectorSchemaRoot root = VectorSchemaRoot.create(schema(columns), allocator);
        try {
            root.allocateNew();
        } catch (RuntimeException e) {
            root.close(); // what was allocated before the allocator refused (memory limit)
            throw e;
        }
        return root;
    }

    /** Copies the listed rows of {@code source} into {@code target} (cleared first), column by column. */
    public static void copyRows(VectorSchemaRoot source, int[] rows, int count, VectorSchemaRoot target) {
        for (int c = 0; c < target.getFieldVectors().size(); c++) {
            Gather.rows(source.getVector(c), rows, count, target.getVector(c));
        }
        target.setRowCount(count);
    }

    /** Shares rows {@code [start, start+count)} of {@code source} into {@code target} without copying data. */
    public static void slice(VectorSchemaRoot source, int start, int count, VectorSchemaRoot target) {
        for (int c = 0; c < target.getFieldVectors().size(); c++) {
            FieldVector to = target.getVector(c);
            to.clear();
            source.getVector(c).makeTransferPair(to).splitAndTransfer(start, count);
        }
        target.setRowCount(count);
    }

    /**
     * The next batch of {@code input} as one the caller owns (and must close), or null at its end: an operator that
     * keeps every batch (a hash join's build side, a shared result) takes a parallel gather's batches as they are,
     * since the workers already copied them, instead of copying each again in the consuming thread.
     */
    public static VectorSchemaRoot nextOwned(Operator input, List<ResultColumn> columns, BufferAllocator allocator) {
        if (input instanceof GatherOperator gather) {
            return gather.nextOwned(columns);
        }
        VectorSchemaRoot batch = input.next();
        return batch == null ? null : copy(batch, columns, allocator);
    }

    /** A deep copy of a batch into new vectors (for operators that keep batches beyond the next call). */
    public static VectorSchemaRoot copy(VectorSchemaRoot source, List<ResultColumn> columns, BufferAllocator allocator) {
        VectorSchemaRoot target = newRoot(columns, allocator);
        try {
            int n = source.getRowCount();
            int[] rows = new int[n];
            for (int i = 0; i < n; i++) {
                rows[i] = i;
            }
            for (int c = 0; c < columns.size(); c++) {
                Gather.rows(source.getVector(c), rows, n, target.getVector(c));
            }
            target.setRowCount(n);
            return target;
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
    }
}
