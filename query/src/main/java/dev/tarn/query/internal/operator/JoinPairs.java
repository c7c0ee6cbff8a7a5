package dev.tarn.query.internal.operator;

import java.util.Arrays;

/**
 * The candidate pairs of one probe batch: probe row {@code probe[i]} with build row reference {@code build[i]}
 * ({@code batch << 32 | row}, or -1 for none: outer join padding), {@code i < count}. The arrays grow as needed and
 * are reused batch after batch; the join operators read and compact them in place. Not thread-safe.
 */
final class JoinPairs {
    int[] probe = new int[0];
    long[] build = new long[0];
    int count;

    void add(int probeRow, long buildRef) {
        if (count == probe.length) {
            int size = Math.max(1024, count * 2);
            probe = Arrays.copyOf(probe, size);
            build = Arrays.copyOf(build, size);
        }
        probe[count] = probeRow;
        build[count] = buildRef;
        count++;
    }
}
