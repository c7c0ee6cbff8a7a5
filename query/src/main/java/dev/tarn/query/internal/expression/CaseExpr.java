package dev.tarn.query.internal.expression;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.BaseFixedWidthVector;
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
        FieldVector out = Values.newVector("case", type, context.allocator(), n);
        try {
            if (out instanceof BaseFixedWidthVector) {
                fillFixedWidth(out, pick, batch, context);
            } else {
                fillInRowOrder(out, pick, batch, context);
            }
            out.setValueCount(n);
            return Column.owned(out);
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /** Fixed-width results are copied straight from each branch's vector into the rows that chose it. */
    private void fillFixedWidth(FieldVector out, int[] pick, VectorSchemaRoot batch, EvalContext context) {
        int n = batch.getRowCount();
        int[] rows = new int[n];
        for (int j = 0; j <= conditions.size(); j++) {
            int count = select(pick, j, rows);
            if (count == 0) {
                continue;
            }
            try (Branch branch = branch(j, batch, rows, count, context)) {
                FieldVector from = branch.column.vector();
                if (from.getField().getType().equals(out.getField().getType())) {
                    for (int r = 0; r < count; r++) {
                        Values.copy(from, branch.source(rows, r), out, rows[r]);
                    }
                } else {
                    Values.Reader reader = Values.reader(from);
                    Values.Writer writer = Values.writer(out);
                    for (int r = 0; r < count; r++) {
                        writer.set(rows[r], reader.get(branch.source(rows, r)));
                    }
                }
            }
        }
    }

    /** Variable-width vectors must be written in row order: branch results are collected first. */
    private void fillInRowOrder(FieldVector out, int[] pick, VectorSchemaRoot batch, EvalContext context) {
        int n = batch.getRowCount();
        Object[] results = new Object[n];
        int[] rows = new int[n];
        for (int j = 0; j <= conditions.size(); j++) {
            int count = select(pick, j, rows);
            if (count == 0) {
                continue;
            }
            try (Branch branch = branch(j, batch, rows, count, context)) {
                Values.Reader r = Values.reader(branch.column.vector());
                for (int i = 0; i < count; i++) {
                    results[rows[i]] = r.get(branch.source(rows, i));
                }
            }
        }
        Values.Writer w = Values.writer(out);
        for (int i = 0; i < n; i++) {
            w.set(i, results[i]);
        }
    }

    private static int select(int[] pick, int branch, int[] rows) {
        int count = 0;
        for (int i = 0; i < pick.length; i++) {
            if (pick[i] == branch) {
                rows[count++] = i;
            }
        }
        return count;
    }

    /**
     * Branch {@code j}'s values for the rows that select it. A branch sees only those rows, so it cannot fail on
     * rows its condition excludes; a constant is evaluated once and a column is read in place, as neither can fail.
     */
    private Branch branch(int j, VectorSchemaRoot batch, int[] rows, int count, EvalContext context) {
        Expr value = j < conditions.size() ? values.get(j) : otherwise;
        if (value instanceof Constant) {
            VectorSchemaRoot one = new VectorSchemaRoot(List.of(), List.of(), 1);
            return new Branch(value.evaluate(one, context), Branch.Kind.SINGLE, null);
        }
        if (count == batch.getRowCount() || value instanceof ColumnRef) {
            return new Branch(value.evaluate(batch, context), Branch.Kind.IN_PLACE, null);
        }
        VectorSchemaRoot part = gather(batch, rows, count, context);
        try {
            return new Branch(value.evaluate(part, context), Branch.Kind.GATHERED, part);
        } catch (RuntimeException e) {
            part.close();
            throw e;
        }
    }

    /** A branch's result vector and how its positions map to the selected rows. */
    private record Branch(Column column, Kind kind, VectorSchemaRoot part) implements AutoCloseable {
        enum Kind { SINGLE, IN_PLACE, GATHERED }

        /** The position in the branch vector of the {@code r}-th selected row. */
        int source(int[] rows, int r) {
            return switch (kind) {
                case SINGLE -> 0;
                case IN_PLACE -> rows[r];
                case GATHERED -> r;
            };
        }

        @Override
        public void close() {
            try {
                column.close();
            } finally {
                if (part != null) {
                    part.close();
                }
            }
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
