package dev.tarn.query.internal.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.skipping.FileStats;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Table statistics from a snapshot's per-file statistics (PROTOCOL.md "Per-file Statistics"): the row count is the
 * sum of {@code numRecords} less deletion-vector cardinalities; a column's bounds are the least {@code minValues} and
 * greatest {@code maxValues} over all files (unknown when any file lacks them). For integral and DATE columns the
 * distinct count is bounded by the sum over files of min(values in the file's range, file rows), which is tight for
 * columns the files are sorted or clustered by. A string column's values and their rows are the sums of the counts
 * Tarn wrote with the files ({@link FileStats#VALUE_COUNTS}, low-cardinality columns only), known when every file
 * has them (deletion vectors aside: deleted rows stay counted). Computed once per snapshot (snapshots are immutable).
 */
final class DeltaStatistics {
    private static final Map<Snapshot, TableStatistics> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    /** The most distinct values of a string column whose counts are summed. */
    private static final int MAX_VALUES = 4096;

    private DeltaStatistics() {}

    static TableStatistics of(Snapshot snapshot) {
        TableStatistics cached = CACHE.get(snapshot);
        if (cached == null) {
            cached = compute(snapshot.schema(), snapshot.activeFiles());
            CACHE.put(snapshot, cached);
        }
        return cached;
    }

    static TableStatistics compute(StructType schema, List<AddFile> files) {
        List<StructField> fields = schema.fields();
        int n = fields.size();
        double[] min = new double[n];
        double[] max = new double[n];
        long[] distinct = new long[n];
        long[] nulls = new long[n];
        boolean[] known = new boolean[n];
        // String columns: the rows per value Tarn counted in each file, summed while every file has counts.
        List<Map<String, Long>> valueCounts = new ArrayList<>();
        for (StructField f : fields) {
            valueCounts.add(f.type() == PrimitiveType.STRING ? new java.util.HashMap<>() : null);
        }
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        java.util.Arrays.fill(known, true);
        long rows = 0;
        boolean rowsKnown = true;
        for (AddFile add : files) {
            FileStats stats = FileStats.parse(add.stats());
            long fileRows = stats.numRecords();
            if (fileRows < 0) {
                rowsKnown = false;
                break;
            }
            rows += fileRows - (add.deletionVector() == null ? 0 : add.deletionVector().cardinality());
            for (int i = 0; i < n; i++) {
                Map<String, Long> counted = valueCounts.get(i);
                if (counted != null) {
                    Map<String, Long> fileCounts = stats.valueCounts(fields.get(i).physicalName());
                    if (fileCounts == null || counted.size() + fileCounts.size() > MAX_VALUES) {
                        valueCounts.set(i, null);
                    } else {
                        fileCounts.forEach((value, count) -> counted.merge(value, count, Long::sum));
                    }
                }
                if (!known[i]) {
                    continue;
                }
                List<String> path = List.of(fields.get(i).physicalName());
                double lo = numeric(fields.get(i).type(), stats.min(path));
                double hi = numeric(fields.get(i).type(), stats.max(path));
                long fileNulls = stats.nullCount(path);
                if (Double.isNaN(lo) || Double.isNaN(hi) || fileNulls < 0) {
                    known[i] = false;
                    continue;
                }
                min[i] = Math.min(min[i], lo);
                max[i] = Math.max(max[i], hi);
                nulls[i] += fileNulls;
                if (isDiscrete(fields.get(i).type())) {
                    distinct[i] += (long) Math.min(hi - lo + 1, Math.max(0, fileRows - fileNulls));
                }
            }
        }
        if (!rowsKnown) {
            return TableStatistics.rowsOnly(-1);
        }
        List<TableStatistics.ColumnStatistics> columns = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Long> counted = valueCounts.get(i);
            if (counted != null && !files.isEmpty()) {
                // A low-cardinality string column: no numeric bounds, but its values and their rows.
                columns.add(new TableStatistics.ColumnStatistics(Double.NaN, Double.NaN, counted.size(), -1, counted));
                continue;
            }
            if (!known[i] || files.isEmpty()) {
                columns.add(TableStatistics.ColumnStatistics.UNKNOWN);
                continue;
            }
            long ndv = isDiscrete(fields.get(i).type())
                    ? (long) Math.min(distinct[i], Math.min(max[i] - min[i] + 1, rows)) : -1;
            columns.add(new TableStatistics.ColumnStatistics(min[i], max[i], Math.max(ndv, -1), nulls[i]));
        }
        return new TableStatistics(rows, columns);
    }

    private static boolean isDiscrete(DataType type) {
        return type == PrimitiveType.BYTE || type == PrimitiveType.SHORT || type == PrimitiveType.INTEGER
                || type == PrimitiveType.LONG || type == PrimitiveType.DATE;
    }

    /** A statistics value on the numeric line of {@link TableStatistics.ColumnStatistics}, or NaN. */
    private static double numeric(DataType type, JsonNode value) {
        if (value == null) {
            return Double.NaN;
        }
        if (type == PrimitiveType.DATE) {
            if (!value.isTextual()) {
                return Double.NaN;
            }
            try {
                return LocalDate.parse(value.asText()).toEpochDay();
            } catch (DateTimeParseException e) {
                return Double.NaN;
            }
        }
        boolean number = type == PrimitiveType.BYTE || type == PrimitiveType.SHORT || type == PrimitiveType.INTEGER
                || type == PrimitiveType.LONG || type == PrimitiveType.FLOAT || type == PrimitiveType.DOUBLE
                || type instanceof DecimalType;
        return number && value.isNumber() ? value.asDouble() : Double.NaN;
    }
}
