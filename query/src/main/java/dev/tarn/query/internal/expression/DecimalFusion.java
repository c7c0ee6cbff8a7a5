package dev.tarn.query.internal.expression;

import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A tree of DECIMAL {@code + - *} ({@code l_extendedprice * (1 - l_discount) * (1 + l_tax)}) evaluated in one
 * go on unscaled longs, with no check per row: a first pass over each operand vector finds the largest magnitude
 * in the batch, and from those every node's magnitude is bounded; when every bound stays within a long and within
 * its node's DECIMAL precision, no row can overflow and the tree is computed node by node over long arrays
 * without any test. Otherwise (a wide value, a bound too large, a node that would have to round) the batch is left
 * to {@link ArithmeticExpr}'s exact per-row path, which reports NUMERIC_OVERFLOW where a row really overflows.
 * Results are the same either way: without rounding, DECIMAL {@code + - *} is exact integer arithmetic on the
 * unscaled values.
 */
final class DecimalFusion {
    private static final int LEAF = 0;
    private static final int PLUS = 1;
    private static final int MINUS = 2;
    private static final int TIMES = 3;

    /** Nodes in post-order; the last is the root. */
    private final int[] kinds;
    private final int[] lefts;
    private final int[] rights;
    private final DecimalType[] types;
    /** Leaf expressions (constants included), by node. */
    private final Expr[] leaves;
    /** Each node's parent (-1 for the root), and whether it is its parent's right operand. */
    private final int[] parents;
    private final boolean[] inParent;

    private DecimalFusion(List<Integer> kinds, List<Integer> lefts, List<Integer> rights, List<DecimalType> types,
                          List<Expr> leaves) {
        int n = kinds.size();
        this.kinds = new int[n];
        this.lefts = new int[n];
        this.rights = new int[n];
        for (int i = 0; i < n; i++) {
            this.kinds[i] = kinds.get(i);
            this.lefts[i] = lefts.get(i);
            this.rights[i] = rights.get(i);
        }
        this.types = types.toArray(new DecimalType[0]);
        this.leaves = leaves.toArray(new Expr[0]);
        this.parents = new int[n];
        this.inParent = new boolean[n];
        parents[n - 1] = -1;
        for (int i = 0; i < n; i++) {
            if (this.kinds[i] != LEAF) {
                parents[this.lefts[i]] = i;
                parents[this.rights[i]] = i;
                inParent[this.rights[i]] = true;
            }
        }
    }

    /** The fused form of a DECIMAL {@code + - *} with at least one nested {@code + - *}, or null. */
    static DecimalFusion of(ArithmeticExpr root) {
        List<Integer> kinds = new ArrayList<>();
        List<Integer> lefts = new ArrayList<>();
        List<Integer> rights = new ArrayList<>();
        List<DecimalType> types = new ArrayList<>();
        List<Expr> leaves = new ArrayList<>();
        if (add(root, kinds, lefts, rights, types, leaves) < 0) {
            return null;
        }
        int operations = 0;
        for (int k : kinds) {
            operations += k == LEAF ? 0 : 1;
        }
        return operations >= 2 ? new DecimalFusion(kinds, lefts, rights, types, leaves) : null;
    }

    /** Adds {@code e}'s nodes in post-order; its node index, or -1 when it cannot be fused. */
    private static int add(Expr e, List<Integer> kinds, List<Integer> lefts, List<Integer> rights,
                           List<DecimalType> types, List<Expr> leaves) {
        if (e instanceof ArithmeticExpr a && a.type() instanceof DecimalType d && a.op() != ArithmeticExpr.Op.DIVIDE
                && a.op() != ArithmeticExpr.Op.MOD) {
            int l = add(a.left(), kinds, lefts, rights, types, leaves);
            int r = l < 0 ? -1 : add(a.right(), kinds, lefts, rights, types, leaves);
            if (r < 0) {
                return -1;
            }
            kinds.add(switch (a.op()) {
                case PLUS -> PLUS;
                case MINUS -> MINUS;
                default -> TIMES;
            });
            lefts.add(l);
            rights.add(r);
            types.add(d);
            leaves.add(null);
            return kinds.size() - 1;
        }
        DataType t = e.type();
        if (!(t instanceof DecimalType) && !(t == PrimitiveType.LONG || t == PrimitiveType.INTEGER)) {
            return -1;
        }
        kinds.add(LEAF);
        lefts.add(-1);
        rights.add(-1);
        types.add(null);
        leaves.add(e);
        return kinds.size() - 1;
    }

    /**
     * The result vector for the batch, or null when this batch must take the per-row path (nothing is left
     * allocated then). Every operation is one pass that reads its operands (16-byte decimal slots: a vector's
     * data, or an intermediate result) and writes its result; the passes also note the operand vectors' largest
     * magnitudes, from which the bounds are checked at the end, so no pass of its own reads the inputs first.
     */
    Column evaluate(VectorSchemaRoot batch, EvalContext context) {
        int n = batch.getRowCount();
        int nodes = kinds.length;
        long[] addresses = new long[nodes];
        int[] scales = new int[nodes];
        long[] bounds = new long[nodes];
        // OR of x ^ (x >> 63) over a leaf's values, and of high ^ (x >> 63) (nonzero: a value leaves a long).
        long[] magnitudes = new long[nodes];
        long[] wide = new long[nodes];
        boolean[] constant = new boolean[nodes];
        long[] constants = new long[nodes];
        Column[] columns = new Column[nodes];
        ArrowBuf[] buffers = new ArrowBuf[nodes];
        FieldVector out = null;
        try {
            for (int i = 0; i < nodes; i++) {
                if (kinds[i] != LEAF) {
                    continue;
                }
                if (leaves[i] instanceof Constant c) {
                    if (!constant(c.value(context), i, constants, scales, bounds)) {
                        return null;
                    }
                    constant[i] = true;
                    continue;
                }
                columns[i] = leaves[i].evaluate(batch, context);
                FieldVector v = columns[i].vector();
                if (v instanceof DecimalVector d && d.getDataBuffer().capacity() >= (long) n * DecimalVector.TYPE_WIDTH) {
                    addresses[i] = d.getDataBuffer().memoryAddress();
                    scales[i] = d.getScale();
                } else if (v instanceof BigIntVector || v instanceof IntVector) {
                    buffers[i] = context.allocator().buffer(Math.max(1, (long) n * DecimalVector.TYPE_WIDTH));
                    addresses[i] = buffers[i].memoryAddress();
                    if (!widen(v, addresses[i], n)) {
                        return null;
                    }
                    scales[i] = 0;
                } else {
                    return null;
                }
            }
            int root = nodes - 1;
            out = Values.newVector("expr", types[root], context.allocator(), n);
            DecimalVector o = (DecimalVector) out;
            if (o.getValueCapacity() < n || o.getDataBuffer().capacity() < (long) n * DecimalVector.TYPE_WIDTH) {
                return null;
            }
            // Where each operation writes: the root into the result vector, a right operand into its parent's
            // slots (it is computed last before the parent, which reads each row before writing it), a left operand
            // into slots of its own (they stay live while the right operand is computed).
            for (int i = root - 1; i >= 0; i--) {
                if (kinds[i] != LEAF && !inParent[i]) {
                    buffers[i] = context.allocator().buffer(Math.max(1, (long) n * DecimalVector.TYPE_WIDTH));
                }
            }
            long[] slots = new long[nodes];
            slots[root] = o.getDataBuffer().memoryAddress();
            for (int i = root - 1; i >= 0; i--) {
                if (kinds[i] != LEAF) {
                    slots[i] = inParent[i] ? slots[parents[i]] : buffers[i].memoryAddress();
                    addresses[i] = slots[i];
                }
            }
            for (int i = 0; i < nodes; i++) {
                if (kinds[i] == LEAF) {
                    continue;
                }
                // Scales (and so multipliers) are known before any bound: a node that would round stops here.
                if (!scale(i, scales)) {
                    return null;
                }
                addresses[i] = slots[i];
                compute(i, n, addresses, scales, constant, constants, magnitudes, wide);
            }
            for (int i = 0; i < nodes; i++) {
                if (!bound(i, scales, bounds, constant, magnitudes, wide)) {
                    return null;
                }
            }
            validity(columns, o, n);
            out.setValueCount(n);
            Column result = Column.owned(out);
            out = null;
            return result;
        } finally {
            if (out != null) {
                out.close();
            }
            for (ArrowBuf b : buffers) {
                if (b != null) {
                    b.close();
                }
            }
            for (Column c : columns) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    /** An operation's result scale; false when it is below the operands' natural scale (the node would round). */
    private boolean scale(int i, int[] scales) {
        int l = scales[lefts[i]];
        int r = scales[rights[i]];
        int s = types[i].scale();
        int natural = kinds[i] == TIMES ? l + r : Math.max(l, r);
        if (s < natural || s - Math.min(l, r) >= DecimalLongs.POW10.length) {
            return false;
        }
        scales[i] = s;
        return true;
    }

    /**
     * Node {@code i}'s magnitude bound from its operands' (a leaf's from the magnitudes its parent's pass noted);
     * false when a value leaves a long, or the bound leaves a long or the node's precision.
     */
    private boolean bound(int i, int[] scales, long[] bounds, boolean[] constant, long[] magnitudes, long[] wide) {
        if (kinds[i] == LEAF) {
            if (!constant[i]) {
                // x ^ (x >> 63) is |x| for x >= 0 and |x| - 1 below it, so every |x| is at most 2^bits.
                int bits = 64 - Long.numberOfLeadingZeros(magnitudes[i]);
                if (wide[i] != 0 || bits >= 62) {
                    return false;
                }
                bounds[i] = 1L << bits;
            }
            return true;
        }
        int l = lefts[i];
        int r = rights[i];
        long bound;
        try {
            if (kinds[i] == TIMES) {
                bound = Math.multiplyExact(Math.multiplyExact(bounds[l], bounds[r]),
                        DecimalLongs.POW10[scales[i] - scales[l] - scales[r]]);
            } else {
                bound = Math.addExact(Math.multiplyExact(bounds[l], DecimalLongs.POW10[scales[i] - scales[l]]),
                        Math.multiplyExact(bounds[r], DecimalLongs.POW10[scales[i] - scales[r]]));
            }
        } catch (ArithmeticException e) {
            return false;
        }
        bounds[i] = bound;
        return DecimalLongs.fitsPrecision(bound, types[i].precision());
    }

    /**
     * Node {@code i}'s values into the 16-byte slots at {@code addresses[i]}, without overflow checks (the bounds
     * decide afterwards whether they hold), noting the magnitudes of operands that are leaves.
     */
    private void compute(int i, int n, long[] addresses, int[] scales, boolean[] constant, long[] constants,
                         long[] magnitudes, long[] wide) {
        int l = lefts[i];
        int r = rights[i];
        long out = addresses[i];
        long a = addresses[l];
        long b = addresses[r];
        final int w = DecimalVector.TYPE_WIDTH;
        long magA = 0;
        long magB = 0;
        long wideA = 0;
        long wideB = 0;
        if (kinds[i] == TIMES) {
            long m = DecimalLongs.POW10[scales[i] - scales[l] - scales[r]];
            if (constant[l] && constant[r]) {
                fill(out, constants[l] * constants[r] * m, n);
            } else if (constant[l] || constant[r]) {
                long k = (constant[l] ? constants[l] : constants[r]) * m;
                long x = constant[l] ? b : a;
                for (int j = 0; j < n; j++) {
                    long at = (long) j * w;
                    long v = MemoryUtil.getLong(x + at);
                    magA |= v ^ (v >> 63);
                    wideA |= MemoryUtil.getLong(x + at + 8) ^ (v >> 63);
                    long result = v * k;
                    MemoryUtil.putLong(out + at, result);
                    MemoryUtil.putLong(out + at + 8, result >> 63);
                }
                if (constant[l]) {
                    magB = magA;
                    wideB = wideA;
                    magA = 0;
                    wideA = 0;
                }
            } else {
                for (int j = 0; j < n; j++) {
                    long at = (long) j * w;
                    long x = MemoryUtil.getLong(a + at);
                    long y = MemoryUtil.getLong(b + at);
                    magA |= x ^ (x >> 63);
                    magB |= y ^ (y >> 63);
                    wideA |= MemoryUtil.getLong(a + at + 8) ^ (x >> 63);
                    wideB |= MemoryUtil.getLong(b + at + 8) ^ (y >> 63);
                    long result = x * y * m;
                    MemoryUtil.putLong(out + at, result);
                    MemoryUtil.putLong(out + at + 8, result >> 63);
                }
            }
        } else {
            long ma = DecimalLongs.POW10[scales[i] - scales[l]];
            long mb = DecimalLongs.POW10[scales[i] - scales[r]];
            if (kinds[i] == MINUS) {
                mb = -mb;
            }
            if (constant[l] && constant[r]) {
                fill(out, constants[l] * ma + constants[r] * mb, n);
            } else if (constant[l] || constant[r]) {
                long k = constant[l] ? constants[l] * ma : constants[r] * mb;
                long x = constant[l] ? b : a;
                long mx = constant[l] ? mb : ma;
                for (int j = 0; j < n; j++) {
                    long at = (long) j * w;
                    long v = MemoryUtil.getLong(x + at);
                    magA |= v ^ (v >> 63);
                    wideA |= MemoryUtil.getLong(x + at + 8) ^ (v >> 63);
                    long result = v * mx + k;
                    MemoryUtil.putLong(out + at, result);
                    MemoryUtil.putLong(out + at + 8, result >> 63);
                }
                if (constant[l]) {
                    magB = magA;
                    wideB = wideA;
                    magA = 0;
                    wideA = 0;
                }
            } else {
                for (int j = 0; j < n; j++) {
                    long at = (long) j * w;
                    long x = MemoryUtil.getLong(a + at);
                    long y = MemoryUtil.getLong(b + at);
                    magA |= x ^ (x >> 63);
                    magB |= y ^ (y >> 63);
                    wideA |= MemoryUtil.getLong(a + at + 8) ^ (x >> 63);
                    wideB |= MemoryUtil.getLong(b + at + 8) ^ (y >> 63);
                    long result = x * ma + y * mb;
                    MemoryUtil.putLong(out + at, result);
                    MemoryUtil.putLong(out + at + 8, result >> 63);
                }
            }
        }
        magnitudes[l] = magA;
        wide[l] = wideA;
        magnitudes[r] = magB;
        wide[r] = wideB;
    }

    private static void fill(long address, long value, int n) {
        for (int j = 0; j < n; j++) {
            MemoryUtil.putLong(address + (long) j * DecimalVector.TYPE_WIDTH, value);
            MemoryUtil.putLong(address + (long) j * DecimalVector.TYPE_WIDTH + 8, value >> 63);
        }
    }

    /**
     * An integer vector's values (whatever a NULL row holds) as 16-byte decimal slots at {@code address}; false
     * when its data buffer is shorter than {@code n} values.
     */
    private static boolean widen(FieldVector v, long address, int n) {
        int width = v instanceof BigIntVector ? 8 : 4;
        ArrowBuf data = v.getDataBuffer();
        if (data.capacity() < (long) n * width) {
            return false;
        }
        long from = data.memoryAddress();
        for (int j = 0; j < n; j++) {
            long x = width == 8 ? MemoryUtil.getLong(from + (long) j * 8) : MemoryUtil.getInt(from + (long) j * 4);
            MemoryUtil.putLong(address + (long) j * DecimalVector.TYPE_WIDTH, x);
            MemoryUtil.putLong(address + (long) j * DecimalVector.TYPE_WIDTH + 8, x >> 63);
        }
        return true;
    }

    /** A constant operand's unscaled value and scale; false for NULL or a value that does not fit. */
    private static boolean constant(Object value, int node, long[] constants, int[] scales, long[] bounds) {
        BigDecimal d;
        if (value instanceof BigDecimal b) {
            d = b.scale() < 0 ? b.setScale(0) : b;
        } else if (value instanceof Long || value instanceof Integer) {
            d = BigDecimal.valueOf(((Number) value).longValue());
        } else {
            return false;
        }
        BigInteger u = d.unscaledValue();
        if (u.bitLength() >= 62) {
            return false;
        }
        constants[node] = u.longValue();
        scales[node] = d.scale();
        bounds[node] = Math.abs(constants[node]);
        return true;
    }

    /** A row is valid when every operand vector's row is (constants are never NULL here). */
    private static void validity(Column[] columns, DecimalVector o, int n) {
        int bytes = (n + 7) / 8;
        ArrowBuf validity = o.getValidityBuffer();
        validity.setOne(0, bytes);
        for (Column c : columns) {
            if (c == null || c.vector().getNullCount() == 0) {
                continue;
            }
            ArrowBuf in = c.vector().getValidityBuffer();
            for (int i = 0; i < bytes; i++) {
                validity.setByte(i, validity.getByte(i) & in.getByte(i));
            }
        }
    }
}
