package dev.tarn.query.internal.expression;

import dev.tarn.txlog.types.DataType;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Shared loops: evaluate arguments, allocate the result, run a per-vector loop, release on failure. */
final class Kernels {
    private Kernels() {}

    /** A value function over canonical values; called only when no argument is null (strict functions). */
    @FunctionalInterface
    interface ValueFunction {
        Object apply(Object[] args);
    }

    /** A loop body filling {@code out} from the argument vectors for rows {@code [0, n)}. */
    @FunctionalInterface
    interface Loop {
        void run(FieldVector[] args, FieldVector out, int n);
    }

    static Column run(List<Expr> args, DataType type, VectorSchemaRoot batch, EvalContext context, Loop loop) {
        int n = batch.getRowCount();
        Column[] cols = new Column[args.size()];
        FieldVector out = null;
        try {
            FieldVector[] vectors = new FieldVector[args.size()];
            for (int a = 0; a < cols.length; a++) {
                cols[a] = args.get(a).evaluate(batch, context);
                vectors[a] = cols[a].vector();
            }
            out = Values.newVector("expr", type, context.allocator(), n);
            loop.run(vectors, out, n);
            out.setValueCount(n);
            Column result = Column.owned(out);
            out = null;
            return result;
        } finally {
            if (out != null) {
                out.close();
            }
            for (Column c : cols) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    /** A strict n-ary function: NULL if any argument is NULL, else {@code f(args)}. */
    static Column strict(List<Expr> args, DataType type, VectorSchemaRoot batch, EvalContext context,
                         ValueFunction f) {
        return run(args, type, batch, context, (vectors, out, n) -> {
            Values.Reader[] readers = new Values.Reader[vectors.length];
            for (int a = 0; a < vectors.length; a++) {
                readers[a] = Values.reader(vectors[a]);
            }
            Values.Writer w = Values.writer(out);
            Object[] row = new Object[vectors.length];
            for (int i = 0; i < n; i++) {
                boolean anyNull = false;
                for (int a = 0; a < row.length; a++) {
                    row[a] = readers[a].get(i);
                    anyNull |= row[a] == null;
                }
                w.set(i, anyNull ? null : f.apply(row));
            }
        });
    }
}
