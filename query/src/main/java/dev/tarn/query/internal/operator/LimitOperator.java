package dev.tarn.query.internal.operator;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/** {@code OFFSET m} then {@code LIMIT n} (n &lt; 0: no limit); stops pulling its input once the limit is reached. */
public final class LimitOperator implements Operator {
    private final Operator input;
    private final long offset;
    private final long limit;
    private ExecutionContext context;
    private VectorSchemaRoot out;
    private long skipped;
    private long returned;

    public LimitOperator(Operator input, long offset, long limit) {
        this.input = requireNonNull(input, "input is null");
        if (offset < 0) {
            throw new IllegalArgumentException("offset is negative");
        }
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

    @Override
    public VectorSchemaRoot next() {
        while (true) {
            context.checkCancelled();
            if (limit >= 0 && returned >= limit) {
                return null;
            }
            VectorSchemaRoot batch = input.next();
            if (batch == null) {
                return null;
            }
            int n = batch.getRowCount();
            int start = 0;
            if (skipped < offset) {
                int skip = (int) Math.min(n, offset - skipped);
                skipped += skip;
                start = skip;
            }
            int count = n - start;
            if (limit >= 0) {
                count = (int) Math.min(count, limit - returned);
            }
            if (count <= 0) {
                continue;
            }
            returned += count;
            if (start == 0 && count == n) {
                return batch;
            }
            if (out == null) {
                out = Batches.newRoot(columns(), context.allocator());
            }
            Batches.slice(batch, start, count, out);
            return out;
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
