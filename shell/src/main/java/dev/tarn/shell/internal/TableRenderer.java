package dev.tarn.shell.internal;

import dev.tarn.query.QueryResult;
import dev.tarn.query.ResultColumn;
import java.io.IOException;
import java.util.List;

/**
 * Aligned columns for people, psql style: a header, a rule, one line per row (numbers right-aligned, NULL shown as
 * {@code NULL}, line breaks inside values shown as {@code \n}), then a row count. DML reports the rows affected,
 * other statements {@code OK}.
 */
public final class TableRenderer implements ResultRenderer {
    static final String NULL_TEXT = "NULL";
    static final String ELLIPSIS = "\u2026";
    private static final int MIN_CELL = 3;

    private final RenderOptions options;

    public TableRenderer() {
        this(RenderOptions.PLAIN);
    }

    /** With a width to fit (cells cut with an ellipsis), a row limit and the elapsed time in the footer. */
    public TableRenderer(RenderOptions options) {
        this.options = options;
    }

    @Override
    public void renderRows(QueryResult result, Appendable out) throws IOException {
        TextGrid grid = TextGrid.read(result, options, NULL_TEXT);
        List<ResultColumn> columns = grid.columns();
        int n = columns.size();
        List<String[]> rows = grid.rows();
        for (String[] row : rows) {
            for (int c = 0; c < n; c++) {
                row[c] = oneLine(row[c]);
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
        if (options.maxWidth() > 0) {
            fit(width, options.maxWidth());
        }
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < n; c++) {
            line.append(c == 0 ? " " : " | ");
            pad(line, cut(columns.get(c).name(), width[c]), width[c], false);
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
                pad(line, cut(row[c], width[c]), width[c], right[c]);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        out.append(grid.footer(options)).append('\n');
    }

    /** Narrows the widest columns until a line (" a | b ") fits in {@code max} columns, keeping each readable. */
    static void fit(int[] width, int max) {
        int n = width.length;
        while (true) {
            int total = 1 + 3 * Math.max(0, n - 1) + 1;
            int widest = -1;
            for (int c = 0; c < n; c++) {
                total += width[c];
                if (widest < 0 || width[c] > width[widest]) {
                    widest = c;
                }
            }
            if (total <= max || widest < 0 || width[widest] <= MIN_CELL) {
                return;
            }
            width[widest] = Math.max(MIN_CELL, width[widest] - Math.max(1, total - max));
        }
    }

    /** The text cut to {@code width} display columns, ending in an ellipsis when it was longer. */
    static String cut(String s, int width) {
        if (displayWidth(s) <= width) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int cw = isWide(cp) ? 2 : 1;
            if (w + cw > width - 1) {
                break;
            }
            sb.appendCodePoint(cp);
            w += cw;
            i += Character.charCount(cp);
        }
        return sb.append(ELLIPSIS).toString();
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
