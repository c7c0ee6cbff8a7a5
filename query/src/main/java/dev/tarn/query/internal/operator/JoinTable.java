package dev.tarn.query.internal.operator;

import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.MemoryAccount;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.expression.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A hash join's build side: the build input's batches (copied, in input order) and a hash table from key to the
 * rows holding it, each row as {@code batch << 32 | row}. Read-only once built, so parallel probes share one.
 * The copies count against the statement's allocator and the hash table against a {@link MemoryAccount}.
 *
 * <p>When every key column is an integer, date or timestamp vector, the table is typed: key values are read into
 * long arrays column by column, hashed per batch, and kept in a chained table of row numbers (rows of one bucket in
 * input order), so no key objects exist; a probe whose key vectors have the same classes compares longs. Keys of
 * other types (strings, decimals, doubles, booleans, mixed columns) are {@link NormalizedKeys normalized} into bytes
 * and kept in a {@link KeyTable} of distinct keys, each with its rows in input order. Any other probe falls back to
 * the boxed-key map, built on first use.
 *
 * <p>A typed table of one key column whose values span at most {@value #DIRECT_SPAN} times its row count (surrogate
 * keys such as TPC-H's: 150K customers keyed 1 to 150,000) is also addressed directly: {@code direct[key - min]}
 * holds the key's first row, chained to its other rows, so a probe neither hashes nor compares keys and touches one
 * int array slot and the entries of its matches.
 */
final class JoinTable implements AutoCloseable {
    /** A one-column typed table is addressed directly when its key range is at most this many times its rows. */
    static final int DIRECT_SPAN = 4;
    /**
     * Up to this many times its rows (and {@value #MAX_SPARSE_RANGE} values), a one-column key range is addressed
     * through a rank bitmap ({@link #rankIndex}): 0.19 bytes per value of the range instead of a hash table.
     */
    static final int SPARSE_SPAN = 64;
    static final long MAX_SPARSE_RANGE = 1L << 30;
    /** Estimated heap bytes per build row in the hash table (entry, key object, row reference). */
    private static final long BYTES_PER_ROW = 96;

    final List<VectorSchemaRoot> batches = new ArrayList<>();
    private Map<Object, long[]> table;
    private final MemoryAccount account;
    private int[] keys;
    /**
     * Typed table: key vector classes, and per build row with no NULL key one entry of {@code stride} longs in
     * {@code entries}: its hash, the next row of its bucket's chain (-1 ends it), its ref, then its key values. One
     * entry is one cache line or less, so a probe pays one miss per chained row, not one per array.
     */
    private Class<?>[] keyClasses;
    private long[] entries;
    private int stride;
    private int rows;
    private int[] heads;
    /**
     * Direct addressing (one key column over a dense range), else null: {@code direct[key - directMin]} is one more
     * than the key's first row ({@code 0}: no row); the entries' next field chains the rows of that key only.
     */
    private int[] direct;
    /**
     * Direct addressing of unique keys (each value at most once, as a primary key's): {@code directRefs[key -
     * directMin]} is the key's row reference, or -1; then {@link #direct} is null.
     */
    private long[] directRefs;
    private long directMin;
    /** The width of the direct key range: keys {@code [directMin, directMin + directSpan)}. */
    private long directSpan;
    /**
     * Sparse direct addressing (a key range too wide for a slot per value, such as TPC-H's order keys, a quarter of
     * whose range is used, filtered by date), else null: per 64 values of the range a word of presence bits and the
     * number of keys present before it, side by side ({@code [2w]} bits, {@code [2w + 1]} rank), so a key's slot in
     * {@link #direct} or {@link #directRefs} is its rank among the keys present and a lookup reads one cache line.
     * Probes that arrive ordered by key (lineitem by l_orderkey) walk it sequentially.
     */
    private long[] rankIndex;
    /** Normalized table (other key types): column kinds, distinct keys, refs grouped by key id from keyStarts. */
    private long[] refs;
    private String[] keyKinds;
    private KeyTable keyTable;
    private int[] rowKeys;
    private int[] keyStarts;

    /** Build row numbers across batches: batch b's rows are {@code [rowStarts[b], rowStarts[b + 1])}. */
    private int[] rowStarts;

    private JoinTable(MemoryAccount account) {
        this.account = account;
    }

    static JoinTable build(Operator build, int[] keys, ExecutionContext context) {
        JoinTable t = new JoinTable(new MemoryAccount(context, "HashJoin build"));
        t.keys = keys.clone();
        try {
            while (true) {
                VectorSchemaRoot batch;
                try {
                    batch = Batches.nextOwned(build, build.columns(), context.allocator());
                } catch (OutOfMemoryException e) {
                    throw context.memoryLimitExceeded("HashJoin build", e);
                }
                if (batch == null) {
                    break;
                }
                if (batch.getRowCount() == 0) {
                    batch.close();
                    continue;
                }
                t.add(batch, keys);
                context.checkCancelled();
            }
            t.rowStarts = new int[t.batches.size() + 1];
            for (int b = 0; b < t.batches.size(); b++) {
                t.rowStarts[b + 1] = t.rowStarts[b] + t.batches.get(b).getRowCount();
            }
            if (t.keyClasses != null) {
                t.link();
            } else if (t.keyKinds != null) {
                t.linkNormalized();
            } else {
                t.objectTable();
            }
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /** Adds a batch this table now owns (a copy of the build input's, {@link Batches#nextOwned}). */
    private void add(VectorSchemaRoot copy, int[] keys) {
        int b = batches.size();
        batches.add(copy);
        account.add(BYTES_PER_ROW * copy.getRowCount());
        if (b == 0) {
            keyClasses = typedKeyClasses(copy, keys);
            if (keyClasses == null) {
                keyKinds = NormalizedKeys.kinds(copy, keys);
            }
        }
        if (keyClasses != null) {
            addTyped(copy, b);
        } else if (keyKinds != null) {
            addNormalized(copy, b);
        }
    }

    /** Normalized table: each build row with no NULL key gets its distinct key's id; refs are grouped later. */
    private void addNormalized(VectorSchemaRoot copy, int b) {
        int n = copy.getRowCount();
        if (!Arrays.equals(NormalizedKeys.kinds(copy, keys), keyKinds)) {
            throw new IllegalStateException("join key column types changed between build batches");
        }
        if (keyTable == null) {
            keyTable = new KeyTable();
            refs = new long[Math.max(16, n)];
            rowKeys = new int[Math.max(16, n)];
        }
        if (rows + n > refs.length) {
            int size = Math.max(rows + n, refs.length * 2);
            refs = Arrays.copyOf(refs, size);
            rowKeys = Arrays.copyOf(rowKeys, size);
        }
        long tableBytes = keyTable.bytes();
        NormalizedKeys encoded = new NormalizedKeys();
        encoded.encode(copy, keys, n);
        for (int i = 0; i < n; i++) {
            if (!encoded.anyNull[i]) {
                rowKeys[rows] = keyTable.add(encoded, i);
                refs[rows] = ((long) b << 32) | i;
                rows++;
            }
        }
        account.add(keyTable.bytes() - tableBytes);
    }

    /** Orders the normalized table's refs by key id (input order within a key): key k's rows are a range. */
    private void linkNormalized() {
        if (keyTable == null) {
            keyTable = new KeyTable();
        }
        int keysCount = keyTable.size();
        keyStarts = new int[keysCount + 1];
        for (int r = 0; r < rows; r++) {
            keyStarts[rowKeys[r] + 1]++;
        }
        for (int k = 0; k < keysCount; k++) {
            keyStarts[k + 1] += keyStarts[k];
        }
        int[] cursor = Arrays.copyOf(keyStarts, keysCount);
        long[] ordered = new long[rows];
        for (int r = 0; r < rows; r++) {
            ordered[cursor[rowKeys[r]]++] = refs[r];
        }
        refs = ordered;
        rowKeys = null;
    }

    /** The number of build rows (NULL keys included). */
    int rowCount() {
        return rowStarts[batches.size()];
    }

    /** The build row number (0 to {@link #rowCount()}, in input order) of a {@code batch << 32 | row} reference. */
    int rowNumber(long ref) {
        return rowStarts[(int) (ref >>> 32)] + (int) ref;
    }

    /** The first row number of build batch {@code batch}. */
    int batchStart(int batch) {
        return rowStarts[batch];
    }

    /** Whether a probe batch's key columns can use the normalized table. */
    boolean normalizedFor(VectorSchemaRoot probe, int[] probeKeys) {
        return keyStarts != null && Arrays.equals(NormalizedKeys.kinds(probe, probeKeys), keyKinds);
    }

    /**
     * Normalized lookup of row {@code row} of {@code probe} (encoded from the probe batch, its key not NULL): as
     * {@link #find(long, long[][], int, long[])}.
     */
    long[] find(NormalizedKeys probe, int row, long[] found) {
        int key = keyTable.find(probe, row);
        if (key < 0) {
            return null;
        }
        int from = keyStarts[key];
        int count = keyStarts[key + 1] - from;
        if (count + 1 > found.length) {
            found = new long[Math.max(count + 1, found.length * 2)];
        }
        System.arraycopy(refs, from, found, 1, count);
        found[0] = count;
        return found;
    }

    /** The key vectors' classes when all of them hold integers, dates or timestamps (read as longs); else null. */
    static Class<?>[] typedKeyClasses(VectorSchemaRoot batch, int[] keys) {
        if (keys.length == 0) {
            return null;
        }
        Class<?>[] classes = new Class<?>[keys.length];
        for (int k = 0; k < keys.length; k++) {
            FieldVector v = batch.getVector(keys[k]);
            if (!(v instanceof BigIntVector || v instanceof IntVector || v instanceof SmallIntVector
                    || v instanceof TinyIntVector || v instanceof DateDayVector || v instanceof TimeStampMicroVector
                    || v instanceof TimeStampMicroTZVector)) {
                return null;
            }
            classes[k] = v.getClass();
        }
        return classes;
    }

    /** Reads key column {@code v} of an integer, date or timestamp vector as longs (NULL slots read as garbage). */
    static void readLongs(FieldVector v, int n, long[] into) {
        ArrowBuf data = v.getDataBuffer();
        if (v instanceof BigIntVector || v instanceof TimeStampMicroVector || v instanceof TimeStampMicroTZVector) {
            for (int i = 0; i < n; i++) {
                into[i] = data.getLong((long) i * 8);
            }
        } else if (v instanceof IntVector || v instanceof DateDayVector) {
            for (int i = 0; i < n; i++) {
                into[i] = data.getInt((long) i * 4);
            }
        } else if (v instanceof SmallIntVector) {
            for (int i = 0; i < n; i++) {
                into[i] = data.getShort((long) i * 2);
            }
        } else {
            for (int i = 0; i < n; i++) {
                into[i] = data.getByte(i);
            }
        }
    }

    /** Hashes of rows {@code [0, n)} from their key columns' long values; also marks rows with a NULL key. */
    static void hash(VectorSchemaRoot batch, int[] keys, int n, long[][] values, long[] hashes, boolean[] nullKey) {
        Arrays.fill(hashes, 0, n, 0x5bd1e995L);
        Arrays.fill(nullKey, 0, n, false);
        for (int k = 0; k < keys.length; k++) {
            FieldVector v = batch.getVector(keys[k]);
            long[] column = values[k];
            readLongs(v, n, column);
            for (int i = 0; i < n; i++) {
                hashes[i] = (hashes[i] ^ column[i]) * 0x9E3779B97F4A7C15L;
            }
            if (v.getNullCount() > 0) {
                for (int i = 0; i < n; i++) {
                    nullKey[i] |= v.isNull(i);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            long h = hashes[i];
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            hashes[i] = h;
        }
    }

    private void addTyped(VectorSchemaRoot copy, int b) {
        int n = copy.getRowCount();
        long[][] values = new long[keys.length][n];
        long[] h = new long[n];
        boolean[] nullKey = new boolean[n];
        hash(copy, keys, n, values, h, nullKey);
        if (entries == null) {
            stride = 3 + keys.length;
            entries = new long[Math.max(16, n) * stride];
        }
        long needed = (long) (rows + n) * stride;
        if (needed > entries.length) {
            long size = Math.max(needed, entries.length * 2L);
            if (size > Integer.MAX_VALUE - 16) {
                size = needed;
                if (size > Integer.MAX_VALUE - 16) {
                    throw new IllegalStateException("hash join build side exceeds " + rows + " rows");
                }
            }
            entries = Arrays.copyOf(entries, (int) size);
        }
        long[] e = entries;
        for (int i = 0; i < n; i++) {
            if (!nullKey[i]) {
                int at = rows * stride;
                e[at] = h[i];
                e[at + 2] = ((long) b << 32) | i;
                for (int k = 0; k < keys.length; k++) {
                    e[at + 3 + k] = values[k][i];
                }
                rows++;
            }
        }
    }

    /** Chains the typed rows into buckets, each bucket's rows in input order (pushed front from the last row). */
    private void link() {
        if (linkDirect()) {
            return;
        }
        int capacity = Integer.highestOneBit(Math.max(16, rows) * 2 - 1) << 1;
        heads = new int[capacity];
        Arrays.fill(heads, -1);
        int mask = capacity - 1;
        for (int g = rows - 1; g >= 0; g--) {
            int at = g * stride;
            int bucket = (int) entries[at] & mask;
            entries[at + 1] = heads[bucket];
            heads[bucket] = g;
        }
    }

    /**
     * Direct addressing when there is one key column and its range is dense enough ({@link #direct}), or not too
     * sparse ({@link #rankIndex}).
     */
    private boolean linkDirect() {
        if (stride != 4 || rows == 0) {
            return false;
        }
        long[] e = entries;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int g = 0; g < rows; g++) {
            long v = e[g * 4 + 3];
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        long span = max - min + 1; // may overflow to <= 0 for extreme ranges: then not direct
        if (span <= 0) {
            return false;
        }
        boolean dense = span <= (long) DIRECT_SPAN * Math.max(rows, 256) && span <= Integer.MAX_VALUE - 16;
        if (!dense && (span > (long) SPARSE_SPAN * rows || span > MAX_SPARSE_RANGE)) {
            return false;
        }
        directMin = min;
        directSpan = span;
        int slots;
        if (dense) {
            slots = (int) span;
        } else {
            int words = (int) ((span + 63) >>> 6);
            account.add(16L * words);
            long[] index = new long[2 * words];
            for (int g = 0; g < rows; g++) {
                long d = e[g * 4 + 3] - min;
                index[(int) (d >>> 6) * 2] |= 1L << d;
            }
            int present = 0;
            for (int w = 0; w < words; w++) {
                index[2 * w + 1] = present;
                present += Long.bitCount(index[2 * w]);
            }
            rankIndex = index;
            slots = present;
        }
        account.add(4L * slots);
        int[] d = new int[slots];
        boolean unique = true;
        for (int g = rows - 1; g >= 0; g--) {
            int at = g * 4;
            int slot = slot(e[at + 3]);
            unique &= d[slot] == 0;
            e[at + 1] = d[slot] - 1;
            d[slot] = g + 1;
        }
        if (!unique) {
            direct = d;
            return true;
        }
        // Unique keys: the slot holds the row's reference itself, so a probe reads one array, not also the entry.
        account.add(8L * slots);
        long[] refsBySlot = new long[slots];
        Arrays.fill(refsBySlot, -1L);
        for (int g = 0; g < rows; g++) {
            refsBySlot[slot(e[g * 4 + 3])] = e[g * 4 + 2];
        }
        directRefs = refsBySlot;
        return true;
    }

    /** The direct slot of key {@code key}, or -1 when no build row has it (a NULL key must not be asked). */
    private int slot(long key) {
        long d = key - directMin;
        if (Long.compareUnsigned(d, directSpan) >= 0) {
            return -1; // unsigned: a value below the minimum wraps to a huge offset
        }
        long[] index = rankIndex;
        if (index == null) {
            return (int) d;
        }
        int w = (int) (d >>> 6) * 2;
        long bits = index[w];
        long bit = 1L << d;
        return (bits & bit) == 0 ? -1 : (int) index[w + 1] + Long.bitCount(bits & (bit - 1));
    }

    /** Whether the direct addressing goes through the rank bitmap (a sparse key range). */
    boolean isRanked() {
        return rankIndex != null;
    }

    /** Whether the table is addressed directly by unique keys: probes use {@link #directRefs}. */
    boolean isDirectUnique() {
        return directRefs != null;
    }

    /**
     * Direct lookup of unique keys, rows {@code [0, n)}: each one's build row reference, or -1 for none or a NULL key,
     * into {@code refs}. The loads are independent, so a large table's cache misses overlap.
     */
    void directRefs(long[] keyValues, boolean[] nullKey, int n, long[] refs) {
        long[] d = directRefs;
        if (rankIndex != null) {
            for (int i = 0; i < n; i++) {
                int slot = nullKey[i] ? -1 : slot(keyValues[i]);
                refs[i] = slot < 0 ? -1L : d[slot];
            }
            return;
        }
        long min = directMin;
        long span = d.length;
        for (int i = 0; i < n; i++) {
            long slot = keyValues[i] - min;
            refs[i] = Long.compareUnsigned(slot, span) < 0 && !nullKey[i] ? d[(int) slot] : -1L;
        }
    }

    /**
     * Whether the typed table is addressed directly (one key column): probes use {@link #directStarts}, or
     * {@link #directRefs} when the keys are unique.
     */
    boolean isDirect() {
        return direct != null || directRefs != null;
    }

    /**
     * Direct lookup of rows {@code [0, n)}: the first build row holding each key value ({@code -1} for none or a NULL
     * key) into {@code starts}; the rows are then read with {@link #findDirect}.
     */
    void directStarts(long[] keyValues, boolean[] nullKey, int n, int[] starts) {
        int[] d = direct;
        if (rankIndex != null) {
            for (int i = 0; i < n; i++) {
                int slot = nullKey[i] ? -1 : slot(keyValues[i]);
                starts[i] = slot < 0 ? -1 : d[slot] - 1;
            }
            return;
        }
        long min = directMin;
        long span = d.length;
        for (int i = 0; i < n; i++) {
            long slot = keyValues[i] - min;
            // Unsigned: a value below the minimum wraps to a huge slot.
            starts[i] = Long.compareUnsigned(slot, span) < 0 && !nullKey[i] ? d[(int) slot] - 1 : -1;
        }
    }

    /**
     * The build rows chained from {@code start} (every one holds the probe's key) as {@link #find}, or null when
     * {@code start} is -1.
     */
    long[] findDirect(int start, long[] found) {
        if (start < 0) {
            return null;
        }
        long[] e = entries;
        int count = 0;
        for (int g = start; g >= 0; g = (int) e[g * 4 + 1]) {
            if (count + 1 >= found.length) {
                found = Arrays.copyOf(found, found.length * 2);
            }
            found[++count] = e[g * 4 + 2];
        }
        found[0] = count;
        return found;
    }

    /** Whether a probe batch's key vectors can use the typed table. */
    boolean typedFor(VectorSchemaRoot probe, int[] probeKeys) {
        if (heads == null && !isDirect()) {
            return false;
        }
        Class<?>[] classes = typedKeyClasses(probe, probeKeys);
        return classes != null && Arrays.equals(classes, keyClasses);
    }

    /**
     * First pass of a typed probe: the first chained row of each of rows {@code [0, n)} ({@code -1} for an empty
     * bucket) into {@code starts[i]}. The loads are independent of each other, so the cache misses of a large table
     * overlap instead of queueing up one row at a time.
     */
    void buckets(long[] probeHashes, int n, int[] starts) {
        int[] h = heads;
        int mask = h.length - 1;
        for (int i = 0; i < n; i++) {
            starts[i] = h[(int) probeHashes[i] & mask];
        }
    }

    /**
     * Typed lookup: fills {@code found} ({@code found[0]} = count, then refs in input order) with the build rows whose
     * key equals the probe row's and returns it, or null when there are none. May return a new, larger array.
     * {@code start} is the row's first chained row from {@link #buckets}.
     */
    long[] find(long hash, int start, long[][] probeValues, int row, long[] found) {
        int count = 0;
        long[] e = entries;
        int keyCount = stride - 3;
        for (int g = start; g >= 0; g = (int) e[g * stride + 1]) {
            int at = g * stride;
            if (e[at] != hash) {
                continue;
            }
            boolean equal = true;
            for (int k = 0; k < keyCount && equal; k++) {
                equal = e[at + 3 + k] == probeValues[k][row];
            }
            if (equal) {
                if (count + 1 >= found.length) {
                    found = Arrays.copyOf(found, found.length * 2);
                }
                found[++count] = e[at + 2];
            }
        }
        if (count == 0) {
            return null;
        }
        found[0] = count;
        return found;
    }

    /** The boxed-key map (key to {@code [count, refs...]}), built on first use. */
    synchronized Map<Object, long[]> objectTable() {
        if (table != null) {
            return table;
        }
        Map<Object, long[]> map = new HashMap<>();
        for (int b = 0; b < batches.size(); b++) {
            VectorSchemaRoot copy = batches.get(b);
            Values.Reader[] readers = HashJoinOperator.readers(copy, keys);
            for (int i = 0; i < copy.getRowCount(); i++) {
                Object key = HashJoinOperator.key(readers, i);
                if (key != null) {
                    long ref = ((long) b << 32) | i;
                    long[] refs = map.get(key);
                    if (refs == null) {
                        map.put(key, new long[] {1, ref});
                    } else {
                        int size = (int) refs[0];
                        if (size + 1 >= refs.length) {
                            refs = Arrays.copyOf(refs, refs.length * 2);
                            map.put(key, refs);
                        }
                        refs[size + 1] = ref;
                        refs[0] = size + 1;
                    }
                }
            }
        }
        table = map;
        return map;
    }

    /**
     * The build keys of {@code column} for the probe side's scans ({@link JoinKeyFilter}; null when they do not fit
     * one), made once per column and shared by every probe of this table. Its bitmap (at most 8 MiB) lives on the heap.
     */
    synchronized JoinKeyFilter keyFilter(int column) {
        if (!keyFilters.containsKey(column)) {
            keyFilters.put(column, JoinKeyFilter.of(batches, column));
        }
        return keyFilters.get(column);
    }

    /** The filters made by {@link #keyFilter}, by build column (null values: the column does not fit one). */
    private final Map<Integer, JoinKeyFilter> keyFilters = new HashMap<>();

    @Override
    public void close() {
        try {
            batches.forEach(VectorSchemaRoot::close);
            batches.clear();
            table = null;
            heads = null;
            direct = null;
            directRefs = null;
            rankIndex = null;
            entries = null;
            refs = null;
            keyTable = null;
            keyStarts = null;
        } finally {
            account.close();
        }
    }
}
