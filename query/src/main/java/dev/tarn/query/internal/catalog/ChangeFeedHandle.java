package dev.tarn.query.internal.catalog;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.scan.ChangeFeedOperator;
import dev.tarn.query.internal.scan.ChangeFeedOperator.Segment;
import dev.tarn.query.internal.scan.DeletionVectorCache;
import dev.tarn.query.internal.scan.RowSelection;
import dev.tarn.query.internal.write.WriteSettings;
import dev.tarn.storage.deletionvector.RoaringBitmapArray;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.txlog.ChangeFile;
import dev.tarn.txlog.CommitChanges;
import dev.tarn.txlog.TableLog;
import dev.tarn.txlog.action.DeletionVectorDescriptor;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A table's change data feed over a range of commits, as {@code table_changes(...)} reads it: the table's columns
 * (as of the last commit of the range) followed by {@code _change_type}, {@code _commit_version} and
 * {@code _commit_timestamp}. Which rows each commit changed follows PROTOCOL.md "Change Data Files" and "Reader
 * Requirements for AddCDCFile" (see {@link ChangeFile.Kind}): a commit's cdc files when it has them, else its added
 * files' rows as inserts and removed files' rows as deletes (less the rows their deletion vectors already deleted),
 * and for a file whose deletion vector changed, rows newly deleted as deletes and rows no longer deleted as
 * inserts. The log is read when the handle is made, so planning sees the range's schema; read-only.
 */
public final class ChangeFeedHandle implements TableHandle {
    private final FileIO io;
    private final String displayName;
    private final String location;
    private final List<CommitChanges> commits;
    private final StructType tableSchema;
    private final StructType schema;
    private final List<String> partitionColumns;
    private final WriteSettings settings;
    private final DeletionVectorCache deletionVectors;

    public ChangeFeedHandle(FileIO io, String displayName, TableLog log, ChangeRange range, WriteSettings settings,
                            DeletionVectorCache deletionVectors) {
        this.io = requireNonNull(io, "io is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(log, "log is null");
        requireNonNull(range, "range is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.deletionVectors = requireNonNull(deletionVectors, "deletionVectors is null");
        this.location = log.location();
        this.displayName = "table_changes(" + displayName + ", " + range.describe() + ")";
        this.commits = read(log, range, displayName);
        if (commits.isEmpty()) {
            var latest = log.latestSnapshot();
            this.tableSchema = latest.schema();
            this.partitionColumns = latest.partitionColumns();
        } else {
            var metadata = commits.get(commits.size() - 1).metadata();
            this.tableSchema = metadata.schema();
            this.partitionColumns = metadata.partitionColumns();
        }
        List<StructField> fields = new ArrayList<>(tableSchema.fields());
        for (StructField change : ChangeFeedOperator.CHANGE_COLUMNS) {
            if (tableSchema.field(change.name()).isPresent()) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "Cannot read the change data of " + displayName
                        + ": its column " + change.name() + " clashes with the change data column of that name");
            }
            fields.add(change);
        }
        this.schema = new StructType(fields);
    }

    private static List<CommitChanges> read(TableLog log, ChangeRange range, String displayName) {
        try {
            if (range.byTimestamp()) {
                long start = ((TimeTravel.Timestamp) range.start()).epochMillis();
                long end = range.end().map(e -> ((TimeTravel.Timestamp) e).epochMillis()).orElse(Long.MAX_VALUE);
                return log.changesBetweenTimestamps(start, end);
            }
            long start = ((TimeTravel.Version) range.start()).version();
            long end = range.end().map(e -> ((TimeTravel.Version) e).version()).orElse(Long.MAX_VALUE);
            return log.changes(start, end);
        } catch (TarnException e) {
            throw new TarnException(e.errorCode(), "table_changes of " + displayName + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String displayName() {
        return displayName;
    }

    /** The table's columns followed by the three change columns. */
    @Override
    public StructType schema() {
        return schema;
    }

    @Override
    public List<String> partitionColumns() {
        return partitionColumns;
    }

    /** The commits of the range, in version order. */
    public List<CommitChanges> commits() {
        return commits;
    }

    @Override
    public long estimatedRowCount() {
        return -1;
    }

    @Override
    public Operator scan(int[] projectedColumns, List<PushedFilter> filters) {
        requireNonNull(projectedColumns, "projectedColumns is null");
        requireNonNull(filters, "filters is null");
        return new ChangeFeedOperator(io, location, displayName, tableSchema, projectedColumns, segments(),
                settings.batchRows());
    }

    private List<Segment> segments() {
        List<Segment> out = new ArrayList<>();
        for (CommitChanges commit : commits) {
            for (ChangeFile f : commit.files()) {
                switch (f.kind()) {
                    case CHANGE_DATA -> out.add(new Segment(commit, f, Optional.empty(), null));
                    case ADDED -> out.add(new Segment(commit, f, Optional.of("insert"), dropping(f.deletionVector())));
                    case REMOVED -> out.add(new Segment(commit, f, Optional.of("delete"),
                            dropping(f.deletionVector())));
                    case DELETION_VECTOR_CHANGED -> {
                        RoaringBitmapArray now = load(f.deletionVector());
                        RoaringBitmapArray before = load(f.previousDeletionVector());
                        RoaringBitmapArray deleted = minus(now, before);
                        RoaringBitmapArray restored = minus(before, now);
                        if (!deleted.isEmpty()) {
                            out.add(new Segment(commit, f, Optional.of("delete"),
                                    RowSelection.keepingOnly(deleted)));
                        }
                        if (!restored.isEmpty()) {
                            out.add(new Segment(commit, f, Optional.of("insert"),
                                    RowSelection.keepingOnly(restored)));
                        }
                    }
                }
            }
        }
        return out;
    }

    private RowSelection dropping(DeletionVectorDescriptor dv) {
        RoaringBitmapArray rows = load(dv);
        return rows.isEmpty() ? null : RowSelection.dropping(rows);
    }

    private RoaringBitmapArray load(DeletionVectorDescriptor dv) {
        return dv == null ? RoaringBitmapArray.empty() : deletionVectors.get(io, location, dv, displayName);
    }

    private static RoaringBitmapArray minus(RoaringBitmapArray a, RoaringBitmapArray b) {
        RoaringBitmapArray.Builder out = RoaringBitmapArray.builder();
        a.forEach(row -> {
            if (!b.contains(row)) {
                out.add(row);
            }
        });
        return out.build();
    }

    @Override
    public long append(Operator source, ExecutionContext context) {
        throw new TarnException(ErrorCode.VALIDATION_ERROR, "Cannot write to " + displayName
                + ": a change data feed is read-only");
    }
}
