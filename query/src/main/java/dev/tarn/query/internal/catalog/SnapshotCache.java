package dev.tarn.query.internal.catalog;

import static java.util.Objects.requireNonNull;

import dev.tarn.storage.fs.FileEntry;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latest snapshot of each recently read table, so that a statement refreshes it with the commits made since
 * ({@link TableLog#refresh}: a few file lookups when nothing changed) instead of replaying its log again. The log
 * stays the only source of truth: every read looks for new commits, so writers in this process and in others are
 * seen at once.
 *
 * <p>A table deleted and created again (by another process, or by hand) may restart its log at a version the cache
 * holds: the commit file of the cached version is compared by size and modification time, and a different one
 * discards the entry. Tarn's own DROP TABLE and DROP SCHEMA {@linkplain #forget forget} their tables.
 *
 * <p>Bounded (least recently read first out) by tables and by the files their snapshots hold, since a snapshot of a
 * table with a million files takes hundreds of megabytes.
 */
public final class SnapshotCache {
    static final int DEFAULT_MAX_TABLES = 256;
    static final long DEFAULT_MAX_FILES = 4_000_000;

    private final int maxTables;
    private final long maxFiles;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long files;

    private record Entry(Snapshot snapshot, FileEntry commit) {}

    public SnapshotCache() {
        this(DEFAULT_MAX_TABLES, DEFAULT_MAX_FILES);
    }

    SnapshotCache(int maxTables, long maxFiles) {
        if (maxTables < 0 || maxFiles < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
        this.maxTables = maxTables;
        this.maxFiles = maxFiles;
    }

    /** The newest snapshot of {@code log}'s table (which must exist). */
    public Snapshot latest(TableLog log) {
        requireNonNull(log, "log is null");
        String location = log.location();
        Entry cached;
        synchronized (this) {
            cached = entries.get(location);
        }
        Snapshot snapshot = null;
        if (cached != null && sameCommit(log, cached)) {
            snapshot = log.refresh(cached.snapshot());
        }
        if (snapshot == null) {
            snapshot = log.latestSnapshot();
        }
        if (cached == null || snapshot != cached.snapshot()) {
            FileEntry commit = commitOf(log, snapshot.version());
            synchronized (this) {
                Entry current = entries.get(location);
                // A concurrent reader may have stored a newer version: keep the newest.
                if (current == null || current.snapshot().version() <= snapshot.version()) {
                    put(location, commit == null ? null : new Entry(snapshot, commit));
                }
            }
        }
        return snapshot;
    }

    /** Drops what is cached for the table at {@code location} and every table below it (a dropped schema). */
    public synchronized void forget(String location) {
        requireNonNull(location, "location is null");
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Entry> e = it.next();
            if (e.getKey().equals(location) || e.getKey().startsWith(location + "/")) {
                files -= e.getValue().snapshot().activeFileCount();
                it.remove();
            }
        }
    }

    synchronized int size() {
        return entries.size();
    }

    private void put(String location, Entry entry) {
        Entry old = entry == null ? entries.remove(location) : entries.put(location, entry);
        if (old != null) {
            files -= old.snapshot().activeFileCount();
        }
        if (entry == null) {
            return;
        }
        files += entry.snapshot().activeFileCount();
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while ((entries.size() > maxTables || files > maxFiles) && it.hasNext()) {
            Map.Entry<String, Entry> eldest = it.next();
            files -= eldest.getValue().snapshot().activeFileCount();
            it.remove();
        }
    }

    /** Whether the commit file of the cached version is still the one the cached snapshot was read with. */
    private static boolean sameCommit(TableLog log, Entry cached) {
        FileEntry now = commitOf(log, cached.snapshot().version());
        return now != null && now.size() == cached.commit().size()
                && now.modificationTimeMillis() == cached.commit().modificationTimeMillis();
    }

    /** The commit file of {@code version}, or null when it is gone (a log cleaned up to a checkpoint). */
    private static FileEntry commitOf(TableLog log, long version) {
        // PROTOCOL.md "Delta Log Entries": a commit is named by its version, zero-padded to 20 digits.
        String name = String.format("%020d.json", version);
        List<FileEntry> found = log.fileIO().entries(log.logDirectory(), List.of(name));
        return found.isEmpty() ? null : found.get(0);
    }
}
