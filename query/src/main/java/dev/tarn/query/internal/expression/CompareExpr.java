package dev.tarn.query.internal.expression;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.types.PrimitiveType;
import java.util.List;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import java.math.BigDecimal;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import dev.tarn.txlog.types.DataType;

/**
 * {@code = <> < <= > >=} (NULL when either side is NULL) and {@code IS [NOT] DISTINCT FROM} (never NULL). Numbers
 * of different types compare by value.
 */
public final class CompareExpr implements Expr {
    public enum Op { EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">="), NOT_DISTINCT("IS NOT DISTINCT FROM"),
        DISTINCT("IS DISTINCT FROM");
        final String symbol;
        Op(String symbol) {
            this.symbol = symbol;
        }
    }

    private final Op op;
    private final Expr left;
    private final Expr right;

    public CompareExpr(Op op, Expr left, Expr right) {
        this.op = requireNonNull(op, "op is null");
        this.left = requireNonNull(left, "left is null");
        this.right = requireNonNull(right, "right is null");
    }

    @Override
    public DataType type() {
        return PrimitiveType.BOOLEAN;
    }

    @Override
    public String describe() {
        return "(" + left.describe() + " " + op.symbol + " " + right.describe() + ")";
    }

    @Override
    public Column evaluate(VectorSchemaRoot batch, EvalContext context) {
        boolean nullSafe = op == Op.NOT_DISTINCT || op == Op.DISTINCT;
        // Column against a constant (the common WHERE shape): evaluate the constant once, never as a vector.
        if (!nullSafe && right instanceof Constant c) {
            return againstConstant(left, c.value(context), false, batch, context);
        }
        if (!nullSafe && left instanceof Constant c) {
            return againstConstant(right, c.value(context), true, batch, context);
        }
        return Kernels.run(List.of(left, right), PrimitiveType.BOOLEAN, batch, context, this::loop);
    }

    private Column againstConstant(Expr side, Object constant, boolean flipped, VectorSchemaRoot batch,
                                   EvalContext context) {
        return Kernels.run(List.of(side), PrimitiveType.BOOLEAN, batch, context, (in, result, n) -> {
            BitVector out = (BitVector) result;
            FieldVector v = in[0];
            if (constant == null) {
                for (int i = 0; i < n; i++) {
                    out.setNull(i);
                }
                return;
            }
            if (rangeAgainstConstant(v, constant, flipped, out, n)) {
                return;
            }
            if (v instanceof BaseIntVector ints && constant instanceof Long l) {
                long c = l;
                for (int i = 0; i < n; i++) {
                    if (v.isNull(i)) {
                        out.setNull(i);
                    } else {
                        int cmp = Long.compare(ints.getValueAsLong(i), c);
                        out.setSafe(i, test(flipped ? -cmp : cmp) ? 1 : 0);
                    }
                }
                return;
            }
            if (v instanceof DecimalVector decimals && (constant instanceof BigDecimal || constant instanceof Long)) {
                Long c = DecimalLongs.unscaled(Values.toBigDecimal((Number) constant), decimals.getScale());
                if (c != null) {
                    ArrowBuf data = decimals.getDataBuffer();
                    long cu = c;
                    for (int i = 0; i < n; i++) {
                        if (v.isNull(i)) {
                            out.setNull(i);
                        } else {
                            int cmp = DecimalLongs.fits(data, i) ? Long.compare(DecimalLongs.low(data, i), cu)
                                    : Values.compare(decimals.getObject(i), constant);
                            out.setSafe(i, test(flipped ? -cmp : cmp) ? 1 : 0);
                        }
                    }
                    return;
                }
            }
            if (v instanceof DateDayVector days && constant instanceof Integer day) {
                int c = day;
                for (int i = 0; i < n; i++) {
                    if (v.isNull(i)) {
                        out.setNull(i);
                    } else {
                        int cmp = Integer.compare(days.get(i), c);
                        out.setSafe(i, test(flipped ? -cmp : cmp) ? 1 : 0);
                    }
                }
                return;
            }
            if (v instanceof TimeStampVector times && constant instanceof Long l) {
                long c = l;
                for (int i = 0; i < n; i++) {
                    if (v.isNull(i)) {
                        out.setNull(i);
                    } else {
                        int cmp = Long.compare(times.get(i), c);
                        out.setSafe(i, test(flipped ? -cmp : cmp) ? 1 : 0);
                    }
                }
                return;
            }
            if (v instanceof Float8Vector doubles && constant instanceof Double d) {
                double c = d;
                for (int i = 0; i < n; i++) {
                    if (v.isNull(i)) {
                        out.setNull(i);
                    } else {
                        int cmp = Double.compare(doubles.get(i), c);
                        out.setSafe(i, test(flipped ? -cmp : cmp) ? 1 : 0);
                    }
                }
                return;
            }
            if (v instanceof VarCharVector strings && constant instanceof String text) {
                byte[] c = text.getBytes(StandardCharsets.UTF_8);
                ArrowBuf data = strings.getDataBuffer();
                ArrowBuf offsets = strings.getOffsetBuffer();
                for (int i = 0; i < n; i++) {
                    if (v.isNull(i)) {
                        out.setNull(i);
                    } else {
                        int start = offsets.getInt((long) i * 4);
                        int end = offsets.getInt((long) (i + 1) * 4);
                        int cmp = compareUtf8(data, start, end, c);
                        out.setSafe(i, test(flipped ? -cmp : cmp) ? 1 : 0);
                    }
                }
                return;
            }
            Values.Reader r = Values.reader(v);
            for (int i = 0; i < n; i++) {
                Object x = r.get(i);
                if (x == null) {
                    out.setNull(i);
                } else {
                    int cmp = Values.compare(x, constant);
                    out.setSafe(i, test(flipped ? -cmp : cmp) ? 1 : 0);
                }
            }
        });
    }

    /**
     * An INT, BIGINT, DATE or TIMESTAMP column against an integer constant (TPC-H's date ranges): the comparison is
     * a range test {@code lo <= x <= hi} (or its complement for {@code <>}) read straight from the data buffer, the
     * result bits are written 64 at a time and the validity is the input's. False when the types do not fit.
     */
    private boolean rangeAgainstConstant(FieldVector v, Object constant, boolean flipped, BitVector out, int n) {
        int width;
        if (v instanceof DateDayVector || v instanceof IntVector) {
            width = 4;
        } else if (v instanceof BigIntVector || v instanceof TimeStampVector) {
            width = 8;
        } else if (v instanceof DecimalVector) {
            width = DecimalVector.TYPE_WIDTH;
        } else {
            return false;
        }
        long c;
        if (width == DecimalVector.TYPE_WIDTH) {
            // A DECIMAL against a constant its scale holds exactly: unscaled longs, when every value fits one.
            if (!(constant instanceof BigDecimal || constant instanceof Long)) {
                return false;
            }
            Long unscaled = DecimalLongs.unscaled(Values.toBigDecimal((Number) constant), ((DecimalVector) v).getScale());
            if (unscaled == null) {
                return false;
            }
            c = unscaled;
        } else if (constant instanceof Long l) {
            c = l;
        } else if (constant instanceof Integer i) {
            c = i;
        } else {
            return false;
        }
        ArrowBuf data = v.getDataBuffer();
        ArrowBuf bits = out.getDataBuffer();
        int bytes = (n + 7) >>> 3;
        if (data.capacity() < (long) n * width || bits.capacity() < bytes || out.getValidityBuffer().capacity() < bytes) {
            return false;
        }
        if (width == DecimalVector.TYPE_WIDTH && !allFitLongs(data.memoryAddress(), n)) {
            return false;
        }
        Op o = op;
        if (flipped) {
            o = switch (op) {
                case LT -> Op.GT;
                case LE -> Op.GE;
                case GT -> Op.LT;
                case GE -> Op.LE;
                default -> op;
            };
        }
        long lo = Long.MIN_VALUE;
        long hi = Long.MAX_VALUE;
        boolean negate = false;
        boolean none = false;
        switch (o) {
            case EQ -> {
                lo = c;
                hi = c;
            }
            case NE -> {
                lo = c;
                hi = c;
                negate = true;
            }
            case LT -> {
                none = c == Long.MIN_VALUE;
                hi = c - 1;
            }
            case LE -> hi = c;
            case GT -> {
                none = c == Long.MAX_VALUE;
                lo = c + 1;
            }
            case GE -> lo = c;
            default -> {
                return false;
            }
        }
        long address = data.memoryAddress();
        long span = hi - lo;
        for (int base = 0; base < n; base += 64) {
            int end = Math.min(n, base + 64);
            long word = none ? 0 : width == 4 ? intWord(address, base, end, lo, span)
                    : width == 8 ? longWord(address, base, end, lo, span) : decimalWord(address, base, end, lo, span);
            if (negate) {
                word = ~word;
            }
            if (end - base < 64) {
                word &= (1L << (end - base)) - 1;
            }
            int at = base >>> 3;
            if (at + 8 <= bits.capacity()) {
                bits.setLong(at, word);
            } else {
                for (int k = 0; at + k < bytes; k++) {
                    bits.setByte(at + k, (byte) (word >>> (k << 3)));
                }
            }
        }
        if (v.getNullCount() == 0) {
            out.getValidityBuffer().setOne(0, bytes);
        } else {
            out.getValidityBuffer().setBytes(0, v.getValidityBuffer(), 0, bytes);
        }
        return true;
    }

    /** Bit i - base set when the 32-bit value i is in {@code [lo, lo + span]} (unsigned span). */
    private static long intWord(long address, int base, int end, long lo, long span) {
        long word = 0;
        for (int i = base; i < end; i++) {
            long x = MemoryUtil.getInt(address + (long) i * 4);
            word |= (Long.compareUnsigned(x - lo, span) <= 0 ? 1L : 0L) << (i - base);
        }
        return word;
    }

    /** Bit i - base set when the 64-bit value i is in {@code [lo, lo + span]} (unsigned span). */
    private static long longWord(long address, int base, int end, long lo, long span) {
        long word = 0;
        for (int i = base; i < end; i++) {
            long x = MemoryUtil.getLong(address + (long) i * 8);
            word |= (Long.compareUnsigned(x - lo, span) <= 0 ? 1L : 0L) << (i - base);
        }
        return word;
    }

    /** Bit i - base set when the unscaled long of DECIMAL value i is in {@code [lo, lo + span]} (unsigned span). */
    private static long decimalWord(long address, int base, int end, long lo, long span) {
        long word = 0;
        for (int i = base; i < end; i++) {
            long x = MemoryUtil.getLong(address + (long) i * DecimalVector.TYPE_WIDTH);
            word |= (Long.compareUnsigned(x - lo, span) <= 0 ? 1L : 0L) << (i - base);
        }
        return word;
    }

    /** Whether each of the first {@code n} DECIMAL values at {@code address} is its low long sign-extended. */
    private static boolean allFitLongs(long address, int n) {
        long wide = 0;
        for (int i = 0; i < n; i++) {
            long at = address + (long) i * DecimalVector.TYPE_WIDTH;
            long x = MemoryUtil.getLong(at);
            wide |= MemoryUtil.getLong(at + 8) ^ (x >> 63);
        }
        return wide == 0;
    }

    /** UTF-8 bytes in unsigned order, which is code point order (Spark's string order). */
    private static int compareUtf8(ArrowBuf data, int start, int end, byte[] c) {
        int len = end - start;
        int common = Math.min(len, c.length);
        for (int j = 0; j < common; j++) {
            int a = data.getByte(start + j) & 0xff;
            int b = c[j] & 0xff;
            if (a != b) {
                return a < b ? -1 : 1;
            }
        }
        return Integer.compare(len, c.length);
    }

    private void loop(FieldVector[] in, FieldVector result, int n) {
        BitVector out = (BitVector) result;
        boolean nullSafe = op == Op.NOT_DISTINCT || op == Op.DISTINCT;
        if (!nullSafe && in[0] instanceof BaseIntVector a && in[1] instanceof BaseIntVector b) {
            for (int i = 0; i < n; i++) {
                if (in[0].isNull(i) || in[1].isNull(i)) {
                    out.setNull(i);
                } else {
                    out.setSafe(i, test(Long.compare(a.getValueAsLong(i), b.getValueAsLong(i))) ? 1 : 0);
                }
            }
            return;
        }
        if (!nullSafe && in[0] instanceof DateDayVector a && in[1] instanceof DateDayVector b
                && a.getNullCount() == 0 && b.getNullCount() == 0) {
            compareInts(a.getDataBuffer(), b.getDataBuffer(), out, n);
            return;
        }
        if (!nullSafe && in[0] instanceof DateDayVector a && in[1] instanceof DateDayVector b) {
            for (int i = 0; i < n; i++) {
                if (a.isNull(i) || b.isNull(i)) {
                    out.setNull(i);
                } else {
                    out.setSafe(i, test(Integer.compare(a.get(i), b.get(i))) ? 1 : 0);
                }
            }
            return;
        }
        if (!nullSafe && in[0] instanceof DecimalVector a && in[1] instanceof DecimalVector b
                && a.getScale() == b.getScale()) {
            ArrowBuf da = a.getDataBuffer();
            ArrowBuf db = b.getDataBuffer();
            for (int i = 0; i < n; i++) {
                if (a.isNull(i) || b.isNull(i)) {
                    out.setNull(i);
                } else {
                    int c = DecimalLongs.fits(da, i) && DecimalLongs.fits(db, i)
                            ? Long.compare(DecimalLongs.low(da, i), DecimalLongs.low(db, i))
                            : a.getObject(i).compareTo(b.getObject(i));
                    out.setSafe(i, test(c) ? 1 : 0);
                }
            }
            return;
        }
        Values.Reader ra = Values.reader(in[0]);
        Values.Reader rb = Values.reader(in[1]);
        for (int i = 0; i < n; i++) {
            Object x = ra.get(i);
            Object y = rb.get(i);
            if (x == null || y == null) {
                if (nullSafe) {
                    boolean same = x == null && y == null;
                    out.setSafe(i, (op == Op.NOT_DISTINCT) == same ? 1 : 0);
                } else {
                    out.setNull(i);
                }
            } else {
                int c = Values.compare(x, y);
                out.setSafe(i, test(c) ? 1 : 0);
            }
        }
    }

    /**
     * Two null-free 32-bit columns (dates): the values are copied to the heap in bulk and the result bits are
     * written 64 at a time, all valid.
     */
    private void compareInts(ArrowBuf da, ArrowBuf db, BitVector out, int n) {
        int[] x = new int[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = da.getInt((long) i * 4);
        }
        for (int i = 0; i < n; i++) {
            y[i] = db.getInt((long) i * 4);
        }
        ArrowBuf bits = out.getDataBuffer();
        for (int base = 0; base < n; base += 64) {
            int end = Math.min(n, base + 64);
            long word = 0;
            for (int i = base; i < end; i++) {
                if (test(Integer.compare(x[i], y[i]))) {
                    word |= 1L << (i - base);
                }
            }
            for (int k = 0; k < ((end - base + 7) >>> 3); k++) {
                bits.setByte((base >>> 3) + k, (byte) (word >>> (k << 3)));
            }
        }
        ArrowBuf validity = out.getValidityBuffer();
        for (int k = 0; k < ((n + 7) >>> 3); k++) {
            validity.setByte(k, (byte) 0xFF);
        }
    }

    private boolean test(int c) {
        return switch (op) {
            case EQ, NOT_DISTINCT -> c == 0;
            case NE, DISTINCT -> c != 0;
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            case GE -> c >= 0;
        };
    }
}
