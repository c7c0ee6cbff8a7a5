package dev.tarn.txlog;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.txlog.action.Action;
import dev.tarn.txlog.action.CommitInfo;
import dev.tarn.txlog.action.Metadata;
import dev.tarn.txlog.action.Protocol;
import dev.tarn.txlog.internal.cdf.ChangeFiles;
import dev.tarn.txlog.internal.LogPaths;
import dev.tarn.txlog.internal.checkpoint.LastCheckpointFile;
import dev.tarn.txlog.internal.replay.LogFile;
import dev.tarn.txlog.internal.replay.LogLister;
import dev.tarn.txlog.internal.replay.LogReplay;
import dev.tarn.txlog.internal.replay.LogSegment;
import dev.tarn.txlog.internal.replay.ReplayState;
import dev.tarn.txlog.internal.replay.TableFeatures;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The transaction log of one Delta table ({@code <table>/_delta_log}, PROTOCOL.md "Delta Log Entries"): loads
 * snapshots by version and starts transactions. Thread-safe; holds no mutable state.
 *
 * <p>A catalog-managed table (PROTOCOL.md "Catalog-managed tables") is read through a log opened with its catalog,
 * {@link #forPath(FileIO, String, CatalogCommits)}: the catalog's latest ratified version is the latest version,
 * its ratified commits (staged in {@code _delta_log/_staged_commits}) are replayed as the commits of their versions
 * and win over published files of the same version, and published commits and checkpoints fill in the versions
 * before them. Without a catalog such a table is refused as an unsupported reader feature. Writing goes through
 * the file system only, so a log with a catalog attached refuses transactions.
 */
public final class TableLog {
    /** Delta's directory of log files under the table root. */
    public static final String LOG_DIRECTORY = "_delta_log";

    private final FileIO io;
    private final String location;
    private final String logDirectory;
    private final CatalogCommits catalog;

    private TableLog(FileIO io, String location, CatalogCommits catalog) {
        this.io = requireNonNull(io, "io is null");
        this.location = LogPaths.normalizeTableLocation(requireNonNull(location, "location is null"));
        this.logDirectory = this.location + "/" + LOG_DIRECTORY;
        this.catalog = catalog;
    }

    /** The log of the table at an absolute path (or {@code file:} URI), read from the file system alone. */
    public static TableLog forPath(FileIO io, String tableLocation) {
        return new TableLog(io, tableLocation, null);
    }

    /**
     * The log of a catalog-managed table at an absolute path (or {@code file:} URI), whose managing catalog
     * supplies the ratified commits (PROTOCOL.md "Reading Catalog-managed Tables").
     */
    public static TableLog forPath(FileIO io, String tableLocation, CatalogCommits catalog) {
        return new TableLog(io, tableLocation, requireNonNull(catalog, "catalog is null"));
    }

    /** The catalog supplying ratified commits, when the log was opened with one. */
    public Optional<CatalogCommits> catalog() {
        return Optional.ofNullable(catalog);
    }

    public String location() {
        return location;
    }

    public String logDirectory() {
        return logDirectory;
    }

    public FileIO fileIO() {
        return io;
    }

    /** True when {@code _delta_log} holds a commit or a checkpoint. */
    public boolean exists() {
        return !lister().isEmpty();
    }

    /** The newest version; {@code NOT_A_DELTA_TABLE} when the log is empty. */
    public Snapshot latestSnapshot() {
        Optional<LastCheckpoint> hint = LastCheckpointFile.read(io, logDirectory);
        if (catalog == null && hint.isPresent() && hint.get().version() > 0) {
            Snapshot fromHint = loadFromHintedCheckpoint(hint);
            if (fromHint != null) {
                return fromHint;
            }
        }
        LogLister lister = listNonEmpty();
        return load(lister, lister.latestVersion(hint), hint);
    }

    /**
     * The latest snapshot from a listing that starts at the checkpoint {@code _last_checkpoint} names, or null when
     * that listing has no complete checkpoint at or after it (the hint is stale or the checkpoint is gone): then
     * only the full listing can find an older checkpoint or the start of the log.
     */
    private Snapshot loadFromHintedCheckpoint(Optional<LastCheckpoint> hint) {
        long version = hint.get().version();
        // The checkpoint's files and the commits after it are looked up by name: listing a large log directory
        // costs per entry in it. When no commit follows the checkpoint, a listing decides (the hint may be stale).
        LogLister partial = LogLister.lookUp(io, logDirectory, version + 1, checkpointNames(hint.get()));
        if (partial.commitsBetween(version + 1, version + 1).isEmpty()) {
            partial = LogLister.listFrom(io, logDirectory, version);
        }
        if (partial.isEmpty()) {
            return null;
        }
        long latest = partial.latestVersion(hint);
        LogSegment segment;
        try {
            segment = partial.segment(latest, hint, location);
        } catch (TarnException e) {
            if (e.errorCode() == ErrorCode.VERSION_NOT_FOUND) {
                return null; // no checkpoint in the partial listing: the full listing decides
            }
            throw e;
        }
        if (segment.checkpoint() == null) {
            return null;
        }
        ReplayState state = LogReplay.replay(io, location, segment);
        return toSnapshot(state, latest, segment.lastModificationTime(), segment.checkpoint().version());
    }

    /** The file names a checkpoint described by {@code _last_checkpoint} may have (PROTOCOL.md "Checkpoints"). */
    private static List<String> checkpointNames(LastCheckpoint hint) {
        List<String> names = new java.util.ArrayList<>();
        hint.v2CheckpointPath().filter(p -> !p.isEmpty() && p.indexOf('/') < 0).ifPresent(names::add);
        names.add(String.format("%020d.checkpoint.parquet", hint.version()));
        int parts = hint.parts().orElse(1);
        for (int i = 1; parts > 1 && i <= parts; i++) {
            names.add(String.format("%020d.checkpoint.%010d.%010d.parquet", hint.version(), i, parts));
        }
        return names;
    }

    /** The table as of {@code version}; {@code VERSION_NOT_FOUND} when the log cannot reconstruct it. */
    public Snapshot snapshotAt(long version) {
        LogLister lister = listNonEmpty();
        Optional<LastCheckpoint> hint = LastCheckpointFile.read(io, logDirectory);
        long latest = lister.latestVersion(hint);
        if (version > latest) {
            load(lister, latest, hint); // an unreadable table (e.g. catalog-managed) reports that, not the version
        }
        if (version < 0 || version > latest) {
            throw new TarnException(ErrorCode.VERSION_NOT_FOUND, "Version " + version + " of table " + location
                    + " does not exist; the latest version is " + latest);
        }
        return load(lister, version, hint);
    }

    /**
     * The table as of a point in time (time travel by timestamp): the newest version whose commit timestamp is at
     * or before {@code timestampMillis}. Commit timestamps are {@code inCommitTimestamp} from the version where
     * in-commit timestamps were enabled ({@code delta.inCommitTimestampEnablementVersion}), file modification times
     * before it, made strictly increasing as delta-spark does. {@code VERSION_NOT_FOUND} when the timestamp is
     * before the earliest version or after the latest commit.
     */
    public Snapshot snapshotAsOf(long timestampMillis) {
        LogLister lister = listNonEmpty();
        Optional<LastCheckpoint> hint = LastCheckpointFile.read(io, logDirectory);
        long latest = lister.latestVersion(hint);
        Snapshot latestSnapshot = load(lister, latest, hint);
        List<LogFile> commits = lister.commitsBetween(0, latest);
        long[] at = newestAtOrBefore(commits, latestSnapshot, timestampMillis);
        long found = at[0];
        long foundTs = at[1];
        if (found < 0) {
            throw new TarnException(ErrorCode.VERSION_NOT_FOUND, "Table " + location + " has no version at or before "
                    + java.time.Instant.ofEpochMilli(timestampMillis) + (commits.isEmpty() ? ""
                    : " (the earliest available commit is version " + commits.get(0).version() + ")"));
        }
        if (found == latest && timestampMillis > Math.max(foundTs, System.currentTimeMillis())) {
            throw new TarnException(ErrorCode.VERSION_NOT_FOUND, "Timestamp " + java.time.Instant.ofEpochMilli(timestampMillis)
                    + " is in the future; the latest commit of table " + location + " is version " + latest + " at "
                    + java.time.Instant.ofEpochMilli(foundTs));
        }
        return found == latest ? latestSnapshot : load(lister, found, hint);
    }

    /**
     * The newest of {@code commits} whose commit timestamp is at or before {@code timestampMillis}, and that
     * timestamp, as {@code {version, timestamp}}; {@code {-1, Long.MIN_VALUE}} when none is.
     */
    private long[] newestAtOrBefore(List<LogFile> commits, Snapshot latestSnapshot, long timestampMillis) {
        long ictFrom = Long.MAX_VALUE;
        Map<String, String> conf = latestSnapshot.configuration();
        if ("true".equalsIgnoreCase(conf.get("delta.enableInCommitTimestamps"))) {
            String since = conf.get("delta.inCommitTimestampEnablementVersion");
            ictFrom = since == null ? 0 : Long.parseLong(since.trim());
        }
        long found = -1;
        long foundTs = Long.MIN_VALUE;
        long previous = Long.MIN_VALUE;
        int firstIct = commits.size();
        for (int i = 0; i < commits.size(); i++) {
            LogFile c = commits.get(i);
            if (c.version() >= ictFrom) {
                firstIct = i;
                break;
            }
            long ts = previous == Long.MIN_VALUE ? c.entry().modificationTimeMillis()
                    : Math.max(c.entry().modificationTimeMillis(), previous + 1);
            previous = ts;
            if (ts > timestampMillis) {
                break;
            }
            found = c.version();
            foundTs = ts;
        }
        if (firstIct < commits.size() && (found == commits.get(firstIct).version() - 1 || firstIct == 0)) {
            // In-commit timestamps increase strictly: binary search, reading O(log n) commits.
            int lo = firstIct;
            int hi = commits.size() - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                long ts = ictOf(commits.get(mid));
                if (ts <= timestampMillis) {
                    found = commits.get(mid).version();
                    foundTs = ts;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
        }
        return new long[] {found, foundTs};
    }

    private long ictOf(LogFile commit) {
        for (Action a : LogReplay.readCommit(io, commit.location())) {
            if (a instanceof CommitInfo c && c.inCommitTimestamp() != null) {
                return c.inCommitTimestamp();
            }
        }
        throw new TarnException(ErrorCode.CORRUPT_LOG, "Commit " + commit.location()
                + " has no inCommitTimestamp although in-commit timestamps are enabled for it");
    }

    /**
     * The newest snapshot, replaying only the commits after {@code base} when no checkpoint intervenes
     * (PROTOCOL.md "Action Reconciliation" applied to the log tail).
     */
    public Snapshot refresh(Snapshot base) {
        requireNonNull(base, "base is null");
        Optional<LastCheckpoint> hint = LastCheckpointFile.read(io, logDirectory);
        LogLister lister;
        if (catalog == null) {
            // Only the commits from the base on are looked up: the cost follows the new commits, not the history.
            lister = LogLister.lookUp(io, logDirectory, base.version(), List.of());
            if (lister.commitsBetween(base.version(), base.version()).isEmpty()) {
                lister = listNonEmpty(); // the base's commit is gone (log cleanup, recreated table): full load
            }
        } else {
            lister = listNonEmpty();
        }
        long latest = lister.latestVersion(hint);
        if (latest == base.version()) {
            return base;
        }
        List<LogFile> tail = lister.commitsBetween(base.version() + 1, latest);
        if (latest < base.version() || tail.size() != latest - base.version()) {
            if (catalog == null) {
                lister = listNonEmpty();
                latest = lister.latestVersion(hint);
            }
            return load(lister, latest, hint);
        }
        ReplayState state = new ReplayState(location, base.protocol(), base.metadata(), base.activeFileSet(),
                base.tombstoneMap(), base.setTransactions().values(), base.domainMetadata().values());
        LogReplay.applyCommits(io, state, tail);
        return toSnapshot(state, latest, tail.get(tail.size() - 1).entry().modificationTimeMillis(),
                base.checkpointVersion());
    }

    /**
     * The snapshot at {@code version}, built from {@code base} by replaying only the commits after it (all of which
     * must exist); a full load when {@code base} is null.
     */
    Snapshot snapshotAfter(Snapshot base, long version) {
        if (base == null || catalog != null) {
            return snapshotAt(version);
        }
        if (version == base.version()) {
            return base;
        }
        ReplayState state = new ReplayState(location, base.protocol(), base.metadata(), base.activeFileSet(),
                base.tombstoneMap(), base.setTransactions().values(), base.domainMetadata().values());
        long mtime = 0;
        for (long v = base.version() + 1; v <= version; v++) {
            String file = logDirectory + "/" + LogFile.commitName(v);
            state.startCommit();
            for (Action a : LogReplay.readCommit(io, file)) {
                state.apply(a);
            }
            if (v == version) {
                mtime = io.entries(logDirectory, List.of(LogFile.commitName(version))).stream()
                        .mapToLong(e -> e.modificationTimeMillis()).findFirst().orElse(System.currentTimeMillis());
            }
        }
        return toSnapshot(state, version, mtime, base.checkpointVersion());
    }

    /** The content of {@code _last_checkpoint}, when present and valid. */
    public Optional<LastCheckpoint> readLastCheckpoint() {
        return LastCheckpointFile.read(io, logDirectory);
    }

    /**
     * The actions of one commit, in file order (commitInfo, cdc and all): the catalog's ratified commit of that
     * version when a catalog is attached and has one, else the published file.
     */
    public List<Action> readCommit(long version) {
        if (catalog != null) {
            RatifiedCommits ratified = catalog.ratifiedCommits();
            if (version > ratified.latestVersion()) {
                throw new TarnException(ErrorCode.VERSION_NOT_FOUND, "Commit " + version + " of table " + location
                        + " does not exist: its catalog's latest ratified version is " + ratified.latestVersion());
            }
            for (RatifiedCommit c : ratified.commits()) {
                if (c.version() == version) {
                    String staged = LogLister.stagedLocation(logDirectory, c.location());
                    if (!io.exists(staged)) {
                        throw new TarnException(ErrorCode.MISSING_FILE, "Ratified commit " + version
                                + " of catalog-managed table " + location + " is missing: the catalog places it at "
                                + staged);
                    }
                    return LogReplay.readCommit(io, staged);
                }
            }
        }
        String file = logDirectory + "/" + LogFile.commitName(version);
        if (!io.exists(file)) {
            String staged = String.format("%020d.", version);
            boolean isStaged = io.list(logDirectory + "/_staged_commits").stream()
                    .anyMatch(e -> e.name().startsWith(staged) && e.name().endsWith(".json"));
            throw new TarnException(ErrorCode.VERSION_NOT_FOUND, "Commit " + version + " of table " + location
                    + " does not exist (" + file + ")" + (isStaged ? "; it exists only as a staged commit in "
                    + logDirectory + "/_staged_commits, and only the table's catalog can say whether it was ratified"
                    + (catalog == null ? " (open the log with the table's catalog: TableLog.forPath(io, location,"
                    + " catalogCommits))" : "") : ""));
        }
        return LogReplay.readCommit(io, file);
    }

    /**
     * The commits from {@code startVersion} through {@code endVersion} inclusive, in order; {@code VERSION_NOT_FOUND}
     * when one of them is missing (e.g. removed by log cleanup).
     */
    public List<Commit> commits(long startVersion, long endVersion) {
        if (startVersion < 0 || endVersion < startVersion) {
            throw new IllegalArgumentException("Invalid version range " + startVersion + " to " + endVersion);
        }
        LogLister lister = listNonEmpty();
        List<LogFile> files = lister.commitsBetween(startVersion, endVersion);
        if (files.size() != endVersion - startVersion + 1) {
            java.util.Set<Long> present = new java.util.HashSet<>();
            files.forEach(f -> present.add(f.version()));
            long missing = startVersion;
            while (present.contains(missing)) {
                missing++;
            }
            throw new TarnException(ErrorCode.VERSION_NOT_FOUND, "Commit " + missing + " of table " + location
                    + " does not exist (needed for versions " + startVersion + " to " + endVersion + ")");
        }
        List<Commit> out = new java.util.ArrayList<>(files.size());
        for (LogFile f : files) {
            List<Action> actions = LogReplay.readCommit(io, f.location());
            long ts = f.entry().modificationTimeMillis();
            for (Action a : actions) {
                if (a instanceof CommitInfo c && c.inCommitTimestamp() != null) {
                    ts = c.inCommitTimestamp();
                    break;
                }
            }
            out.add(new Commit(f.version(), ts, actions));
        }
        return out;
    }

    /**
     * The change data feed from {@code startVersion} through {@code endVersion} inclusive (PROTOCOL.md "Add CDC
     * File", "Reader Requirements for AddCDCFile"): per commit, the files whose rows are the changes, see
     * {@link ChangeFile}. {@code endVersion} beyond the latest version stops at the latest, as delta-spark does.
     * {@code VERSION_NOT_FOUND} when {@code startVersion} is after the latest version or a commit of the range is
     * gone; {@code VALIDATION_ERROR} when change data was not recorded ({@code delta.enableChangeDataFeed} not true)
     * at some version of the range.
     */
    public List<CommitChanges> changes(long startVersion, long endVersion) {
        if (startVersion < 0 || endVersion < startVersion) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Invalid change data range " + startVersion + " to "
                    + endVersion + " for table " + location + ": versions must be non-negative and start <= end");
        }
        LogLister lister = listNonEmpty();
        Optional<LastCheckpoint> hint = LastCheckpointFile.read(io, logDirectory);
        long latest = lister.latestVersion(hint);
        if (startVersion > latest) {
            throw new TarnException(ErrorCode.VERSION_NOT_FOUND, "Cannot read changes of table " + location
                    + " from version " + startVersion + ": the latest version is " + latest);
        }
        long end = Math.min(endVersion, latest);
        Snapshot start = load(lister, startVersion, hint);
        List<LogFile> files = lister.commitsBetween(startVersion, end);
        if (files.size() != end - startVersion + 1) {
            throw new TarnException(ErrorCode.VERSION_NOT_FOUND, "Cannot read changes of table " + location
                    + " for versions " + startVersion + " to " + end + ": some of their commits no longer exist");
        }
        Metadata metadata = start.metadata();
        List<CommitChanges> out = new java.util.ArrayList<>(files.size());
        for (LogFile f : files) {
            List<Action> actions = LogReplay.readCommit(io, f.location());
            CommitInfo info = null;
            for (Action a : actions) {
                if (a instanceof Metadata m) {
                    metadata = m;
                } else if (a instanceof Protocol p) {
                    TableFeatures.checkReadable(p, location, catalog != null);
                } else if (a instanceof CommitInfo c && info == null) {
                    info = c;
                }
            }
            if (!"true".equalsIgnoreCase(metadata.configuration().get("delta.enableChangeDataFeed"))) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "Cannot read changes of table " + location
                        + " for versions " + startVersion + " to " + end + ": change data was not recorded at version "
                        + f.version() + " (delta.enableChangeDataFeed is not true there)");
            }
            List<ChangeFile> changed = ChangeFiles.of(location, actions);
            for (ChangeFile c : changed) {
                if (c.kind() == ChangeFile.Kind.REMOVED && !metadata.partitionColumns().isEmpty()
                        && c.partitionValues().isEmpty()) {
                    throw new TarnException(ErrorCode.CORRUPT_LOG, "Commit " + f.version() + " of table " + location
                            + " removes " + c.path() + " without partitionValues, so its deleted rows cannot be"
                            + " given their partition values");
                }
            }
            long ts = f.entry().modificationTimeMillis();
            if (info != null && info.inCommitTimestamp() != null && ictEnabledAt(metadata, f.version())) {
                ts = info.inCommitTimestamp();
            }
            out.add(new CommitChanges(f.version(), ts, metadata, changed));
        }
        return out;
    }

    /** The change data feed from {@code startVersion} through the latest version. */
    public List<CommitChanges> changes(long startVersion) {
        return changes(startVersion, Long.MAX_VALUE);
    }

    /**
     * The change data feed of the commits whose commit timestamps (as {@link #snapshotAsOf} computes them) fall in
     * [{@code startMillis}, {@code endMillis}]: from the first commit at or after the start through the last one at
     * or before the end. Empty when no commit falls in between; {@code VERSION_NOT_FOUND} when the start is after
     * the latest commit or the end before the earliest one.
     */
    public List<CommitChanges> changesBetweenTimestamps(long startMillis, long endMillis) {
        if (endMillis < startMillis) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Invalid change data range for table " + location
                    + ": the end " + java.time.Instant.ofEpochMilli(endMillis) + " is before the start "
                    + java.time.Instant.ofEpochMilli(startMillis));
        }
        LogLister lister = listNonEmpty();
        Optional<LastCheckpoint> hint = LastCheckpointFile.read(io, logDirectory);
        long latest = lister.latestVersion(hint);
        Snapshot latestSnapshot = load(lister, latest, hint);
        List<LogFile> commits = lister.commitsBetween(0, latest);
        if (commits.isEmpty()) {
            throw new TarnException(ErrorCode.VERSION_NOT_FOUND, "Table " + location
                    + " has no commits left to read changes from (only a checkpoint)");
        }
        long[] last = newestAtOrBefore(commits, latestSnapshot, endMillis);
        if (last[0] < 0) {
            throw new TarnException(ErrorCode.VERSION_NOT_FOUND, "Table " + location + " has no commit at or before "
                    + java.time.Instant.ofEpochMilli(endMillis) + " (the earliest available commit is version "
                    + commits.get(0).version() + ")");
        }
        long[] beforeStart = newestAtOrBefore(commits, latestSnapshot, startMillis - 1);
        long first = beforeStart[0] < 0 ? commits.get(0).version() : beforeStart[0] + 1;
        if (first > latest) {
            throw new TarnException(ErrorCode.VERSION_NOT_FOUND, "Table " + location + " has no commit at or after "
                    + java.time.Instant.ofEpochMilli(startMillis) + "; its latest commit is version " + latest + " at "
                    + java.time.Instant.ofEpochMilli(beforeStart[1]));
        }
        return first > last[0] ? List.of() : changes(first, last[0]);
    }

    /** Whether commit {@code version} carries its timestamp in commitInfo (PROTOCOL.md "In-Commit Timestamps"). */
    private static boolean ictEnabledAt(Metadata metadata, long version) {
        Map<String, String> conf = metadata.configuration();
        if (!"true".equalsIgnoreCase(conf.get("delta.enableInCommitTimestamps"))) {
            return false;
        }
        String since = conf.get("delta.inCommitTimestampEnablementVersion");
        try {
            return since == null || version >= Long.parseLong(since.trim());
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /**
     * Starts a transaction. {@code readSnapshot} is the version the transaction read (null creates the table);
     * {@code operation} is the delta-spark operation name recorded in commitInfo ("WRITE", "CREATE TABLE", ...).
     */
    public Transaction newTransaction(Snapshot readSnapshot, String operation, Map<String, String> operationParameters) {
        if (catalog != null) {
            // "Writer Requirements for Catalog-managed tables": commits go through the catalog's commit protocol.
            throw new TarnException(ErrorCode.UNSUPPORTED_FEATURE, "Cannot write table " + location
                    + ": it is read through its managing catalog, and Tarn does not commit through catalogs yet");
        }
        return new Transaction(this, readSnapshot, operation, operationParameters);
    }

    private LogLister listNonEmpty() {
        LogLister lister = lister();
        if (lister.isEmpty()) {
            throw new TarnException(ErrorCode.NOT_A_DELTA_TABLE, "No Delta table at " + location + ": "
                    + logDirectory + " holds no commit or checkpoint");
        }
        return lister;
    }

    /** The log listing; with a catalog, its ratified commits laid over it (asked once per call). */
    private LogLister lister() {
        return catalog == null ? LogLister.list(io, logDirectory)
                : LogLister.list(io, logDirectory, catalog.ratifiedCommits(), location);
    }

    private Snapshot load(LogLister lister, long version, Optional<LastCheckpoint> hint) {
        LogSegment segment = lister.segment(version, hint, location);
        ReplayState state = LogReplay.replay(io, location, segment);
        return toSnapshot(state, version, segment.lastModificationTime(),
                segment.checkpoint() == null ? -1 : segment.checkpoint().version());
    }

    private Snapshot toSnapshot(ReplayState state, long version, long fileTimestamp, long checkpointVersion) {
        if (state.protocol() == null) {
            throw new TarnException(ErrorCode.CORRUPT_LOG, "The Delta log of table " + location + " at version "
                    + version + " has no protocol action");
        }
        TableFeatures.checkReadable(state.protocol(), location, catalog != null);
        if (state.metadata() == null) {
            throw new TarnException(ErrorCode.CORRUPT_LOG, "The Delta log of table " + location + " at version "
                    + version + " has no metaData action");
        }
        long timestamp = fileTimestamp;
        CommitInfo last = state.lastCommitInfo();
        if (last == null && isIctEnabled(state)) {
            // Loaded from a checkpoint with no commit after it: the commit of that version holds the timestamp.
            String file = logDirectory + "/" + LogFile.commitName(version);
            if (io.exists(file)) {
                last = LogReplay.readCommit(io, file).stream().filter(a -> a instanceof CommitInfo)
                        .map(a -> (CommitInfo) a).findFirst().orElse(null);
            }
        }
        if (last != null && last.inCommitTimestamp() != null && isIctEnabled(state)) {
            timestamp = last.inCommitTimestamp();
        }
        try {
            return new Snapshot(this, version, timestamp, state.protocol(), state.metadata(),
                    state.freezeActiveFiles(), state.freezeTombstones(), state.txns(), state.domains(), checkpointVersion);
        } catch (TarnException e) {
            // Schema problems (unknown types, malformed schemaString) name the table and version.
            throw new TarnException(e.errorCode(), "Table " + location + " at version " + version + ": "
                    + e.getMessage(), e);
        }
    }

    /** In-commit timestamps (PROTOCOL.md "In-Commit Timestamps") are on when the table property says so. */
    private static boolean isIctEnabled(ReplayState state) {
        return state.metadata() != null
                && "true".equalsIgnoreCase(state.metadata().configuration().get("delta.enableInCommitTimestamps"));
    }

    @Override
    public String toString() {
        return "TableLog[" + location + "]";
    }
}
