package dev.tarn.storage.parquet.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.io.api.Binary;

/**
 * Shreds one Arrow column into Parquet repetition/definition levels and values (Dremel encoding). A node is
 * written for one value position at a time; {@code parentDef} is the definition level reached when every ancestor
 * is present.
 */
public abstract class FieldWriter {
    final boolean nullable;

    FieldWriter(boolean nullable) {
        this.nullable = nullable;
    }

    /** Builds writers for every top-level field; {@code leaves} supplies the Parquet columns in depth-first order. */
    public static List<FieldWriter> create(List<Field> fields, Iterator<ColumnDescriptor> leaves) {
        List<FieldWriter> result = new ArrayList<>();
        for (Field f : fields) {
            result.add(create(f, leaves, f.isNullable()));
        }
        return result;
    }

    private static FieldWriter create(Field f, Iterator<ColumnDescriptor> leaves, boolean nullable) {
        ArrowType t = f.getType();
        switch (t.getTypeID()) {
            case Struct: {
                List<FieldWriter> children = new ArrayList<>();
                for (Field c : f.getChildren()) {
                    children.add(create(c, leaves, c.isNullable()));
                }
                return new StructWriter(nullable, children);
            }
            case List: {
                Field el = f.getChildren().get(0);
                return new ListWriter(nullable, List.of(create(el, leaves, el.isNullable())));
            }
            case Map: {
                Field entries = f.getChildren().get(0);
                Field key = entries.getChildren().get(0);
                Field value = entries.getChildren().get(1);
                return new MapWriter(nullable, create(key, leaves, false), create(value, leaves, value.isNullable()));
            }
            case Null:
                return new NullWriter(leaves.next());
            default:
                return new LeafWriter(nullable, leaves.next(), t);
        }
    }

    /** Resolves this node's Parquet column writers from a (new) column store. */
    public abstract void bind(ColumnWriteStore store);

    /** Writes the value at {@code index} of {@code vector}. */
    public abstract void write(FieldVector vector, int index, int rep, int parentDef);

    /** Writes a null reached above this node for every leaf below it. */
    abstract void writeNull(int rep, int def);

    static final class StructWriter extends FieldWriter {
        private final List<FieldWriter> children;

        StructWriter(boolean nullable, List<FieldWriter> children) {
            super(nullable);
            this.children = children;
        }

        @Override
        public void bind(ColumnWriteStore store) {
            children.forEach(c -> c.bind(store));
        }

        @Override
        public void write(FieldVector vector, int index, int rep, int parentDef) {
            if (vector.isNull(index)) {
                writeNull(rep, parentDef);
                return;
            }
            int def = parentDef + (nullable ? 1 : 0);
            StructVector sv = (StructVector) vector;
            for (int i = 0; i < children.size(); i++) {
                children.get(i).write((FieldVector) sv.getChildByOrdinal(i), index, rep, def);
            }
        }

        @Override
        void writeNull(int rep, int def) {
            for (FieldWriter c : children) {
                c.writeNull(rep, def);
            }
        }
    }

    /** Lists and maps: the repeated group adds one definition and one repetition level. */
    static class ListWriter extends FieldWriter {
        private final List<FieldWriter> children;
        private int repLevel;

        ListWriter(boolean nullable, List<FieldWriter> children) {
            super(nullable);
            this.children = children;
        }

        @Override
        public void bind(ColumnWriteStore store) {
            children.forEach(c -> c.bind(store));
        }

        void setRepLevel(int repLevel) {
            this.repLevel = repLevel;
        }

        FieldVector elementVector(FieldVector vector, int child) {
            return ((ListVector) vector).getDataVector();
        }

        @Override
        public void write(FieldVector vector, int index, int rep, int parentDef) {
            if (vector.isNull(index)) {
                writeNull(rep, parentDef);
                return;
            }
            int def = parentDef + (nullable ? 1 : 0);
            ArrowBuf offsets = vector.getOffsetBuffer();
            int start = offsets.getInt((long) index * 4);
            int end = offsets.getInt((long) (index + 1) * 4);
            if (start == end) {
                writeNull(rep, def);
                return;
            }
            for (int k = start; k < end; k++) {
                int r = k == start ? rep : repLevel;
                for (int c = 0; c < children.size(); c++) {
                    children.get(c).write(elementVector(vector, c), k, r, def + 1);
                }
            }
        }

        @Override
        void writeNull(int rep, int def) {
            for (FieldWriter c : children) {
                c.writeNull(rep, def);
            }
        }

        List<FieldWriter> children() {
            return children;
        }
    }

    static final class MapWriter extends ListWriter {
        MapWriter(boolean nullable, FieldWriter key, FieldWriter value) {
            super(nullable, List.of(key, value));
        }

        @Override
        FieldVector elementVector(FieldVector vector, int child) {
            StructVector entries = (StructVector) ((ListVector) vector).getDataVector();
            return (FieldVector) entries.getChildByOrdinal(child);
        }
    }

    /** Computes repetition levels of list nodes (a list's level is one more than its enclosing list's). */
    public static void assignRepLevels(List<FieldWriter> writers) {
        for (FieldWriter w : writers) {
            assignRepLevels(w, 0);
        }
    }

    private static void assignRepLevels(FieldWriter w, int enclosing) {
        if (w instanceof ListWriter lw) {
            lw.setRepLevel(enclosing + 1);
            for (FieldWriter c : lw.children()) {
                assignRepLevels(c, enclosing + 1);
            }
        } else if (w instanceof StructWriter sw) {
            for (FieldWriter c : sw.children) {
                assignRepLevels(c, enclosing);
            }
        }
    }

    static final class NullWriter extends FieldWriter {
        private final ColumnDescriptor column;
        private ColumnWriter writer;

        NullWriter(ColumnDescriptor column) {
            super(true);
            this.column = column;
        }

        @Override
        public void bind(ColumnWriteStore store) {
            writer = store.getColumnWriter(column);
        }

        @Override
        public void write(FieldVector vector, int index, int rep, int parentDef) {
            writer.writeNull(rep, parentDef);
        }

        @Override
        void writeNull(int rep, int def) {
            writer.writeNull(rep, def);
        }
    }

    /** How a leaf's Arrow values become Parquet values; chosen once from the Arrow type, not per value. */
    private enum Kind { BOOLEAN, INT8, INT16, INT32, INT64, FLOAT, DOUBLE, BYTES, DATE, TIMESTAMP, DECIMAL_INT, DECIMAL_LONG, DECIMAL_FIXED }

    static final class LeafWriter extends FieldWriter {
        private final ColumnDescriptor column;
        private final Kind kind;
        private final int decimalBytes;
        private ColumnWriter writer;

        LeafWriter(boolean nullable, ColumnDescriptor column, ArrowType type) {
            super(nullable);
            this.column = column;
            this.kind = kind(type);
            this.decimalBytes = column.getPrimitiveType().getTypeLength();
        }

        private static Kind kind(ArrowType type) {
            switch (type.getTypeID()) {
                case Bool:
                    return Kind.BOOLEAN;
                case Int:
                    return switch (((ArrowType.Int) type).getBitWidth()) {
                        case 8 -> Kind.INT8;
                        case 16 -> Kind.INT16;
                        case 32 -> Kind.INT32;
                        default -> Kind.INT64;
                    };
                case FloatingPoint:
                    return ((ArrowType.FloatingPoint) type).getPrecision() == FloatingPointPrecision.SINGLE
                            ? Kind.FLOAT : Kind.DOUBLE;
                case Utf8:
                case Binary:
                    return Kind.BYTES;
                case Date:
                    return Kind.DATE;
                case Timestamp:
                    return Kind.TIMESTAMP;
                case Decimal: {
                    int precision = ((ArrowType.Decimal) type).getPrecision();
                    return precision <= 9 ? Kind.DECIMAL_INT : precision <= 18 ? Kind.DECIMAL_LONG : Kind.DECIMAL_FIXED;
                }
                default:
                    throw new IllegalArgumentException("No Parquet writer for Arrow type " + type);
            }
        }

        @Override
        public void bind(ColumnWriteStore store) {
            writer = store.getColumnWriter(column);
        }

        @Override
        void writeNull(int rep, int def) {
            writer.writeNull(rep, def);
        }

        @Override
        public void write(FieldVector vector, int index, int rep, int parentDef) {
            if (vector.isNull(index)) {
                writer.writeNull(rep, parentDef);
                return;
            }
            int def = parentDef + (nullable ? 1 : 0);
            switch (kind) {
                case INT32 -> writer.write(((IntVector) vector).get(index), rep, def);
                case INT64 -> writer.write(((BigIntVector) vector).get(index), rep, def);
                case BYTES -> {
                    BaseVariableWidthVector v = (BaseVariableWidthVector) vector;
                    ArrowBuf offsets = v.getOffsetBuffer();
                    int start = offsets.getInt((long) index * 4);
                    int end = offsets.getInt((long) (index + 1) * 4);
                    // A view of Arrow memory: parquet copies it only when it keeps the value (dictionary, min/max).
                    ByteBuffer data = v.getDataBuffer().nioBuffer(start, end - start);
                    writer.write(Binary.fromReusedByteBuffer(data), rep, def);
                }
                case DOUBLE -> writer.write(((Float8Vector) vector).get(index), rep, def);
                case FLOAT -> writer.write(((Float4Vector) vector).get(index), rep, def);
                case BOOLEAN -> writer.write(((BitVector) vector).get(index) != 0, rep, def);
                case DATE -> writer.write(((DateDayVector) vector).get(index), rep, def);
                case TIMESTAMP -> writer.write(((TimeStampVector) vector).get(index), rep, def);
                case INT16 -> writer.write((int) ((SmallIntVector) vector).get(index), rep, def);
                case INT8 -> writer.write((int) ((TinyIntVector) vector).get(index), rep, def);
                case DECIMAL_INT, DECIMAL_LONG, DECIMAL_FIXED -> writeDecimal((DecimalVector) vector, index, rep, def);
                default -> throw new IllegalStateException("unreachable: " + kind);
            }
        }

        private void writeDecimal(DecimalVector v, int index, int rep, int def) {
            ArrowBuf buf = ((BaseFixedWidthVector) v).getDataBuffer();
            long offset = (long) index * DecimalVector.TYPE_WIDTH;
            if (kind == Kind.DECIMAL_INT) {
                writer.write((int) buf.getLong(offset), rep, def);
            } else if (kind == Kind.DECIMAL_LONG) {
                writer.write(buf.getLong(offset), rep, def);
            } else {
                // Arrow keeps 16 little-endian bytes; Parquet wants the low bytes big-endian.
                byte[] out = new byte[decimalBytes];
                for (int i = 0; i < decimalBytes; i++) {
                    out[decimalBytes - 1 - i] = buf.getByte(offset + i);
                }
                writer.write(Binary.fromConstantByteArray(out), rep, def);
            }
        }
    }
}
