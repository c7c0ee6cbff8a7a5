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
        to.reset();
        if (to instanceof NullVector) {
            to.setValueCount(count);
            return;
        }
        if (count > 0) {
            if (to instanceof BaseFixedWidthVector fixed && !(to instanceof BitVector)) {
                fixedWidth(sources, batches, rows, count, fixed);
            } else if (to instanceof BaseVariableWidthVector variable) {
                variableWidth(sources, batches, rows, count, variable);
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

    private static void fixedWidth(FieldVector[] sources, int[] batches, int[] rows, int count,
            BaseFixedWidthVector to) {
        while (to.getValueCapacity() < count) {
            to.reAlloc();
        }
        int width = to.getTypeWidth();
        ArrowBuf target = to.getDataBuffer();
        ArrowBuf[] data = new ArrowBuf[sources.length];
        for (int s = 0; s < sources.length; s++) {
            data[s] = sources[s].getDataBuffer();
        }
        if (width == 8) {
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
        validity(sources, batches, rows, count, to.getValidityBuffer());
    }

    private static void variableWidth(FieldVector[] sources, int[] batches, int[] rows, int count,
            BaseVariableWidthVector to) {
        ArrowBuf[] offsets = new ArrowBuf[sources.length];
        ArrowBuf[] data = new ArrowBuf[sources.length];
        for (int s = 0; s < sources.length; s++) {
            offsets[s] = sources[s].getOffsetBuffer();
            data[s] = sources[s].getDataBuffer();
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
        validity(sources, batches, rows, count, to.getValidityBuffer());
        to.setLastSet(count - 1);
    }

    /** Sets the target's validity bits (zeroed by reset) for rows {@code [0, count)}. */
    private static void validity(FieldVector[] sources, int[] batches, int[] rows, int count, ArrowBuf target) {
        boolean anyNulls = false;
        for (FieldVector source : sources) {
            anyNulls |= source.getNullCount() > 0;
        }
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
        ArrowBuf[] valid = new ArrowBuf[sources.length];
        for (int s = 0; s < sources.length; s++) {
            valid[s] = sources[s].getValidityBuffer();
        }
        for (int i = 0; i < count; i++) {
            if (rows[i] >= 0 && BitVectorHelper.get(valid[batches == null ? 0 : batches[i]], rows[i]) != 0) {
                BitVectorHelper.setBit(target, i);
            }
        }
    }
}
