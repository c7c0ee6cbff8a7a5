package dev.tarn.storage.deletionvector;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import org.apache.arrow.vector.BigIntVector;
import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * An immutable set of non-negative 64-bit row indexes: one 32-bit {@link RoaringBitmap} ("bucket") per distinct
 * high 32 bits, in ascending key order (PROTOCOL.md, "Deletion Vector Format").
 *
 * <p>Serialized form (all little-endian): magic number 1681511377, then the RoaringBitmap 64-bit "portable"
 * format: the number of buckets as 8 bytes, then per bucket its 4-byte key and the bucket's standard 32-bit
 * RoaringBitmap serialization. Every key has a 0 most significant bit. The older "native" layout (magic
 * 1681511376: a 4-byte bitmap count, then one bitmap per key 0, 1, 2, ...) is accepted on read.
 */
public final class RoaringBitmapArray {
    public static final int PORTABLE_MAGIC = 1681511377;
    public static final int NATIVE_MAGIC = 1681511376;

    private static final RoaringBitmapArray EMPTY = new RoaringBitmapArray(new int[0], new RoaringBitmap[0]);

    private final int[] keys;
    private final RoaringBitmap[] buckets;
    private final long cardinality;

    private RoaringBitmapArray(int[] keys, RoaringBitmap[] buckets) {
        this.keys = keys;
        this.buckets = buckets;
        long c = 0;
        for (RoaringBitmap b : buckets) {
            c += b.getLongCardinality();
        }
        this.cardinality = c;
    }

    public static RoaringBitmapArray empty() {
        return EMPTY;
    }

    public static RoaringBitmapArray of(long... values) {
        Builder b = builder();
        for (long v : values) {
            b.add(v);
        }
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Accumulates row indexes; {@link #build()} produces the immutable bitmap. */
    public static final class Builder {
        private final TreeMap<Integer, RoaringBitmap> buckets = new TreeMap<>();

        private Builder() {}

        public Builder add(long value) {
            checkValue(value);
            buckets.computeIfAbsent((int) (value >>> 32), k -> new RoaringBitmap()).add((int) value);
            return this;
        }

        /** Adds every value in {@code [startInclusive, endExclusive)}. */
        public Builder addRange(long startInclusive, long endExclusive) {
            checkValue(startInclusive);
            if (endExclusive <= startInclusive) {
                return this;
            }
            checkValue(endExclusive - 1);
            long v = startInclusive;
            while (v < endExclusive) {
                int key = (int) (v >>> 32);
                long bucketEnd = Math.min(endExclusive, ((long) key + 1) << 32);
                buckets.computeIfAbsent(key, k -> new RoaringBitmap()).add(v & 0xFFFF_FFFFL, bucketEnd - ((long) key << 32));
                v = bucketEnd;
            }
            return this;
        }

        public Builder addAll(RoaringBitmapArray other) {
            for (int i = 0; i < other.keys.length; i++) {
                buckets.computeIfAbsent(other.keys[i], k -> new RoaringBitmap()).or(other.buckets[i]);
            }
            return this;
        }

        public RoaringBitmapArray build() {
            int n = 0;
            int[] keys = new int[buckets.size()];
            RoaringBitmap[] bitmaps = new RoaringBitmap[buckets.size()];
            for (Map.Entry<Integer, RoaringBitmap> e : buckets.entrySet()) {
                if (e.getValue().isEmpty()) {
                    continue;
                }
                RoaringBitmap copy = e.getValue().clone();
                copy.runOptimize();
                keys[n] = e.getKey();
                bitmaps[n] = copy;
                n++;
            }
            return n == 0 ? EMPTY : new RoaringBitmapArray(Arrays.copyOf(keys, n), Arrays.copyOf(bitmaps, n));
        }
    }

    private static void checkValue(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("Row index is negative: " + value);
        }
    }

    public long cardinality() {
        return cardinality;
    }

    public boolean isEmpty() {
        return cardinality == 0;
    }

    public boolean contains(long value) {
        if (value < 0) {
            return false;
        }
        int i = Arrays.binarySearch(keys, (int) (value >>> 32));
        return i >= 0 && buckets[i].contains((int) value);
    }

    /** The union of this set and {@code other}. */
    public RoaringBitmapArray union(RoaringBitmapArray other) {
        requireNonNull(other, "other is null");
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        return builder().addAll(this).addAll(other).build();
    }

    /** Visits every value in ascending order. */
    public void forEach(LongConsumer consumer) {
        for (int i = 0; i < keys.length; i++) {
            long base = (long) keys[i] << 32;
            PeekableIntIterator it = buckets[i].getIntIterator();
            while (it.hasNext()) {
                consumer.accept(base + Integer.toUnsignedLong(it.next()));
            }
        }
    }

    /** Every value in ascending order; meant for small sets and tests. */
    public long[] toArray() {
        if (cardinality > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("Too many values for an array: " + cardinality);
        }
        long[] out = new long[(int) cardinality];
        int[] n = {0};
        forEach(v -> out[n[0]++] = v);
        return out;
    }

    /**
     * The selection vector of one batch whose rows have the contiguous row indexes
     * {@code [firstRowIndex, firstRowIndex + rowCount)}: writes the positions (0-based within the batch) of rows
     * NOT in this set into {@code selection} and returns how many. Costs one pass over the deleted values in range.
     */
    public int selectSurvivors(long firstRowIndex, int rowCount, int[] selection) {
        if (selection.length < rowCount) {
            throw new IllegalArgumentException("selection holds " + selection.length + " positions, need " + rowCount);
        }
        long end = firstRowIndex + rowCount;
        long pos = firstRowIndex;
        int n = 0;
        if (rowCount > 0 && !isEmpty()) {
            int firstKey = (int) (firstRowIndex >>> 32);
            int lastKey = (int) ((end - 1) >>> 32);
            int i = lowerBound(firstKey);
            for (; i < keys.length && keys[i] <= lastKey; i++) {
                long base = (long) keys[i] << 32;
                PeekableIntIterator it = buckets[i].getIntIterator();
                if (firstRowIndex > base) {
                    it.advanceIfNeeded((int) (firstRowIndex - base));
                }
                while (it.hasNext()) {
                    long deleted = base + Integer.toUnsignedLong(it.next());
                    if (deleted >= end) {
                        break;
                    }
                    while (pos < deleted) {
                        selection[n++] = (int) (pos++ - firstRowIndex);
                    }
                    pos = deleted + 1;
                }
            }
        }
        while (pos < end) {
            selection[n++] = (int) (pos++ - firstRowIndex);
        }
        return n;
    }

    /**
     * Like {@link #selectSurvivors(long, int, int[])} for arbitrary row indexes (e.g. a row-index column after
     * filtering): positions {@code i < count} whose {@code rowIndexes[i]} is not in this set.
     */
    public int selectSurvivors(long[] rowIndexes, int count, int[] selection) {
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (!contains(rowIndexes[i])) {
                selection[n++] = i;
            }
        }
        return n;
    }

    /** {@link #selectSurvivors(long[], int, int[])} over a row-index column (no nulls) of a batch. */
    public int selectSurvivors(BigIntVector rowIndexes, int[] selection) {
        int count = rowIndexes.getValueCount();
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (!contains(rowIndexes.get(i))) {
                selection[n++] = i;
            }
        }
        return n;
    }

    private int lowerBound(int key) {
        int i = Arrays.binarySearch(keys, key);
        return i >= 0 ? i : -i - 1;
    }

    // ---------------------------------------------------------------- serialization

    public int serializedSizeInBytes() {
        long size = 4 + 8;
        for (RoaringBitmap b : buckets) {
            size += 4 + b.serializedSizeInBytes();
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalStateException("Deletion vector too large to serialize: " + size + " bytes");
        }
        return (int) size;
    }

    /** The portable serialization with its magic number (the bytes Delta stores in DV files and inline). */
    public byte[] serialize() {
        ByteBuffer out = ByteBuffer.allocate(serializedSizeInBytes()).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(PORTABLE_MAGIC);
        out.putLong(keys.length);
        for (int i = 0; i < keys.length; i++) {
            out.putInt(keys[i]);
            ByteBuffer slice = out.slice().order(ByteOrder.LITTLE_ENDIAN);
            buckets[i].serialize(slice);
            out.position(out.position() + buckets[i].serializedSizeInBytes());
        }
        return out.array();
    }

    /** Reads either serialization; {@code CORRUPT_DELETION_VECTOR} (naming {@code source}) when malformed. */
    public static RoaringBitmapArray deserialize(byte[] data, String source) {
        requireNonNull(data, "data is null");
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (data.length < 4) {
                throw corrupt(source, "only " + data.length + " bytes");
            }
            int magic = in.getInt();
            if (magic == PORTABLE_MAGIC) {
                long count = in.getLong();
                if (count < 0 || count > in.remaining() / 12 + 1) {
                    throw corrupt(source, "bucket count " + count + " does not fit in " + data.length + " bytes");
                }
                int[] keys = new int[(int) count];
                RoaringBitmap[] bitmaps = new RoaringBitmap[(int) count];
                for (int i = 0; i < count; i++) {
                    int key = in.getInt();
                    if (key < 0 || (i > 0 && key <= keys[i - 1])) {
                        throw corrupt(source, "bucket key " + key + " is negative or not ascending");
                    }
                    keys[i] = key;
                    bitmaps[i] = readBitmap(in);
                }
                return fromBuckets(keys, bitmaps);
            }
            if (magic == NATIVE_MAGIC) {
                int count = in.getInt();
                if (count < 0 || count > in.remaining() / 8 + 1) {
                    throw corrupt(source, "bitmap count " + count + " does not fit in " + data.length + " bytes");
                }
                int[] keys = new int[count];
                RoaringBitmap[] bitmaps = new RoaringBitmap[count];
                for (int i = 0; i < count; i++) {
                    keys[i] = i;
                    bitmaps[i] = readBitmap(in);
                }
                return fromBuckets(keys, bitmaps);
            }
            throw corrupt(source, "unknown magic number " + magic + " (expected " + PORTABLE_MAGIC + ")");
        } catch (IOException | RuntimeException e) {
            if (e instanceof TarnException t) {
                throw t;
            }
            throw new TarnException(ErrorCode.CORRUPT_DELETION_VECTOR,
                    "Deletion vector " + source + " is malformed: " + e, e);
        }
    }

    private static RoaringBitmap readBitmap(ByteBuffer in) throws IOException {
        RoaringBitmap b = new RoaringBitmap();
        b.deserialize(in.slice().order(ByteOrder.LITTLE_ENDIAN));
        in.position(in.position() + b.serializedSizeInBytes());
        return b;
    }

    private static RoaringBitmapArray fromBuckets(int[] keys, RoaringBitmap[] bitmaps) {
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (!bitmaps[i].isEmpty()) {
                keys[n] = keys[i];
                bitmaps[n] = bitmaps[i];
                n++;
            }
        }
        return n == 0 ? EMPTY : new RoaringBitmapArray(Arrays.copyOf(keys, n), Arrays.copyOf(bitmaps, n));
    }

    private static TarnException corrupt(String source, String what) {
        return new TarnException(ErrorCode.CORRUPT_DELETION_VECTOR, "Deletion vector " + source + " is malformed: " + what);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoaringBitmapArray r && Arrays.equals(keys, r.keys) && Arrays.equals(buckets, r.buckets);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(keys) * 31 + Arrays.hashCode(buckets);
    }

    @Override
    public String toString() {
        return "RoaringBitmapArray[cardinality=" + cardinality + ", buckets=" + keys.length + "]";
    }
}
