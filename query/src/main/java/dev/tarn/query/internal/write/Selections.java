package dev.tarn.query.internal.write;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/** Copies selected rows of vectors into new vectors (any type, nested included). */
public final class Selections {
    private Selections() {}

    /** New vectors (owned by the caller) holding rows {@code selection} of {@code source}, in that order. */
    public static List<FieldVector> copy(List<FieldVector> source, int[] selection, BufferAllocator allocator) {
        List<FieldVector> out = new ArrayList<>(source.size());
        try {
            for (FieldVector from : source) {
                FieldVector to = from.getField().createVector(allocator);
                out.add(to);
                to.setInitialCapacity(Math.max(selection.length, 1));
                to.allocateNew();
                for (int i = 0; i < selection.length; i++) {
                    to.copyFromSafe(selection[i], i, from);
                }
                to.setValueCount(selection.length);
            }
            return out;
        } catch (RuntimeException e) {
            out.forEach(FieldVector::close);
            throw e;
        }
    }
}
