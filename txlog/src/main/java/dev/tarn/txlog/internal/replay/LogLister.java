package dev.tarn.txlog.internal.replay;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.FileEntry;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.txlog.LastCheckpoint;
import dev.tarn.txlog.RatifiedCommit;
import dev.tarn.txlog.RatifiedCommits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lists {@code _delta_log} and chooses the files that reconstruct a version: the newest complete checkpoint at or
 * below it, then every commit after that checkpoint (PROTOCOL.md "Checkpoints": "readers can start from the
 * checkpoint and only read commits after it"). Commits must be contiguous ("Delta Table Specification": "a single
 * serial history of atomic versions, which are named using contiguous, monotonically-increasing integers").
 *
 * <p>For a catalog-managed table the catalog's ratified commits are laid over the listing (PROTOCOL.md "Reading
 * Catalog-managed Tables"): a ratified commit replaces a published file of its version, and nothing above the
 * catalog's latest ratified version is used, even when published.
 */
public final class LogLister {
    /** Staged commits are named {@code <version>.<uuid>.json} (PROTOCOL.md "Delta Log Entries"). */
    private static final Pattern STAGED_NAME = Pattern.compile("(\\d{20})\\.[^.]+\\.json");
    public static final String STAGED_COMMITS = "_staged_commits";

    private final FileIO io;
    private final String logDirectory;
    private final List<LogFile> files;
    private final TreeMap<Long, LogFile> commits = new TreeMap<>();
    private final TreeMap<Long, List<LogFile>> checkpointFiles = new TreeMap<>();
    /** The catalog's latest ratified version, or -1 for a file-system table. */
    private final long ratifiedLatest;

    private LogLister(FileIO io, String logDirectory, List<LogFile> files, long ratifiedLatest) {
        this.io = io;
        this.ratifiedLatest = ratifiedLatest;
        this.logDirectory = logDirectory;
        this.files = files;
        for (LogFile f : files) {
            if (f.kind() == LogFile.Kind.COMMIT) {
                commits.put(f.version(), f);
            } else if (f.isCheckpoint()) {
                checkpointFiles.computeIfAbsent(f.version(), v -> new ArrayList<>()).add(f);
            }
        }
    }

    public static LogLister list(FileIO io, String logDirectory) {
        List<LogFile> files = new ArrayList<>();
        for (FileEntry e : io.list(logDirectory)) {
            LogFile f = LogFile.parse(e);
            if (f != null) {
                files.add(f);
            }
        }
        return new LogLister(io, logDirectory, files, -1);
    }

    /**
     * The listing of the log from {@code fromVersion} on: files of older versions are not listed (PROTOCOL.md
     * "Checkpoints": readers start from a checkpoint and only read commits after it), so loading from the checkpoint
     * {@code _last_checkpoint} names, or refreshing a snapshot, does not pay for the whole history.
     */
    public static LogLister listFrom(FileIO io, String logDirectory, long fromVersion) {
        List<FileEntry> entries = fromVersion <= 0 ? io.list(logDirectory)
                : io.listFrom(logDirectory, String.format("%020d", fromVersion));
        List<LogFile> files = new ArrayList<>();
        for (FileEntry e : entries) {
            LogFile f = LogFile.parse(e);
            if (f != null && f.version() >= fromVersion) {
                files.add(f);
            }
        }
        return new LogLister(io, logDirectory, files, -1);
    }

    /**
     * The log files from {@code fromVersion} on found by name instead of by listing ({@link FileIO#entries}, one
     * lookup per name on a local file system, whatever the directory holds): {@code extraNames} (such as the
     * files of the checkpoint {@code _last_checkpoint} names) and the commits from {@code fromVersion} up to the
     * first one missing. Commits have contiguous versions and cleanup removes only a prefix of them (PROTOCOL.md
     * "Delta Table Specification", "Metadata Cleanup"), so once {@code fromVersion} exists, the first missing one
     * ends the log. Files of other names (a newer checkpoint, compaction files) are not seen.
     */
    public static LogLister lookUp(FileIO io, String logDirectory, long fromVersion, List<String> extraNames) {
        List<LogFile> files = new ArrayList<>();
        List<String> names = new ArrayList<>(extraNames);
        long next = fromVersion;
        int batch = 16;
        while (true) {
            for (int i = 0; i < batch; i++) {
                names.add(LogFile.commitName(next + i));
            }
            int found = 0;
            for (FileEntry e : io.entries(logDirectory, names)) {
                LogFile f = LogFile.parse(e);
                if (f == null) {
                    continue;
                }
                if (f.kind() == LogFile.Kind.COMMIT) {
                    if (f.version() != next + found) {
                        break; // after a gap: not part of this log's contiguous run
                    }
                    found++;
                }
                files.add(f);
            }
            if (found < batch) {
                return new LogLister(io, logDirectory, files, -1);
            }
            next += batch;
            batch = Math.min(batch * 2, 1024);
            names.clear();
        }
    }

    /**
     * The listing of a catalog-managed table with the catalog's answer laid over it. A ratified commit whose file
     * is missing is {@code MISSING_FILE}; one whose staged file name carries another version is {@code CORRUPT_LOG}.
     */
    public static LogLister list(FileIO io, String logDirectory, RatifiedCommits ratified, String table) {
        long latest = ratified.latestVersion();
        List<LogFile> files = new ArrayList<>();
        for (FileEntry e : io.list(logDirectory)) {
            LogFile f = LogFile.parse(e);
            if (f != null && f.version() <= latest) {
                files.add(f);
            }
        }
        Map<String, List<FileEntry>> listings = new HashMap<>();
        for (RatifiedCommit c : ratified.commits()) {
            String location = stagedLocation(logDirectory, c.location());
            int slash = location.lastIndexOf('/');
            String parent = location.substring(0, Math.max(slash, 0));
            String name = location.substring(slash + 1);
            FileEntry entry = listings.computeIfAbsent(parent, io::list).stream()
                    .filter(e -> e.name().equals(name) && !e.directory()).findFirst()
                    .orElseThrow(() -> new TarnException(ErrorCode.MISSING_FILE, "Ratified commit " + c.version()
                            + " of catalog-managed table " + table + " is missing: the catalog places it at "
                            + location));
            Matcher m = STAGED_NAME.matcher(name);
            if (m.matches() && Long.parseLong(m.group(1)) != c.version()) {
                throw new TarnException(ErrorCode.CORRUPT_LOG, "The catalog of table " + table + " ratified "
                        + location + " as version " + c.version() + ", but the staged commit's name says version "
                        + Long.parseLong(m.group(1)));
            }
            // The catalog's commit is authoritative over a published file of the same version.
            files.removeIf(f -> f.kind() == LogFile.Kind.COMMIT && f.version() == c.version());
            files.add(new LogFile(LogFile.Kind.COMMIT, c.version(), entry, 1, 1));
        }
        return new LogLister(io, logDirectory, files, latest);
    }

    /**
     * Where a catalog's commit location points: absolute paths and URIs as given, bare names in
     * {@code _delta_log/_staged_commits}, other relative paths from {@code _delta_log}.
     */
    public static String stagedLocation(String logDirectory, String location) {
        if (location.startsWith("file:")) {
            return dev.tarn.txlog.internal.LogPaths.decode(location);
        }
        if (dev.tarn.txlog.internal.LogPaths.isAbsolute(location)) {
            return location;
        }
        return logDirectory + "/" + (location.indexOf('/') < 0 ? STAGED_COMMITS + "/" : "") + location;
    }

    public boolean isEmpty() {
        return commits.isEmpty() && checkpointFiles.isEmpty();
    }

    public List<LogFile> files() {
        return files;
    }

    /** Commit files with versions in [from, to], ascending. */
    public List<LogFile> commitsBetween(long from, long to) {
        if (from > to) {
            return new ArrayList<>();
        }
        return new ArrayList<>(commits.subMap(from, true, to, true).values());
    }

    /** The newest version the log names: its newest commit or complete checkpoint. */
    public long latestVersion(Optional<LastCheckpoint> hint) {
        if (ratifiedLatest >= 0) {
            return ratifiedLatest; // the catalog is authoritative ("Reader Requirements for Catalog-managed tables")
        }
        long latest = commits.isEmpty() ? -1 : commits.lastKey();
        for (Long v : checkpointFiles.descendingKeySet()) {
            if (v <= latest) {
                break;
            }
            if (complete(v, hint).isPresent()) {
                latest = v;
                break;
            }
        }
        return latest;
    }

    /** The segment reconstructing {@code version}. */
    public LogSegment segment(long version, Optional<LastCheckpoint> hint, String table) {
        CheckpointInstance checkpoint = null;
        for (Map.Entry<Long, List<LogFile>> e : checkpointFiles.headMap(version, true).descendingMap().entrySet()) {
            Optional<CheckpointInstance> c = complete(e.getKey(), hint);
            if (c.isPresent()) {
                checkpoint = c.get();
                break;
            }
            if (hint.isPresent() && hint.get().version() == e.getKey()) {
                // _last_checkpoint says this checkpoint was completed: parts that vanished are a corrupt table.
                throw new TarnException(ErrorCode.MISSING_CHECKPOINT_PART, "Checkpoint at version " + e.getKey()
                        + " of table " + table + " is incomplete: _last_checkpoint declares "
                        + hint.get().parts().map(p -> p + " parts").orElse("it") + " but " + logDirectory
                        + " holds only " + names(e.getValue()));
            }
            // An incomplete checkpoint nobody declared may still be being written: use an older one.
        }
        long first = checkpoint == null ? 0 : checkpoint.version() + 1;
        List<LogFile> needed = commitsBetween(first, version);
        if (checkpoint == null && (needed.isEmpty() || needed.get(0).version() > 0)) {
            // History before the first checkpoint was cleaned up (PROTOCOL.md "Metadata Cleanup").
            long earliest = checkpointFiles.isEmpty() ? -1 : checkpointFiles.firstKey();
            throw new TarnException(ErrorCode.VERSION_NOT_FOUND, "Version " + version + " of table " + table
                    + " cannot be reconstructed: there is no checkpoint at or below it and the log does not start at"
                    + " version 0" + (earliest >= 0 ? "; the earliest reconstructable version is " + earliest : ""));
        }
        long expected = first;
        for (LogFile f : needed) {
            if (f.version() != expected) {
                throw gap(table, expected, f.version() - 1, expected - 1, f.version());
            }
            expected++;
        }
        if (expected != version + 1) {
            throw gap(table, expected, version, expected - 1, version + 1);
        }
        return new LogSegment(logDirectory, version, checkpoint, needed);
    }

    private static TarnException gap(String table, long missingFrom, long missingTo, long before, long after) {
        String missing = missingFrom == missingTo ? "version " + missingFrom : "versions " + missingFrom + " to " + missingTo;
        return new TarnException(ErrorCode.LOG_VERSION_GAP, "The Delta log of table " + table + " is missing "
                + missing + (before >= 0 ? " (between versions " + before + " and " + after + ")" : "")
                + ": commits must be contiguous");
    }

    private static String names(List<LogFile> files) {
        return files.stream().map(LogFile::name).toList().toString();
    }

    /** The complete checkpoint at a version, if one exists (V2 UUID-named files are preferred). */
    private Optional<CheckpointInstance> complete(long version, Optional<LastCheckpoint> hint) {
        List<LogFile> fs = checkpointFiles.get(version);
        if (fs == null) {
            return Optional.empty();
        }
        // Several UUID-named checkpoints may exist for one version; prefer the one _last_checkpoint names.
        Optional<String> hinted = hint.filter(h -> h.version() == version).flatMap(LastCheckpoint::v2CheckpointPath);
        LogFile uuidNamed = null;
        for (LogFile f : fs) {
            if (f.kind() == LogFile.Kind.UUID_CHECKPOINT_JSON || f.kind() == LogFile.Kind.UUID_CHECKPOINT_PARQUET) {
                if (uuidNamed == null || hinted.map(f.name()::equals).orElse(false)) {
                    uuidNamed = f;
                }
            }
        }
        if (uuidNamed != null) {
            return Optional.of(new CheckpointInstance(version, uuidNamed.kind(), List.of(uuidNamed)));
        }
        for (LogFile f : fs) {
            if (f.kind() == LogFile.Kind.CLASSIC_CHECKPOINT) {
                return Optional.of(new CheckpointInstance(version, f.kind(), List.of(f)));
            }
        }
        // Multi-part: all parts 1..n of one part count must be present.
        TreeMap<Integer, TreeMap<Integer, LogFile>> byCount = new TreeMap<>();
        for (LogFile f : fs) {
            if (f.kind() == LogFile.Kind.MULTI_PART_CHECKPOINT) {
                byCount.computeIfAbsent(f.numParts(), n -> new TreeMap<>()).put(f.part(), f);
            }
        }
        for (Map.Entry<Integer, TreeMap<Integer, LogFile>> e : byCount.descendingMap().entrySet()) {
            if (e.getValue().size() == e.getKey()) {
                return Optional.of(new CheckpointInstance(version, LogFile.Kind.MULTI_PART_CHECKPOINT,
                        new ArrayList<>(e.getValue().values())));
            }
        }
        return Optional.empty();
    }

    public FileIO io() {
        return io;
    }
}
