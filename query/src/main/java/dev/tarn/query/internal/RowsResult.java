package dev.tarn.query.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.QueryResult;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.Operator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A query's result: pulls batches from the root operator. Closing it closes the operator and then the statement's
 * allocator, so every batch must have been released by then (a leak is reported, not hidden).
 */
final class RowsResult implements QueryResult {
    private final Operator root;
    private final StatementScope scope;
    private final List<ResultColumn> columns;
    private final Consumer<RowsResult> onClose;
    private boolean finished;
    private volatile boolean closed;

    /** Takes ownership of an opened operator and its scope; {@code onClose} runs once when the result closes. */
    RowsResult(Operator root, StatementScope scope, Consumer<RowsResult> onClose) {
        this.root = requireNonNull(root, "root is null");
        this.scope = requireNonNull(scope, "scope is null");
        this.onClose = requireNonNull(onClose, "onClose is null");
        this.columns = List.copyOf(root.columns());
    }

    @Override
    public Kind kind() {
        return Kind.ROWS;
    }

    @Override
    public List<ResultColumn> columns() {
        return columns;
    }

    @Override
    public long updateCount() {
        return -1;
    }

    @Override
    public synchronized VectorSchemaRoot nextBatch() {
        if (closed) {
            throw new IllegalStateException("The result is closed");
        }
        if (finished) {
            return null;
        }
        try {
            scope.context().checkCancelled();
            VectorSchemaRoot batch = scope.translate(root::next);
            if (batch == null) {
                finished = true;
            }
            return batch;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (StatementScope s = scope) {
            root.close();
        } finally {
            onClose.accept(this);
        }
    }
}
