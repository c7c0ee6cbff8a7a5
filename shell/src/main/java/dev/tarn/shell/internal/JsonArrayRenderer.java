package dev.tarn.shell.internal;

import dev.tarn.query.QueryResult;
import dev.tarn.query.ResultColumn;
import java.io.IOException;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** The whole result as one JSON array of objects (values as {@link ValueText#json} writes them), one row a line. */
public final class JsonArrayRenderer implements ResultRenderer {
    private final RenderOptions options;

    public JsonArrayRenderer(RenderOptions options) {
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
        out.append('[');
        long count = 0;
        StringBuilder line = new StringBuilder();
        outer:
        for (VectorSchemaRoot batch = result.nextBatch(); batch != null; batch = result.nextBatch()) {
            List<FieldVector> vectors = batch.getFieldVectors();
            for (int r = 0; r < batch.getRowCount(); r++) {
                if (options.limited(count)) {
                    break outer;
                }
                line.setLength(0);
                line.append(count++ == 0 ? "\n{" : ",\n{");
                for (int c = 0; c < keys.length; c++) {
                    if (c > 0) {
                        line.append(',');
                    }
                    line.append(keys[c]);
                    ValueText.json(line, vectors.get(c), columns.get(c).type(), r);
                }
                out.append(line.append('}'));
            }
        }
        out.append(count == 0 ? "]\n" : "\n]\n");
    }

    @Override
    public void renderNoRows(QueryResult result, Appendable out) {
        // Keeps json output pure data.
    }
}
