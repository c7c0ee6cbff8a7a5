package dev.tarn.query.internal.operator;

import dev.tarn.query.internal.execution.Operator;

/**
 * An operator each of whose output rows comes from one row of an input, with some columns passed through unchanged
 * (filters, projections, a hash join's probe side, wrappers). A hash join follows them from its probe input down to
 * the scan that reads its key column, to hand that scan the build side's keys ({@link JoinKeyFilter}): a probe row
 * the scan drops is one the join would have dropped.
 */
public interface RowSource {
    /** The input the output rows come from. */
    Operator rowInput();

    /** The column of {@link #rowInput()} that output column {@code column} passes through unchanged, or -1. */
    int inputColumn(int column);
}
