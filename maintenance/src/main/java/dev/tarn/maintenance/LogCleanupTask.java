package dev.tarn.maintenance;

import static java.util.Objects.requireNonNull;

import dev.tarn.maintenance.internal.DeltaIntervals;
import dev.tarn.maintenance.internal.LogNames;
import dev.tarn.storage.fs.FileEntry;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Log cleanup (PROTOCOL.md "Metadata Cleanup"): deletes commit files, checkpoints, log compaction files and
 * checksum files of versions older than {@code delta.logRetentionDuration} (default 30 days) that no retained
 * version needs. The retained versions are those whose commit is younger than the retention (always at least the
 * latest); the log then starts at the newest complete checkpoint at or before the oldest of them, and every file
 * of that checkpoint's version and later is kept, so each retained version can still be reconstructed. Without such
 * a checkpoint nothing is deleted. Commit times are file modification times made strictly increasing, as
 * delta-spark does. V2 checkpoint sidecar files are left in place.
 */
public final class LogCleanupTask {
    public static final String RETENTION_PROPERTY = "delta.logRetentionDuration";
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

    private final TableLog log;
    private final LogCleanupOptions options;

    public LogCleanupTask(TableLog log, LogCleanupOptions options) {
        this.log = requireNonNull(log, "log is null");
        this.options = requireNonNull(options, "options is null");
    }

    public LogCleanupResult run() {
        long started = System.nanoTime();
        long now = System.currentTimeMillis();
        Snapshot latest = log.latestSnapshot();
        String table = log.location();
        String property = latest.configuration().get(RETENTION_PROPERTY);
        Duration retention = options.retention().orElse(property == null ? DEFAULT_RETENTION
                : DeltaIntervals.parse(RETENTION_PROPERTY, property));
        long cutoff = now - retention.toMillis();

        List<FileEntry> entries = log.fileIO().list(log.logDirectory());
        TreeMap<Long, Long> commitTimes = new TreeMap<>();
        Map<Long, Set<Integer>> multiParts = new HashMap<>();
        Map<Long, Integer> multiCounts = new HashMap<>();
        Set<Long> checkpoints = new HashSet<>();
        for (FileEntry e : entries) {
            LogNames.LogName n = LogNames.parse(e.name());
            if (n == null) {
                continue;
            }
            switch (n.kind()) {
                case COMMIT -> commitTimes.put(n.version(), e.modificationTimeMillis());
                case CLASSIC_CHECKPOINT, V2_CHECKPOINT -> checkpoints.add(n.version());
                case MULTI_PART_CHECKPOINT -> {
                    multiParts.computeIfAbsent(n.version(), k -> new HashSet<>()).add(n.part());
                    multiCounts.put(n.version(), n.parts());
                }
                default -> { }
            }
        }
        multiParts.forEach((v, parts) -> {
            if (parts.size() == multiCounts.get(v)) {
                checkpoints.add(v);
            }
        });

        long oldestRetained = latest.version();
        long previous = Long.MIN_VALUE;
        for (Map.Entry<Long, Long> c : commitTimes.entrySet()) {
            long ts = previous == Long.MIN_VALUE ? c.getValue() : Math.max(c.getValue(), previous + 1);
            previous = ts;
            if (ts >= cutoff && c.getKey() <= latest.version()) {
                oldestRetained = c.getKey();
                break;
            }
        }
        long keep = -1;
        for (long v : checkpoints) {
            if (v <= oldestRetained && v > keep) {
                keep = v;
            }
        }
        if (keep < 0) {
            return new LogCleanupResult(table, options.dryRun(), retention, oldestRetained, -1, List.of(),
                    OptimizeTask.millis(started), Optional.of("no checkpoint at or before version " + oldestRetained
                    + " (the oldest retained version); without one, no older log file can be removed"));
        }
        List<String> doomed = new ArrayList<>();
        for (FileEntry e : entries) {
            LogNames.LogName n = LogNames.parse(e.name());
            if (n != null && n.version() < keep && e.modificationTimeMillis() < cutoff) {
                doomed.add(e.name());
            }
        }
        doomed.sort(null);
        if (doomed.isEmpty()) {
            return new LogCleanupResult(table, options.dryRun(), retention, oldestRetained, keep, List.of(),
                    OptimizeTask.millis(started), Optional.of("no log file before checkpoint " + keep
                    + " is older than the retention of " + retention));
        }
        List<String> deleted = new ArrayList<>();
        if (!options.dryRun()) {
            // Oldest first: a crash midway leaves a log that still starts at a contiguous suffix.
            for (String name : doomed) {
                if (log.fileIO().delete(log.logDirectory() + "/" + name)) {
                    deleted.add(name);
                }
            }
        }
        return new LogCleanupResult(table, options.dryRun(), retention, oldestRetained, keep,
                options.dryRun() ? doomed : deleted, OptimizeTask.millis(started), Optional.empty());
    }
}
