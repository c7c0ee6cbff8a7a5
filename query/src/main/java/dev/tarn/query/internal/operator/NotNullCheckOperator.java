package dev.tarn.query.internal.operator;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Fails with NOT_NULL_VIOLATION when a NOT NULL column of the write target receives a NULL. It sits between an
 * INSERT's source and the table's append, so a violation aborts the statement before anything is committed.
 */
public final class NotNullCheckOperator implements Operator {
    private final Operator input;
    private final String table;
    private final List<ResultColumn> target;
    private ExecutionContext context;

    public NotNullCheckOperator(Operator input, String table, List<ResultColumn> target) {
        this.input = requireNonNull(input, "input is null");
        this.table = requireNonNull(table, "table is null");
        this.target = List.copyOf(target);
    }

    @Override
    public List<ResultColumn> columns() {
        return target;
    }

    @Override
    public void open(ExecutionContext context) {
        this.context = requireNonNull(context, "context is null");
        input.open(context);
    }

    @Override
    public VectorSchemaRoot next() {
        context.checkCancelled();
        VectorSchemaRoot batch = input.next();
        if (batch == null) {
            return null;
        }
        for (int c = 0; c < target.size(); c++) {
            if (!target.get(c).nullable() && batch.getVector(c).getNullCount() > 0) {
                throw new TarnException(ErrorCode.NOT_NULL_VIOLATION, "Column '" + target.get(c).name() + "' of table "
                        + table + " is NOT NULL, but the statement writes NULL into it");
            }
        }
        return batch;
    }

    @Override
    public void close() {
        input.close();
    }
}
