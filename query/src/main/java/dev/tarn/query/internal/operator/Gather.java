package dev.tarn.query.internal.operator;

import dev.tarn.query.internal.expression.Values;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.NullVector;

/**
 * Typed row gathers: row {@code i} of the target is row {@code rows[i]} of {@code sources[batches[i]]}. Fixed-width
 * values are copied by index straight between the data buffers, variable-width values as one byte range each with
 * the offsets computed alongside; validity bits are copied only when a source has NULLs. Other vector kinds fall
 * back to Arrow's per-value copy. A negative row index gathers a NULL (outer join padding).
 */
public final class Gather {
    private Gather() {}

    /** Replaces the contents of {@code to} by rows {@code rows[0, count)} of {@code from}. */
    public static void rows(FieldVector from, int[] rows, int count, FieldVector to) {
        rows(new FieldVector[] {from}, null, rows, count, to);
    }

    /**
     * Replaces the contents of {@code to} by the rows {@code (batches[i], rows[i])}, {@code i < count}, of
     * {@code sources}; {@code batches} null means all rows come from {@code sources[0]}.
     */
    public static void rows(FieldVector[] sources, int[] batches, int[] rows, int count, FieldVector to) {
        rows(new Sources(sources), batches, rows, count, to);
    }

    /**
     * One column of a fixed list of batches gathered from again and again (a join's build side, a sort's buffered
     * input): whether each source has NULLs is counted once, not on every gather (counting walks the whole validity
     * buffer, and a gather touching a few rows of each of hundreds of batches spent most of its time there).
     * The vectors must not change while this is used.
     */
    public static final class Sources {
        private final FieldVector[] vectors;
        private final byte[] nulls; // 0 not counted yet, 1 none, 2 some
        private int anyNulls = -1;
        private ArrowBuf[] data;
        private ArrowBuf[] offsets;
        private ArrowBuf[] validity;

        public Sources(FieldVector[] vectors) {
            this.vectors = vectors.clone();
            this.nulls = new byte[vectors.length];
        }

        boolean hasNulls(int s) {
            if (nulls[s] == 0) {
                nulls[s] = (byte) (vectors[s].getNullCount() > 0 ? 2 : 1);
            }
            return nulls[s] == 2;
        }

        ArrowBuf[] data() {
            if (data == null) {
                data = new ArrowBuf[vectors.length];
                for (int s = 0; s < vectors.length; s++) {
                    data[s] = vectors[s].getDataBuffer();
                }
            }
            return data;
        }

        ArrowBuf[] offsets() {
            if (offsets == null) {
                offsets = new ArrowBuf[vectors.length];
                for (int s = 0; s < vectors.length; s++) {
                    offsets[s] = vectors[s].getOffsetBuffer();
                }
            }
            return offsets;
        }

        ArrowBuf[] validity() {
            if (validity == null) {
                validity = new ArrowBuf[vectors.length];
                for (int s = 0; s < vectors.length; s++) {
                    validity[s] = vectors[s].getValidityBuffer();
                }
            }
            return validity;
        }

        boolean anyNulls() {
            if (anyNulls < 0) {
                anyNulls = 0;
                for (int s = 0; s < vectors.length; s++) {
                    if (hasNulls(s)) {
                        anyNulls = 1;
                        break;
                    }
                }
            }
            return anyNulls == 1;
        }
    }

    /** {@link #rows(FieldVector[], int[], int[], int, FieldVector)} from sources whose NULL counts are cached. */
    public static void rows(Sources from, int[] batches, int[] rows, int count, FieldVector to) {
        FieldVector[] sources = from.vectors;
        to.reset();
        if (to instanceof NullVector) {
            to.setValueCount(count);
            return;
        }
        if (count > 0) {
            if (to instanceof BaseFixedWidthVector fixed && !(to instanceof BitVector)) {
                fixedWidth(from, batches, rows, count, fixed);
            } else if (to instanceof BaseVariableWidthVector variable) {
                variableWidth(from, batches, rows, count, variable);
            } else {
                for (int i = 0; i < count; i++) {
                    if (rows[i] < 0) {
                        to.setNull(i);
                    } else {
                        Values.copy(sources[batches == null ? 0 : batches[i]], rows[i], to, i);
                    }
                }
            }
        }
        to.setValueCount(count);
    }

    private static void fixedWidth(Sources from, int[] batches, int[] rows, int count, BaseFixedWidthVector to) {
        while (to.getValueCapacity() < count) {
            to.reAlloc();
        }
        int width = to.getTypeWidth();
        ArrowBuf target = to.getDataBuffer();
        ArrowBuf[] data = from.data();
        if (batches == null) {
            fixedWidthRuns(data[0], rows, count, width, target);
        } else if (width == 8) {
            for (int i = 0; i < count; i++) {
                int r = rows[i];
                if (r >= 0) {
                    target.setLong((long) i * 8, data[batches == null ? 0 : batches[i]].getLong((long) r * 8));
                }
            }
        } else if (width == 4) {
            for (int i = 0; i < count; i++) {
                int r = rows[i];
                if (r >= 0) {
                    target.setInt((long) i * 4, data[batches == null ? 0 : batches[i]].getInt((long) r * 4));
                }
            }
        } else if (width == 16) {
            for (int i = 0; i < count; i++) {
                if (rows[i] < 0) {
                    continue;
                }
                ArrowBuf src = data[batches == null ? 0 : batches[i]];
                long at = (long) rows[i] * 16;
                target.setLong((long) i * 16, src.getLong(at));
                target.setLong((long) i * 16 + 8, src.getLong(at + 8));
            }
        } else {
            for (int i = 0; i < count; i++) {
                if (rows[i] >= 0) {
                    target.setBytes((long) i * width, data[batches == null ? 0 : batches[i]], (long) rows[i] * width,
                            width);
                }
            }
        }
        validity(from, batches, rows, count, to.getValidityBuffer());
    }

    /**
     * One source (a filter's selection, mostly runs of consecutive rows when it keeps most of a batch): each run of
     * consecutive source rows is copied as one byte range.
     */
    private static void fixedWidthRuns(ArrowBuf source, int[] rows, int count, int width, ArrowBuf target) {
        int i = 0;
        while (i < count) {
            int r = rows[i];
            if (r < 0) {
                i++;
                continue;
            }
            int j = i + 1;
            while (j < count && rows[j] == r + (j - i)) {
                j++;
            }
            int length = j - i;
            if (length == 1 && width == 8) {
                target.setLong((long) i * 8, source.getLong((long) r * 8));
            } else if (length == 1 && width == 4) {
                target.setInt((long) i * 4, source.getInt((long) r * 4));
            } else {
                target.setBytes((long) i * width, source, (long) r * width, (long) length * width);
            }
            i = j;
        }
    }

    /** One source: each run of consecutive source rows copies its bytes at once and shifts its offsets. */
    private static void variableWidthRuns(ArrowBuf offsets, ArrowBuf data, int[] rows, int count,
            BaseVariableWidthVector to) {
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            if (rows[i] >= 0) {
                long at = (long) rows[i] * 4;
                bytes += offsets.getInt(at + 4) - offsets.getInt(at);
            }
        }
        while (to.getValueCapacity() < count) {
            to.reallocValidityAndOffsetBuffers();
        }
        if (to.getDataBuffer().capacity() < bytes) {
            to.reallocDataBuffer(bytes);
        }
        ArrowBuf targetOffsets = to.getOffsetBuffer();
        ArrowBuf targetData = to.getDataBuffer();
        int end = 0;
        targetOffsets.setInt(0, 0);
        int i = 0;
        while (i < count) {
            int r = rows[i];
            if (r < 0) {
                targetOffsets.setInt((long) (i + 1) * 4, end);
                i++;
                continue;
            }
            int j = i + 1;
            while (j < count && rows[j] == r + (j - i)) {
                j++;
            }
            int start = offsets.getInt((long) r * 4);
            int shift = end - start;
            for (int k = i; k < j; k++) {
                targetOffsets.setInt((long) (k + 1) * 4, offsets.getInt((long) (r + k - i + 1) * 4) + shift);
            }
            int length = offsets.getInt((long) (r + j - i) * 4) - start;
            if (length > 0) {
                targetData.setBytes(end, data, start, length);
            }
            end += length;
            i = j;
        }
    }

    private static void variableWidth(Sources from, int[] batches, int[] rows, int count,
            BaseVariableWidthVector to) {
        ArrowBuf[] offsets = from.offsets();
        ArrowBuf[] data = from.data();
        if (batches == null) {
            variableWidthRuns(offsets[0], data[0], rows, count, to);
            validity(from, null, rows, count, to.getValidityBuffer());
            to.setLastSet(count - 1);
            return;
        }
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            if (rows[i] >= 0) {
                ArrowBuf o = offsets[batches == null ? 0 : batches[i]];
                long at = (long) rows[i] * 4;
                bytes += o.getInt(at + 4) - o.getInt(at);
            }
        }
        while (to.getValueCapacity() < count) {
            to.reallocValidityAndOffsetBuffers();
        }
        if (to.getDataBuffer().capacity() < bytes) {
            to.reallocDataBuffer(bytes);
        }
        ArrowBuf targetOffsets = to.getOffsetBuffer();
        ArrowBuf targetData = to.getDataBuffer();
        int end = 0;
        targetOffsets.setInt(0, 0);
        for (int i = 0; i < count; i++) {
            if (rows[i] < 0) {
                targetOffsets.setInt((long) (i + 1) * 4, end);
                continue;
            }
            int s = batches == null ? 0 : batches[i];
            long at = (long) rows[i] * 4;
            int start = offsets[s].getInt(at);
            int length = offsets[s].getInt(at + 4) - start;
            if (length > 0) {
                targetData.setBytes(end, data[s], start, length);
            }
            end += length;
            targetOffsets.setInt((long) (i + 1) * 4, end);
        }
        validity(from, batches, rows, count, to.getValidityBuffer());
        to.setLastSet(count - 1);
    }

    /** Sets the target's validity bits (zeroed by reset) for rows {@code [0, count)}. */
    private static void validity(Sources from, int[] batches, int[] rows, int count, ArrowBuf target) {
        boolean anyNulls = from.anyNulls();
        for (int i = 0; i < count && !anyNulls; i++) {
            anyNulls = rows[i] < 0;
        }
        if (!anyNulls) {
            int fullBytes = count / 8;
            if (fullBytes > 0) {
                target.setOne(0, fullBytes);
            }
            for (int i = fullBytes * 8; i < count; i++) {
                BitVectorHelper.setBit(target, i);
            }
            return;
        }
        ArrowBuf[] valid = from.validity();
        for (int i = 0; i < count; i++) {
            if (rows[i] < 0) {
                continue;
            }
            int s = batches == null ? 0 : batches[i];
            if (!from.hasNulls(s) || BitVectorHelper.get(valid[s], rows[i]) != 0) {
                BitVectorHelper.setBit(target, i);
            }
        }
    }
}
