package dev.tarn.shell.internal;

import dev.tarn.query.QueryResult;
import dev.tarn.query.ResultColumn;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** A result read into text cells for the layouts that need every row before printing (table, markdown, vertical). */
record TextGrid(List<ResultColumn> columns, List<String[]> rows, boolean truncated) {
    /** Reads up to {@code options.maxRows()} rows; NULL becomes {@code nullText}. */
    static TextGrid read(QueryResult result, RenderOptions options, String nullText) {
        List<ResultColumn> columns = result.columns();
        int n = columns.size();
        List<String[]> rows = new ArrayList<>();
        boolean truncated = false;
        for (VectorSchemaRoot batch = result.nextBatch(); batch != null; batch = result.nextBatch()) {
            List<FieldVector> vectors = batch.getFieldVectors();
            for (int r = 0; r < batch.getRowCount(); r++) {
                if (options.limited(rows.size())) {
                    truncated = true;
                    break;
                }
                String[] row = new String[n];
                for (int c = 0; c < n; c++) {
                    FieldVector v = vectors.get(c);
                    row[c] = v.isNull(r) ? nullText : ValueText.plain(v, columns.get(c).type(), r);
                }
                rows.add(row);
            }
            if (truncated) {
                break;
            }
        }
        return new TextGrid(columns, rows, truncated);
    }

    /** The footer: row count, a note when rows were cut off, and the elapsed time when asked for. */
    String footer(RenderOptions options) {
        StringBuilder sb = new StringBuilder("(");
        sb.append(rows.size()).append(rows.size() == 1 ? " row" : " rows");
        if (truncated) {
            sb.append(", more not shown (.maxrows ").append(options.maxRows()).append(')');
        }
        if (options.startNanos() >= 0) {
            sb.append(", ").append(elapsed(System.nanoTime() - options.startNanos()));
        }
        return sb.append(')').toString();
    }

    static String elapsed(long nanos) {
        long ms = Math.round(nanos / 1_000_000.0);
        return ms < 10_000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
