package dev.tarn.storage.parquet;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.NullVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Test helper: fills Arrow vectors from Java values and reads them back. Lists are {@link List}, maps
 * {@link Map} (insertion ordered), structs {@link Struct}; binary values read back as lowercase hex strings.
 */
final class ArrowValues {
    private ArrowValues() {}

    record Struct(List<Object> fields) {
        static Struct of(Object... values) {
            return new Struct(java.util.Arrays.asList(values));
        }
    }

    static VectorSchemaRoot root(Schema schema, BufferAllocator allocator, List<List<Object>> rows) {
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        root.allocateNew();
        for (int c = 0; c < schema.getFields().size(); c++) {
            FieldVector v = root.getVector(c);
            for (int r = 0; r < rows.size(); r++) {
                set(v, r, rows.get(r).get(c));
            }
            v.setValueCount(rows.size());
        }
        root.setRowCount(rows.size());
        return root;
    }

    static void set(FieldVector v, int i, Object value) {
        if (v instanceof NullVector) {
            return;
        }
        if (value == null) {
            if (v instanceof StructVector s) {
                s.setNull(i);
            } else if (v instanceof ListVector l) {
                l.setNull(i);
            } else {
                v.setNull(i);
            }
            return;
        }
        if (v instanceof MapVector m) {
            Map<?, ?> map = (Map<?, ?>) value;
            int start = m.startNewValue(i);
            StructVector entries = (StructVector) m.getDataVector();
            int k = start;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                entries.setIndexDefined(k);
                set((FieldVector) entries.getChildByOrdinal(0), k, e.getKey());
                set((FieldVector) entries.getChildByOrdinal(1), k, e.getValue());
                k++;
            }
            m.endValue(i, map.size());
            entries.setValueCount(k);
            return;
        }
        if (v instanceof ListVector l) {
            List<?> list = (List<?>) value;
            int start = l.startNewValue(i);
            FieldVector child = l.getDataVector();
            for (int k = 0; k < list.size(); k++) {
                set(child, start + k, list.get(k));
            }
            child.setValueCount(start + list.size());
            l.endValue(i, list.size());
            return;
        }
        if (v instanceof StructVector s) {
            s.setIndexDefined(i);
            List<Object> fields = ((Struct) value).fields();
            for (int c = 0; c < fields.size(); c++) {
                FieldVector child = (FieldVector) s.getChildByOrdinal(c);
                set(child, i, fields.get(c));
                if (child.getValueCount() <= i) {
                    child.setValueCount(i + 1);
                }
            }
            return;
        }
        if (v instanceof BitVector b) {
            b.setSafe(i, (Boolean) value ? 1 : 0);
        } else if (v instanceof TinyIntVector t) {
            t.setSafe(i, (Byte) value);
        } else if (v instanceof SmallIntVector t) {
            t.setSafe(i, (Short) value);
        } else if (v instanceof IntVector t) {
            t.setSafe(i, (Integer) value);
        } else if (v instanceof BigIntVector t) {
            t.setSafe(i, (Long) value);
        } else if (v instanceof Float4Vector t) {
            t.setSafe(i, (Float) value);
        } else if (v instanceof Float8Vector t) {
            t.setSafe(i, (Double) value);
        } else if (v instanceof DecimalVector t) {
            t.setSafe(i, (BigDecimal) value);
        } else if (v instanceof VarCharVector t) {
            t.setSafe(i, ((String) value).getBytes(StandardCharsets.UTF_8));
        } else if (v instanceof VarBinaryVector t) {
            t.setSafe(i, (byte[]) value);
        } else if (v instanceof DateDayVector t) {
            t.setSafe(i, (int) ((LocalDate) value).toEpochDay());
        } else if (v instanceof TimeStampMicroTZVector t) {
            t.setSafe(i, micros((Instant) value));
        } else if (v instanceof TimeStampMicroVector t) {
            t.setSafe(i, micros(((LocalDateTime) value).toInstant(ZoneOffset.UTC)));
        } else {
            throw new IllegalArgumentException("unsupported vector " + v.getClass());
        }
    }

    static long micros(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
    }

    static List<List<Object>> rows(VectorSchemaRoot root) {
        List<List<Object>> rows = new ArrayList<>();
        for (int r = 0; r < root.getRowCount(); r++) {
            List<Object> row = new ArrayList<>();
            for (FieldVector v : root.getFieldVectors()) {
                row.add(get(v, r));
            }
            rows.add(row);
        }
        return rows;
    }

    static Object get(FieldVector v, int i) {
        if (v.isNull(i)) {
            return null;
        }
        if (v instanceof MapVector m) {
            Map<Object, Object> map = new LinkedHashMap<>();
            StructVector entries = (StructVector) m.getDataVector();
            int start = m.getOffsetBuffer().getInt((long) i * 4);
            int end = m.getOffsetBuffer().getInt((long) (i + 1) * 4);
            for (int k = start; k < end; k++) {
                map.put(get((FieldVector) entries.getChildByOrdinal(0), k), get((FieldVector) entries.getChildByOrdinal(1), k));
            }
            return map;
        }
        if (v instanceof ListVector l) {
            List<Object> list = new ArrayList<>();
            int start = l.getOffsetBuffer().getInt((long) i * 4);
            int end = l.getOffsetBuffer().getInt((long) (i + 1) * 4);
            for (int k = start; k < end; k++) {
                list.add(get(l.getDataVector(), k));
            }
            return list;
        }
        if (v instanceof StructVector s) {
            List<Object> fields = new ArrayList<>();
            for (int c = 0; c < s.size(); c++) {
                fields.add(get((FieldVector) s.getChildByOrdinal(c), i));
            }
            return new Struct(fields);
        }
        if (v instanceof VarBinaryVector b) {
            return HexFormat.of().formatHex(b.get(i));
        }
        if (v instanceof VarCharVector s) {
            return new String(s.get(i), StandardCharsets.UTF_8);
        }
        if (v instanceof DateDayVector d) {
            return LocalDate.ofEpochDay(d.get(i));
        }
        if (v instanceof TimeStampMicroTZVector t) {
            return Instant.EPOCH.plus(t.get(i), ChronoUnit.MICROS);
        }
        if (v instanceof TimeStampMicroVector t) {
            return LocalDateTime.ofInstant(Instant.EPOCH.plus(t.get(i), ChronoUnit.MICROS), ZoneOffset.UTC);
        }
        return v.getObject(i);
    }

    /** Binary inputs as the hex strings {@link #get} returns, so written and read rows compare with equals. */
    static Object normalize(Object o) {
        if (o instanceof byte[] b) {
            return HexFormat.of().formatHex(b);
        }
        if (o instanceof List<?> l) {
            List<Object> r = new ArrayList<>();
            for (Object x : l) {
                r.add(normalize(x));
            }
            return r;
        }
        if (o instanceof Map<?, ?> m) {
            Map<Object, Object> r = new LinkedHashMap<>();
            m.forEach((k, val) -> r.put(normalize(k), normalize(val)));
            return r;
        }
        if (o instanceof Struct s) {
            return new Struct((List<Object>) normalize(s.fields()));
        }
        return o;
    }
}
