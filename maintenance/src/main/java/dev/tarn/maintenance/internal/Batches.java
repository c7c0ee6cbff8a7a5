package dev.tarn.maintenance.internal;

import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/** Small helpers over Arrow batches. */
public final class Batches {
    private Batches() {}

    /** A new batch (owned by the caller) holding rows {@code selection[0..count)} of {@code source}, in that order. */
    public static VectorSchemaRoot select(Schema schema, List<FieldVector> source, int[] selection, int count,
                                          BufferAllocator allocator) {
        VectorSchemaRoot out = VectorSchemaRoot.create(schema, allocator);
        try {
            for (int c = 0; c < source.size(); c++) {
                FieldVector from = source.get(c);
                FieldVector to = out.getVector(c);
                to.setInitialCapacity(count);
                to.allocateNew();
                for (int i = 0; i < count; i++) {
                    to.copyFromSafe(selection[i], i, from);
                }
                to.setValueCount(count);
            }
            out.setRowCount(count);
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /** The Arrow buffer bytes of a batch, to estimate how much data has passed. */
    public static long bytes(VectorSchemaRoot batch) {
        long total = 0;
        for (FieldVector v : batch.getFieldVectors()) {
            total += v.getBufferSize();
        }
        return total;
    }
}
