package dev.tarn.query.internal.operator;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.internal.expression.Values;
import java.util.Arrays;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * One probe instance's lookups into a built {@link JoinTable}: {@link #prepare} reads a probe batch's key columns
 * once (typed longs and hashes, normalized bytes, or boxed keys when the probe's key types differ from the build's),
 * then {@link #find} returns each row's matching build rows. Not thread-safe: each worker has its own.
 */
final class JoinProbe {
    private enum Path { DIRECT_UNIQUE, DIRECT, TYPED, NORMALIZED, OBJECT }

    private final JoinTable table;
    private final int[] keys;
    private Path path;
    private long[] found = new long[16];
    private long[][] values = new long[0][];
    private long[] hashes = new long[0];
    private int[] starts = new int[0];
    private long[] uniqueRefs = new long[0];
    private boolean[] nullKey = new boolean[0];
    private NormalizedKeys encoded;
    private Map<Object, long[]> objects;
    private Values.Reader[] readers;

    JoinProbe(JoinTable table, int[] keys) {
        this.table = requireNonNull(table, "table is null");
        this.keys = keys.clone();
    }

    /** Reads the key columns of rows {@code [0, n)} of {@code batch}, the batch later {@link #find} calls refer to. */
    void prepare(VectorSchemaRoot batch, int n) {
        if (table.typedFor(batch, keys)) {
            if (starts.length < n) {
                values = new long[keys.length][n];
                hashes = new long[n];
                nullKey = new boolean[n];
                starts = new int[n];
            }
            if (table.isDirect()) {
                path = Path.DIRECT;
                FieldVector v = batch.getVector(keys[0]);
                JoinTable.readLongs(v, n, values[0]);
                Arrays.fill(nullKey, 0, n, false);
                if (v.getNullCount() > 0) {
                    for (int i = 0; i < n; i++) {
                        nullKey[i] = v.isNull(i);
                    }
                }
                if (table.isDirectUnique()) {
                    path = Path.DIRECT_UNIQUE;
                    if (uniqueRefs.length < n) {
                        uniqueRefs = new long[starts.length];
                    }
                    table.directRefs(values[0], nullKey, n, uniqueRefs);
                } else {
                    table.directStarts(values[0], nullKey, n, starts);
                }
                return;
            }
            path = Path.TYPED;
            JoinTable.hash(batch, keys, n, values, hashes, nullKey);
            table.buckets(hashes, n, starts);
        } else if (table.normalizedFor(batch, keys)) {
            path = Path.NORMALIZED;
            if (encoded == null) {
                encoded = new NormalizedKeys();
            }
            encoded.encode(batch, keys, n);
        } else {
            path = Path.OBJECT;
            if (objects == null) {
                objects = table.objectTable();
            }
            readers = HashJoinOperator.readers(batch, keys);
        }
    }

    /**
     * The build rows whose key equals row {@code row}'s ({@code [count, ref...]}, refs in build input order), or null
     * when there are none or the row's key has a NULL. The array is reused: read it before the next call.
     */
    long[] find(int row) {
        long[] refs;
        switch (path) {
            case DIRECT_UNIQUE -> {
                long ref = uniqueRefs[row];
                if (ref < 0) {
                    refs = null;
                } else {
                    found[0] = 1;
                    found[1] = ref;
                    refs = found;
                }
            }
            case DIRECT -> {
                refs = table.findDirect(starts[row], found);
                if (refs != null) {
                    found = refs;
                }
            }
            case TYPED -> {
                refs = nullKey[row] ? null : table.find(hashes[row], starts[row], values, row, found);
                if (refs != null) {
                    found = refs;
                }
            }
            case NORMALIZED -> {
                refs = encoded.anyNull[row] ? null : table.find(encoded, row, found);
                if (refs != null) {
                    found = refs;
                }
            }
            default -> {
                Object key = HashJoinOperator.key(readers, row);
                refs = key == null ? null : objects.get(key);
            }
        }
        return refs;
    }
}
