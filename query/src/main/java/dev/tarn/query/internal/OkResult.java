package dev.tarn.query.internal;

import dev.tarn.query.QueryResult;
import dev.tarn.query.ResultColumn;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/** The result of DDL, session commands ({@link Kind#OK}) and DML ({@link Kind#UPDATE_COUNT}): no rows. */
final class OkResult implements QueryResult {
    private final Kind kind;
    private final long updateCount;

    private OkResult(Kind kind, long updateCount) {
        this.kind = kind;
        this.updateCount = updateCount;
    }

    static QueryResult ok() {
        return new OkResult(Kind.OK, -1);
    }

    static QueryResult updateCount(long rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("row count is negative: " + rows);
        }
        return new OkResult(Kind.UPDATE_COUNT, rows);
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public List<ResultColumn> columns() {
        return List.of();
    }

    @Override
    public long updateCount() {
        return updateCount;
    }

    @Override
    public VectorSchemaRoot nextBatch() {
        return null;
    }

    @Override
    public void close() {}
}
