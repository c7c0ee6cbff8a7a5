package dev.tarn.query.interop;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.txlog.types.ArrowTypes;
import dev.tarn.txlog.types.StructType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.complex.impl.UnionMapWriter;

/**
 * One batch of rows with nested values for a table {@code (id INT, a ARRAY<INT>, m MAP<STRING, INT>,
 * st STRUCT<x: INT, y: STRING>)}, to append through Tarn's writer: Tarn's SQL cannot construct nested values yet.
 */
final class NestedRows implements Operator {
    static final String COLUMNS = "(id INT, a ARRAY<INT>, m MAP<STRING, INT>, st STRUCT<x: INT, y: STRING>)";

    private final StructType schema;
    private ExecutionContext context;
    private VectorSchemaRoot batch;
    private boolean done;

    NestedRows(StructType schema) {
        this.schema = schema;
    }

    @Override
    public List<ResultColumn> columns() {
        return schema.fields().stream().map(f -> new ResultColumn(f.name(), f.type(), f.nullable())).toList();
    }

    @Override
    public void open(ExecutionContext ctx) {
        context = ctx;
    }

    @Override
    public VectorSchemaRoot next() {
        close();
        if (done) {
            return null;
        }
        done = true;
        batch = VectorSchemaRoot.create(ArrowTypes.toArrowSchema(schema), context.allocator());
        batch.allocateNew();
        IntVector id = (IntVector) batch.getVector(0);
        ListVector a = (ListVector) batch.getVector(1);
        MapVector m = (MapVector) batch.getVector(2);
        StructVector st = (StructVector) batch.getVector(3);
        UnionListWriter aw = a.getWriter();
        UnionMapWriter mw = m.getWriter();
        IntVector x = (IntVector) st.getChildByOrdinal(0);
        VarCharVector y = (VarCharVector) st.getChildByOrdinal(1);
        for (int row = 0; row < 3; row++) {
            id.setSafe(row, row + 1);
            if (row == 2) {
                a.setNull(row);
                m.setNull(row);
                st.setNull(row);
                continue;
            }
            aw.setPosition(row);
            aw.startList();
            for (int k = 0; k <= row; k++) {
                aw.writeInt(10 * row + k);
            }
            if (row == 1) {
                aw.writeNull();
            }
            aw.endList();
            mw.setPosition(row);
            mw.startMap();
            for (int k = 0; k <= row; k++) {
                mw.startEntry();
                mw.key().varChar().writeVarChar("key" + k);
                mw.value().integer().writeInt(100 * row + k);
                mw.endEntry();
            }
            mw.endMap();
            st.setIndexDefined(row);
            x.setSafe(row, row * 7);
            if (row == 0) {
                y.setSafe(row, "ü".getBytes(StandardCharsets.UTF_8));
            } else {
                y.setNull(row);
            }
        }
        aw.setValueCount(3);
        mw.setValueCount(3);
        batch.setRowCount(3);
        return batch;
    }

    @Override
    public void close() {
        if (batch != null) {
            batch.close();
            batch = null;
        }
    }
}
