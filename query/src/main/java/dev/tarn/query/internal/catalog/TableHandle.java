package dev.tarn.query.internal.catalog;

import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.txlog.types.StructType;
import java.util.List;

/** One table pinned at one snapshot: what the SQL engine plans against and reads from. */
public interface TableHandle {
    /** {@code schema.table}, or the path for path-named tables; used in messages. */
    String displayName();

    /** The logical columns, in table order (hidden metadata columns excluded). */
    StructType schema();

    List<String> partitionColumns();

    /** Row count from the log's file statistics, or -1 when unknown. */
    long estimatedRowCount();

    /** Row count and column statistics for the planner's estimates; by default only {@link #estimatedRowCount()}. */
    default TableStatistics statistics() {
        return TableStatistics.rowsOnly(estimatedRowCount());
    }

    /**
     * A scan returning the given columns (indexes into {@link #schema()}, in that order). The filters are
     * conjuncts of the query's WHERE clause; the scan uses them only to skip files and row groups, so the caller
     * still applies the full predicate to the rows it returns.
     */
    Operator scan(int[] projectedColumns, List<PushedFilter> filters);

    /**
     * Per filter, whether {@link #scan} applies it exactly (returns a row only when the conjunct is TRUE for it, on
     * every path), so the caller need not evaluate it again; the scan then reads the filter's columns even when they
     * are not projected. None by default.
     */
    default boolean[] appliesExactly(List<PushedFilter> filters) {
        return new boolean[filters.size()];
    }

    /**
     * Appends the source's rows in one atomic commit. The source's columns follow {@link #schema()} exactly (the
     * caller has ordered, cast and NOT NULL-checked them). Returns the number of rows written; on any failure
     * nothing is committed.
     */
    long append(Operator source, ExecutionContext context);
}
