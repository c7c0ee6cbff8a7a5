package dev.tarn.query.internal.sql;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import java.util.List;

/** A validated, planned statement, executable many times with different parameter values. */
public interface PlannedStatement {
    enum Kind { QUERY, INSERT }

    Kind kind();

    /** One entry per {@code ?} marker, in order. */
    List<ResultColumn> parameters();

    /** Result columns of a query; empty for INSERT. */
    List<ResultColumn> columns();

    /** A query's root operator with the parameters bound (JDBC value classes; validated and converted here). */
    Operator bindQuery(List<?> parameters);

    /** Runs an INSERT in one atomic commit and returns the number of rows inserted. */
    long executeInsert(List<?> parameters, ExecutionContext context);

    /** Whether the statement writes (for read-only sessions). */
    default boolean writes() {
        return kind() == Kind.INSERT;
    }
}
