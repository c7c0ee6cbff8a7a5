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

    /** Null when caching is off (a bound of 0 bytes). */
    private final Cache<Key, RoaringBitmapArray> cache;

    /** @param maxBytes the bound on cached bitmaps; 0 turns caching off */
    public DeletionVectorCache(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes is negative: " + maxBytes);
        }
        // Caffeine enforces its weight bound during amortized maintenance, not on every insert, so "no caching" is
        // expressed as no cache rather than a zero bound.
        this.cache = maxBytes == 0 ? null : Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                // Evict on the calling thread: no work for the common pool.
                .executor(Runnable::run)
                .<Key, RoaringBitmapArray>weigher((k, v) -> Math.max(1, v.serializedSizeInBytes()))
                .build();
    }

    /** The deletion vector, from the cache or loaded (and then cached). */
    public RoaringBitmapArray get(FileIO io, String tableLocation, DeletionVectorDescriptor dv, String displayName) {
        requireNonNull(io, "io is null");
        requireNonNull(tableLocation, "tableLocation is null");
        requireNonNull(dv, "dv is null");
        requireNonNull(displayName, "displayName is null");
        if (dv.isInline() || cache == null) {
            // Inline DVs are already in memory in the log; decoding is cheap and caching would only duplicate them.
            return DeletionVectors.load(io, tableLocation, dv, displayName);
        }
        return cache.get(new Key(tableLocation, dv.uniqueId()),
                k -> DeletionVectors.load(io, tableLocation, dv, displayName));
    }

    /** Number of cached deletion vectors (for tests and diagnostics). */
    public long size() {
        if (cache == null) {
            return 0;
        }
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
