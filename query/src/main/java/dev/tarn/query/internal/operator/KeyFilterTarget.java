package dev.tarn.query.internal.operator;

/** A table scan that can drop rows whose value in a column a join's build side lacks, before decoding the rest. */
public interface KeyFilterTarget {
    /** Whether the scan took the filter for its output column {@code column}. */
    boolean addKeyFilter(int column, JoinKeyFilter filter);
}
