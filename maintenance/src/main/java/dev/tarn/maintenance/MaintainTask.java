package dev.tarn.maintenance;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.maintenance.internal.DataLayout;
import dev.tarn.maintenance.internal.Rewrites;
import dev.tarn.maintenance.internal.Writability;
import dev.tarn.txlog.Checkpoints;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import dev.tarn.txlog.action.AddFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One maintenance policy run over a list of tables (the engine of {@code ./tarn maintain}). For each table, in
 * order, with thresholds from its properties ({@link MaintainSettings}):
 * <ol>
 *   <li>PURGE the files whose deletion vectors delete at least {@code tarn.maintain.purgeDeletedRatio} of rows;</li>
 *   <li>on a clustered table, CLUSTER the files clustering has not written yet (at least
 *       {@code tarn.maintain.minUnclusteredFiles}), else recluster everything when at least
 *       {@code tarn.maintain.minSmallFiles} clustered files are small; on other tables COMPACT when one partition
 *       has at least {@code tarn.maintain.minSmallFiles} files under the target size;</li>
 *   <li>CHECKPOINT when {@code delta.checkpointInterval} versions passed since the last checkpoint;</li>
 *   <li>VACUUM with the table's own {@code delta.deletedFileRetentionDuration}, never shorter, when files are due.</li>
 * </ol>
 * Each step reads the latest snapshot, so later steps see earlier commits. A conflict with a concurrent writer ends
 * the table's run with {@link MaintainResult.Status#RETRYABLE_CONFLICT} instead of an exception; any other error
 * ends it with {@link MaintainResult.Status#FAILED}; either way the next table still runs. A dry run decides the same
 * way and reports planned steps without writing anything.
 */
public final class MaintainTask {
    private static final Set<ErrorCode> CONFLICTS = Set.of(ErrorCode.CONCURRENT_MODIFICATION,
            ErrorCode.COMMIT_CONFLICT_RETRIES_EXHAUSTED, ErrorCode.CONCURRENT_METADATA_CHANGE,
            ErrorCode.CONCURRENT_PROTOCOL_CHANGE);

    private final List<TableLog> tables;
    private final MaintainOptions options;

    public MaintainTask(List<TableLog> tables, MaintainOptions options) {
        this.tables = List.copyOf(requireNonNull(tables, "tables is null"));
        this.options = requireNonNull(options, "options is null");
    }

    /** Runs the policy on every table, one after the other; one result per table, in the given order. */
    public List<MaintainResult> run() {
        List<MaintainResult> out = new ArrayList<>();
        for (TableLog log : tables) {
            out.add(maintain(log));
        }
        return out;
    }

    private MaintainResult maintain(TableLog log) {
        long started = System.nanoTime();
        String table = log.location();
        List<MaintainStep> steps = new ArrayList<>();
        Policy policy;
        try {
            policy = Policy.of(log.latestSnapshot());
        } catch (TarnException e) {
            return new MaintainResult(table, conflict(e) ? MaintainResult.Status.RETRYABLE_CONFLICT
                    : MaintainResult.Status.FAILED, steps, OptimizeTask.millis(started), Optional.of(e.getMessage()));
        }
        if (!policy.enabled) {
            return new MaintainResult(table, MaintainResult.Status.NOTHING_TO_DO, steps, OptimizeTask.millis(started),
                    Optional.of(MaintainSettings.ENABLED.key() + " is false"));
        }
        List<Supplier<MaintainStep>> plan = List.of(() -> purge(log, policy), () -> layout(log, policy),
                () -> checkpoint(log, policy), () -> vacuum(log, policy));
        MaintainOperation[] ops = {MaintainOperation.PURGE, null, MaintainOperation.CHECKPOINT, MaintainOperation.VACUUM};
        for (int i = 0; i < plan.size(); i++) {
            long stepStarted = System.nanoTime();
            try {
                steps.add(plan.get(i).get());
            } catch (TarnException e) {
                MaintainOperation op = ops[i] != null ? ops[i] : clusteredNow(log)
                        ? MaintainOperation.CLUSTER : MaintainOperation.COMPACT;
                boolean retry = conflict(e);
                steps.add(new MaintainStep(op, retry ? MaintainStep.Outcome.CONFLICT : MaintainStep.Outcome.FAILED,
                        List.of(), 0, 0, 0, 0, OptimizeTask.millis(stepStarted), Optional.of(e.getMessage())));
                return new MaintainResult(table, retry ? MaintainResult.Status.RETRYABLE_CONFLICT
                        : MaintainResult.Status.FAILED, steps, OptimizeTask.millis(started), Optional.of(e.getMessage()));
            }
        }
        MaintainResult.Status status = steps.stream().anyMatch(s -> s.outcome() == MaintainStep.Outcome.PERFORMED)
                ? MaintainResult.Status.MAINTAINED
                : steps.stream().anyMatch(s -> s.outcome() == MaintainStep.Outcome.PLANNED)
                ? MaintainResult.Status.PLANNED : MaintainResult.Status.NOTHING_TO_DO;
        return new MaintainResult(table, status, steps, OptimizeTask.millis(started), Optional.empty());
    }

    private static boolean clusteredNow(TableLog log) {
        try {
            return ClusteringSpec.isClustered(log.latestSnapshot());
        } catch (TarnException e) {
            return false;
        }
    }

    private static boolean conflict(TarnException e) {
        return isRetryableConflict(e);
    }

    /**
     * Whether a maintenance task failed only because a concurrent writer won a race (the log's conflict checks
     * found a logical conflict, or retries ran out): running it again is safe. Command-line tools exit 75 for it.
     */
    public static boolean isRetryableConflict(TarnException e) {
        return CONFLICTS.contains(e.errorCode());
    }

    /** The table's settings, read once so a bad property fails the table before anything runs. */
    private record Policy(boolean enabled, double purgeRatio, int minSmallFiles, int minUnclusteredFiles,
                          boolean checkpoint, boolean vacuum) {
        static Policy of(Snapshot s) {
            Map<String, String> c = s.configuration();
            String t = s.tableLocation();
            return new Policy(MaintainSettings.ENABLED.read(c, t), MaintainSettings.PURGE_DELETED_RATIO.read(c, t),
                    MaintainSettings.MIN_SMALL_FILES.read(c, t), MaintainSettings.MIN_UNCLUSTERED_FILES.read(c, t),
                    MaintainSettings.CHECKPOINT.read(c, t), MaintainSettings.VACUUM.read(c, t));
        }
    }

    /** Why files of this table must not be rewritten, if they must not. */
    private static Optional<String> rewriteProblem(Snapshot s) {
        if (!Writability.isWritable(s)) {
            return Optional.of("Tarn cannot write this table (protocol " + s.protocol().minReaderVersion() + ","
                    + s.protocol().minWriterVersion() + " " + s.protocol().writerFeatures() + ")");
        }
        return DataLayout.rowTrackingProblem(s);
    }

    private MaintainStep purge(TableLog log, Policy policy) {
        MaintainOperation op = MaintainOperation.PURGE;
        Snapshot s = log.latestSnapshot();
        List<AddFile> due = new ArrayList<>();
        for (AddFile f : s.activeFiles()) {
            if (f.deletionVector() != null && f.deletionVector().cardinality() > 0
                    && Rewrites.deletedRatio(f) >= policy.purgeRatio) {
                due.add(f);
            }
        }
        String share = Math.round(policy.purgeRatio * 1000) / 10.0 + "%";
        if (due.isEmpty()) {
            return MaintainStep.skipped(op, "no file's deletion vector deletes at least " + share + " of its rows ("
                    + MaintainSettings.PURGE_DELETED_RATIO.key() + ")");
        }
        Optional<String> problem = rewriteProblem(s);
        if (problem.isPresent()) {
            return MaintainStep.skipped(op, problem.get());
        }
        String why = due.size() + " file(s) have deletion vectors deleting at least " + share + " of their rows";
        if (options.dryRun()) {
            return MaintainStep.planned(op, due.size(), due.stream().mapToLong(AddFile::size).sum(), why);
        }
        PurgeOptions purge = PurgeOptions.defaults().withMinDeletedRowsRatio(policy.purgeRatio);
        if (options.rewrite().targetFileSize().isPresent()) {
            purge = purge.withTargetFileSize(options.rewrite().targetFileSize().getAsLong());
        }
        return fromRewrite(op, new PurgeTask(log, purge).run(), why);
    }

    /** COMPACT, or CLUSTER on a clustered table. */
    private MaintainStep layout(TableLog log, Policy policy) {
        Snapshot s = log.latestSnapshot();
        boolean clustered = ClusteringSpec.isClustered(s);
        MaintainOperation op = clustered ? MaintainOperation.CLUSTER : MaintainOperation.COMPACT;
        long target = OptimizeTask.targetFileSize(s, options.rewrite().targetFileSize());
        OptimizeOptions r = options.rewrite();
        OptimizeOptions base = new OptimizeOptions(r.targetFileSize(), Optional.empty(), List.of(),
                r.maxDeletedRowsRatio(), r.sortMemoryBytes(), r.spillDirectory(), false);
        String minSmallKey = MaintainSettings.MIN_SMALL_FILES.key();
        if (clustered) {
            List<AddFile> unclustered = new ArrayList<>();
            long smallClustered = 0;
            for (AddFile f : s.activeFiles()) {
                if (!ClusteringSpec.PROVIDER.equals(f.clusteringProvider())) {
                    unclustered.add(f);
                } else if (f.size() < target) {
                    smallClustered++;
                }
            }
            OptimizeOptions run;
            String why;
            long files;
            long bytes;
            if (!unclustered.isEmpty() && unclustered.size() >= policy.minUnclusteredFiles) {
                run = base;
                why = unclustered.size() + " file(s) not clustered yet";
                files = unclustered.size();
                bytes = unclustered.stream().mapToLong(AddFile::size).sum();
            } else if (smallClustered >= policy.minSmallFiles) {
                run = base.withFull(true);
                why = smallClustered + " clustered file(s) under the target size (" + target + " bytes): reclustering"
                        + " all files";
                files = s.activeFiles().size();
                bytes = s.sizeInBytes();
            } else {
                return MaintainStep.skipped(op, unclustered.size() + " file(s) not clustered yet (threshold "
                        + policy.minUnclusteredFiles + ", " + MaintainSettings.MIN_UNCLUSTERED_FILES.key() + "), "
                        + smallClustered + " small clustered file(s) (threshold " + policy.minSmallFiles + ", "
                        + minSmallKey + ")");
            }
            Optional<String> problem = rewriteProblem(s);
            if (problem.isPresent()) {
                return MaintainStep.skipped(op, problem.get());
            }
            if (options.dryRun()) {
                return MaintainStep.planned(op, files, bytes, why);
            }
            return fromRewrite(op, new OptimizeTask(log, run).run(), why);
        }
        Map<Map<String, String>, Integer> smallPerPartition = new HashMap<>();
        long smallFiles = 0;
        long smallBytes = 0;
        for (AddFile f : s.activeFiles()) {
            if (f.size() < target) {
                smallPerPartition.merge(f.partitionValues(), 1, Integer::sum);
                smallFiles++;
                smallBytes += f.size();
            }
        }
        int most = smallPerPartition.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        if (most < policy.minSmallFiles) {
            return MaintainStep.skipped(op, "at most " + most + " file(s) under the target size (" + target
                    + " bytes) in a partition; threshold " + policy.minSmallFiles + " (" + minSmallKey + ")");
        }
        Optional<String> problem = rewriteProblem(s);
        if (problem.isPresent()) {
            return MaintainStep.skipped(op, problem.get());
        }
        String why = most + " file(s) under the target size (" + target + " bytes) in one partition";
        if (options.dryRun()) {
            return MaintainStep.planned(op, smallFiles, smallBytes, why);
        }
        return fromRewrite(op, new OptimizeTask(log, base).run(), why);
    }

    private MaintainStep checkpoint(TableLog log, Policy policy) {
        MaintainOperation op = MaintainOperation.CHECKPOINT;
        if (!policy.checkpoint) {
            return MaintainStep.skipped(op, MaintainSettings.CHECKPOINT.key() + " is false");
        }
        Snapshot s = log.latestSnapshot();
        int interval = Checkpoints.interval(s);
        long since = s.version() - s.checkpointVersion();
        String last = s.checkpointVersion() < 0 ? "no checkpoint yet" : "last checkpoint at version "
                + s.checkpointVersion();
        if (since < interval) {
            return MaintainStep.skipped(op, since + " version(s) since " + (s.checkpointVersion() < 0 ? "the table"
                    + " was created" : "the checkpoint at version " + s.checkpointVersion()) + "; due after "
                    + interval + " (delta.checkpointInterval)");
        }
        Optional<String> problem = Writability.isWritable(s) ? Optional.empty()
                : Optional.of("Tarn cannot write this table's protocol, so it does not checkpoint it");
        if (problem.isPresent()) {
            return MaintainStep.skipped(op, problem.get());
        }
        String why = since + " version(s) committed (" + last + "), delta.checkpointInterval = " + interval;
        if (options.dryRun()) {
            return MaintainStep.planned(op, 0, 0, why);
        }
        long stepStarted = System.nanoTime();
        CheckpointResult r = new CheckpointTask(log).run();
        if (!r.written()) {
            return MaintainStep.skipped(op, r.skipReason());
        }
        return new MaintainStep(op, MaintainStep.Outcome.PERFORMED, List.of(), 0, 0, 0, 0,
                OptimizeTask.millis(stepStarted), Optional.of(why + "; checkpoint written at version " + r.version()));
    }

    private MaintainStep vacuum(TableLog log, Policy policy) {
        MaintainOperation op = MaintainOperation.VACUUM;
        if (!policy.vacuum) {
            return MaintainStep.skipped(op, MaintainSettings.VACUUM.key() + " is false");
        }
        // The table's own retention, with the retention check on: never shorter than the table allows.
        VacuumResult planned = new VacuumTask(log, VacuumOptions.defaults().withDryRun(true)).run();
        if (planned.files().isEmpty()) {
            return MaintainStep.skipped(op, planned.skipReason().orElse("no file is eligible for deletion")
                    + " (retention " + planned.retention() + ")");
        }
        String why = planned.files().size() + " file(s) unreferenced for longer than the retention ("
                + planned.retention() + ")";
        if (options.dryRun()) {
            return MaintainStep.planned(op, planned.files().size(), planned.bytes(), why);
        }
        VacuumResult r = new VacuumTask(log, VacuumOptions.defaults()).run();
        List<Long> versions = r.committedVersions();
        return new MaintainStep(op, MaintainStep.Outcome.PERFORMED, versions, 0, r.filesDeleted(), 0, r.bytes(),
                r.durationMillis(), Optional.of(why));
    }

    private static MaintainStep fromRewrite(MaintainOperation op, RewriteResult r, String why) {
        if (!r.committed()) {
            return new MaintainStep(op, MaintainStep.Outcome.SKIPPED, List.of(), 0, 0, 0, 0, r.durationMillis(),
                    r.skipReason());
        }
        return new MaintainStep(op, MaintainStep.Outcome.PERFORMED, List.of(r.committedVersion().getAsLong()),
                r.filesAdded(), r.filesRemoved(), r.bytesAdded(), r.bytesRemoved(), r.durationMillis(), Optional.of(why));
    }
}
