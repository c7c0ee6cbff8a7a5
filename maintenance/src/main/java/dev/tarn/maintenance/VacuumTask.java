package dev.tarn.maintenance;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.maintenance.internal.DeltaIntervals;
import dev.tarn.maintenance.internal.LogNames;
import dev.tarn.maintenance.internal.TablePaths;
import dev.tarn.maintenance.internal.Writability;
import dev.tarn.storage.fs.FileEntry;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.txlog.Commit;
import dev.tarn.txlog.PartitionPaths;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import dev.tarn.txlog.Transaction;
import dev.tarn.txlog.action.Action;
import dev.tarn.txlog.action.AddCdcFile;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.CommitInfo;
import dev.tarn.txlog.action.DeletionVectorDescriptor;
import dev.tarn.txlog.action.RemoveFile;
import dev.tarn.txlog.types.StructField;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * VACUUM: deletes data files, deletion-vector files and {@code _change_data} files under the table directory that
 * no version within the retention window references and that are older than the retention (PROTOCOL.md "Add File
 * and Remove File": a remove's tombstone keeps its file until "the retention threshold"; "Change Data Files").
 *
 * <p>The retained versions are the version a reader time-travelling to {@code now - retention} would see and every
 * later one; every file any of them references (data file, DV file, CDC file) is kept, so time travel within the
 * retention keeps working. FULL lists the table directory (finding orphans of failed writes too); LITE reads only
 * the remove and cdc actions of the log. As in delta-spark, hidden paths (a directory or file name starting with
 * {@code _} or {@code .}, and a {@code metadata} directory) are never touched, except {@code _change_data},
 * {@code _delta_index} and partition directories of columns whose names start with {@code _}; {@code _delta_log}
 * is never touched.
 *
 * <p>A retention shorter than {@code delta.deletedFileRetentionDuration} (default 7 days) is refused unless
 * {@link VacuumOptions#allowShortRetention()}. Tables with the {@code vacuumProtocolCheck} feature are vacuumed only
 * when Tarn can write their protocol. Unless disabled, {@code VACUUM START} and {@code VACUUM END} commits record the
 * run as delta-spark does. Empty directories are left in place.
 */
public final class VacuumTask {
    public static final String RETENTION_PROPERTY = "delta.deletedFileRetentionDuration";
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    private static final String CHANGE_DATA_DIR = "_change_data";
    private static final int COMMITS_PER_READ = 100;

    private final TableLog log;
    private final VacuumOptions options;

    public VacuumTask(TableLog log, VacuumOptions options) {
        this.log = requireNonNull(log, "log is null");
        this.options = requireNonNull(options, "options is null");
    }

    public VacuumResult run() {
        long started = System.nanoTime();
        long now = System.currentTimeMillis();
        Snapshot latest = log.latestSnapshot();
        String table = log.location();
        String root = TablePaths.plainRoot(table);
        if (latest.protocol().supportsWriterFeature("vacuumProtocolCheck")) {
            // PROTOCOL.md "Vacuum Protocol Check": vacuum must honour the writer protocol too.
            Writability.check(latest);
        }
        Duration tableRetention = retentionOf(latest);
        Duration retention = options.retention().orElse(tableRetention);
        if (retention.compareTo(tableRetention) < 0 && !options.allowShortRetention()) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Refusing to VACUUM table " + table + " with a"
                    + " retention of " + retention + ": it is shorter than the table's " + RETENTION_PROPERTY + " ("
                    + tableRetention + "), so readers and writers of older versions could lose files they need. If"
                    + " that is really wanted, lower the table's " + RETENTION_PROPERTY + ", or turn the check off (SQL:"
                    + " SET spark.databricks.delta.retentionDurationCheck.enabled = false; Java:"
                    + " the allowShortRetention vacuum option)");
        }
        long cutoff = now - retention.toMillis();
        long oldest = oldestRetainedVersion(latest, cutoff);
        Set<String> referenced = referenced(latest, oldest, cutoff, root);
        TreeMap<String, Long> candidates = options.mode() == VacuumOptions.Mode.FULL
                ? fromListing(root, referenced, cutoff, latest) : fromLog(root, referenced, cutoff, latest);
        long bytes = candidates.values().stream().mapToLong(Long::longValue).sum();
        if (options.dryRun()) {
            return new VacuumResult(table, options.mode(), true, retention, oldest, List.copyOf(candidates.keySet()),
                    bytes, 0, List.of(), OptimizeTask.millis(started), candidates.isEmpty()
                    ? Optional.of("no file is eligible for deletion") : Optional.empty());
        }
        boolean record = options.recordInLog() && Writability.isWritable(latest);
        List<Long> commits = new ArrayList<>();
        if (record) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("retentionCheckEnabled", Boolean.toString(!options.allowShortRetention()));
            options.retention().ifPresent(r -> params.put("specifiedRetentionMillis", Long.toString(r.toMillis())));
            params.put("defaultRetentionMillis", Long.toString(tableRetention.toMillis()));
            params.put("vacuumType", options.mode().name());
            commits.add(commitInfoOnly("VACUUM START", params, Map.of("numFilesToDelete",
                    Integer.toString(candidates.size()), "sizeOfDataToDelete", Long.toString(bytes))));
        }
        List<String> deleted = new ArrayList<>();
        long deletedBytes = 0;
        FileIO io = log.fileIO();
        for (Map.Entry<String, Long> c : candidates.entrySet()) {
            if (io.delete(root + "/" + c.getKey())) {
                deleted.add(c.getKey());
                deletedBytes += c.getValue();
            }
        }
        int directories = deleteEmptyDirectories(root, deleted);
        if (record) {
            commits.add(commitInfoOnly("VACUUM END", Map.of("status", "COMPLETED"), Map.of("numDeletedFiles",
                    Integer.toString(deleted.size()), "numVacuumedDirectories", Integer.toString(directories))));
        }
        return new VacuumResult(table, options.mode(), false, retention, oldest, deleted, deletedBytes, directories,
                commits,
                OptimizeTask.millis(started), deleted.isEmpty() ? Optional.of("no file is eligible for deletion")
                : Optional.empty());
    }

    static Duration retentionOf(Snapshot s) {
        String v = s.configuration().get(RETENTION_PROPERTY);
        return v == null ? DEFAULT_RETENTION : DeltaIntervals.parse(RETENTION_PROPERTY, v);
    }

    private long commitInfoOnly(String operation, Map<String, String> params, Map<String, String> metrics) {
        Transaction tx = log.newTransaction(log.latestSnapshot(), operation, params);
        tx.setOperationMetrics(metrics);
        return tx.commit().version();
    }

    /**
     * Deletes the directories below the table root that held deleted files and are empty now (partition folders
     * {@code col=value}, random prefixes, {@code _change_data}), deepest first, so a table whose partitions were
     * all rewritten or dropped does not keep a tree of empty folders; delta-spark counts them as
     * {@code numVacuumedDirectories}. A directory a concurrent writer has just put a file into is not empty and stays.
     */
    private int deleteEmptyDirectories(String root, List<String> deletedFiles) {
        java.util.TreeSet<String> dirs = new java.util.TreeSet<>(
                java.util.Comparator.comparingInt((String d) -> d.split("/").length).reversed()
                        .thenComparing(java.util.Comparator.naturalOrder()));
        for (String rel : deletedFiles) {
            for (int slash = rel.lastIndexOf('/'); slash > 0; slash = rel.lastIndexOf('/', slash - 1)) {
                dirs.add(rel.substring(0, slash));
            }
        }
        FileIO io = log.fileIO();
        int deleted = 0;
        for (String dir : dirs) {
            String location = root + "/" + dir;
            if (dir.equals(TableLog.LOG_DIRECTORY) || !io.list(location).isEmpty()) {
                continue;
            }
            try {
                if (io.delete(location)) {
                    deleted++;
                }
            } catch (TarnException e) {
                // Not empty any more (a writer raced us) or not deletable: leave it, it holds no garbage.
            }
        }
        return deleted;
    }

    /**
     * The version a reader time-travelling to {@code cutoff} sees: the newest at or before it; when every version is
     * newer, the oldest version the log can still reconstruct.
     */
    private long oldestRetainedVersion(Snapshot latest, long cutoff) {
        if (latest.timestamp() <= cutoff) {
            return latest.version();
        }
        try {
            return log.snapshotAsOf(cutoff).version();
        } catch (TarnException e) {
            if (e.errorCode() != ErrorCode.VERSION_NOT_FOUND) {
                throw e;
            }
            List<String> names = log.fileIO().list(log.logDirectory()).stream().map(FileEntry::name).toList();
            return LogNames.earliestReconstructable(names).orElse(latest.version());
        }
    }

    /** Every file (relative path) that the versions from {@code oldest} to the latest reference. */
    private Set<String> referenced(Snapshot latest, long oldest, long cutoff, String root) {
        Set<String> out = new HashSet<>();
        Snapshot first = oldest == latest.version() ? latest : log.snapshotAt(oldest);
        for (AddFile a : first.activeFiles()) {
            addReferenced(out, root, a.decodedPath(), a.deletionVector());
        }
        for (long from = oldest + 1; from <= latest.version(); from += COMMITS_PER_READ) {
            long to = Math.min(latest.version(), from + COMMITS_PER_READ - 1);
            for (Commit c : log.commits(from, to)) {
                for (Action a : c.actions()) {
                    if (a instanceof AddFile add) {
                        addReferenced(out, root, add.decodedPath(), add.deletionVector());
                    } else if (a instanceof RemoveFile r) {
                        addReferenced(out, root, r.decodedPath(), r.deletionVector());
                    } else if (a instanceof AddCdcFile cdc) {
                        addReferenced(out, root, TablePaths.decode(cdc.path()), null);
                    }
                }
            }
        }
        for (AddFile a : latest.activeFiles()) {
            addReferenced(out, root, a.decodedPath(), a.deletionVector());
        }
        for (RemoveFile r : latest.tombstones()) {
            if (r.deletionTimestamp() == null || r.deletionTimestamp() >= cutoff) {
                addReferenced(out, root, r.decodedPath(), r.deletionVector());
            }
        }
        return out;
    }

    private static void addReferenced(Set<String> out, String root, String decodedPath, DeletionVectorDescriptor dv) {
        String rel = TablePaths.relativize(root, decodedPath);
        if (rel != null) {
            out.add(rel);
        }
        if (dv != null) {
            String dvPath = TablePaths.deletionVectorPath(root, dv);
            if (dvPath != null) {
                out.add(dvPath);
            }
        }
    }

    /** FULL: every visible file under the table directory, unreferenced and last modified before the cutoff. */
    private TreeMap<String, Long> fromListing(String root, Set<String> referenced, long cutoff, Snapshot latest) {
        Set<String> partitionDirPrefixes = new HashSet<>();
        for (String pc : latest.partitionColumns()) {
            partitionDirPrefixes.add(PartitionPaths.escape(pc) + "=");
            latest.schema().field(pc).map(StructField::physicalName)
                    .ifPresent(p -> partitionDirPrefixes.add(PartitionPaths.escape(p) + "="));
        }
        TreeMap<String, Long> out = new TreeMap<>();
        String prefix = root + "/";
        for (FileEntry e : log.fileIO().listRecursively(root)) {
            String location = TablePaths.plainRoot(e.location());
            if (e.directory() || !location.startsWith(prefix)) {
                continue;
            }
            String rel = location.substring(prefix.length());
            if (isHidden(rel, partitionDirPrefixes) || referenced.contains(rel) || e.modificationTimeMillis() >= cutoff) {
                continue;
            }
            out.put(rel, e.size());
        }
        return out;
    }

    /**
     * Whether Delta leaves a path alone: some directory or the file name starts with {@code _} or {@code .},
     * except {@code _change_data} at the top and partition directories ({@code col=value}).
     */
    static boolean isHidden(String rel, Set<String> partitionDirPrefixes) {
        String[] segments = rel.split("/");
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.equals("metadata") && i < segments.length - 1) {
                return true; // reserved for Iceberg metadata of UniForm tables
            }
            if (!s.startsWith("_") && !s.startsWith(".")) {
                continue;
            }
            boolean directory = i < segments.length - 1;
            if (directory && (s.startsWith(CHANGE_DATA_DIR) || s.startsWith("_delta_index"))) {
                continue;
            }
            if (directory && partitionDirPrefixes.stream().anyMatch(s::startsWith)) {
                continue;
            }
            return true;
        }
        return false;
    }

    /**
     * LITE: files named by remove actions older than the cutoff, and cdc files of commits older than it, that no
     * retained version references and that still exist. Needs the log back to commit 0 or to an earlier VACUUM.
     */
    private TreeMap<String, Long> fromLog(String root, Set<String> referenced, long cutoff, Snapshot latest) {
        List<String> names = log.fileIO().list(log.logDirectory()).stream().map(FileEntry::name).toList();
        long firstCommit = Long.MAX_VALUE;
        for (String n : names) {
            LogNames.LogName l = LogNames.parse(n);
            if (l != null && l.kind() == LogNames.Kind.COMMIT) {
                firstCommit = Math.min(firstCommit, l.version());
            }
        }
        TreeMap<String, Long> out = new TreeMap<>();
        if (firstCommit == Long.MAX_VALUE) {
            return out;
        }
        boolean sawVacuum = false;
        FileIO io = log.fileIO();
        for (long from = firstCommit; from <= latest.version(); from += COMMITS_PER_READ) {
            long to = Math.min(latest.version(), from + COMMITS_PER_READ - 1);
            for (Commit c : log.commits(from, to)) {
                for (Action a : c.actions()) {
                    if (a instanceof CommitInfo info && "VACUUM END".equals(info.operation())) {
                        sawVacuum = true;
                    } else if (a instanceof RemoveFile r && r.deletionTimestamp() != null && r.deletionTimestamp() < cutoff) {
                        candidate(out, root, referenced, r.decodedPath(), r.size() == null ? 0 : r.size());
                        if (r.deletionVector() != null) {
                            String dv = TablePaths.deletionVectorPath(root, r.deletionVector());
                            if (dv != null) {
                                candidate(out, root, referenced, dv, 0);
                            }
                        }
                    } else if (a instanceof AddCdcFile cdc && c.timestamp() < cutoff) {
                        candidate(out, root, referenced, TablePaths.decode(cdc.path()), cdc.size());
                    }
                }
            }
        }
        if (firstCommit > 0 && !sawVacuum) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "VACUUM LITE cannot vacuum table " + log.location()
                    + ": commits before version " + firstCommit + " were cleaned up and no earlier VACUUM is recorded"
                    + " in the remaining log, so removed files may be missed; run VACUUM FULL");
        }
        out.keySet().removeIf(rel -> !io.exists(root + "/" + rel));
        return out;
    }

    private static void candidate(TreeMap<String, Long> out, String root, Set<String> referenced, String decodedPath,
                                  long size) {
        String rel = TablePaths.relativize(root, decodedPath);
        if (rel == null || referenced.contains(rel) || rel.startsWith(TableLog.LOG_DIRECTORY + "/")) {
            return;
        }
        out.merge(rel, size, Math::max);
    }
}
