package dev.tarn.query.internal.expression;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.types.DataType;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A value that is the same on every row: a literal (canonical value, see {@link Values}) or a dynamic parameter
 * ({@code ?}, whose value the statement binds into the {@link EvalContext}).
 */
public final class Constant implements Expr {
    private final DataType type;
    private final Object value;
    private final int parameterIndex;

    private Constant(DataType type, Object value, int parameterIndex) {
        this.type = requireNonNull(type, "type is null");
        this.value = value;
        this.parameterIndex = parameterIndex;
    }

    public static Constant literal(DataType type, Object value) {
        return new Constant(type, value, -1);
    }

    public static Constant parameter(DataType type, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("index is negative");
        }
        return new Constant(type, null, index);
    }

    public boolean isParameter() {
        return parameterIndex >= 0;
    }

    /** The literal value; null for NULL (and for parameters, see {@link #value(EvalContext)}). */
    public Object value() {
        return value;
    }

    public Object value(EvalContext context) {
        return parameterIndex >= 0 ? context.parameter(parameterIndex) : value;
    }

    @Override
    public DataType type() {
        return type;
    }

    @Override
    public Column evaluate(VectorSchemaRoot batch, EvalContext context) {
        int n = batch.getRowCount();
        Object v = value(context);
        FieldVector out = Values.newVector("const", type, context.allocator(), n);
        try {
            if (v == null) {
                // NULL of any type, nested ones included (no writer needed).
                for (int i = 0; i < n; i++) {
                    Values.setNull(out, i);
                }
                out.setValueCount(n);
                return Column.owned(out);
            }
            Values.Writer w = Values.writer(out);
            if (out instanceof BaseFixedWidthVector && n > 0) {
                // Convert once, then copy the bytes.
                w.set(0, v);
                for (int i = 1; i < n; i++) {
                    out.copyFrom(0, i, out);
                }
            } else if (out instanceof VarCharVector strings && v instanceof String text) {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < n; i++) {
                    strings.setSafe(i, bytes);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    w.set(i, v);
                }
            }
            out.setValueCount(n);
            return Column.owned(out);
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    @Override
    public String describe() {
        return parameterIndex >= 0 ? "?" + (parameterIndex + 1) : String.valueOf(value);
    }
}
