package dev.tarn.maintenance;

import static java.util.Objects.requireNonNull;

import dev.tarn.maintenance.internal.DataLayout;
import dev.tarn.maintenance.internal.PartitionFileWriter;
import dev.tarn.maintenance.internal.Rewrites;
import dev.tarn.maintenance.internal.Writability;
import dev.tarn.txlog.CommitResult;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import dev.tarn.txlog.action.AddFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * REORG TABLE ... APPLY (PURGE): rewrites the files whose deletion vectors delete rows (all of them, or those above
 * {@link PurgeOptions#minDeletedRowsRatio()}) so that deleted rows are physically gone and no deletion vector is
 * left to apply (PROTOCOL.md "Deletion Vectors"). The rewrite streams batch by batch, commits once (operation
 * {@code REORG}, {@code dataChange = false}) and conflicts with concurrent changes to the same files as
 * {@link OptimizeTask} does.
 */
public final class PurgeTask {
    static final String OPERATION = "REORG";

    private final TableLog log;
    private final PurgeOptions options;

    public PurgeTask(TableLog log, PurgeOptions options) {
        this.log = requireNonNull(log, "log is null");
        this.options = requireNonNull(options, "options is null");
    }

    public RewriteResult run() {
        long started = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        Snapshot snapshot = log.latestSnapshot();
        String table = log.location();
        Writability.check(snapshot);
        options.partitionPredicate().ifPresent(p -> Rewrites.checkPartitionPredicate(snapshot, p, "REORG ... APPLY (PURGE)"));
        Optional<String> rowTracking = DataLayout.rowTrackingProblem(snapshot);
        if (rowTracking.isPresent()) {
            return RewriteResult.skipped(table, OPERATION, snapshot.version(), rowTracking.get(), OptimizeTask.millis(started));
        }
        long target = OptimizeTask.targetFileSize(snapshot, options.targetFileSize());
        DataLayout layout = DataLayout.of(snapshot);
        Map<Map<String, String>, List<AddFile>> partitions = Rewrites.filesByPartition(snapshot, options.partitionPredicate());
        int considered = partitions.values().stream().mapToInt(List::size).sum();
        List<Rewrites.Bin> bins = new ArrayList<>();
        for (Map.Entry<Map<String, String>, List<AddFile>> e : partitions.entrySet()) {
            List<AddFile> candidates = e.getValue().stream().filter(this::needsPurge).toList();
            bins.addAll(Rewrites.binPack(e.getKey(), candidates, target, f -> true));
        }
        if (bins.isEmpty()) {
            return RewriteResult.skipped(table, OPERATION, snapshot.version(), "nothing to purge: none of the "
                    + considered + " file(s) considered has a deletion vector deleting at least "
                    + options.minDeletedRowsRatio() * 100 + "% of its rows", OptimizeTask.millis(started));
        }
        List<AddFile> removed = new ArrayList<>();
        List<AddFile> added = new ArrayList<>();
        List<String> written = new ArrayList<>();
        Set<Map<String, String>> touched = new LinkedHashSet<>();
        long rows = 0;
        long dropped = 0;
        String writeId = UUID.randomUUID().toString();
        AtomicInteger counter = new AtomicInteger();
        boolean committed = false;
        try (BufferAllocator allocator = new RootAllocator()) {
            for (Rewrites.Bin bin : bins) {
                Rewrites.Written w = Rewrites.writeBin(log.fileIO(), snapshot, layout, bin, allocator, writeId, counter);
                written.addAll(w.locations());
                removed.addAll(bin.files());
                added.addAll(w.adds());
                touched.add(bin.partitionValues());
                rows += w.rowsWritten();
                dropped += w.rowsDropped();
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("predicate", Rewrites.jsonArray(options.partitionPredicate().map(Rewrites::render)
                    .map(List::of).orElse(List.of())));
            parameters.put("applyPurge", "true");
            Map<String, String> metrics = Rewrites.metrics(removed, added, considered, startMillis,
                    System.currentTimeMillis(), bins.size());
            CommitResult result = Rewrites.commit(log, snapshot, OPERATION, parameters, removed, added, metrics);
            committed = true;
            return new RewriteResult(table, OPERATION, snapshot.version(), OptionalLong.of(result.version()),
                    removed.size(), added.size(), removed.stream().mapToLong(AddFile::size).sum(),
                    added.stream().mapToLong(AddFile::size).sum(), rows, dropped, touched.size(), 1,
                    OptimizeTask.millis(started), Optional.empty());
        } finally {
            if (!committed) {
                PartitionFileWriter.deleteQuietly(log.fileIO(), written);
            }
        }
    }

    private boolean needsPurge(AddFile f) {
        if (f.deletionVector() == null || f.deletionVector().cardinality() == 0) {
            return false;
        }
        return Rewrites.deletedRatio(f) >= options.minDeletedRowsRatio();
    }
}
