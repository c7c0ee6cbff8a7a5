package dev.tarn.query.internal.operator;

import java.util.Map;

/**
 * Optional counters a table scan operator can expose for EXPLAIN ANALYZE, read after the scan has run. Suggested
 * names: {@code files}, {@code filesPruned}, {@code rowGroups}, {@code rowGroupsPruned},
 * {@code rowsRemovedByDeletionVectors}. Scans that do not implement it are reported without them.
 */
public interface ScanMetrics {
    /** Counter name to value, in a stable order. */
    Map<String, Long> scanMetrics();
}
