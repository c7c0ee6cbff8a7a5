package dev.tarn.txlog.internal.replay;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.DeletionVectorDescriptor;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.RandomAccess;
import java.util.Set;

/**
 * The active files of a table, reconciled by (path, DV unique id) (PROTOCOL.md "Action Reconciliation"), in the
 * order of their newest add, built to load and refresh in time proportional to what changed:
 * <ul>
 *   <li>a base of files with unique keys kept by column ({@link AddColumns}): a checkpoint's add rows
 *       (PROTOCOL.md "Checkpoints": each logical file appears once), or the files of an earlier snapshot;</li>
 *   <li>a mask of the base rows a later action removed or re-added;</li>
 *   <li>the adds of later commits as records, keyed, in add order.</li>
 * </ul>
 * Keys removed or re-added after the base are collected and matched against the base rows when the set is frozen,
 * by a pass over the rows' path hashes, so neither loading a checkpoint nor masking builds a string per row.
 * Continuing a frozen set by more commits ({@link #overlay}, incremental refresh) shares its base and mask.
 * Mutable until {@link #freeze()}; a frozen set is immutable and shareable.
 */
public final class ActiveFiles {
    /** Share the base while the changes stay below this fraction of it; past it, compact into a new base. */
    private static final int FLATTEN_DIVISOR = 4;
    private static final int MIN_FLATTEN = 4096;

    private final String tableLocation;
    private AddColumns.Builder building;
    private AddColumns base;
    /** Masked base rows, or null for none; shared with overlays, so replaced rather than changed once frozen. */
    private long[] mask;
    private int masked;
    /** Keys removed or re-added since the base and mask were fixed. */
    private final Set<FileKey> hidden;
    private final LinkedHashMap<FileKey, AddFile> added;
    private boolean frozen;
    /** True when the base is shared with the set this one continues (then keys are matched through its index). */
    private final boolean baseShared;
    /** For positional access when rows are masked: visible rows before each chunk. */
    private volatile int[] visibleBefore;
    private volatile List<AddFile> addedList;

    /** An empty set whose base is filled by {@link #putUnique} (checkpoint rows) until the first other change. */
    public ActiveFiles(String tableLocation) {
        this.tableLocation = requireNonNull(tableLocation, "tableLocation is null");
        this.building = new AddColumns.Builder(tableLocation);
        this.hidden = new HashSet<>();
        this.added = new LinkedHashMap<>();
        this.baseShared = false;
    }

    private ActiveFiles(String tableLocation, AddColumns base, long[] mask, int masked,
                        LinkedHashMap<FileKey, AddFile> added, boolean baseShared) {
        this.tableLocation = tableLocation;
        this.baseShared = baseShared;
        this.base = base;
        this.mask = mask;
        this.masked = masked;
        this.hidden = new HashSet<>();
        this.added = added;
    }

    /**
     * The builder checkpoint rows may be appended to directly, or null once the base is fixed (a commit was
     * applied, or the set continues an earlier one).
     */
    public AddColumns.Builder baseBuilder() {
        checkMutable();
        return building;
    }

    /** Appends a checkpoint row's add (unique by key); after other changes this is an ordinary {@link #put}. */
    public void putUnique(AddFile add) {
        checkMutable();
        if (building != null) {
            building.add(add);
        } else {
            put(FileKey.of(tableLocation, add.path(), add.deletionVectorUniqueId()), add);
        }
    }

    /** Sets the add of a key and moves it to the end of the order (the newest add comes last). */
    public void put(FileKey key, AddFile add) {
        checkMutable();
        requireNonNull(add, "add is null");
        seal();
        added.remove(key);
        added.put(key, add);
        if (base.size() > 0) {
            hidden.add(key);
        }
    }

    /** Removes a key (a no-op when absent). */
    public void remove(FileKey key) {
        checkMutable();
        seal();
        added.remove(key);
        if (base.size() > 0) {
            hidden.add(key);
        }
    }

    private void seal() {
        if (building != null) {
            base = building.build();
            building = null;
        }
    }

    /** Makes this set immutable so snapshots and overlays can share it; masks base rows hidden by later keys. */
    public ActiveFiles freeze() {
        if (frozen) {
            return this;
        }
        seal();
        if (!hidden.isEmpty()) {
            applyHidden();
            hidden.clear();
        }
        frozen = true;
        return this;
    }

    /**
     * Masks the base rows whose key is hidden, building a key only for the rows whose path hash matches a hidden
     * path's. A set continuing a shared base (a refresh) looks each hidden key up in the base's hash index, built
     * once and shared, so its cost follows the changes; a freshly read base (a checkpoint) is matched by one pass
     * over its rows' hashes, cheaper than building the index.
     */
    private void applyHidden() {
        long[] m = mask == null ? new long[(base.size() + 63) >>> 6] : mask.clone();
        int[] n = {masked};
        if (baseShared) {
            for (FileKey k : hidden) {
                base.rowsWithPathHash(k.path().hashCode(), row -> {
                    if ((m[row >>> 6] & (1L << row)) == 0 && k.equals(base.key(tableLocation, row))) {
                        m[row >>> 6] |= 1L << row;
                        n[0]++;
                    }
                });
            }
        } else {
            n[0] = passOverRows(m, n[0]);
        }
        if (n[0] != masked) {
            mask = m;
            masked = n[0];
        }
    }

    private int passOverRows(long[] m, int maskedBefore) {
        HashProbe probe = new HashProbe(hidden);
        int n = maskedBefore;
        for (int c = 0; c < base.chunkCount(); c++) {
            int[] hashes = base.chunkPathHashes(c);
            int rows = base.chunkRows(c);
            int first = c << AddColumns.CHUNK_SHIFT;
            for (int r = 0; r < rows; r++) {
                if (probe.contains(hashes[r])) {
                    int row = first + r;
                    if ((m[row >>> 6] & (1L << row)) == 0 && hidden.contains(base.key(tableLocation, row))) {
                        m[row >>> 6] |= 1L << row;
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /**
     * A new mutable set with the contents of this frozen one, sharing its base and mask: cost proportional to this
     * set's own changes, or to its size once they have grown past a quarter of the base (then compacted).
     */
    public ActiveFiles overlay() {
        if (!frozen) {
            throw new IllegalStateException("only a frozen file set can be overlaid");
        }
        if (masked + added.size() > Math.max(MIN_FLATTEN, base.size() / FLATTEN_DIVISOR)) {
            AddColumns.Builder b = new AddColumns.Builder(tableLocation);
            for (int row = 0; row < base.size(); row++) {
                if (!isMasked(row)) {
                    b.add(base, row);
                }
            }
            added.values().forEach(b::add);
            return new ActiveFiles(tableLocation, b.build(), null, 0, new LinkedHashMap<>(), false);
        }
        return new ActiveFiles(tableLocation, base, mask, masked, new LinkedHashMap<>(added), true);
    }

    /** The number of files. */
    public int size() {
        checkFrozen();
        return base.size() - masked + added.size();
    }

    /** The files in order, as a list whose records are built when read. */
    public List<AddFile> list() {
        checkFrozen();
        return new View();
    }

    /** A cursor over the files in order, reading fields without building records where it can. */
    public Cursor cursor() {
        checkFrozen();
        return new Cursor();
    }

    private boolean isMasked(int row) {
        return mask != null && (mask[row >>> 6] & (1L << row)) != 0;
    }

    private List<AddFile> addedList() {
        List<AddFile> l = addedList;
        if (l == null) {
            l = List.copyOf(added.values());
            addedList = l;
        }
        return l;
    }

    /** The base row of the {@code index}-th visible base file. */
    private int baseRow(int index) {
        if (masked == 0) {
            return index;
        }
        int[] before = visibleBefore;
        if (before == null) {
            before = new int[base.chunkCount() + 1];
            for (int c = 0; c < base.chunkCount(); c++) {
                int visible = base.chunkRows(c);
                int first = c << AddColumns.CHUNK_SHIFT;
                for (int w = first >>> 6; w < (first + base.chunkRows(c) + 63) >>> 6 && w < mask.length; w++) {
                    visible -= Long.bitCount(mask[w]);
                }
                before[c + 1] = before[c] + visible;
            }
            visibleBefore = before;
        }
        int lo = 0;
        int hi = base.chunkCount() - 1;
        while (lo < hi) { // the last chunk whose first visible index is <= index
            int mid = (lo + hi + 1) >>> 1;
            if (before[mid] <= index) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        int remaining = index - before[lo];
        int row = lo << AddColumns.CHUNK_SHIFT;
        int w = row >>> 6;
        while (true) {
            long visible = ~mask[w];
            int count = Long.bitCount(visible);
            if (remaining < count) {
                for (int k = 0; k < remaining; k++) {
                    visible &= visible - 1;
                }
                return (w << 6) + Long.numberOfTrailingZeros(visible);
            }
            remaining -= count;
            w++;
        }
    }

    private void checkMutable() {
        if (frozen) {
            throw new IllegalStateException("file set is frozen");
        }
    }

    private void checkFrozen() {
        if (!frozen) {
            throw new IllegalStateException("file set is not frozen yet");
        }
    }

    /** Walks the files in order; its accessors read the current file. */
    public final class Cursor {
        private int row = -1;
        private final Iterator<AddFile> addedIt = added.values().iterator();
        private AddFile current;

        /** Moves to the next file; false at the end. */
        public boolean next() {
            if (row < base.size()) {
                do {
                    row++;
                } while (row < base.size() && isMasked(row));
                if (row < base.size()) {
                    return true;
                }
            }
            current = addedIt.hasNext() ? addedIt.next() : null;
            return current != null;
        }

        /** The file as a record (built now for a base row). */
        public AddFile add() {
            return current != null ? current : base.get(row);
        }

        /**
         * The index of the file's partition values in {@link #partitionDictionary()}, or -1 when the file is a
         * record (read {@link #partitionValues()}).
         */
        public int partitionIndex() {
            return current != null ? -1 : base.partitionIndex(row);
        }

        public Map<String, String> partitionValues() {
            return current != null ? current.partitionValues() : base.partitionDictionary().get(base.partitionIndex(row));
        }

        public long size() {
            return current != null ? current.size() : base.fileSize(row);
        }

        public String stats() {
            return current != null ? current.stats() : base.stats(row);
        }

        /** {@code numRecords} of the file's stats, or -1. */
        public long numRecords() {
            return current != null ? dev.tarn.txlog.skipping.FileStats.parse(current.stats()).numRecords()
                    : base.numRecords(row);
        }

        public DeletionVectorDescriptor deletionVector() {
            return current != null ? current.deletionVector() : base.deletionVector(row);
        }
    }

    /** Distinct partition-value maps of base files ({@link Cursor#partitionIndex()}). */
    public List<Map<String, String>> partitionDictionary() {
        return base.partitionDictionary();
    }

    private final class View extends AbstractList<AddFile> implements RandomAccess {
        @Override
        public AddFile get(int index) {
            int visibleBase = base.size() - masked;
            if (index < 0 || index >= visibleBase + added.size()) {
                throw new IndexOutOfBoundsException("index " + index + " of " + size());
            }
            return index < visibleBase ? base.get(baseRow(index)) : addedList().get(index - visibleBase);
        }

        @Override
        public int size() {
            return ActiveFiles.this.size();
        }

        @Override
        public Iterator<AddFile> iterator() {
            Cursor c = new Cursor();
            return new Iterator<>() {
                private boolean ready;
                private boolean more;

                @Override
                public boolean hasNext() {
                    if (!ready) {
                        more = c.next();
                        ready = true;
                    }
                    return more;
                }

                @Override
                public AddFile next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    ready = false;
                    return c.add();
                }
            };
        }
    }

    /** A set of int hashes (open addressing), for matching rows against hidden keys. */
    private static final class HashProbe {
        private final int[] slots;
        private final boolean[] used;
        private final int bits;

        HashProbe(Set<FileKey> keys) {
            int capacity = Integer.highestOneBit(Math.max(4, keys.size() * 2) - 1) << 1;
            slots = new int[capacity];
            used = new boolean[capacity];
            bits = capacity - 1;
            for (FileKey k : keys) {
                int h = k.path().hashCode();
                int i = mix(h) & bits;
                while (used[i] && slots[i] != h) {
                    i = (i + 1) & bits;
                }
                used[i] = true;
                slots[i] = h;
            }
        }

        boolean contains(int h) {
            int i = mix(h) & bits;
            while (used[i]) {
                if (slots[i] == h) {
                    return true;
                }
                i = (i + 1) & bits;
            }
            return false;
        }

        private static int mix(int h) {
            return AddColumns.mix(h);
        }
    }
}
