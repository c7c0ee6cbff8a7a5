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
 * is evaluated over the whole batch and the result picks per row. Note: a branch that fails on rows it does not
 * select (e.g. a division by zero guarded by the condition) still fails; evaluating branches over selected rows
 * only is future work.
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
        List<Expr> all = new ArrayList<>(conditions);
        all.addAll(values);
        all.add(otherwise);
        int k = conditions.size();
        return Kernels.run(all, type, batch, context, (in, out, n) -> {
            Values.Reader[] readers = new Values.Reader[k + 1];
            for (int j = 0; j <= k; j++) {
                readers[j] = Values.reader(in[k + j]);
            }
            Values.Writer w = Values.writer(out);
            for (int i = 0; i < n; i++) {
                int pick = k;
                for (int j = 0; j < k; j++) {
                    BitVector c = (BitVector) in[j];
                    if (!c.isNull(i) && c.get(i) != 0) {
                        pick = j;
                        break;
                    }
                }
                w.set(i, readers[pick].get(i));
            }
        });
    }

}
