package dev.tarn.query.internal.execution;

import java.util.List;
import dev.tarn.query.ResultColumn;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A physical operator: pulled one Arrow batch at a time, never one row at a time. Operators are built by the
 * planner and used once; a batch returned by {@link #next()} belongs to the operator and stays valid until the
 * following call to {@code next()} or {@code close()}. Its vectors follow {@link #columns()} in order and type
 * (the mapping of {@link dev.tarn.txlog.types.ArrowTypes}).
 */
public interface Operator extends AutoCloseable {

    List<ResultColumn> columns();

    /** Acquires resources; called once before the first {@link #next()}. */
    void open(ExecutionContext context);

    /** The next batch, possibly with zero rows, or null at the end. */
    VectorSchemaRoot next();

    /** Releases all memory and files; idempotent, and safe after a failed {@code open}. */
    @Override
    void close();
}
