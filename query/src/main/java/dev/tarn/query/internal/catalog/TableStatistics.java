package dev.tarn.query.internal.catalog;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What the planner knows of a table's contents, for cardinality estimation: the live row count and, per column of
 * {@link TableHandle#schema()} (in order), its bounds and an upper bound on its distinct values.
 *
 * @param rowCount live rows, or -1 when unknown
 * @param columns one entry per schema column; shorter (or empty) when later columns have no statistics
 */
public record TableStatistics(long rowCount, List<ColumnStatistics> columns) {
    public TableStatistics {
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
    }

    /** Only a row count (no column statistics). */
    public static TableStatistics rowsOnly(long rowCount) {
        return new TableStatistics(rowCount, List.of());
    }

    /** The statistics of column {@code index}, unknown when there are none. */
    public ColumnStatistics column(int index) {
        return index >= 0 && index < columns.size() ? columns.get(index) : ColumnStatistics.UNKNOWN;
    }

    /**
     * One column's statistics. Bounds are on a numeric line: numbers as themselves, DATE as days since the epoch;
     * NaN when unknown (strings, timestamps, missing statistics).
     *
     * @param distinctCount upper bound on the distinct non-null values, or -1 when unknown
     * @param nullCount null values, or -1 when unknown
     */
    public record ColumnStatistics(double min, double max, long distinctCount, long nullCount,
                                   java.util.Map<String, Long> valueCounts) {
        public static final ColumnStatistics UNKNOWN = new ColumnStatistics(Double.NaN, Double.NaN, -1, -1);

        /** @param valueCounts rows per value of a low-cardinality string column, or null when not known */
        public ColumnStatistics {
            valueCounts = valueCounts == null ? null : java.util.Map.copyOf(valueCounts);
        }

        public ColumnStatistics(double min, double max, long distinctCount, long nullCount) {
            this(min, max, distinctCount, nullCount, null);
        }

        public boolean hasRange() {
            return !Double.isNaN(min) && !Double.isNaN(max) && max >= min;
        }
    }
}
