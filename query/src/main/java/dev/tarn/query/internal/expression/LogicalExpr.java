package dev.tarn.query.internal.expression;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.PrimitiveType;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Boolean connectives with SQL's three-valued logic (AND: FALSE wins over NULL; OR: TRUE wins over NULL) and the
 * null tests, which never return NULL.
 */
public final class LogicalExpr implements Expr {
    public enum Op { AND, OR, NOT, IS_NULL, IS_NOT_NULL, IS_TRUE, IS_NOT_TRUE, IS_FALSE, IS_NOT_FALSE }

    private final Op op;
    private final List<Expr> args;

    public LogicalExpr(Op op, List<Expr> args) {
        this.op = requireNonNull(op, "op is null");
        this.args = List.copyOf(args);
        if (args.isEmpty() || (op != Op.AND && op != Op.OR && args.size() != 1)) {
            throw new IllegalArgumentException("wrong argument count for " + op);
        }
    }

    @Override
    public DataType type() {
        return PrimitiveType.BOOLEAN;
    }

    @Override
    public String describe() {
        return op + args.stream().map(Expr::describe).collect(Collectors.joining(", ", "(", ")"));
    }

    @Override
    public Column evaluate(VectorSchemaRoot batch, EvalContext context) {
        return Kernels.run(args, PrimitiveType.BOOLEAN, batch, context, this::loop);
    }

    private void loop(FieldVector[] in, FieldVector result, int n) {
        BitVector out = (BitVector) result;
        switch (op) {
            case AND, OR -> {
                boolean isAnd = op == Op.AND;
                BitVector[] bits = new BitVector[in.length];
                for (int a = 0; a < in.length; a++) {
                    bits[a] = (BitVector) in[a];
                }
                for (int i = 0; i < n; i++) {
                    boolean sawNull = false;
                    boolean decided = false;
                    for (BitVector b : bits) {
                        if (b.isNull(i)) {
                            sawNull = true;
                        } else if ((b.get(i) != 0) != isAnd) {
                            decided = true;
                            break;
                        }
                    }
                    if (decided) {
                        out.setSafe(i, isAnd ? 0 : 1);
                    } else if (sawNull) {
                        out.setNull(i);
                    } else {
                        out.setSafe(i, isAnd ? 1 : 0);
                    }
                }
            }
            case NOT -> {
                BitVector b = (BitVector) in[0];
                for (int i = 0; i < n; i++) {
                    if (b.isNull(i)) {
                        out.setNull(i);
                    } else {
                        out.setSafe(i, b.get(i) == 0 ? 1 : 0);
                    }
                }
            }
            case IS_NULL, IS_NOT_NULL -> {
                FieldVector v = in[0];
                int whenNull = op == Op.IS_NULL ? 1 : 0;
                for (int i = 0; i < n; i++) {
                    out.setSafe(i, v.isNull(i) ? whenNull : 1 - whenNull);
                }
            }
            default -> {
                BitVector b = (BitVector) in[0];
                for (int i = 0; i < n; i++) {
                    Boolean value = b.isNull(i) ? null : b.get(i) != 0;
                    boolean r = switch (op) {
                        case IS_TRUE -> Boolean.TRUE.equals(value);
                        case IS_NOT_TRUE -> !Boolean.TRUE.equals(value);
                        case IS_FALSE -> Boolean.FALSE.equals(value);
                        default -> !Boolean.FALSE.equals(value);
                    };
                    out.setSafe(i, r ? 1 : 0);
                }
            }
        }
    }
}
