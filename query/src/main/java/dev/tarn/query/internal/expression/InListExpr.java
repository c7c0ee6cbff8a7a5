package dev.tarn.query.internal.expression;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.PrimitiveType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * {@code x IN (c1, ..., cn)} over literal constants, the value of the disjunction {@code x = c1 OR ... OR x = cn}
 * it replaces (Calcite hands IN lists over as SEARCH, which the compiler expands into such a disjunction): TRUE when
 * some constant equals x, NULL when x is NULL or when nothing matched and a constant is NULL, FALSE otherwise. The
 * operand is evaluated once per batch instead of once per constant, and strings, integers and dates are tested on
 * the vector's own values (a sorted {@code long[]}, or the UTF-8 bytes) without boxing.
 */
public final class InListExpr implements Expr {
    private final Expr operand;
    /** The non-null constants, canonical values (see {@link Values}). */
    private final List<Object> values;
    private final boolean hasNull;
    /** Sorted, when every constant is a {@code Long}; else null. */
    private final long[] longs;
    /** Sorted, when every constant is an {@code Integer} (days); else null. */
    private final int[] days;
    /** UTF-8 bytes of each constant when all are strings; else null. */
    private final byte[][] strings;

    public InListExpr(Expr operand, List<?> constants) {
        this.operand = requireNonNull(operand, "operand is null");
        requireNonNull(constants, "constants is null");
        if (constants.isEmpty()) {
            throw new IllegalArgumentException("constants is empty");
        }
        List<Object> nonNull = new ArrayList<>();
        boolean nulls = false;
        for (Object c : constants) {
            if (c == null) {
                nulls = true;
            } else {
                nonNull.add(c);
            }
        }
        this.values = List.copyOf(nonNull);
        this.hasNull = nulls;
        this.longs = values.stream().allMatch(v -> v instanceof Long)
                ? values.stream().mapToLong(v -> (Long) v).sorted().toArray() : null;
        this.days = values.stream().allMatch(v -> v instanceof Integer)
                ? values.stream().mapToInt(v -> (Integer) v).sorted().toArray() : null;
        this.strings = values.stream().allMatch(v -> v instanceof String)
                ? values.stream().map(v -> ((String) v).getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new)
                : null;
    }

    @Override
    public DataType type() {
        return PrimitiveType.BOOLEAN;
    }

    @Override
    public String describe() {
        List<String> items = new ArrayList<>();
        for (Object v : values) {
            items.add(v instanceof String s ? "'" + s + "'" : String.valueOf(v));
        }
        if (hasNull) {
            items.add("NULL");
        }
        return "IN(" + operand.describe() + ", " + String.join(", ", items) + ")";
    }

    @Override
    public Column evaluate(VectorSchemaRoot batch, EvalContext context) {
        return Kernels.run(List.of(operand), PrimitiveType.BOOLEAN, batch, context, (in, result, n) -> {
            BitVector out = (BitVector) result;
            FieldVector v = in[0];
            if (strings != null && v instanceof VarCharVector s) {
                ArrowBuf offsets = s.getOffsetBuffer();
                ArrowBuf data = s.getDataBuffer();
                for (int i = 0; i < n; i++) {
                    if (!v.isNull(i)) {
                        int start = offsets.getInt((long) i * 4);
                        int end = offsets.getInt((long) (i + 1) * 4);
                        set(out, i, containsBytes(data, start, end - start));
                    } else {
                        out.setNull(i);
                    }
                }
            } else if (longs != null && v instanceof BaseIntVector ints) {
                for (int i = 0; i < n; i++) {
                    if (!v.isNull(i)) {
                        set(out, i, Arrays.binarySearch(longs, ints.getValueAsLong(i)) >= 0);
                    } else {
                        out.setNull(i);
                    }
                }
            } else if (days != null && v instanceof DateDayVector d) {
                for (int i = 0; i < n; i++) {
                    if (!v.isNull(i)) {
                        set(out, i, Arrays.binarySearch(days, d.get(i)) >= 0);
                    } else {
                        out.setNull(i);
                    }
                }
            } else {
                Values.Reader r = Values.reader(v);
                for (int i = 0; i < n; i++) {
                    Object x = r.get(i);
                    if (x != null) {
                        set(out, i, containsValue(x));
                    } else {
                        out.setNull(i);
                    }
                }
            }
        });
    }

    /** TRUE on a match; on no match NULL when a constant is NULL (some {@code x = NULL} was unknown), else FALSE. */
    private void set(BitVector out, int i, boolean match) {
        if (match) {
            out.setSafe(i, 1);
        } else if (hasNull) {
            out.setNull(i);
        } else {
            out.setSafe(i, 0);
        }
    }

    private boolean containsValue(Object x) {
        for (Object c : values) {
            if (Values.compare(x, c) == 0) {
                return true;
            }
        }
        return false;
    }

    private boolean containsBytes(ArrowBuf data, int start, int length) {
        for (byte[] c : strings) {
            if (c.length != length) {
                continue;
            }
            int j = 0;
            while (j < length && data.getByte(start + j) == c[j]) {
                j++;
            }
            if (j == length) {
                return true;
            }
        }
        return false;
    }
}
