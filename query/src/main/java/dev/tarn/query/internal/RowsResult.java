package dev.tarn.query.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.QueryResult;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.Operator;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A query's result: pulls batches from the root operator. Closing it closes the operator and then the statement's
 * allocator, so every batch must have been released by then (a leak is reported, not hidden).
 */
final class RowsResult implements QueryResult {
    private final Operator root;
    private final StatementScope scope;
    private final List<ResultColumn> columns;
    private boolean finished;
    private boolean closed;

    /** Takes ownership of an opened operator and its scope. */
    RowsResult(Operator root, StatementScope scope) {
        this.root = requireNonNull(root, "root is null");
        this.scope = requireNonNull(scope, "scope is null");
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
    public VectorSchemaRoot nextBatch() {
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
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (StatementScope s = scope) {
            root.close();
        }
    }
}
