package dev.tarn.query.internal.ddl;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.txlog.types.PrimitiveType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** The small all-STRING result of SHOW and DESCRIBE; cells may be null. */
public record StringTable(List<String> columnNames, List<List<String>> rows) {
    public StringTable {
        columnNames = List.copyOf(columnNames);
        List<List<String>> copy = new ArrayList<>();
        for (List<String> row : requireNonNull(rows, "rows is null")) {
            if (row.size() != columnNames.size()) {
                throw new IllegalArgumentException("row has " + row.size() + " cells, expected " + columnNames.size());
            }
            copy.add(java.util.Collections.unmodifiableList(new ArrayList<>(row)));
        }
        rows = List.copyOf(copy);
    }

    /** An operator returning the rows as one batch. */
    public Operator operator() {
        return new Operator() {
            private ExecutionContext context;
            private VectorSchemaRoot batch;
            private boolean done;

            @Override
            public List<ResultColumn> columns() {
                return columnNames.stream().map(n -> new ResultColumn(n, PrimitiveType.STRING, true)).toList();
            }

            @Override
            public void open(ExecutionContext ctx) {
                this.context = requireNonNull(ctx, "ctx is null");
            }

            @Override
            public VectorSchemaRoot next() {
                if (done) {
                    return null;
                }
                done = true;
                List<Field> fields = columnNames.stream()
                        .map(n -> new Field(n, FieldType.nullable(ArrowType.Utf8.INSTANCE), null)).toList();
                batch = VectorSchemaRoot.create(new Schema(fields), context.allocator());
                for (int c = 0; c < columnNames.size(); c++) {
                    VarCharVector v = (VarCharVector) batch.getVector(c);
                    v.allocateNew(rows.size());
                    for (int r = 0; r < rows.size(); r++) {
                        String cell = rows.get(r).get(c);
                        if (cell == null) {
                            v.setNull(r);
                        } else {
                            v.setSafe(r, cell.getBytes(StandardCharsets.UTF_8));
                        }
                    }
                    v.setValueCount(rows.size());
                }
                batch.setRowCount(rows.size());
                return batch;
            }

            @Override
            public void close() {
                if (batch != null) {
                    batch.close();
                    batch = null;
                }
            }
        };
    }
}
