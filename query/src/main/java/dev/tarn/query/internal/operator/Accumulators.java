package dev.tarn.query.internal.operator;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.internal.expression.DecimalSums;
import dev.tarn.query.internal.expression.Values;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;

/**
 * Aggregate states for all groups of a hash aggregation, updated a vector at a time: {@code update} receives the
 * group id of every row of a batch and the argument vector, and loops over it.
 */
public final class Accumulators {
    private Accumulators() {}

    public enum Function { COUNT, SUM, SUM0, MIN, MAX, AVG, LITERAL, SINGLE_VALUE }

    /** The state of one aggregate call over all groups. */
    public abstract static class Accumulator {
        /** Makes room for groups {@code [0, count)}. */
        abstract void grow(int count);

        /**
         * Adds rows {@code [0, n)}: row i belongs to group {@code groups[i]}; rows with {@code include[i] == false}
         * are skipped (FILTER clause); {@code arg} is null for COUNT(*).
         */
        abstract void update(int[] groups, boolean[] include, FieldVector arg, int n);

        abstract Object result(int group);

        /**
         * Adds another partial state of the same call (a parallel worker's): its group {@code g} goes into this
         * state's group {@code map[g]}, for {@code g < groups}, unless {@code map[g]} is negative (a group another
         * partition merges); this state must already have room for them.
         */
        abstract void merge(Accumulator other, int[] map, int groups);

        /** The results of groups {@code [from, from + n)} into rows {@code [0, n)} of {@code out}. */
        void write(FieldVector out, int from, int n) {
            Values.Writer w = Values.writer(out);
            for (int i = 0; i < n; i++) {
                w.set(i, result(from + i));
            }
        }
    }

    public static Accumulator create(Function function, boolean distinct, boolean star, DataType argType,
                                     DataType resultType, Object literal) {
        if (function == Function.LITERAL) {
            return new Literal(literal);
        }
        if (function == Function.SINGLE_VALUE) {
            return new SingleValue();
        }
        if (star) {
            return new Count(true);
        }
        ValueAccumulator inner = switch (function) {
            case COUNT -> new Count(false);
            case SUM, SUM0 -> new Sum(resultType, function == Function.SUM0);
            case MIN -> new Extreme(false);
            case MAX -> new Extreme(true);
            case AVG -> new Avg(resultType);
            case LITERAL, SINGLE_VALUE -> throw new IllegalStateException("handled above");
        };
        return distinct ? new Distinct(inner) : inner;
    }

    /** {@code a + b} where null is "nothing added". */
    private static BigDecimal plus(BigDecimal a, BigDecimal b) {
        return a == null ? b : b == null ? a : a.add(b);
    }

    /** An accumulator fed one non-null value at a time from its own loop over the argument vector. */
    abstract static class ValueAccumulator extends Accumulator {
        abstract void accept(int group, Object value);

        @Override
        void update(int[] groups, boolean[] include, FieldVector arg, int n) {
            Values.Reader r = Values.reader(arg);
            for (int i = 0; i < n; i++) {
                if (include != null && !include[i]) {
                    continue;
                }
                Object v = r.get(i);
                if (v != null) {
                    accept(groups[i], v);
                }
            }
        }
    }

    static final class Count extends ValueAccumulator {
        private final boolean star;
        private long[] counts = new long[16];

        Count(boolean star) {
            this.star = star;
        }

        @Override
        void grow(int count) {
            if (counts.length < count) {
                counts = Arrays.copyOf(counts, Math.max(count, counts.length * 2));
            }
        }

        @Override
        void update(int[] groups, boolean[] include, FieldVector arg, int n) {
            if (include == null && (star || arg.getNullCount() == 0)) {
                // Every row counts (COUNT(*), or a column without NULLs in this batch).
                for (int i = 0; i < n; i++) {
                    counts[groups[i]]++;
                }
                return;
            }
            for (int i = 0; i < n; i++) {
                if ((include == null || include[i]) && (star || !arg.isNull(i))) {
                    counts[groups[i]]++;
                }
            }
        }

        @Override
        void accept(int group, Object value) {
            counts[group]++;
        }

        @Override
        Object result(int group) {
            return counts[group];
        }

        @Override
        void merge(Accumulator other, int[] map, int groups) {
            long[] o = ((Count) other).counts;
            for (int g = 0; g < groups; g++) {
                if (map[g] >= 0) {
                    counts[map[g]] += o[g];
                }
            }
        }

        @Override
        void write(FieldVector out, int from, int n) {
            if (!(out instanceof BigIntVector v)) {
                super.write(out, from, n);
                return;
            }
            for (int i = 0; i < n; i++) {
                v.setSafe(i, counts[from + i]);
            }
        }
    }

    static final class Sum extends ValueAccumulator {
        private final DataType type;
        private final boolean zeroWhenEmpty;
        private boolean[] seen = new boolean[16];
        /** Values added per group, kept instead of {@link #seen} when an AVG shares this sum ({@link AvgOfSum}). */
        private long[] counts;
        private long[] longs;
        private double[] doubles;
        private BigDecimal[] decimals;
        private final DecimalSums decimalVectors = new DecimalSums();

        Sum(DataType type, boolean zeroWhenEmpty) {
            this.type = type;
            this.zeroWhenEmpty = zeroWhenEmpty;
            if (type instanceof DecimalType) {
                decimals = new BigDecimal[16];
            } else if (type == PrimitiveType.DOUBLE || type == PrimitiveType.FLOAT) {
                doubles = new double[16];
            } else {
                longs = new long[16];
            }
        }

        /** Counts the values per group from now on, for an {@link AvgOfSum} of the same DECIMAL argument. */
        void countValues() {
            if (decimals == null) {
                throw new IllegalStateException("only DECIMAL sums count their values for an AVG");
            }
            counts = new long[seen.length];
        }

        private boolean seen(int group) {
            return counts == null ? seen[group] : counts[group] > 0;
        }

        /** A group's exact sum (no precision check); null when nothing was added. DECIMAL sums only. */
        BigDecimal exactSum(int group) {
            if (!seen(group)) {
                return null;
            }
            BigDecimal fromVectors = decimalVectors.get(group);
            return plus(decimals[group], fromVectors);
        }

        @Override
        void grow(int count) {
            if (seen.length < count) {
                int size = Math.max(count, seen.length * 2);
                seen = Arrays.copyOf(seen, size);
                if (counts != null) {
                    counts = Arrays.copyOf(counts, size);
                }
                if (longs != null) {
                    longs = Arrays.copyOf(longs, size);
                } else if (doubles != null) {
                    doubles = Arrays.copyOf(doubles, size);
                } else {
                    decimals = Arrays.copyOf(decimals, size);
                }
            }
            decimalVectors.grow(count);
        }

        @Override
        void update(int[] groups, boolean[] include, FieldVector arg, int n) {
            if (decimals != null && arg instanceof DecimalVector d) {
                decimalVectors.add(groups, include, d, n, counts == null ? seen : null, counts);
                return;
            }
            if (longs != null && arg instanceof BaseIntVector ints) {
                for (int i = 0; i < n; i++) {
                    if ((include == null || include[i]) && !arg.isNull(i)) {
                        int g = groups[i];
                        longs[g] = addExact(longs[g], ints.getValueAsLong(i));
                        seen[g] = true;
                    }
                }
                return;
            }
            super.update(groups, include, arg, n);
        }

        private static long addExact(long a, long b) {
            try {
                return Math.addExact(a, b);
            } catch (ArithmeticException e) {
                throw new TarnException(ErrorCode.NUMERIC_OVERFLOW, "SUM overflows BIGINT", e);
            }
        }

        @Override
        void accept(int group, Object value) {
            seen[group] = true;
            if (counts != null) {
                counts[group]++;
            }
            if (longs != null) {
                longs[group] = addExact(longs[group], ((Number) value).longValue());
            } else if (doubles != null) {
                doubles[group] += ((Number) value).doubleValue();
            } else {
                BigDecimal v = Values.toBigDecimal((Number) value);
                decimals[group] = decimals[group] == null ? v : decimals[group].add(v);
            }
        }

        @Override
        Object result(int group) {
            if (!seen(group) && !zeroWhenEmpty) {
                return null;
            }
            if (longs != null) {
                return longs[group];
            }
            if (doubles != null) {
                return doubles[group];
            }
            BigDecimal d = decimals[group] == null ? BigDecimal.ZERO : decimals[group];
            BigDecimal fromVectors = decimalVectors.get(group);
            return Values.fitDecimal(fromVectors == null ? d : d.add(fromVectors), (DecimalType) type);
        }

        @Override
        void merge(Accumulator other, int[] map, int groups) {
            Sum o = (Sum) other;
            boolean vectors = decimals != null && decimalVectors.merge(o.decimalVectors, map, groups);
            for (int g = 0; g < groups; g++) {
                int into = map[g];
                if (into < 0 || !o.seen(g)) {
                    continue;
                }
                seen[into] = true;
                if (counts != null) {
                    counts[into] += o.counts[g];
                }
                if (longs != null) {
                    longs[into] = addExact(longs[into], o.longs[g]);
                } else if (doubles != null) {
                    doubles[into] += o.doubles[g];
                } else {
                    // The other state's vector sums join this one's BigDecimal part (result() adds both), unless
                    // they were merged as unscaled longs above.
                    BigDecimal add = vectors ? o.decimals[g] : plus(o.decimals[g], o.decimalVectors.get(g));
                    if (add != null) {
                        decimals[into] = plus(decimals[into], add);
                    }
                }
            }
        }

        @Override
        void write(FieldVector out, int from, int n) {
            if (longs != null && out instanceof BigIntVector v) {
                for (int i = 0; i < n; i++) {
                    int g = from + i;
                    if (!seen[g] && !zeroWhenEmpty) {
                        v.setNull(i);
                    } else {
                        v.setSafe(i, longs[g]);
                    }
                }
                return;
            }
            if (decimals != null && out instanceof DecimalVector v) {
                // Sums held exactly by an unscaled long at the output's scale are written as they are.
                for (int i = 0; i < n; i++) {
                    int g = from + i;
                    if (!seen(g) && !zeroWhenEmpty) {
                        v.setNull(i);
                    } else if (decimals[g] == null && decimalVectors.fitsLong(g, v.getScale(), v.getPrecision())) {
                        v.setSafe(i, decimalVectors.unscaled(g));
                    } else {
                        Object r = result(g);
                        v.setSafe(i, (BigDecimal) r);
                    }
                }
                return;
            }
            super.write(out, from, n);
        }
    }

    static final class Extreme extends ValueAccumulator {
        private final boolean max;
        private Object[] best = new Object[16];

        Extreme(boolean max) {
            this.max = max;
        }

        @Override
        void grow(int count) {
            if (best.length < count) {
                best = Arrays.copyOf(best, Math.max(count, best.length * 2));
            }
        }

        @Override
        void accept(int group, Object value) {
            Object b = best[group];
            if (b == null) {
                best[group] = value;
            } else {
                int c = Values.compare(value, b);
                if (max ? c > 0 : c < 0) {
                    best[group] = value;
                }
            }
        }

        @Override
        Object result(int group) {
            return best[group];
        }

        @Override
        void merge(Accumulator other, int[] map, int groups) {
            Object[] o = ((Extreme) other).best;
            for (int g = 0; g < groups; g++) {
                if (map[g] >= 0 && o[g] != null) {
                    accept(map[g], o[g]);
                }
            }
        }
    }

    static final class Avg extends ValueAccumulator {
        private final DataType type;
        private long[] counts = new long[16];
        private BigDecimal[] decimalSums = new BigDecimal[16];
        private double[] doubleSums = new double[16];
        private final DecimalSums decimalVectors = new DecimalSums();

        Avg(DataType type) {
            this.type = type;
        }

        @Override
        void grow(int count) {
            if (counts.length < count) {
                int size = Math.max(count, counts.length * 2);
                counts = Arrays.copyOf(counts, size);
                decimalSums = Arrays.copyOf(decimalSums, size);
                doubleSums = Arrays.copyOf(doubleSums, size);
            }
            decimalVectors.grow(count);
        }

        @Override
        void update(int[] groups, boolean[] include, FieldVector arg, int n) {
            if (type instanceof DecimalType && arg instanceof DecimalVector d) {
                decimalVectors.add(groups, include, d, n, null, counts);
                return;
            }
            super.update(groups, include, arg, n);
        }

        @Override
        void accept(int group, Object value) {
            counts[group]++;
            if (type instanceof DecimalType) {
                BigDecimal v = Values.toBigDecimal((Number) value);
                decimalSums[group] = decimalSums[group] == null ? v : decimalSums[group].add(v);
            } else {
                doubleSums[group] += ((Number) value).doubleValue();
            }
        }

        @Override
        Object result(int group) {
            long n = counts[group];
            if (n == 0) {
                return null;
            }
            if (type instanceof DecimalType d) {
                BigDecimal sum = decimalVectors.get(group);
                if (decimalSums[group] != null) {
                    sum = sum == null ? decimalSums[group] : sum.add(decimalSums[group]);
                }
                return Values.fitDecimal(sum.divide(BigDecimal.valueOf(n), d.scale(), RoundingMode.HALF_UP), d);
            }
            double avg = doubleSums[group] / n;
            return type instanceof PrimitiveType p && p.isIntegral() ? (Object) (long) avg : (Object) avg;
        }

        @Override
        void merge(Accumulator other, int[] map, int groups) {
            Avg o = (Avg) other;
            boolean vectors = decimalVectors.merge(o.decimalVectors, map, groups);
            for (int g = 0; g < groups; g++) {
                int into = map[g];
                if (into < 0) {
                    continue;
                }
                counts[into] += o.counts[g];
                doubleSums[into] += o.doubleSums[g];
                // The other state's vector sums join this one's BigDecimal part (result() adds both), unless they
                // were merged as unscaled longs above.
                BigDecimal add = vectors ? o.decimalSums[g] : plus(o.decimalSums[g], o.decimalVectors.get(g));
                if (add != null) {
                    decimalSums[into] = plus(decimalSums[into], add);
                }
            }
        }
    }

    /**
     * AVG of a DECIMAL argument that a SUM of the same call shape also adds up (TPC-H Q1: {@code SUM(l_quantity)}
     * and {@code AVG(l_quantity)}): the SUM counts its values and this divides its exact sum by the count, so the
     * argument is summed once. Its own update and merge do nothing; the SUM's do the work.
     */
    static final class AvgOfSum extends Accumulator {
        private final Sum sum;
        private final DecimalType type;

        AvgOfSum(Sum sum, DecimalType type) {
            this.sum = java.util.Objects.requireNonNull(sum, "sum is null");
            this.type = java.util.Objects.requireNonNull(type, "type is null");
            sum.countValues();
        }

        @Override
        void grow(int count) {
        }

        @Override
        void update(int[] groups, boolean[] include, FieldVector arg, int n) {
        }

        @Override
        Object result(int group) {
            BigDecimal total = sum.exactSum(group);
            if (total == null) {
                return null;
            }
            BigDecimal count = BigDecimal.valueOf(sum.counts[group]);
            return Values.fitDecimal(total.divide(count, type.scale(), RoundingMode.HALF_UP), type);
        }

        @Override
        void merge(Accumulator other, int[] map, int groups) {
        }
    }

    /** SINGLE_VALUE: a scalar subquery's value; more than one row is an error. */
    static final class SingleValue extends Accumulator {
        private Object[] values = new Object[16];
        private long[] counts = new long[16];

        @Override
        void grow(int count) {
            if (values.length < count) {
                int size = Math.max(count, values.length * 2);
                values = Arrays.copyOf(values, size);
                counts = Arrays.copyOf(counts, size);
            }
        }

        @Override
        void update(int[] groups, boolean[] include, FieldVector arg, int n) {
            Values.Reader r = Values.reader(arg);
            for (int i = 0; i < n; i++) {
                if (include == null || include[i]) {
                    int g = groups[i];
                    if (++counts[g] > 1) {
                        throw new TarnException(ErrorCode.INVALID_VALUE, "A scalar subquery returned more than one row");
                    }
                    values[g] = r.get(i);
                }
            }
        }

        @Override
        Object result(int group) {
            return values[group];
        }

        @Override
        void merge(Accumulator other, int[] map, int groups) {
            SingleValue o = (SingleValue) other;
            for (int g = 0; g < groups; g++) {
                int into = map[g];
                if (into < 0 || o.counts[g] == 0) {
                    continue;
                }
                counts[into] += o.counts[g];
                if (counts[into] > 1) {
                    throw new TarnException(ErrorCode.INVALID_VALUE, "A scalar subquery returned more than one row");
                }
                values[into] = o.values[g];
            }
        }
    }

    /** Calcite's LITERAL_AGG: the same constant for every group (used by its subquery rewrites). */
    static final class Literal extends Accumulator {
        private final Object value;

        Literal(Object value) {
            this.value = value;
        }

        @Override
        void grow(int count) {
        }

        @Override
        void update(int[] groups, boolean[] include, FieldVector arg, int n) {
        }

        @Override
        Object result(int group) {
            return value;
        }

        @Override
        void merge(Accumulator other, int[] map, int groups) {
        }
    }

    /**
     * Passes each group's first occurrence of a value to the wrapped accumulator. COUNT(DISTINCT) of an integer or
     * DATE column keeps its (group, value) pairs as primitives ({@link GroupLongSet}): the count never needs the
     * value itself.
     */
    static final class Distinct extends ValueAccumulator {
        private final ValueAccumulator inner;
        private final Set<Object> seen = new HashSet<>();
        private GroupLongSet longs;

        Distinct(ValueAccumulator inner) {
            this.inner = inner;
        }

        @Override
        void grow(int count) {
            inner.grow(count);
        }

        @Override
        void update(int[] groups, boolean[] include, FieldVector arg, int n) {
            if (!(inner instanceof Count count) || !(arg instanceof BaseIntVector || arg instanceof DateDayVector)) {
                super.update(groups, include, arg, n);
                return;
            }
            if (longs == null) {
                longs = new GroupLongSet();
            }
            boolean nulls = arg.getNullCount() > 0;
            BaseIntVector ints = arg instanceof BaseIntVector b ? b : null;
            DateDayVector dates = ints == null ? (DateDayVector) arg : null;
            for (int i = 0; i < n; i++) {
                if ((include != null && !include[i]) || (nulls && arg.isNull(i))) {
                    continue;
                }
                long v = ints != null ? ints.getValueAsLong(i) : dates.get(i);
                if (longs.add(groups[i], v)) {
                    count.counts[groups[i]]++;
                }
            }
        }

        @Override
        void accept(int group, Object value) {
            if (seen.add(new GroupValue(group, HashAggregateOperator.normalize(value)))) {
                inner.accept(group, value);
            }
        }

        @Override
        Object result(int group) {
            return inner.result(group);
        }

        /** Distinct values are merged value by value, so one seen by several workers still counts once. */
        @Override
        void merge(Accumulator other, int[] map, int groups) {
            Distinct o = (Distinct) other;
            for (Object v : o.seen) {
                GroupValue gv = (GroupValue) v;
                if (gv.group() < groups && map[gv.group()] >= 0) {
                    accept(map[gv.group()], gv.value());
                }
            }
            if (o.longs != null) {
                if (longs == null) {
                    longs = new GroupLongSet();
                }
                Count count = (Count) inner;
                o.longs.forEach((g, value) -> {
                    if (g < groups && map[g] >= 0 && longs.add(map[g], value)) {
                        count.counts[map[g]]++;
                    }
                });
            }
        }

        private record GroupValue(int group, Object value) {}
    }
}
