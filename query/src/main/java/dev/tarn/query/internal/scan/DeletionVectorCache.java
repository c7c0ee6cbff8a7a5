package dev.tarn.query.internal.scan;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tarn.storage.deletionvector.RoaringBitmapArray;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.txlog.action.DeletionVectorDescriptor;

/**
 * Decoded deletion vectors of one database, so repeated scans of a table do not re-read and re-decode its DV files.
 * Keyed by table location and the DV's unique id (PROTOCOL.md "Deletion Vectors": storage type, path or inline
 * data, and offset identify a DV; a DV file is never rewritten, so a cached entry cannot go stale). Bounded by the
 * decoded bitmaps' serialized size, least recently used entries go first.
 */
public final class DeletionVectorCache {
    /** The default bound: 64 MiB of bitmaps. */
    public static final long DEFAULT_MAX_BYTES = 64L << 20;

    private record Key(String tableLocation, String uniqueId) {}

    /** The bound; 0 when caching is off. */
    private final long maxBytes;
    /** Built on the first deletion vector read from a file: most lakes have none, and building it costs class loading. */
    private volatile Cache<Key, RoaringBitmapArray> cache;

    /** @param maxBytes the bound on cached bitmaps; 0 turns caching off */
    public DeletionVectorCache(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes is negative: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** The cache, built on first use (Caffeine's start-up costs a cold JVM tens of milliseconds). */
    private Cache<Key, RoaringBitmapArray> cache() {
        Cache<Key, RoaringBitmapArray> c = cache;
        if (c == null) {
            synchronized (this) {
                c = cache;
                if (c == null) {
                    c = Caffeine.newBuilder()
                            .maximumWeight(maxBytes)
                            // Evict on the calling thread: no work for the common pool.
                            .executor(Runnable::run)
                            .<Key, RoaringBitmapArray>weigher((k, v) -> Math.max(1, v.serializedSizeInBytes()))
                            .build();
                    cache = c;
                }
            }
        }
        return c;
    }

    /** The deletion vector, from the cache or loaded (and then cached). */
    public RoaringBitmapArray get(FileIO io, String tableLocation, DeletionVectorDescriptor dv, String displayName) {
        requireNonNull(io, "io is null");
        requireNonNull(tableLocation, "tableLocation is null");
        requireNonNull(dv, "dv is null");
        requireNonNull(displayName, "displayName is null");
        // Caffeine enforces its weight bound during amortized maintenance, not on every insert, so "no caching" is
        // expressed as no cache rather than a zero bound.
        if (dv.isInline() || maxBytes == 0) {
            // Inline DVs are already in memory in the log; decoding is cheap and caching would only duplicate them.
            return DeletionVectors.load(io, tableLocation, dv, displayName);
        }
        return cache().get(new Key(tableLocation, dv.uniqueId()),
                k -> DeletionVectors.load(io, tableLocation, dv, displayName));
    }

    /** Number of cached deletion vectors (for tests and diagnostics). */
    public long size() {
        Cache<Key, RoaringBitmapArray> c = cache;
        if (c == null) {
            return 0;
        }
        c.cleanUp();
        return c.estimatedSize();
    }
}
