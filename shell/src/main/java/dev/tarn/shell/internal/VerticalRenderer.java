package dev.tarn.shell.internal;

import dev.tarn.query.QueryResult;
import java.io.IOException;

/** One block per row, one {@code column | value} line per column (psql's expanded display, {@code \x}). */
public final class VerticalRenderer implements ResultRenderer {
    private final RenderOptions options;

    public VerticalRenderer(RenderOptions options) {
        this.options = options;
    }

    @Override
    public void renderRows(QueryResult result, Appendable out) throws IOException {
        TextGrid grid = TextGrid.read(result, options, TableRenderer.NULL_TEXT);
        int width = 0;
        for (var c : grid.columns()) {
            width = Math.max(width, TableRenderer.displayWidth(c.name()));
        }
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < grid.rows().size(); r++) {
            String title = "-[ RECORD " + (r + 1) + " ]";
            sb.append(title).append("-".repeat(width + 3)).append('\n');
            String[] row = grid.rows().get(r);
            for (int c = 0; c < row.length; c++) {
                String name = grid.columns().get(c).name();
                sb.append(name).append(" ".repeat(width - TableRenderer.displayWidth(name))).append(" | ")
                        .append(row[c].replace("\n", "\n" + " ".repeat(width) + " | ")).append('\n');
            }
        }
        sb.append(grid.footer(options)).append('\n');
        out.append(sb);
    }

    @Override
    public void renderNoRows(QueryResult result, Appendable out) throws IOException {
        new TableRenderer().renderNoRows(result, out);
    }
}
