package dev.tarn.query.internal.catalog;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.scan.DeletionVectorCache;
import dev.tarn.query.internal.scan.DeltaScanOperator;
import dev.tarn.query.internal.scan.RowSelection;
import dev.tarn.query.internal.plan.HiddenColumns;
import dev.tarn.query.internal.scan.MetadataColumn;
import dev.tarn.query.internal.scan.SkippingFilters;
import dev.tarn.query.internal.write.AutoCompaction;
import dev.tarn.query.internal.write.DataFileWriter;
import dev.tarn.query.internal.write.TableLayout;
import dev.tarn.query.internal.write.WriteChecks;
import dev.tarn.query.internal.write.WrittenFiles;
import dev.tarn.query.internal.write.WriteSettings;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.txlog.ScanBuilder;
import dev.tarn.txlog.ScanPlan;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.CommitResult;
import dev.tarn.txlog.Transaction;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Delta table pinned at one snapshot. Scans read that snapshot's files; appends commit on top of it (the
 * transaction checks for conflicting commits made since).
 */
public final class DeltaTableHandle implements TableHandle, HiddenColumns {
    private final FileIO io;
    private final String displayName;
    private final Snapshot snapshot;
    private final WriteSettings settings;
    private final Optional<TimeTravel> timeTravel;
    private final DeletionVectorCache deletionVectors;
    /** Schema evolution: the metadata an append commits along with its rows (new columns), when present. */
    private final Optional<dev.tarn.txlog.action.Metadata> evolved;

    /** A handle on the table's current snapshot. */
    public DeltaTableHandle(FileIO io, String displayName, Snapshot snapshot, WriteSettings settings,
                            DeletionVectorCache deletionVectors) {
        this(io, displayName, snapshot, settings, Optional.empty(), deletionVectors);
    }

    /** A handle on a snapshot, which is a past version when {@code timeTravel} is present (and then read-only). */
    public DeltaTableHandle(FileIO io, String displayName, Snapshot snapshot, WriteSettings settings,
                            Optional<TimeTravel> timeTravel, DeletionVectorCache deletionVectors) {
        this(io, displayName, snapshot, settings, timeTravel, deletionVectors, Optional.empty());
    }

    private DeltaTableHandle(FileIO io, String displayName, Snapshot snapshot, WriteSettings settings,
                             Optional<TimeTravel> timeTravel, DeletionVectorCache deletionVectors,
                             Optional<dev.tarn.txlog.action.Metadata> evolved) {
        this.evolved = requireNonNull(evolved, "evolved is null");
        this.deletionVectors = requireNonNull(deletionVectors, "deletionVectors is null");
        this.io = requireNonNull(io, "io is null");
        this.snapshot = requireNonNull(snapshot, "snapshot is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.timeTravel = requireNonNull(timeTravel, "timeTravel is null");
        requireNonNull(displayName, "displayName is null");
        this.displayName = timeTravel.isEmpty() ? displayName
                : displayName + " VERSION AS OF " + snapshot.version();
    }

    @Override
    public String displayName() {
        return displayName;
    }

    /** The directory name of the table (its name in the lake). */
    public String tableName() {
        Path name = Path.of(snapshot.tableLocation()).getFileName();
        return name == null ? snapshot.tableLocation() : name.toString();
    }

    public String location() {
        return snapshot.tableLocation();
    }

    public long version() {
        return snapshot.version();
    }

    /** How the statement selected a past version, if it did. */
    public Optional<TimeTravel> timeTravel() {
        return timeTravel;
    }

    public String comment() {
        return snapshot.metadata().description();
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /** The I/O the table is read and written through (for row-level writes). */
    public FileIO fileIO() {
        return io;
    }

    public WriteSettings writeSettings() {
        return settings;
    }

    /** The database's decoded deletion vectors, shared with row-level writes that union into them. */
    public DeletionVectorCache deletionVectorCache() {
        return deletionVectors;
    }

    @Override
    public StructType schema() {
        return evolved.map(dev.tarn.txlog.action.Metadata::schema).orElse(snapshot.schema());
    }

    /**
     * This table with {@code metadata}'s schema (the current columns plus new ones, for schema evolution): scans
     * read NULL for the new columns, and {@link #commitAppend} commits the metadata in the same commit as the rows.
     */
    public DeltaTableHandle withEvolvedMetadata(dev.tarn.txlog.action.Metadata metadata) {
        requireNonNull(metadata, "metadata is null");
        checkWritable();
        return new DeltaTableHandle(io, displayName, snapshot, settings, timeTravel, deletionVectors,
                Optional.of(metadata));
    }

    private Map<String, String> configuration() {
        return evolved.map(dev.tarn.txlog.action.Metadata::configuration).orElse(snapshot.configuration());
    }

    /**
     * Spark's hidden {@code _metadata} struct: file fields, and row_id / row_commit_version under row tracking
     * (see {@link MetadataColumn}). A scan selects it with column index {@code schema().size()}.
     */
    @Override
    public List<StructField> hiddenColumns() {
        return List.of(new StructField(MetadataColumn.NAME, MetadataColumn.of(snapshot).type(), false));
    }

    @Override
    public List<String> partitionColumns() {
        return snapshot.partitionColumns();
    }

    /**
     * Sum of {@code numRecords} over the files' statistics less the rows their deletion vectors remove; -1 when a
     * file has no statistics.
     */
    @Override
    public long estimatedRowCount() {
        return snapshot.estimatedRowCount(); // read from the files' columns and cached by the snapshot
    }

    /** From the snapshot's file statistics (see {@link DeltaStatistics}); rows only under schema evolution. */
    @Override
    public TableStatistics statistics() {
        return evolved.isPresent() ? TableStatistics.rowsOnly(estimatedRowCount()) : DeltaStatistics.of(snapshot);
    }

    @Override
    public boolean[] appliesExactly(List<PushedFilter> filters) {
        boolean[] exact = new boolean[filters.size()];
        for (int i = 0; i < exact.length; i++) {
            exact[i] = DeltaScanOperator.appliesExactly(schema(), partitionColumns(), filters.get(i));
        }
        return exact;
    }

    @Override
    public Operator scan(int[] projectedColumns, List<PushedFilter> filters) {
        requireNonNull(projectedColumns, "projectedColumns is null");
        requireNonNull(filters, "filters is null");
        for (int c : projectedColumns) {
            if (c < 0 || c > schema().size()) {
                throw new IllegalArgumentException("Projected column " + c + " out of range for " + displayName);
            }
        }
        ScanBuilder builder = snapshot.scanBuilder();
        var predicate = SkippingFilters.toPredicate(schema(), filters);
        if (predicate.isPresent()) {
            builder = builder.withFilter(predicate.get());
        }
        ScanPlan plan = builder.build();
        String location = snapshot.tableLocation();
        return new DeltaScanOperator(io, location, displayName, schema(), partitionColumns(),
                projectedColumns, filters, plan.files(), settings.batchRows(), MetadataColumn.of(snapshot),
                file -> file.deletionVector()
                        .map(dv -> deletionVectors.get(io, location, dv, displayName))
                        .filter(dv -> !dv.isEmpty())
                        .map(RowSelection::dropping)
                        .orElse(null)).withFilesPruned(plan.skippedFiles());
    }

    /**
     * Writes the source's rows into new files and commits them as one WRITE (append) on top of this snapshot.
     * The source is opened and closed here. On failure the new files are deleted and nothing is committed.
     */
    @Override
    public long append(Operator source, ExecutionContext context) {
        requireNonNull(source, "source is null");
        requireNonNull(context, "context is null");
        WrittenFiles files = DataFileWriter.writeAll(newWriter(context.allocator()), source, context);
        try {
            context.checkCancelled();
        } catch (RuntimeException e) {
            files.delete(io);
            throw e;
        }
        return commitAppend(files);
    }

    /** A writer of new data files for this table (nothing is committed until {@link #commitAppend}). */
    public DataFileWriter newWriter(BufferAllocator allocator) {
        requireNonNull(allocator, "allocator is null");
        checkWritable();
        TableLayout layout = new TableLayout(schema(), partitionColumns());
        return new DataFileWriter(io, snapshot.tableLocation(), layout, configuration(), settings, allocator,
                WriteChecks.forTable(schema(), configuration(), displayName, WriteChecks.Mode.INSERT));
    }

    /**
     * Commits written files as one WRITE (append) on top of this snapshot and returns the rows added. On failure
     * the files are deleted and nothing is committed.
     */
    public long commitAppend(WrittenFiles files) {
        requireNonNull(files, "files is null");
        if (files.adds().isEmpty()) {
            return 0;
        }
        CommitResult committed;
        try {
            checkWritable();
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("mode", "Append");
            parameters.put("partitionBy", NewTable.json(partitionColumns()));
            Transaction txn = snapshot.tableLog().newTransaction(snapshot, "WRITE", parameters);
            txn.addFiles(files.adds());
            evolved.ifPresent(txn::updateMetadata);
            WriteChecks.recordHighWaterMarks(txn, txn.metadata(), files);
            Map<String, String> metrics = new LinkedHashMap<>();
            metrics.put("numFiles", Long.toString(files.adds().size()));
            metrics.put("numOutputRows", Long.toString(files.rows()));
            metrics.put("numOutputBytes", Long.toString(files.bytes()));
            txn.setOperationMetrics(metrics);
            committed = txn.commit();
        } catch (RuntimeException e) {
            files.delete(io);
            if (e instanceof TarnException) {
                throw e;
            }
            throw new TarnException(ErrorCode.INTERNAL_ERROR, "Append to " + displayName + " failed: " + e, e);
        }
        // After the commit, in its own commit; it never fails the append.
        AutoCompaction.afterWrite(committed.snapshot(), files.adds());
        return files.rows();
    }

    private void checkWritable() {
        if (timeTravel.isPresent()) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Cannot write to " + displayName
                    + ": time travel reads a past version; write to the table itself");
        }
    }
}
