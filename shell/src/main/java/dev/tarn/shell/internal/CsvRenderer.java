package dev.tarn.shell.internal;

import dev.tarn.query.QueryResult;
import dev.tarn.query.ResultColumn;
import dev.tarn.txlog.types.DataType;
import java.io.IOException;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * RFC 4180 CSV: a header row, CRLF line ends, fields quoted when they hold a comma, quote, CR or LF (quotes doubled).
 * NULL is an empty unquoted field and the empty string is {@code ""}, so the two stay distinguishable.
 */
public final class CsvRenderer implements ResultRenderer {
    static final String EOL = "\r\n";

    private final RenderOptions options;
    private final boolean tabs;

    public CsvRenderer() {
        this(RenderOptions.PLAIN, false);
    }

    /**
     * With {@code tabs}, TSV instead: tab-separated, LF line ends, tab, CR, LF and backslash in values written as
     * {@code \t}, {@code \r}, {@code \n}, {@code \\}; NULL is an empty field.
     */
    public CsvRenderer(RenderOptions options, boolean tabs) {
        this.options = options;
        this.tabs = tabs;
    }

    private String text(String s) {
        return tabs ? tsvField(s) : field(s);
    }

    static String tsvField(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n");
    }

    @Override
    public void renderRows(QueryResult result, Appendable out) throws IOException {
        List<ResultColumn> columns = result.columns();
        char sep = tabs ? '\t' : ',';
        String eol = tabs ? "\n" : EOL;
        for (int c = 0; c < columns.size(); c++) {
            if (c > 0) {
                out.append(sep);
            }
            out.append(text(columns.get(c).name()));
        }
        out.append(eol);
        StringBuilder line = new StringBuilder();
        long count = 0;
        outer:
        for (VectorSchemaRoot batch = result.nextBatch(); batch != null; batch = result.nextBatch()) {
            List<FieldVector> vectors = batch.getFieldVectors();
            int rows = batch.getRowCount();
            for (int r = 0; r < rows; r++) {
                if (options.limited(count++)) {
                    break outer;
                }
                line.setLength(0);
                for (int c = 0; c < vectors.size(); c++) {
                    if (c > 0) {
                        line.append(sep);
                    }
                    FieldVector v = vectors.get(c);
                    if (!v.isNull(r)) {
                        DataType type = columns.get(c).type();
                        line.append(text(ValueText.plain(v, type, r)));
                    }
                }
                out.append(line).append(eol);
            }
        }
    }

    @Override
    public void renderNoRows(QueryResult result, Appendable out) {
        // Keeps csv output pure data.
    }

    static String field(String s) {
        if (s.isEmpty()) {
            return "\"\"";
        }
        boolean quote = false;
        for (int i = 0; i < s.length() && !quote; i++) {
            char c = s.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
