package dev.tarn.query.internal.scan;

import static java.util.Objects.requireNonNull;

import dev.tarn.storage.parquet.StagedColumn;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;

/**
 * An Arrow vector the Parquet reader returned without applying the scan's row filter, staged as the filter's
 * kernels read it: the cold path for files and columns the page decoder cannot stage (other encodings, widened
 * types, nested columns in the batch, a filter column the file lacks), so the scan applies its pushed filter on
 * every path and the planner may drop the conjuncts it applies ({@link ScanRowFilter#appliesExactly}). Integers and
 * dates become 4- or 8-byte little-endian values, a DECIMAL of at most 18 digits its unscaled long, strings their
 * lengths and bytes; a vector of another type carries only its NULL flags (all an IS [NOT] NULL kernel reads).
 */
final class VectorStagedColumn implements StagedColumn {
    private final Layout layout;
    private final int rows;
    private final int width;
    private final byte[] defined;
    private final byte[] values;
    private final int[] lengths;
    private final byte[] data;

    private VectorStagedColumn(Layout layout, int rows, int width, byte[] defined, byte[] values, int[] lengths,
                               byte[] data) {
        this.layout = layout;
        this.rows = rows;
        this.width = width;
        this.defined = defined;
        this.values = values;
        this.lengths = lengths;
        this.data = data;
    }

    /** The first {@code rows} values of {@code vector}, copied into heap arrays. */
    static VectorStagedColumn of(FieldVector vector, int rows) {
        requireNonNull(vector, "vector is null");
        byte[] defined = definedFlags(vector, rows);
        if (vector instanceof IntVector || vector instanceof DateDayVector) {
            return fixed(rows, 4, defined, copy(vector.getDataBuffer(), rows * 4L));
        }
        if (vector instanceof BigIntVector) {
            return fixed(rows, 8, defined, copy(vector.getDataBuffer(), rows * 8L));
        }
        if (vector instanceof SmallIntVector s) {
            byte[] out = new byte[rows * 4];
            ArrowBuf b = s.getDataBuffer();
            for (int i = 0; i < rows; i++) {
                putInt(out, i, b.getShort(i * 2L));
            }
            return fixed(rows, 4, defined, out);
        }
        if (vector instanceof TinyIntVector t) {
            byte[] out = new byte[rows * 4];
            ArrowBuf b = t.getDataBuffer();
            for (int i = 0; i < rows; i++) {
                putInt(out, i, b.getByte(i));
            }
            return fixed(rows, 4, defined, out);
        }
        if (vector instanceof DecimalVector d && d.getPrecision() <= 18) {
            // A 16-byte little-endian two's complement value that fits a long: its low eight bytes are that long.
            byte[] out = new byte[rows * 8];
            ArrowBuf b = d.getDataBuffer();
            for (int i = 0; i < rows; i++) {
                long v = b.getLong(i * 16L);
                for (int k = 0; k < 8; k++) {
                    out[i * 8 + k] = (byte) (v >>> (8 * k));
                }
            }
            return fixed(rows, 8, defined, out);
        }
        if (vector instanceof BaseVariableWidthVector v) {
            int[] lengths = new int[rows];
            ArrowBuf offsets = v.getOffsetBuffer();
            int first = rows == 0 ? 0 : offsets.getInt(0);
            int end = rows == 0 ? 0 : offsets.getInt(rows * 4L);
            int previous = first;
            for (int i = 0; i < rows; i++) {
                int next = offsets.getInt((i + 1) * 4L);
                lengths[i] = next - previous;
                previous = next;
            }
            byte[] bytes = new byte[end - first];
            v.getDataBuffer().getBytes(first, bytes, 0, bytes.length);
            return new VectorStagedColumn(Layout.BINARY, rows, 0, defined, null, lengths, bytes);
        }
        return new VectorStagedColumn(Layout.BOOLEAN, rows, 0, defined, new byte[0], null, null);
    }

    private static VectorStagedColumn fixed(int rows, int width, byte[] defined, byte[] values) {
        return new VectorStagedColumn(Layout.FIXED, rows, width, defined, values, null, null);
    }

    private static byte[] copy(ArrowBuf buffer, long bytes) {
        byte[] out = new byte[Math.toIntExact(bytes)];
        buffer.getBytes(0, out, 0, out.length);
        return out;
    }

    private static void putInt(byte[] out, int row, int v) {
        int p = row * 4;
        out[p] = (byte) v;
        out[p + 1] = (byte) (v >>> 8);
        out[p + 2] = (byte) (v >>> 16);
        out[p + 3] = (byte) (v >>> 24);
    }

    /** 1 per defined row, 0 per NULL; null when no row is NULL. */
    private static byte[] definedFlags(FieldVector vector, int rows) {
        if (vector.getNullCount() == 0) {
            return null;
        }
        byte[] flags = new byte[rows];
        ArrowBuf validity = vector.getValidityBuffer();
        for (int i = 0; i < rows; i++) {
            flags[i] = (byte) ((validity.getByte(i >>> 3) >>> (i & 7)) & 1);
        }
        return flags;
    }

    @Override
    public Layout layout() {
        return layout;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public byte[] definedFlags() {
        return defined;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public byte[] values() {
        return values;
    }

    @Override
    public int[] lengths() {
        return lengths;
    }

    @Override
    public byte[] data() {
        return data;
    }
}
