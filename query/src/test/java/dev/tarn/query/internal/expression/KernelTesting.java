package dev.tarn.query.internal.expression;

import dev.tarn.txlog.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Batches of canonical values in, canonical values out: what the kernel tests of this package share. */
final class KernelTesting {
    private KernelTesting() {}

    /** One column per list, all of {@code values.get(0).size()} rows. */
    static VectorSchemaRoot batch(BufferAllocator allocator, List<DataType> types, List<List<Object>> values) {
        List<FieldVector> vectors = new ArrayList<>();
        for (int c = 0; c < types.size(); c++) {
            List<Object> column = values.get(c);
            FieldVector v = Values.newVector("c" + c, types.get(c), allocator, column.size());
            Values.Writer w = Values.writer(v);
            for (int i = 0; i < column.size(); i++) {
                w.set(i, column.get(i));
            }
            v.setValueCount(column.size());
            vectors.add(v);
        }
        return new VectorSchemaRoot(vectors);
    }

    /** The values {@code e} gives for every row of {@code batch}. */
    static List<Object> evaluate(Expr e, VectorSchemaRoot batch, EvalContext context) {
        try (Column c = e.evaluate(batch, context)) {
            Values.Reader r = Values.reader(c.vector());
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < batch.getRowCount(); i++) {
                out.add(r.get(i));
            }
            return out;
        }
    }
}
