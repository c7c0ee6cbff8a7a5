package dev.tarn.query.internal.expression;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.types.ArrowTypes;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.PrimitiveType;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * {@code SUBSTRING(s, pos [, len])} with a constant position and length (the usual shape, e.g. TPC-H Q22's
 * {@code SUBSTRING(c_phone FROM 1 FOR 2)}): code points are counted on the UTF-8 bytes in the vector and the result
 * bytes are copied range by range, never decoded to {@code String}. Spark's rules as in
 * {@link ScalarFunctions#substring}: positions count from 1, 0 means 1, a negative position counts from the end,
 * and a length of zero or less gives the empty string.
 */
final class SubstringExpr implements Expr {
    private final Expr input;
    private final Constant position;
    private final Constant length;
    /** The value-by-value form, for an input vector that is not a {@code VarCharVector}. */
    private final Expr general;

    /** @param length null for the two-argument form (to the end of the string) */
    SubstringExpr(Expr input, Constant position, Constant length, Expr general) {
        this.input = requireNonNull(input, "input is null");
        this.position = requireNonNull(position, "position is null");
        this.length = length;
        this.general = requireNonNull(general, "general is null");
    }

    @Override
    public DataType type() {
        return PrimitiveType.STRING;
    }

    @Override
    public String describe() {
        return "SUBSTRING(" + input.describe() + ", " + position.describe()
                + (length == null ? "" : ", " + length.describe()) + ")";
    }

    @Override
    public Column evaluate(VectorSchemaRoot batch, EvalContext context) {
        int n = batch.getRowCount();
        Object p = position.value(context);
        Object l = length == null ? Long.MAX_VALUE : length.value(context);
        try (Column in = input.evaluate(batch, context)) {
            if (!(in.vector() instanceof VarCharVector src)) {
                return general.evaluate(batch, context);
            }
            int[] from = new int[n];
            int[] to = new int[n];
            long total = 0;
            boolean allNull = p == null || l == null;
            if (!allNull) {
                long pos = ((Number) p).longValue();
                long len = ((Number) l).longValue();
                ArrowBuf data = src.getDataBuffer();
                ArrowBuf offsets = src.getOffsetBuffer();
                for (int i = 0; i < n; i++) {
                    if (src.isNull(i)) {
                        from[i] = -1;
                        continue;
                    }
                    int s = offsets.getInt((long) i * 4);
                    int e = offsets.getInt((long) (i + 1) * 4);
                    range(data, s, e, pos, len, from, to, i);
                    total += to[i] - from[i];
                }
            }
            VarCharVector out = (VarCharVector) ArrowTypes.toArrowField("expr", PrimitiveType.STRING, true)
                    .createVector(context.allocator());
            try {
                out.allocateNew(Math.max(total, 1), Math.max(n, 1));
                ArrowBuf srcData = src.getDataBuffer();
                ArrowBuf outData = out.getDataBuffer();
                ArrowBuf outOffsets = out.getOffsetBuffer();
                ArrowBuf validity = out.getValidityBuffer();
                int written = 0;
                outOffsets.setInt(0, 0);
                for (int i = 0; i < n; i++) {
                    if (!allNull && from[i] >= 0) {
                        int bytes = to[i] - from[i];
                        if (bytes > 0) {
                            outData.setBytes(written, srcData, from[i], bytes);
                            written += bytes;
                        }
                        BitVectorHelper.setBit(validity, i);
                    }
                    outOffsets.setInt((long) (i + 1) * 4, written);
                }
                out.setLastSet(n - 1);
                out.setValueCount(n);
                Column result = Column.owned(out);
                out = null;
                return result;
            } finally {
                if (out != null) {
                    out.close();
                }
            }
        }
    }

    /** The byte range {@code [from[i], to[i])} of the substring of the UTF-8 bytes {@code [s, e)}. */
    private static void range(ArrowBuf data, int s, int e, long pos, long len, int[] from, int[] to, int i) {
        long start;
        if (pos > 0) {
            start = pos - 1;
        } else if (pos < 0) {
            start = codePoints(data, s, e) + pos;
        } else {
            start = 0;
        }
        // Saturate: a huge length means "to the end", and start + len must not overflow.
        long end = len >= Integer.MAX_VALUE ? Long.MAX_VALUE : start + len;
        start = Math.max(start, 0);
        if (start >= end) {
            from[i] = s;
            to[i] = s;
            return;
        }
        int b = skip(data, s, e, start);
        int stop = end == Long.MAX_VALUE ? e : skip(data, b, e, end - start);
        from[i] = b;
        to[i] = stop;
    }

    /** The byte offset after {@code count} code points from {@code at}, or {@code e} when the string ends first. */
    private static int skip(ArrowBuf data, int at, int e, long count) {
        int p = at;
        for (long k = 0; k < count && p < e; k++) {
            p += width(data.getByte(p));
        }
        return Math.min(p, e);
    }

    private static long codePoints(ArrowBuf data, int s, int e) {
        long count = 0;
        for (int p = s; p < e; p++) {
            // Every byte that is not a continuation byte (10xxxxxx) starts a code point.
            if ((data.getByte(p) & 0xC0) != 0x80) {
                count++;
            }
        }
        return count;
    }

    /** The byte length of the UTF-8 sequence a lead byte starts. */
    private static int width(byte lead) {
        if (lead >= 0) {
            return 1;
        }
        if ((lead & 0xE0) == 0xC0) {
            return 2;
        }
        if ((lead & 0xF0) == 0xE0) {
            return 3;
        }
        return 4;
    }
}
