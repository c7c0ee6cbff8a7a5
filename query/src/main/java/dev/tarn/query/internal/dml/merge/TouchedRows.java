package dev.tarn.query.internal.dml.merge;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The target rows a MERGE deletes or updates, by data file and position, each recorded once. Recording a row a
 * second time is how a target row matched by several source rows is detected: harmless when every action on it is
 * a DELETE, an error when any of them is an UPDATE (which new value would win?).
 */
final class TouchedRows {
    /** What happened to a row. */
    enum Action { DELETE, UPDATE }

    /** The outcome of recording a row. */
    enum Outcome { NEW, REPEATED_DELETE, CONFLICT }

    private final Map<String, PositionMap> files = new LinkedHashMap<>();
    private PositionMap last;
    private String lastFile;
    private long rows;

    /** Records that {@code file}'s row at {@code position} is deleted or updated. */
    Outcome record(String file, long position, Action action) {
        PositionMap positions;
        if (file.equals(lastFile)) {
            positions = last;
        } else {
            positions = files.computeIfAbsent(file, f -> new PositionMap());
            last = positions;
            lastFile = file;
        }
        byte before = positions.putIfAbsent(position, (byte) (action.ordinal() + 1));
        if (before == 0) {
            rows++;
            return Outcome.NEW;
        }
        return before == Action.DELETE.ordinal() + 1 && action == Action.DELETE ? Outcome.REPEATED_DELETE
                : Outcome.CONFLICT;
    }

    /** Distinct rows recorded. */
    long rows() {
        return rows;
    }

    int files() {
        return files.size();
    }

    /** Each file with its recorded positions in ascending order. */
    void forEachFile(BiConsumer<String, long[]> consumer) {
        for (Map.Entry<String, PositionMap> e : files.entrySet()) {
            long[] positions = e.getValue().keys();
            Arrays.sort(positions);
            consumer.accept(e.getKey(), positions);
        }
    }

    /** Open addressing from a non-negative position to a non-zero byte, without boxing. */
    private static final class PositionMap {
        private long[] keys = new long[64];
        private byte[] values = new byte[64];
        private int size;

        /** The value already stored (then nothing changes), or 0 after storing {@code value}. */
        byte putIfAbsent(long key, byte value) {
            if (size * 2 >= keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            for (int slot = hash(key) & mask; ; slot = (slot + 1) & mask) {
                if (values[slot] == 0) {
                    keys[slot] = key;
                    values[slot] = value;
                    size++;
                    return 0;
                }
                if (keys[slot] == key) {
                    return values[slot];
                }
            }
        }

        long[] keys() {
            long[] out = new long[size];
            int n = 0;
            for (int i = 0; i < keys.length; i++) {
                if (values[i] != 0) {
                    out[n++] = keys[i];
                }
            }
            return out;
        }

        private void grow() {
            long[] oldKeys = keys;
            byte[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new byte[oldValues.length * 2];
            size = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldValues[i] != 0) {
                    putIfAbsent(oldKeys[i], oldValues[i]);
                }
            }
        }

        private static int hash(long key) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32));
        }
    }
}
