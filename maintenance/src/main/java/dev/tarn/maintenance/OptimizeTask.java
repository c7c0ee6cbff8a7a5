package dev.tarn.maintenance;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.maintenance.internal.DataLayout;
import dev.tarn.maintenance.internal.PartitionFileWriter;
import dev.tarn.maintenance.internal.Rewrites;
import dev.tarn.maintenance.internal.Writability;
import dev.tarn.maintenance.internal.ZOrderKeys;
import dev.tarn.maintenance.internal.ZOrderRewriter;
import dev.tarn.txlog.CommitResult;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.types.StructField;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * OPTIMIZE: compacts small files. Per partition, files smaller than the target size (and files whose deletion
 * vectors delete more than {@link OptimizeOptions#maxDeletedRowsRatio()} of their rows) are packed into bins of
 * about the target size, and each bin is streamed, batch by batch, through the Parquet reader, its deletion vector
 * and the writer into one new file, so memory never holds a partition. With {@link OptimizeOptions#zOrderBy()},
 * every file of each selected partition is rewritten with rows in Z-order instead (see {@code ZOrderRewriter}).
 *
 * <p>On a clustered table (PROTOCOL.md "Clustered Table", see {@link ClusteringSpec}) OPTIMIZE clusters instead:
 * the files clustering has not written yet (no {@code clusteringProvider}) and files with many deleted rows are
 * rewritten in Hilbert-curve order over the clustering columns, and the new adds carry {@code clusteringProvider = "liquid"}, so
 * OPTIMIZE after an append rewrites about the appended files; {@link OptimizeOptions#full()} reclusters every file.
 *
 * <p>Everything lands in ONE commit (operation {@code OPTIMIZE}, with delta-spark's operationParameters and
 * operationMetrics) of removes and adds with {@code dataChange = false} (PROTOCOL.md "Add File and Remove File").
 * The replaced files are declared read: a concurrent DELETE, UPDATE or OPTIMIZE of one of them makes the commit
 * fail with {@code CONCURRENT_MODIFICATION} (the new files are deleted, the table is unchanged), while concurrent
 * appends commit independently. When nothing needs rewriting, nothing is committed and the result says why.
 *
 * <p>Row tracking (PROTOCOL.md "Row Tracking"): row ids and row commit versions are preserved by writing them into
 * the materialized columns the table configuration names; a table without those names is not compacted.
 */
public final class OptimizeTask {
    static final String OPERATION = "OPTIMIZE";
    private static final String TARGET_FILE_SIZE = "delta.targetFileSize";

    private final TableLog log;
    private final OptimizeOptions options;

    public OptimizeTask(TableLog log, OptimizeOptions options) {
        this.log = requireNonNull(log, "log is null");
        this.options = requireNonNull(options, "options is null");
    }

    public RewriteResult run() {
        long started = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        Snapshot snapshot = log.latestSnapshot();
        String table = log.location();
        Writability.check(snapshot);
        options.partitionPredicate().ifPresent(p -> Rewrites.checkPartitionPredicate(snapshot, p, OPERATION));
        int[] zColumns = zOrderColumns(snapshot);
        boolean clustered = ClusteringSpec.isClustered(snapshot);
        int[] sortColumns = clustered ? clusteringColumns(snapshot) : zColumns;
        Optional<String> rowTracking = DataLayout.rowTrackingProblem(snapshot);
        if (rowTracking.isPresent()) {
            return RewriteResult.skipped(table, OPERATION, snapshot.version(), rowTracking.get(), millis(started));
        }
        long target = targetFileSize(snapshot, options.targetFileSize());
        DataLayout layout = DataLayout.of(snapshot);
        Map<Map<String, String>, List<AddFile>> partitions = Rewrites.filesByPartition(snapshot, options.partitionPredicate());
        int considered = partitions.values().stream().mapToInt(List::size).sum();
        List<Rewrites.Bin> bins = new ArrayList<>();
        for (Map.Entry<Map<String, String>, List<AddFile>> e : partitions.entrySet()) {
            if (clustered) {
                // Incremental clustering: only files clustering has not written yet (and files with many deleted
                // rows) are rewritten, so OPTIMIZE after an append costs about the append.
                List<AddFile> pick = new ArrayList<>();
                for (AddFile f : e.getValue()) {
                    if (options.full() || !ClusteringSpec.PROVIDER.equals(f.clusteringProvider())
                            || Rewrites.deletedRatio(f) > options.maxDeletedRowsRatio()) {
                        pick.add(f);
                    }
                }
                if (!pick.isEmpty()) {
                    bins.add(new Rewrites.Bin(e.getKey(), pick));
                }
                continue;
            }
            if (zColumns.length > 0) {
                List<AddFile> files = e.getValue();
                boolean alreadyOne = files.size() == 1 && files.get(0).size() <= target
                        && Rewrites.deletedRatio(files.get(0)) == 0;
                if (!alreadyOne) {
                    bins.add(new Rewrites.Bin(e.getKey(), files));
                }
                continue;
            }
            List<AddFile> candidates = new ArrayList<>();
            for (AddFile f : e.getValue()) {
                if (f.size() < target || Rewrites.deletedRatio(f) > options.maxDeletedRowsRatio()) {
                    candidates.add(f);
                }
            }
            bins.addAll(Rewrites.binPack(e.getKey(), candidates, target,
                    f -> Rewrites.deletedRatio(f) > options.maxDeletedRowsRatio()));
        }
        if (options.maxRewriteBytes() < Long.MAX_VALUE) {
            bins = bounded(bins, options.maxRewriteBytes());
        }
        if (bins.isEmpty()) {
            String reason = considered == 0 ? "no files " + (options.partitionPredicate().isPresent()
                    ? "match the partition predicate" : "in the table")
                    : clustered ? "nothing to cluster: all " + considered + " file(s) are already clustered"
                    : "nothing to compact: " + considered + " file(s) in " + partitions.size()
                    + " partition(s) are already at the target size (" + target + " bytes) or alone in their partition";
            return RewriteResult.skipped(table, OPERATION, snapshot.version(), reason, millis(started));
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
                Rewrites.Written w;
                if (sortColumns.length > 0) {
                    Path spill = Path.of(options.spillDirectory().orElse(System.getProperty("java.io.tmpdir")));
                    w = new ZOrderRewriter(log.fileIO(), snapshot, layout, sortColumns, target,
                            options.sortMemoryBytes(), spill, allocator, clustered).rewrite(bin.partitionValues(), bin.files(),
                            writeId, counter);
                } else {
                    w = Rewrites.writeBin(log.fileIO(), snapshot, layout, bin, allocator, writeId, counter);
                }
                written.addAll(w.locations());
                removed.addAll(bin.files());
                added.addAll(clustered ? w.adds().stream().map(OptimizeTask::markClustered).toList() : w.adds());
                touched.add(bin.partitionValues());
                rows += w.rowsWritten();
                dropped += w.rowsDropped();
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("predicate", Rewrites.jsonArray(options.partitionPredicate().map(Rewrites::render)
                    .map(List::of).orElse(List.of())));
            parameters.put("zOrderBy", Rewrites.jsonArray(options.zOrderBy()));
            if (clustered) {
                parameters.put("clusterBy", Rewrites.jsonArray(ClusteringSpec.logicalColumns(snapshot).stream()
                        .map(p -> String.join(".", p)).toList()));
            }
            parameters.put("auto", Boolean.toString(options.auto()));
            Map<String, String> metrics = Rewrites.metrics(removed, added, considered, startMillis,
                    System.currentTimeMillis(), bins.size());
            if (zColumns.length > 0 && !clustered) {
                metrics.put("zOrderStats", "{\"strategyName\":\"all\",\"numOutputCubes\":" + touched.size() + "}");
            }
            CommitResult result = Rewrites.commit(log, snapshot, OPERATION, parameters, removed, added, metrics);
            committed = true;
            return new RewriteResult(table, OPERATION, snapshot.version(), OptionalLong.of(result.version()),
                    removed.size(), added.size(), removed.stream().mapToLong(AddFile::size).sum(),
                    added.stream().mapToLong(AddFile::size).sum(), rows, dropped, touched.size(), 1, millis(started),
                    Optional.empty());
        } finally {
            if (!committed) {
                PartitionFileWriter.deleteQuietly(log.fileIO(), written);
            }
        }
    }

    /** The leading bins whose input stays within {@code maxBytes} (at least one), so a bounded run ends soon. */
    private static List<Rewrites.Bin> bounded(List<Rewrites.Bin> bins, long maxBytes) {
        List<Rewrites.Bin> out = new ArrayList<>();
        long total = 0;
        for (Rewrites.Bin b : bins) {
            long size = b.files().stream().mapToLong(AddFile::size).sum();
            if (!out.isEmpty() && total + size > maxBytes) {
                break;
            }
            out.add(b);
            total += size;
        }
        return out;
    }

    /** An add written by clustering: {@code clusteringProvider = "liquid"} (PROTOCOL.md "Clustered Table"). */
    private static AddFile markClustered(AddFile a) {
        return new AddFile(a.path(), a.partitionValues(), a.size(), a.modificationTime(), a.dataChange(), a.stats(),
                a.tags(), a.deletionVector(), a.baseRowId(), a.defaultRowCommitVersion(), ClusteringSpec.PROVIDER);
    }

    /**
     * Indexes of the clustering columns in the rewritten files' layout. Clustering sorts by a Hilbert curve over
     * them (the protocol leaves the curve to the writer). Only top-level columns can be sort keys for now.
     */
    private static int[] clusteringColumns(Snapshot snapshot) {
        List<List<String>> columns = snapshot.clusteringColumns();
        List<StructField> data = new ArrayList<>();
        for (StructField f : snapshot.schema().fields()) {
            if (!snapshot.partitionColumns().contains(f.name())) {
                data.add(f);
            }
        }
        int[] out = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            List<String> path = columns.get(i);
            int idx = -1;
            for (int j = 0; j < data.size() && path.size() == 1; j++) {
                if (data.get(j).physicalName().equals(path.get(0))) {
                    idx = j;
                }
            }
            if (idx < 0) {
                throw new TarnException(path.size() == 1 ? ErrorCode.CORRUPT_LOG : ErrorCode.UNSUPPORTED_FEATURE,
                        "Cannot cluster table " + snapshot.tableLocation() + " by " + path + ": " + (path.size() == 1
                        ? "the clustering column is not a data column of the table"
                        : "clustering by a nested field is not supported yet"));
            }
            ZOrderKeys.checkSupported(snapshot.tableLocation(), String.join(".", path), data.get(idx).type());
            out[i] = idx;
        }
        return out;
    }

    /** Indexes of the Z-order columns in the rewritten files' layout; validates them. */
    private int[] zOrderColumns(Snapshot snapshot) {
        List<String> columns = options.zOrderBy();
        if (columns.isEmpty()) {
            return new int[0];
        }
        String table = snapshot.tableLocation();
        if (!snapshot.clusteringColumns().isEmpty()) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Cannot Z-order table " + table
                    + ": it is clustered (liquid clustering); its clustering columns decide the layout");
        }
        List<StructField> data = new ArrayList<>();
        for (StructField f : snapshot.schema().fields()) {
            if (!snapshot.partitionColumns().contains(f.name())) {
                data.add(f);
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        int[] out = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            String c = columns.get(i);
            if (!seen.add(c.toLowerCase(Locale.ROOT))) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "Z-order column '" + c + "' of table " + table
                        + " is listed twice");
            }
            if (snapshot.partitionColumns().stream().anyMatch(p -> p.equalsIgnoreCase(c))) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "Cannot Z-order table " + table + " by '" + c
                        + "': it is a partition column, and each partition is Z-ordered separately");
            }
            int idx = -1;
            for (int j = 0; j < data.size(); j++) {
                if (data.get(j).name().equalsIgnoreCase(c)) {
                    idx = j;
                }
            }
            if (idx < 0) {
                throw new TarnException(ErrorCode.COLUMN_NOT_FOUND, "Z-order column '" + c + "' does not exist in"
                        + " table " + table + "; its columns are "
                        + snapshot.schema().fields().stream().map(StructField::name).toList());
            }
            ZOrderKeys.checkSupported(table, c, data.get(idx).type());
            out[i] = idx;
        }
        return out;
    }

    /** The explicit target, else {@code delta.targetFileSize} (bytes, or with a b/kb/mb/gb suffix), else 128 MiB. */
    public static long targetFileSize(Snapshot snapshot, OptionalLong explicit) {
        if (explicit.isPresent()) {
            return explicit.getAsLong();
        }
        String v = snapshot.configuration().get(TARGET_FILE_SIZE);
        if (v == null) {
            return OptimizeOptions.DEFAULT_TARGET_FILE_SIZE;
        }
        String s = v.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        for (String[] u : new String[][] {{"gb", "1073741824"}, {"mb", "1048576"}, {"kb", "1024"}, {"g", "1073741824"},
                {"m", "1048576"}, {"k", "1024"}, {"b", "1"}}) {
            if (s.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                s = s.substring(0, s.length() - u[0].length()).trim();
                break;
            }
        }
        try {
            long n = Long.parseLong(s) * unit;
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new TarnException(ErrorCode.INVALID_TABLE_PROPERTY, "Table " + snapshot.tableLocation() + " has an"
                + " invalid " + TARGET_FILE_SIZE + " '" + v + "': expected a positive size such as 134217728 or 128mb");
    }

    static long millis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
