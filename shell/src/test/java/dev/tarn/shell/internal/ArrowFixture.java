package dev.tarn.shell.internal;

import dev.tarn.query.QueryResult;
import dev.tarn.query.ResultColumn;
import dev.tarn.txlog.types.ArrowTypes;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.MapType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * A hand-built {@link QueryResult} over Arrow vectors in Tarn's type mapping, so renderers can be tested for every
 * type (nested ones included) without the SQL engine. Values: Boolean, Number, BigDecimal, String, byte[], Integer
 * days for DATE, Long micros for timestamps, List for ARRAY and STRUCT (fields in order), Map for MAP.
 */
final class ArrowFixture implements QueryResult {
    private final BufferAllocator allocator = new RootAllocator();
    private final List<ResultColumn> columns;
    private final VectorSchemaRoot root;
    private boolean delivered;

    ArrowFixture(List<ResultColumn> columns, List<List<Object>> rows) {
        this.columns = List.copyOf(columns);
        List<StructField> fields = new ArrayList<>();
        for (ResultColumn c : columns) {
            fields.add(new StructField(c.name(), c.type(), c.nullable()));
        }
        root = VectorSchemaRoot.create(ArrowTypes.toArrowSchema(new StructType(fields)), allocator);
        root.allocateNew();
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < columns.size(); c++) {
                set(root.getVector(c), columns.get(c).type(), r, rows.get(r).get(c));
            }
        }
        root.setRowCount(rows.size());
    }

    @SuppressWarnings("unchecked")
    static void set(ValueVector v, DataType type, int i, Object value) {
        if (value == null) {
            if (v instanceof ListVector lv) {
                lv.setNull(i);
            } else if (v instanceof StructVector sv) {
                sv.setNull(i);
            }
            // Leaf vectors start with every validity bit clear: null until set.
            return;
        }
        if (type instanceof MapType m) {
            ListVector lv = (ListVector) v;
            StructVector entries = (StructVector) lv.getDataVector();
            int start = lv.startNewValue(i);
            int j = 0;
            for (Map.Entry<Object, Object> e : ((Map<Object, Object>) value).entrySet()) {
                entries.setIndexDefined(start + j);
                set(entries.getChildByOrdinal(0), m.keyType(), start + j, e.getKey());
                set(entries.getChildByOrdinal(1), m.valueType(), start + j, e.getValue());
                j++;
            }
            lv.endValue(i, j);
            return;
        }
        if (type instanceof dev.tarn.txlog.types.ArrayType a) {
            ListVector lv = (ListVector) v;
            int start = lv.startNewValue(i);
            List<Object> list = (List<Object>) value;
            for (int j = 0; j < list.size(); j++) {
                set(lv.getDataVector(), a.elementType(), start + j, list.get(j));
            }
            lv.endValue(i, list.size());
            return;
        }
        if (type instanceof StructType s) {
            StructVector sv = (StructVector) v;
            sv.setIndexDefined(i);
            List<Object> list = (List<Object>) value;
            for (int f = 0; f < s.size(); f++) {
                set(sv.getChildByOrdinal(f), s.fields().get(f).type(), i, list.get(f));
            }
            return;
        }
        if (type instanceof DecimalType) {
            ((DecimalVector) v).setSafe(i, (BigDecimal) value);
            return;
        }
        switch ((PrimitiveType) type) {
            case BOOLEAN -> ((BitVector) v).setSafe(i, (Boolean) value ? 1 : 0);
            case BYTE -> ((TinyIntVector) v).setSafe(i, ((Number) value).byteValue());
            case SHORT -> ((SmallIntVector) v).setSafe(i, ((Number) value).shortValue());
            case INTEGER -> ((IntVector) v).setSafe(i, ((Number) value).intValue());
            case LONG -> ((BigIntVector) v).setSafe(i, ((Number) value).longValue());
            case FLOAT -> ((Float4Vector) v).setSafe(i, ((Number) value).floatValue());
            case DOUBLE -> ((Float8Vector) v).setSafe(i, ((Number) value).doubleValue());
            case STRING -> ((VarCharVector) v).setSafe(i, ((String) value).getBytes(StandardCharsets.UTF_8));
            case BINARY -> ((VarBinaryVector) v).setSafe(i, (byte[]) value);
            case DATE -> ((DateDayVector) v).setSafe(i, ((Number) value).intValue());
            case TIMESTAMP, TIMESTAMP_NTZ -> ((TimeStampVector) v).setSafe(i, ((Number) value).longValue());
            case VOID -> throw new IllegalArgumentException("VOID holds only nulls");
        }
    }

    @Override
    public Kind kind() {
        return Kind.ROWS;
    }

    @Override
    public List<ResultColumn> columns() {
        return columns;
    }

    @Override
    public long updateCount() {
        return -1;
    }

    @Override
    public VectorSchemaRoot nextBatch() {
        if (delivered) {
            return null;
        }
        delivered = true;
        return root;
    }

    @Override
    public void close() {
        root.close();
        allocator.close();
    }
}
