package dev.tarn.shell.internal;

import dev.tarn.query.QueryResult;
import java.io.IOException;

/** A GitHub-flavoured Markdown table: {@code |} in values escaped, line breaks as {@code <br>}, numbers right-aligned. */
public final class MarkdownRenderer implements ResultRenderer {
    private final RenderOptions options;

    public MarkdownRenderer(RenderOptions options) {
        this.options = options;
    }

    @Override
    public void renderRows(QueryResult result, Appendable out) throws IOException {
        TextGrid grid = TextGrid.read(result, options, "NULL");
        int n = grid.columns().size();
        StringBuilder sb = new StringBuilder("|");
        for (int c = 0; c < n; c++) {
            sb.append(' ').append(cell(grid.columns().get(c).name())).append(" |");
        }
        sb.append("\n|");
        for (int c = 0; c < n; c++) {
            sb.append(ValueText.isNumeric(grid.columns().get(c).type()) ? " ---: |" : " --- |");
        }
        sb.append('\n');
        for (String[] row : grid.rows()) {
            sb.append('|');
            for (String v : row) {
                sb.append(' ').append(cell(v)).append(" |");
            }
            sb.append('\n');
        }
        out.append(sb);
    }

    @Override
    public void renderNoRows(QueryResult result, Appendable out) {
        // Keeps markdown output pure data.
    }

    private static String cell(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>");
    }
}
