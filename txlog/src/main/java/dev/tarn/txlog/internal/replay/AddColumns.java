package dev.tarn.txlog.internal.replay;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.DeletionVectorDescriptor;
import dev.tarn.txlog.skipping.FileStats;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.VarCharVector;

/**
 * Add actions stored by column (PROTOCOL.md "Add File and Remove File"), the form a checkpoint's million rows are
 * kept in: paths and stats as UTF-8 bytes with end offsets, sizes and times as primitive arrays, partition values
 * as indexes into a dictionary of the distinct maps, and the rarely set fields (tags, deletion vectors, row
 * tracking, clustering provider) in arrays that exist only in the chunks that use them. {@link AddFile} records are
 * built only when asked for ({@link #get}); reading a size or the row count in a file's stats builds nothing.
 *
 * <p>Rows live in chunks of {@value #CHUNK} so that no array is copied as the store grows and a row is found by a
 * shift. Each row also keeps the {@link String#hashCode} of its reconciliation path ({@link FileKey}), so later
 * commits' keys are matched against the rows without building a string per row ({@link ActiveFiles}). Immutable
 * once built.
 */
public final class AddColumns {
    static final int CHUNK_SHIFT = 12;
    static final int CHUNK = 1 << CHUNK_SHIFT;
    private static final byte[] NUM_RECORDS = "{\"numRecords\":".getBytes(StandardCharsets.US_ASCII);

    private final Chunk[] chunks;
    private final int size;
    /** Distinct partition-value maps; index 0 is the empty map. */
    private final List<Map<String, String>> partitionDictionary;
    /** Open-addressing index of row + 1 by path hash, built on first use ({@link #rowsWithPathHash}). */
    private volatile int[] pathIndex;

    private AddColumns(Chunk[] chunks, int size, List<Map<String, String>> partitionDictionary) {
        this.chunks = chunks;
        this.size = size;
        this.partitionDictionary = partitionDictionary;
    }

    static AddColumns empty() {
        return new AddColumns(new Chunk[0], 0, List.of(Map.of()));
    }

    public int size() {
        return size;
    }

    /** The add of a row, built now; equal to the record the row was made from. */
    public AddFile get(int row) {
        Chunk c = chunk(row);
        int r = row & (CHUNK - 1);
        return new AddFile(c.path(r), partitionDictionary.get(c.partition == null ? 0 : c.partition[r]), c.size[r],
                c.modificationTime[r], bit(c.dataChange, r), c.stats(r), c.tags == null ? null : c.tags[r],
                c.deletionVector == null ? null : c.deletionVector[r], c.baseRowId(r), c.defaultRowCommitVersion(r),
                c.clusteringProvider == null ? null : c.clusteringProvider[r]);
    }

    public String path(int row) {
        return chunk(row).path(row & (CHUNK - 1));
    }

    public long fileSize(int row) {
        return chunk(row).size[row & (CHUNK - 1)];
    }

    /** The stats JSON of a row, or null. */
    public String stats(int row) {
        return chunk(row).stats(row & (CHUNK - 1));
    }

    /** The index of a row's partition values in {@link #partitionDictionary()}. */
    public int partitionIndex(int row) {
        int[] p = chunk(row).partition;
        return p == null ? 0 : p[row & (CHUNK - 1)];
    }

    public List<Map<String, String>> partitionDictionary() {
        return partitionDictionary;
    }

    public DeletionVectorDescriptor deletionVector(int row) {
        DeletionVectorDescriptor[] dv = chunk(row).deletionVector;
        return dv == null ? null : dv[row & (CHUNK - 1)];
    }

    /**
     * {@code numRecords} of a row's stats, or -1 when absent: read from the bytes when the stats start with it (as
     * Delta writers put it), else by parsing the JSON.
     */
    public long numRecords(int row) {
        Chunk c = chunk(row);
        int r = row & (CHUNK - 1);
        if (bit(c.statsNull, r)) {
            return -1;
        }
        int start = r == 0 ? 0 : c.statsEnd[r - 1];
        int end = c.statsEnd[r];
        int i = start + NUM_RECORDS.length;
        if (i < end && Arrays.equals(c.stats, start, i, NUM_RECORDS, 0, NUM_RECORDS.length)) {
            long n = 0;
            int digits = 0;
            while (i < end && c.stats[i] >= '0' && c.stats[i] <= '9' && digits < 18) {
                n = n * 10 + (c.stats[i++] - '0');
                digits++;
            }
            if (digits > 0 && i < end && (c.stats[i] == ',' || c.stats[i] == '}')) {
                return n;
            }
        }
        return FileStats.parse(c.stats(r)).numRecords();
    }

    /** {@link String#hashCode} of the row's {@link FileKey} path. */
    int pathHash(int row) {
        return chunk(row).pathHash[row & (CHUNK - 1)];
    }

    /** The reconciliation key of a row. */
    FileKey key(String tableLocation, int row) {
        DeletionVectorDescriptor dv = deletionVector(row);
        return FileKey.of(tableLocation, path(row), dv == null ? null : dv.uniqueId());
    }

    /**
     * The rows whose path hash is {@code hash}, from a hash index over all rows built on first use and shared by
     * every snapshot continuing from this base (so a refresh matches its changed keys without a pass over the rows).
     */
    void rowsWithPathHash(int hash, java.util.function.IntConsumer rows) {
        int[] slots = pathIndex();
        int bits = slots.length - 1;
        for (int i = mix(hash) & bits; slots[i] != 0; i = (i + 1) & bits) {
            int row = slots[i] - 1;
            if (pathHash(row) == hash) {
                rows.accept(row);
            }
        }
    }

    private int[] pathIndex() {
        int[] slots = pathIndex;
        if (slots == null) {
            slots = new int[Integer.highestOneBit(Math.max(2, size) * 2 - 1) << 1];
            int bits = slots.length - 1;
            for (int c = 0; c < chunks.length; c++) {
                int[] hashes = chunks[c].pathHash;
                int first = c << CHUNK_SHIFT;
                for (int r = 0; r < chunks[c].count; r++) {
                    int i = mix(hashes[r]) & bits;
                    while (slots[i] != 0) {
                        i = (i + 1) & bits;
                    }
                    slots[i] = first + r + 1;
                }
            }
            pathIndex = slots; // a benign race builds equal indexes
        }
        return slots;
    }

    static int mix(int h) {
        int x = h * 0x9E3779B9;
        return x ^ (x >>> 16);
    }

    int chunkCount() {
        return chunks.length;
    }

    /** The path hashes of one chunk (its first {@link #chunkRows} entries are used). */
    int[] chunkPathHashes(int chunk) {
        return chunks[chunk].pathHash;
    }

    int chunkRows(int chunk) {
        return chunks[chunk].count;
    }

    private Chunk chunk(int row) {
        if (row < 0 || row >= size) {
            throw new IndexOutOfBoundsException("row " + row + " of " + size);
        }
        return chunks[row >>> CHUNK_SHIFT];
    }

    static boolean bit(long[] bits, int i) {
        return bits != null && (bits[i >>> 6] & (1L << i)) != 0;
    }

    private static long[] setBit(long[] bits, int i) {
        long[] b = bits == null ? new long[CHUNK / 64] : bits;
        b[i >>> 6] |= 1L << i;
        return b;
    }

    /** Up to {@value #CHUNK} rows. */
    private static final class Chunk {
        byte[] path;
        final int[] pathEnd = new int[CHUNK];
        final int[] pathHash = new int[CHUNK];
        byte[] stats;
        final int[] statsEnd = new int[CHUNK];
        long[] statsNull;
        final long[] size = new long[CHUNK];
        final long[] modificationTime = new long[CHUNK];
        final long[] dataChange = new long[CHUNK / 64];
        int[] partition;
        Map<String, String>[] tags;
        DeletionVectorDescriptor[] deletionVector;
        long[] baseRowId;
        long[] hasBaseRowId;
        long[] defaultRowCommitVersion;
        long[] hasDefaultRowCommitVersion;
        String[] clusteringProvider;
        int count;

        Chunk(int pathCapacity, int statsCapacity) {
            this.path = new byte[pathCapacity];
            this.stats = new byte[statsCapacity];
        }

        String path(int r) {
            int start = r == 0 ? 0 : pathEnd[r - 1];
            return new String(path, start, pathEnd[r] - start, StandardCharsets.UTF_8);
        }

        String stats(int r) {
            if (bit(statsNull, r)) {
                return null;
            }
            int start = r == 0 ? 0 : statsEnd[r - 1];
            return new String(stats, start, statsEnd[r] - start, StandardCharsets.UTF_8);
        }

        Long baseRowId(int r) {
            return bit(hasBaseRowId, r) ? baseRowId[r] : null;
        }

        Long defaultRowCommitVersion(int r) {
            return bit(hasDefaultRowCommitVersion, r) ? defaultRowCommitVersion[r] : null;
        }

        /** Drops unused byte capacity when it is more than an eighth. */
        void trim() {
            int p = count == 0 ? 0 : pathEnd[count - 1];
            if (path.length - p > p / 8) {
                path = Arrays.copyOf(path, p);
            }
            int s = count == 0 ? 0 : statsEnd[count - 1];
            if (stats.length - s > s / 8) {
                stats = Arrays.copyOf(stats, s);
            }
        }
    }

    /** Appends rows; {@link #build()} seals them into an immutable store. */
    public static final class Builder {
        private final String tableLocation;
        private final List<Chunk> chunks = new ArrayList<>();
        private Chunk current;
        private int size;
        private final List<Map<String, String>> dictionary = new ArrayList<>();
        private final Map<Map<String, String>, Integer> dictionaryIndex = new HashMap<>();
        private int pathCapacity = 64 * CHUNK;
        private int statsCapacity = 256 * CHUNK;

        public Builder(String tableLocation) {
            this.tableLocation = requireNonNull(tableLocation, "tableLocation is null");
            dictionary.add(Map.of());
            dictionaryIndex.put(Map.of(), 0);
        }

        public int size() {
            return size;
        }

        /** Appends an add record. */
        public void add(AddFile a) {
            int r = startRow();
            byte[] p = a.path().getBytes(StandardCharsets.UTF_8);
            appendPath(r, p, 0, p.length);
            String s = a.stats();
            if (s == null) {
                appendStats(r, null, 0, 0);
            } else {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                appendStats(r, b, 0, b.length);
            }
            finishRow(r, a.partitionValues(), a.size(), a.modificationTime(), a.dataChange(), a.tags(),
                    a.deletionVector(), a.baseRowId(), a.defaultRowCommitVersion(), a.clusteringProvider());
        }

        /** Appends row {@code row} of another store (compaction of a base with its changes). */
        void add(AddColumns from, int row) {
            Chunk c = from.chunk(row);
            int fr = row & (CHUNK - 1);
            int r = startRow();
            int ps = fr == 0 ? 0 : c.pathEnd[fr - 1];
            appendPath(r, c.path, ps, c.pathEnd[fr] - ps);
            current.pathHash[r] = c.pathHash[fr]; // the same path in the same table: the same key
            int ss = fr == 0 ? 0 : c.statsEnd[fr - 1];
            appendStats(r, bit(c.statsNull, fr) ? null : c.stats, ss, c.statsEnd[fr] - ss);
            finishRow(r, from.partitionDictionary.get(c.partition == null ? 0 : c.partition[fr]), c.size[fr],
                    c.modificationTime[fr], bit(c.dataChange, fr), c.tags == null ? null : c.tags[fr],
                    c.deletionVector == null ? null : c.deletionVector[fr], c.baseRowId(fr),
                    c.defaultRowCommitVersion(fr), c.clusteringProvider == null ? null : c.clusteringProvider[fr]);
        }

        /**
         * Appends a row whose path and stats are taken from Arrow vectors as bytes, with no string built; the
         * caller has checked the values as {@link AddFile}'s constructor would (path not empty, size not negative).
         */
        public void add(VarCharVector pathVector, VarCharVector statsVector, int row,
                        Map<String, String> partitionValues, long fileSize, long modificationTime, boolean dataChange,
                        Map<String, String> tags, DeletionVectorDescriptor deletionVector, Long baseRowId,
                        Long defaultRowCommitVersion, String clusteringProvider) {
            int r = startRow();
            int ps = pathVector.getStartOffset(row);
            int pl = pathVector.getEndOffset(row) - ps;
            int pathStart = r == 0 ? 0 : current.pathEnd[r - 1];
            ensurePath(pathStart + pl);
            pathVector.getDataBuffer().getBytes(ps, current.path, pathStart, pl);
            current.pathEnd[r] = pathStart + pl;
            current.pathHash[r] = hash(current.path, pathStart, pl);
            if (statsVector == null || statsVector.isNull(row)) {
                appendStats(r, null, 0, 0);
            } else {
                int ss = statsVector.getStartOffset(row);
                int sl = statsVector.getEndOffset(row) - ss;
                int statsStart = r == 0 ? 0 : current.statsEnd[r - 1];
                ensureStats(statsStart + sl);
                statsVector.getDataBuffer().getBytes(ss, current.stats, statsStart, sl);
                current.statsEnd[r] = statsStart + sl;
            }
            finishRow(r, partitionValues == null ? Map.of() : partitionValues, fileSize, modificationTime, dataChange,
                    tags, deletionVector, baseRowId, defaultRowCommitVersion, clusteringProvider);
        }

        public AddColumns build() {
            if (current != null) {
                current.trim();
            }
            return new AddColumns(chunks.toArray(new Chunk[0]), size, List.copyOf(dictionary));
        }

        private int startRow() {
            if (current == null || current.count == CHUNK) {
                if (current != null) {
                    pathCapacity = Math.max(1024, current.pathEnd[CHUNK - 1] + current.pathEnd[CHUNK - 1] / 16);
                    statsCapacity = Math.max(1024, current.statsEnd[CHUNK - 1] + current.statsEnd[CHUNK - 1] / 16);
                    current.trim();
                }
                current = new Chunk(pathCapacity, statsCapacity);
                chunks.add(current);
            }
            return current.count;
        }

        private void appendPath(int r, byte[] bytes, int offset, int length) {
            int start = r == 0 ? 0 : current.pathEnd[r - 1];
            ensurePath(start + length);
            System.arraycopy(bytes, offset, current.path, start, length);
            current.pathEnd[r] = start + length;
            current.pathHash[r] = hash(current.path, start, length);
        }

        private void appendStats(int r, byte[] bytes, int offset, int length) {
            int start = r == 0 ? 0 : current.statsEnd[r - 1];
            if (bytes == null) {
                current.statsEnd[r] = start;
                current.statsNull = setBit(current.statsNull, r);
                return;
            }
            ensureStats(start + length);
            System.arraycopy(bytes, offset, current.stats, start, length);
            current.statsEnd[r] = start + length;
        }

        @SuppressWarnings("unchecked")
        private void finishRow(int r, Map<String, String> partitionValues, long fileSize, long modificationTime,
                               boolean dataChange, Map<String, String> tags, DeletionVectorDescriptor dv,
                               Long baseRowId, Long defaultRowCommitVersion, String clusteringProvider) {
            Chunk c = current;
            if (!partitionValues.isEmpty()) {
                Integer index = dictionaryIndex.get(partitionValues);
                if (index == null) {
                    index = dictionary.size();
                    // LinkedHashMap: a null partition value is allowed (Map.copyOf rejects it).
                    Map<String, String> copy = Collections.unmodifiableMap(new LinkedHashMap<>(partitionValues));
                    dictionary.add(copy);
                    dictionaryIndex.put(copy, index);
                }
                if (c.partition == null) {
                    c.partition = new int[CHUNK];
                }
                c.partition[r] = index;
            }
            c.size[r] = fileSize;
            c.modificationTime[r] = modificationTime;
            if (dataChange) {
                c.dataChange[r >>> 6] |= 1L << r;
            }
            if (tags != null && !tags.isEmpty()) {
                if (c.tags == null) {
                    c.tags = new Map[CHUNK];
                }
                c.tags[r] = tags;
            }
            if (dv != null) {
                if (c.deletionVector == null) {
                    c.deletionVector = new DeletionVectorDescriptor[CHUNK];
                }
                c.deletionVector[r] = dv;
            }
            if (baseRowId != null) {
                if (c.baseRowId == null) {
                    c.baseRowId = new long[CHUNK];
                }
                c.baseRowId[r] = baseRowId;
                c.hasBaseRowId = setBit(c.hasBaseRowId, r);
            }
            if (defaultRowCommitVersion != null) {
                if (c.defaultRowCommitVersion == null) {
                    c.defaultRowCommitVersion = new long[CHUNK];
                }
                c.defaultRowCommitVersion[r] = defaultRowCommitVersion;
                c.hasDefaultRowCommitVersion = setBit(c.hasDefaultRowCommitVersion, r);
            }
            if (clusteringProvider != null) {
                if (c.clusteringProvider == null) {
                    c.clusteringProvider = new String[CHUNK];
                }
                c.clusteringProvider[r] = clusteringProvider;
            }
            c.count++;
            size++;
        }

        private void ensurePath(int needed) {
            if (needed > current.path.length) {
                current.path = Arrays.copyOf(current.path, Math.max(needed, current.path.length * 2));
            }
        }

        private void ensureStats(int needed) {
            if (needed > current.stats.length) {
                current.stats = Arrays.copyOf(current.stats, Math.max(needed, current.stats.length * 2));
            }
        }

        /**
         * The {@link String#hashCode} of the row's {@link FileKey} path. A path of printable ASCII with no
         * {@code %}, no {@code :} and no leading {@code /} (a relative, unencoded path: nearly every row) is its own
         * key, so its bytes are hashed as they are; any other path is decoded and made relative first.
         */
        private int hash(byte[] bytes, int start, int length) {
            int h = 0;
            boolean plain = length > 0 && bytes[start] != '/';
            for (int i = start; i < start + length; i++) {
                byte b = bytes[i];
                if (b < 0x20 || b == '%' || b == ':' || b == 0x7f) { // negative: a non-ASCII UTF-8 byte
                    plain = false;
                    break;
                }
                h = 31 * h + b;
            }
            if (plain) {
                return h;
            }
            String path = new String(bytes, start, length, StandardCharsets.UTF_8);
            return FileKey.canonicalPath(tableLocation, path).hashCode();
        }
    }
}
