package dev.tarn.query.internal.expression;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * {@code CASE WHEN c1 THEN v1 ... ELSE e END} (COALESCE and NULLIF arrive from Calcite in this form). Every branch
 * value is evaluated only over the rows that select it (gathered into a smaller batch when the selection is
 * partial), so {@code CASE WHEN x <> 0 THEN 1 / x END} does not fail on the rows where x is 0.
 */
public final class CaseExpr implements Expr {
    private final DataType type;
    private final List<Expr> conditions;
    private final List<Expr> values;
    private final Expr otherwise;

    public CaseExpr(DataType type, List<Expr> conditions, List<Expr> values, Expr otherwise) {
        this.type = requireNonNull(type, "type is null");
        this.conditions = List.copyOf(conditions);
        this.values = List.copyOf(values);
        this.otherwise = requireNonNull(otherwise, "otherwise is null");
        if (conditions.size() != values.size()) {
            throw new IllegalArgumentException("conditions and values differ in length");
        }
    }

    @Override
    public DataType type() {
        return type;
    }

    @Override
    public String describe() {
        StringBuilder b = new StringBuilder("CASE");
        for (int i = 0; i < conditions.size(); i++) {
            b.append(" WHEN ").append(conditions.get(i).describe()).append(" THEN ").append(values.get(i).describe());
        }
        return b.append(" ELSE ").append(otherwise.describe()).append(" END").toString();
    }

    @Override
    public Column evaluate(VectorSchemaRoot batch, EvalContext context) {
        int n = batch.getRowCount();
        int k = conditions.size();
        int[] pick = new int[n];
        java.util.Arrays.fill(pick, k);
        for (int j = k - 1; j >= 0; j--) {
            try (Column c = conditions.get(j).evaluate(batch, context)) {
                BitVector bits = (BitVector) c.vector();
                for (int i = 0; i < n; i++) {
                    if (!bits.isNull(i) && bits.get(i) != 0) {
                        pick[i] = j;
                    }
                }
            }
        }
        // Branch results are collected first: variable-width vectors must be written in row order.
        Object[] results = new Object[n];
        FieldVector out = Values.newVector("case", type, context.allocator(), n);
        try {
            int[] rows = new int[n];
            for (int j = 0; j <= k; j++) {
                int count = 0;
                for (int i = 0; i < n; i++) {
                    if (pick[i] == j) {
                        rows[count++] = i;
                    }
                }
                if (count == 0) {
                    continue;
                }
                Expr value = j < k ? values.get(j) : otherwise;
                // A branch sees only the rows that select it, so it cannot fail on rows its condition excludes.
                if (count == n) {
                    try (Column v = value.evaluate(batch, context)) {
                        Values.Reader r = Values.reader(v.vector());
                        for (int i = 0; i < n; i++) {
                            results[i] = r.get(i);
                        }
                    }
                } else {
                    try (VectorSchemaRoot part = gather(batch, rows, count, context);
                         Column v = value.evaluate(part, context)) {
                        Values.Reader r = Values.reader(v.vector());
                        for (int i = 0; i < count; i++) {
                            results[rows[i]] = r.get(i);
                        }
                    }
                }
            }
            Values.Writer w = Values.writer(out);
            for (int i = 0; i < n; i++) {
                w.set(i, results[i]);
            }
            out.setValueCount(n);
            return Column.owned(out);
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /** The listed rows of every column of a batch, copied into a new batch. */
    static VectorSchemaRoot gather(VectorSchemaRoot batch, int[] rows, int count, EvalContext context) {
        List<FieldVector> vectors = new ArrayList<>();
        try {
            for (FieldVector from : batch.getFieldVectors()) {
                FieldVector to = from.getField().createVector(context.allocator());
                vectors.add(to);
                to.setInitialCapacity(count);
                to.allocateNew();
                for (int i = 0; i < count; i++) {
                    Values.copy(from, rows[i], to, i);
                }
                to.setValueCount(count);
            }
            VectorSchemaRoot part = new VectorSchemaRoot(vectors);
            part.setRowCount(count);
            return part;
        } catch (RuntimeException e) {
            vectors.forEach(FieldVector::close);
            throw e;
        }
    }
}
