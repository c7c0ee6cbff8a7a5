package dev.tarn.query;

import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The outcome of one statement. A {@link Kind#ROWS} result streams Arrow batches; close it to release its memory
 * (closing early cancels the rest of the query).
 */
public interface QueryResult extends AutoCloseable {

    enum Kind {
        /** A query: columns and batches. */
        ROWS,
        /** DML: {@link #updateCount()} rows affected. */
        UPDATE_COUNT,
        /** DDL or a session command: nothing to show. */
        OK
    }

    Kind kind();

    /** The result columns; empty unless {@link Kind#ROWS}. */
    List<ResultColumn> columns();

    /** Rows inserted, updated or deleted; -1 unless {@link Kind#UPDATE_COUNT}. */
    long updateCount();

    /**
     * The next batch, or null when there are no more. The batch is owned by this result and valid until the next
     * call or {@link #close()}; its vectors follow {@link #columns()} in order and type.
     */
    VectorSchemaRoot nextBatch();

    @Override
    void close();
}
