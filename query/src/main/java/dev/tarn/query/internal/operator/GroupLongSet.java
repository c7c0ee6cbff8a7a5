package dev.tarn.query.internal.operator;

/**
 * A set of (group id, long value) pairs with no object per pair: the distinct integer values of each group for
 * {@code COUNT(DISTINCT x)} (TPC-H Q16's {@code COUNT(DISTINCT ps_suppkey)}), open addressing over two parallel
 * arrays.
 */
final class GroupLongSet {
    private long[] values = new long[1024];
    /** Group id + 1 per slot; 0 marks an empty slot. */
    private int[] groups = new int[1024];
    private int size;

    int size() {
        return size;
    }

    /** Adds the pair; whether it was new. */
    boolean add(int group, long value) {
        if (size * 2 >= values.length) {
            grow();
        }
        int mask = values.length - 1;
        int tag = group + 1;
        for (int s = hash(group, value) & mask; ; s = (s + 1) & mask) {
            int g = groups[s];
            if (g == 0) {
                groups[s] = tag;
                values[s] = value;
                size++;
                return true;
            }
            if (g == tag && values[s] == value) {
                return false;
            }
        }
    }

    /** Calls {@code action} with every pair. */
    void forEach(PairAction action) {
        for (int s = 0; s < groups.length; s++) {
            if (groups[s] != 0) {
                action.accept(groups[s] - 1, values[s]);
            }
        }
    }

    interface PairAction {
        void accept(int group, long value);
    }

    private void grow() {
        long[] oldValues = values;
        int[] oldGroups = groups;
        values = new long[oldValues.length * 2];
        groups = new int[oldGroups.length * 2];
        int mask = values.length - 1;
        for (int o = 0; o < oldGroups.length; o++) {
            if (oldGroups[o] == 0) {
                continue;
            }
            int s = hash(oldGroups[o] - 1, oldValues[o]) & mask;
            while (groups[s] != 0) {
                s = (s + 1) & mask;
            }
            groups[s] = oldGroups[o];
            values[s] = oldValues[o];
        }
    }

    private static int hash(int group, long value) {
        long h = (value ^ ((long) group << 32 | group)) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }
}
