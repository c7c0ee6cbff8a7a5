package dev.tarn.query.internal.expression;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.types.DataType;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;

/** {@code struct.field}: the child vector, copied, NULL wherever the struct itself is NULL. */
public final class FieldAccessExpr implements Expr {
    private final Expr struct;
    private final String field;
    private final DataType type;

    public FieldAccessExpr(Expr struct, String field, DataType type) {
        this.struct = requireNonNull(struct, "struct is null");
        this.field = requireNonNull(field, "field is null");
        this.type = requireNonNull(type, "type is null");
    }

    @Override
    public DataType type() {
        return type;
    }

    @Override
    public String describe() {
        return struct.describe() + "." + field;
    }

    @Override
    public Column evaluate(VectorSchemaRoot batch, EvalContext context) {
        int n = batch.getRowCount();
        try (Column s = struct.evaluate(batch, context)) {
            if (!(s.vector() instanceof StructVector sv)) {
                throw new TarnException(ErrorCode.INTERNAL_ERROR, "Field access on a non-struct value: " + describe());
            }
            FieldVector child = null;
            for (FieldVector c : sv.getChildrenFromFields()) {
                if (c.getName().equalsIgnoreCase(field)) {
                    child = c;
                }
            }
            if (child == null) {
                throw new TarnException(ErrorCode.COLUMN_NOT_FOUND, "Struct has no field '" + field + "': " + describe());
            }
            FieldVector out = child.getField().createVector(context.allocator());
            try {
                out.setInitialCapacity(n);
                out.allocateNew();
                for (int i = 0; i < n; i++) {
                    if (sv.isNull(i)) {
                        Values.setNull(out, i);
                    } else {
                        Values.copy(child, i, out, i);
                    }
                }
                out.setValueCount(n);
                return Column.owned(out);
            } catch (RuntimeException e) {
                out.close();
                throw e;
            }
        }
    }
}
