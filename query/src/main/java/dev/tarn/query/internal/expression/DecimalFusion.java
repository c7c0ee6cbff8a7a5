package dev.tarn.query.internal.expression;

import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
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
    /** Per-thread scratch arrays, one per node. */
    private final ThreadLocal<long[][]> scratch;

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
        this.scratch = ThreadLocal.withInitial(() -> new long[n][]);
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
     * allocated then).
     */
    Column evaluate(VectorSchemaRoot batch, EvalContext context) {
        int n = batch.getRowCount();
        int nodes = kinds.length;
        long[][] values = scratch.get();
        int[] scales = new int[nodes];
        long[] bounds = new long[nodes];
        // A constant leaf's unscaled value (its values array stays unused).
        boolean[] constant = new boolean[nodes];
        long[] constants = new long[nodes];
        Column[] columns = new Column[nodes];
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
                if (!load(columns[i].vector(), values, i, n, scales, bounds)) {
                    return null;
                }
            }
            for (int i = 0; i < nodes; i++) {
                if (kinds[i] != LEAF && !operation(i, n, values, scales, bounds, constant, constants)) {
                    return null;
                }
            }
            int root = nodes - 1;
            out = Values.newVector("expr", types[root], context.allocator(), n);
            DecimalVector o = (DecimalVector) out;
            if (o.getValueCapacity() < n || o.getDataBuffer().capacity() < (long) n * DecimalVector.TYPE_WIDTH) {
                return null;
            }
            long address = o.getDataBuffer().memoryAddress();
            long[] r = values[root];
            for (int i = 0; i < n; i++) {
                long at = address + (long) i * DecimalVector.TYPE_WIDTH;
                MemoryUtil.putLong(at, r[i]);
                MemoryUtil.putLong(at + 8, r[i] >> 63);
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
            for (Column c : columns) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    /**
     * Node {@code i}'s bound, scale and values from its operands'; false, with nothing computed, when the bound
     * leaves a long or the node's precision, or the node would have to round.
     */
    private boolean operation(int i, int n, long[][] values, int[] scales, long[] bounds, boolean[] constant,
                              long[] constants) {
        int l = lefts[i];
        int r = rights[i];
        DecimalType type = types[i];
        long leftMul;
        long rightMul;
        long bound;
        try {
            if (kinds[i] == TIMES) {
                int up = type.scale() - scales[l] - scales[r];
                if (up < 0 || up >= DecimalLongs.POW10.length) {
                    return false;
                }
                leftMul = 1;
                rightMul = DecimalLongs.POW10[up];
                bound = Math.multiplyExact(Math.multiplyExact(bounds[l], bounds[r]), rightMul);
            } else {
                int upLeft = type.scale() - scales[l];
                int upRight = type.scale() - scales[r];
                if (type.scale() < Math.max(scales[l], scales[r]) || upLeft >= DecimalLongs.POW10.length
                        || upRight >= DecimalLongs.POW10.length) {
                    return false;
                }
                leftMul = DecimalLongs.POW10[upLeft];
                rightMul = DecimalLongs.POW10[upRight];
                bound = Math.addExact(Math.multiplyExact(bounds[l], leftMul), Math.multiplyExact(bounds[r], rightMul));
                if (kinds[i] == MINUS) {
                    rightMul = -rightMul;
                }
            }
        } catch (ArithmeticException e) {
            return false;
        }
        if (!DecimalLongs.fitsPrecision(bound, type.precision())) {
            return false;
        }
        scales[i] = type.scale();
        bounds[i] = bound;
        if (values[i] == null || values[i].length < n) {
            values[i] = new long[Math.max(n, 1024)];
        }
        long[] into = values[i];
        long[] a = values[l];
        long[] b = values[r];
        // Every product below is bounded by this node's bound, so none overflows.
        if (constant[l] && constant[r]) {
            long v = kinds[i] == TIMES ? constants[l] * constants[r] * rightMul
                    : constants[l] * leftMul + constants[r] * rightMul;
            Arrays.fill(into, 0, n, v);
        } else if (kinds[i] == TIMES) {
            if (constant[l] || constant[r]) {
                long k = (constant[l] ? constants[l] : constants[r]) * rightMul;
                long[] x = constant[l] ? b : a;
                for (int j = 0; j < n; j++) {
                    into[j] = x[j] * k;
                }
            } else {
                for (int j = 0; j < n; j++) {
                    into[j] = a[j] * b[j] * rightMul;
                }
            }
        } else if (constant[l]) {
            long k = constants[l] * leftMul;
            for (int j = 0; j < n; j++) {
                into[j] = k + b[j] * rightMul;
            }
        } else if (constant[r]) {
            long k = constants[r] * rightMul;
            for (int j = 0; j < n; j++) {
                into[j] = a[j] * leftMul + k;
            }
        } else {
            for (int j = 0; j < n; j++) {
                into[j] = a[j] * leftMul + b[j] * rightMul;
            }
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
        if (u.bitLength() >= 63) {
            return false;
        }
        constants[node] = u.longValue();
        scales[node] = d.scale();
        bounds[node] = Math.abs(constants[node]);
        return true;
    }

    /**
     * Copies a vector's values as unscaled longs into {@code values[node]} and bounds their magnitude; false when
     * one does not fit a long (or the vector is of another kind).
     */
    private static boolean load(FieldVector v, long[][] values, int node, int n, int[] scales, long[] bounds) {
        if (values[node] == null || values[node].length < n) {
            values[node] = new long[Math.max(n, 1024)];
        }
        long[] into = values[node];
        long magnitudes = 0;
        if (v instanceof DecimalVector d) {
            ArrowBuf data = d.getDataBuffer();
            if (data.capacity() < (long) n * DecimalVector.TYPE_WIDTH) {
                return false;
            }
            long address = data.memoryAddress();
            long wide = 0;
            for (int i = 0; i < n; i++) {
                long x = MemoryUtil.getLong(address + (long) i * DecimalVector.TYPE_WIDTH);
                long high = MemoryUtil.getLong(address + (long) i * DecimalVector.TYPE_WIDTH + 8);
                wide |= high ^ (x >> 63);
                magnitudes |= x ^ (x >> 63);
                into[i] = x;
            }
            if (wide != 0) {
                return false;
            }
            scales[node] = d.getScale();
        } else if (v instanceof BigIntVector b) {
            ArrowBuf data = b.getDataBuffer();
            if (data.capacity() < (long) n * 8) {
                return false;
            }
            long address = data.memoryAddress();
            for (int i = 0; i < n; i++) {
                long x = MemoryUtil.getLong(address + (long) i * 8);
                magnitudes |= x ^ (x >> 63);
                into[i] = x;
            }
            scales[node] = 0;
        } else if (v instanceof IntVector iv) {
            ArrowBuf data = iv.getDataBuffer();
            if (data.capacity() < (long) n * 4) {
                return false;
            }
            long address = data.memoryAddress();
            for (int i = 0; i < n; i++) {
                long x = MemoryUtil.getInt(address + (long) i * 4);
                magnitudes |= x ^ (x >> 63);
                into[i] = x;
            }
            scales[node] = 0;
        } else {
            return false;
        }
        // x ^ (x >> 63) is |x| for x >= 0 and |x| - 1 below it, so every |x| is at most 2^bits.
        int bits = 64 - Long.numberOfLeadingZeros(magnitudes);
        if (bits >= 62) {
            return false;
        }
        bounds[node] = 1L << bits;
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
