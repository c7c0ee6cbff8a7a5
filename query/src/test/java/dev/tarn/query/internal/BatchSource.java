package dev.tarn.query.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.txlog.types.ArrowTypes;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A hand-written source operator for write tests: batch {@code i} has {@code sizes[i]} rows filled by
 * {@code fill(root, i)}; it can be told to fail after some batches.
 */
public final class BatchSource implements Operator {
    private final StructType schema;
    private final int[] sizes;
    private final BiConsumer<VectorSchemaRoot, Integer> fill;
    private final int failAfterBatches;
    private ExecutionContext context;
    private VectorSchemaRoot current;
    private int next;
    public boolean opened;
    public boolean closed;

    public BatchSource(StructType schema, int[] sizes, BiConsumer<VectorSchemaRoot, Integer> fill, int failAfterBatches) {
        this.schema = requireNonNull(schema, "schema is null");
        this.sizes = sizes.clone();
        this.fill = requireNonNull(fill, "fill is null");
        this.failAfterBatches = failAfterBatches;
    }

    public BatchSource(StructType schema, int[] sizes, BiConsumer<VectorSchemaRoot, Integer> fill) {
        this(schema, sizes, fill, Integer.MAX_VALUE);
    }

    @Override
    public List<ResultColumn> columns() {
        return schema.fields().stream().map(f -> new ResultColumn(f.name(), f.type(), f.nullable())).toList();
    }

    @Override
    public void open(ExecutionContext ctx) {
        context = ctx;
        opened = true;
    }

    @Override
    public VectorSchemaRoot next() {
        if (current != null) {
            current.close();
            current = null;
        }
        if (next >= sizes.length) {
            return null;
        }
        if (next >= failAfterBatches) {
            throw new IllegalStateException("source failed on purpose after " + next + " batches");
        }
        current = VectorSchemaRoot.create(ArrowTypes.toArrowSchema(schema), context.allocator());
        current.allocateNew();
        fill.accept(current, next);
        current.setRowCount(sizes[next]);
        next++;
        return current;
    }

    @Override
    public void close() {
        closed = true;
        if (current != null) {
            current.close();
            current = null;
        }
    }

    static StructField field(StructType s, int i) {
        return s.fields().get(i);
    }
}
