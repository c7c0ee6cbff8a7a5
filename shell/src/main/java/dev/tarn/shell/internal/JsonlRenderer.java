package dev.tarn.shell.internal;

import dev.tarn.query.QueryResult;
import dev.tarn.query.ResultColumn;
import java.io.IOException;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** One JSON object per row, keys in column order, values as {@link ValueText#json} writes them. */
public final class JsonlRenderer implements ResultRenderer {
    private final RenderOptions options;

    public JsonlRenderer() {
        this(RenderOptions.PLAIN);
    }

    public JsonlRenderer(RenderOptions options) {
        this.options = options;
    }

    @Override
    public void renderRows(QueryResult result, Appendable out) throws IOException {
        List<ResultColumn> columns = result.columns();
        String[] keys = new String[columns.size()];
        for (int c = 0; c < keys.length; c++) {
            StringBuilder k = new StringBuilder();
            ValueText.jsonString(k, columns.get(c).name());
            keys[c] = k.append(':').toString();
        }
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
                line.append('{');
                for (int c = 0; c < keys.length; c++) {
                    if (c > 0) {
                        line.append(',');
                    }
                    line.append(keys[c]);
                    ValueText.json(line, vectors.get(c), columns.get(c).type(), r);
                }
                line.append("}\n");
                out.append(line);
            }
        }
    }

    @Override
    public void renderNoRows(QueryResult result, Appendable out) {
        // Keeps jsonl output pure data.
    }
}
