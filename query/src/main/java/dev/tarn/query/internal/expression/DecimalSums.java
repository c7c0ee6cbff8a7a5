package dev.tarn.query.internal.expression;

import java.math.BigDecimal;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.DecimalVector;

/**
 * Exact per-group sums of DECIMAL vectors for SUM and AVG, on unscaled longs: a group's long spills into a
 * BigDecimal only when adding would overflow, and a value that does not fit a long is added as a BigDecimal, so
 * the sum is exact whatever the values. All vectors added must have the same scale.
 */
public final class DecimalSums {
    /** Past this magnitude bound a batch's sums are added with overflow checks. */
    private static final long UNCHECKED_LIMIT = 1L << 62;
    /** Up to this many groups the bound is worth recomputing exactly when it grows too large. */
    private static final int RECOMPUTE_GROUPS = 1 << 16;

    /** Up to this many group slots, {@link #addFew} adds a batch in one pass into four partial sums per group. */
    private static final int SPLIT_GROUPS = 64;

    private int scale = -1;
    /** {@link #addFew}'s partial sums and counts: four per group slot. */
    private long[] partSums;
    private long[] partCounts;
    private long[] unscaled = new long[16];
    private BigDecimal[] spilled = new BigDecimal[16];
    /** An upper bound of every group's |unscaled| sum (Long.MAX_VALUE: unknown). */
    private long bound;

    /** Makes room for groups {@code [0, count)}. */
    public void grow(int count) {
        if (unscaled.length < count) {
            int size = Math.max(count, unscaled.length * 2);
            unscaled = Arrays.copyOf(unscaled, size);
            spilled = Arrays.copyOf(spilled, size);
        }
    }

    /**
     * Adds the non-null values of rows {@code [0, n)} to their groups ({@code groups[i]}), skipping rows whose
     * {@code include[i]} is false (include may be null); sets {@code seen[group]} and counts values per group in
     * {@code counts} when it is not null.
     */
    public void add(int[] groups, boolean[] include, DecimalVector v, int n, boolean[] seen, long[] counts) {
        if (scale < 0) {
            scale = v.getScale();
        } else if (scale != v.getScale()) {
            throw new IllegalArgumentException("DECIMAL sums of scale " + scale + " got a vector of scale " + v.getScale());
        }
        ArrowBuf data = v.getDataBuffer();
        if (include == null && v.getNullCount() == 0) {
            if (unscaled.length <= SPLIT_GROUPS && addFew(groups, data, n, seen, counts)) {
                return;
            }
            addAll(groups, data, n, seen, counts, v);
            return;
        }
        bound = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            if ((include != null && !include[i]) || v.isNull(i)) {
                continue;
            }
            int g = groups[i];
            if (seen != null) {
                seen[g] = true;
            }
            if (counts != null) {
                counts[g]++;
            }
            if (!DecimalLongs.fits(data, i)) {
                spill(g, v.getObject(i));
                continue;
            }
            long x = DecimalLongs.low(data, i);
            addChecked(g, x);
        }
    }

    /** Adds {@code x} to group {@code g}'s sum, moving the sum to {@link #spill} first when adding would overflow. */
    private void addChecked(int g, long x) {
        long sum = unscaled[g] + x;
        // Overflow iff both operands have the sign the sum lacks.
        if (((unscaled[g] ^ sum) & (x ^ sum)) < 0) {
            spill(g, BigDecimal.valueOf(unscaled[g], scale));
            unscaled[g] = x;
        } else {
            unscaled[g] = sum;
        }
    }

    /**
     * {@link #add} of every row (no FILTER, no NULLs): the loops read the unscaled longs straight from the buffer.
     * A first pass finds whether every value fits a long and how many bits the largest needs; when the groups'
     * sums then provably stay below 2^62 whatever the rows' groups, they are added without a check per row.
     */
    private void addAll(int[] groups, ArrowBuf data, int n, boolean[] seen, long[] counts, DecimalVector v) {
        long[] sums = unscaled;
        if (data.capacity() < (long) n * DecimalVector.TYPE_WIDTH) {
            throw new IllegalStateException("decimal vector holds fewer than " + n + " values");
        }
        // Checked once above: the loops read the values at their addresses.
        long address = data.memoryAddress();
        long wide = 0;
        long magnitudes = 0;
        for (int i = 0; i < n; i++) {
            long x = MemoryUtil.getLong(address + (long) i * DecimalVector.TYPE_WIDTH);
            long high = MemoryUtil.getLong(address + (long) i * DecimalVector.TYPE_WIDTH + 8);
            wide |= high ^ (x >> 63);
            magnitudes |= x ^ (x >> 63);
        }
        // Each |x| <= 2^bits, so the batch moves any group's sum by at most n * 2^bits.
        int bits = 64 - Long.numberOfLeadingZeros(magnitudes);
        int rowBits = 32 - Integer.numberOfLeadingZeros(n);
        if (wide == 0 && bits + rowBits < 61) {
            long batchBound = (long) n << bits;
            if (bound >= UNCHECKED_LIMIT - batchBound && unscaled.length <= RECOMPUTE_GROUPS) {
                bound = maxMagnitude();
            }
            if (bound < UNCHECKED_LIMIT - batchBound) {
                // One pass per shape: SUM marks its groups seen, AVG counts the values.
                if (seen != null && counts == null) {
                    for (int i = 0; i < n; i++) {
                        int g = groups[i];
                        sums[g] += MemoryUtil.getLong(address + (long) i * DecimalVector.TYPE_WIDTH);
                        seen[g] = true;
                    }
                } else if (seen == null && counts != null) {
                    for (int i = 0; i < n; i++) {
                        int g = groups[i];
                        sums[g] += MemoryUtil.getLong(address + (long) i * DecimalVector.TYPE_WIDTH);
                        counts[g]++;
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        sums[groups[i]] += MemoryUtil.getLong(address + (long) i * DecimalVector.TYPE_WIDTH);
                    }
                    markAndCount(groups, n, seen, counts);
                }
                bound += batchBound;
                return;
            }
        }
        bound = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            int g = groups[i];
            long x = MemoryUtil.getLong(address + (long) i * DecimalVector.TYPE_WIDTH);
            long high = MemoryUtil.getLong(address + (long) i * DecimalVector.TYPE_WIDTH + 8);
            if (high != (x >> 63)) {
                spill(g, v.getObject(i));
                continue;
            }
            addChecked(g, x);
        }
        markAndCount(groups, n, seen, counts);
    }

    /**
     * {@link #add} of every row (no FILTER, no NULLs) when the groups are few (TPC-H Q1's four): one pass reads
     * each value, checks that it fits a long and adds it to one of four partial sums of its group by row position,
     * so consecutive rows of one group do not wait on each other's store; the partials then join the sums with an
     * overflow check per group. False, and nothing added, when some value does not fit or the batch could overflow
     * a partial; then the caller adds the batch row by row.
     */
    private boolean addFew(int[] groups, ArrowBuf data, int n, boolean[] seen, long[] counts) {
        if (data.capacity() < (long) n * DecimalVector.TYPE_WIDTH) {
            throw new IllegalStateException("decimal vector holds fewer than " + n + " values");
        }
        int len = unscaled.length;
        if (partSums == null || partSums.length < 4 * len) {
            partSums = new long[4 * len];
            partCounts = new long[4 * len];
        } else {
            Arrays.fill(partSums, 0, 4 * len, 0L);
        }
        long[] p = partSums;
        // Checked once above: the loop reads the values at their addresses.
        long address = data.memoryAddress();
        long wide = 0;
        long magnitudes = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            long at = address + (long) i * DecimalVector.TYPE_WIDTH;
            long x0 = MemoryUtil.getLong(at);
            long x1 = MemoryUtil.getLong(at + 16);
            long x2 = MemoryUtil.getLong(at + 32);
            long x3 = MemoryUtil.getLong(at + 48);
            wide |= (MemoryUtil.getLong(at + 8) ^ (x0 >> 63)) | (MemoryUtil.getLong(at + 24) ^ (x1 >> 63))
                    | (MemoryUtil.getLong(at + 40) ^ (x2 >> 63)) | (MemoryUtil.getLong(at + 56) ^ (x3 >> 63));
            magnitudes |= (x0 ^ (x0 >> 63)) | (x1 ^ (x1 >> 63)) | (x2 ^ (x2 >> 63)) | (x3 ^ (x3 >> 63));
            p[groups[i]] += x0;
            p[len + groups[i + 1]] += x1;
            p[2 * len + groups[i + 2]] += x2;
            p[3 * len + groups[i + 3]] += x3;
        }
        for (; i < n; i++) {
            long at = address + (long) i * DecimalVector.TYPE_WIDTH;
            long x = MemoryUtil.getLong(at);
            wide |= MemoryUtil.getLong(at + 8) ^ (x >> 63);
            magnitudes |= x ^ (x >> 63);
            p[groups[i]] += x;
        }
        // Each |x| <= 2^bits, so no partial (and no total of the four) passes n * 2^bits < 2^61.
        int bits = 64 - Long.numberOfLeadingZeros(magnitudes);
        int rowBits = 32 - Integer.numberOfLeadingZeros(n);
        if (wide != 0 || bits + rowBits >= 61) {
            return false;
        }
        bound = Long.MAX_VALUE;
        for (int g = 0; g < len; g++) {
            long x = p[g] + p[len + g] + p[2 * len + g] + p[3 * len + g];
            addChecked(g, x);
        }
        if (seen != null) {
            for (int r = 0; r < n; r++) {
                seen[groups[r]] = true;
            }
        }
        if (counts != null) {
            long[] c = partCounts;
            Arrays.fill(c, 0, 4 * len, 0L);
            int r = 0;
            for (; r + 4 <= n; r += 4) {
                c[groups[r]]++;
                c[len + groups[r + 1]]++;
                c[2 * len + groups[r + 2]]++;
                c[3 * len + groups[r + 3]]++;
            }
            for (; r < n; r++) {
                c[groups[r]]++;
            }
            for (int g = 0; g < len; g++) {
                counts[g] += c[g] + c[len + g] + c[2 * len + g] + c[3 * len + g];
            }
        }
        return true;
    }

    /** The largest |sum| of any group (a group beyond those used holds zero). */
    private long maxMagnitude() {
        long max = 0;
        for (long x : unscaled) {
            // |Long.MIN_VALUE| does not fit: it counts as the largest.
            max = Math.max(max, x == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(x));
        }
        return max;
    }

    private static void markAndCount(int[] groups, int n, boolean[] seen, long[] counts) {
        if (seen != null) {
            for (int i = 0; i < n; i++) {
                seen[groups[i]] = true;
            }
        }
        if (counts != null) {
            for (int i = 0; i < n; i++) {
                counts[groups[i]]++;
            }
        }
    }

    private void spill(int group, BigDecimal value) {
        spilled[group] = spilled[group] == null ? value : spilled[group].add(value);
    }

    /**
     * Adds another state's sums (a parallel worker's): its group {@code g} into this state's group {@code map[g]},
     * for {@code g < groups} and {@code map[g] >= 0}, as unscaled longs (spilling on overflow). False, and nothing
     * added, when the two states hold different scales; then the caller adds {@link #get} values itself.
     */
    public boolean merge(DecimalSums other, int[] map, int groups) {
        if (other.scale < 0) {
            return true;
        }
        if (scale < 0) {
            scale = other.scale;
        } else if (scale != other.scale) {
            return false;
        }
        bound = Long.MAX_VALUE;
        for (int g = 0; g < groups; g++) {
            int into = map[g];
            if (into < 0) {
                continue;
            }
            addChecked(into, other.unscaled[g]);
            if (other.spilled[g] != null) {
                spill(into, other.spilled[g]);
            }
        }
        return true;
    }

    /**
     * Whether a group's sum is exactly {@link #unscaled} at {@code scale} (nothing spilled, the vectors' scale is
     * {@code scale}) and has at most {@code precision} digits.
     */
    public boolean fitsLong(int group, int scale, int precision) {
        return this.scale == scale && spilled[group] == null && DecimalLongs.fitsPrecision(unscaled[group], precision);
    }

    /** A group's unscaled long sum (see {@link #fitsLong}). */
    public long unscaled(int group) {
        return unscaled[group];
    }

    /** The sum of a group (zero when nothing was added), at the vectors' scale; null when no vector was added. */
    public BigDecimal get(int group) {
        if (scale < 0) {
            return null;
        }
        BigDecimal sum = BigDecimal.valueOf(unscaled[group], scale);
        return spilled[group] == null ? sum : sum.add(spilled[group]);
    }
}
