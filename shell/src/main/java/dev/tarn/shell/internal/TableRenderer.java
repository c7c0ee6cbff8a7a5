package dev.tarn.shell.internal;

import dev.tarn.query.QueryResult;
import dev.tarn.query.ResultColumn;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Aligned columns for people, psql style: a header, a rule, one line per row (numbers right-aligned, NULL shown as
 * {@code NULL}, line breaks inside values shown as {@code \n}), then a row count. DML reports the rows affected,
 * other statements {@code OK}.
 */
public final class TableRenderer implements ResultRenderer {
    static final String NULL_TEXT = "NULL";

    @Override
    public void renderRows(QueryResult result, Appendable out) throws IOException {
        List<ResultColumn> columns = result.columns();
        int n = columns.size();
        List<String[]> rows = new ArrayList<>();
        for (VectorSchemaRoot batch = result.nextBatch(); batch != null; batch = result.nextBatch()) {
            List<FieldVector> vectors = batch.getFieldVectors();
            for (int r = 0; r < batch.getRowCount(); r++) {
                String[] row = new String[n];
                for (int c = 0; c < n; c++) {
                    FieldVector v = vectors.get(c);
                    row[c] = v.isNull(r) ? NULL_TEXT : oneLine(ValueText.plain(v, columns.get(c).type(), r));
                }
                rows.add(row);
            }
        }
        int[] width = new int[n];
        boolean[] right = new boolean[n];
        for (int c = 0; c < n; c++) {
            width[c] = displayWidth(columns.get(c).name());
            right[c] = ValueText.isNumeric(columns.get(c).type());
        }
        for (String[] row : rows) {
            for (int c = 0; c < n; c++) {
                width[c] = Math.max(width[c], displayWidth(row[c]));
            }
        }
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < n; c++) {
            line.append(c == 0 ? " " : " | ");
            pad(line, columns.get(c).name(), width[c], false);
        }
        out.append(line.toString().stripTrailing()).append('\n');
        line.setLength(0);
        for (int c = 0; c < n; c++) {
            line.append(c == 0 ? "-" : "-+-");
            line.append("-".repeat(width[c]));
        }
        out.append(line).append("-\n");
        for (String[] row : rows) {
            line.setLength(0);
            for (int c = 0; c < n; c++) {
                line.append(c == 0 ? " " : " | ");
                pad(line, row[c], width[c], right[c]);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        out.append('(').append(Integer.toString(rows.size())).append(rows.size() == 1 ? " row)\n" : " rows)\n");
    }

    @Override
    public void renderNoRows(QueryResult result, Appendable out) throws IOException {
        if (result.kind() == QueryResult.Kind.UPDATE_COUNT) {
            long count = result.updateCount();
            out.append(Long.toString(count)).append(count == 1 ? " row affected\n" : " rows affected\n");
        } else {
            out.append("OK\n");
        }
    }

    private static String oneLine(String s) {
        return s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s : s.replace("\r", "\\r").replace("\n", "\\n");
    }

    private static void pad(StringBuilder sb, String s, int width, boolean right) {
        int fill = width - displayWidth(s);
        if (right) {
            sb.append(" ".repeat(fill)).append(s);
        } else {
            sb.append(s).append(" ".repeat(fill));
        }
    }

    /** Terminal columns a string takes: code points, with East Asian wide characters counted twice. */
    static int displayWidth(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            w += isWide(cp) ? 2 : 1;
        }
        return w;
    }

    private static boolean isWide(int cp) {
        return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60)
                || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F)
                || (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD);
    }
}
