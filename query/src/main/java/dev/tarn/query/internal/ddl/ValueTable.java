package dev.tarn.query.internal.ddl;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.txlog.types.ArrayType;
import dev.tarn.txlog.types.ArrowTypes;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.MapType;
import dev.tarn.txlog.types.PrimitiveType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A small typed result built in memory (DESCRIBE HISTORY, DESCRIBE DETAIL, and the all-STRING SHOW/DESCRIBE rows).
 * Cells are Java values by column type: Boolean (BOOLEAN), Integer (INT), Long (BIGINT), String (STRING), Instant
 * (TIMESTAMP), List (ARRAY of these), Map (MAP of these, in the map's iteration order); null for NULL.
 */
public record ValueTable(List<ResultColumn> columns, List<List<Object>> rows) {
    public ValueTable {
        columns = List.copyOf(columns);
        List<List<Object>> copy = new ArrayList<>();
        for (List<Object> row : requireNonNull(rows, "rows is null")) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("row has " + row.size() + " cells, expected " + columns.size());
            }
            copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
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
                return columns;
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
                batch = toBatch(context);
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

    private VectorSchemaRoot toBatch(ExecutionContext context) {
        List<Field> fields = columns.stream().map(c -> ArrowTypes.toArrowField(c.name(), c.type(), c.nullable())).toList();
        VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), context.allocator());
        try {
            root.allocateNew();
            for (int c = 0; c < columns.size(); c++) {
                FieldVector v = root.getVector(c);
                for (int r = 0; r < rows.size(); r++) {
                    write(v, r, rows.get(r).get(c), columns.get(c).type());
                }
                v.setValueCount(rows.size());
            }
            root.setRowCount(rows.size());
            return root;
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    private static void write(FieldVector v, int row, Object value, DataType type) {
        if (value == null) {
            setNull(v, row);
            return;
        }
        if (type instanceof MapType m) {
            MapVector map = (MapVector) v;
            Map<?, ?> entries = (Map<?, ?>) value;
            int start = map.startNewValue(row);
            StructVector struct = (StructVector) map.getDataVector();
            int i = start;
            for (Map.Entry<?, ?> e : entries.entrySet()) {
                struct.setIndexDefined(i);
                write(struct.getChild(MapVector.KEY_NAME), i, e.getKey(), m.keyType());
                write(struct.getChild(MapVector.VALUE_NAME), i, e.getValue(), m.valueType());
                i++;
            }
            map.endValue(row, entries.size());
            return;
        }
        if (type instanceof ArrayType a) {
            ListVector list = (ListVector) v;
            List<?> elements = (List<?>) value;
            int start = list.startNewValue(row);
            for (int i = 0; i < elements.size(); i++) {
                write(list.getDataVector(), start + i, elements.get(i), a.elementType());
            }
            list.endValue(row, elements.size());
            return;
        }
        switch ((PrimitiveType) type) {
            case BOOLEAN -> ((BitVector) v).setSafe(row, (Boolean) value ? 1 : 0);
            case INTEGER -> ((IntVector) v).setSafe(row, (Integer) value);
            case LONG -> ((BigIntVector) v).setSafe(row, (Long) value);
            case STRING -> ((VarCharVector) v).setSafe(row, ((String) value).getBytes(StandardCharsets.UTF_8));
            case TIMESTAMP -> {
                Instant t = (Instant) value;
                ((TimeStampVector) v).setSafe(row, Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L),
                        t.getNano() / 1000));
            }
            default -> throw new IllegalArgumentException("ValueTable does not hold " + type.sqlName() + " cells");
        }
    }

    private static void setNull(FieldVector v, int row) {
        if (v instanceof BaseFixedWidthVector f) {
            f.setNull(row);
        } else if (v instanceof BaseVariableWidthVector w) {
            w.setNull(row);
        } else if (v instanceof ListVector l) {
            l.setNull(row);
        } else if (v instanceof StructVector s) {
            s.setNull(row);
        } else {
            throw new IllegalArgumentException("Cannot set a null in " + v.getField());
        }
    }
}
