package dev.tarn.query.internal.scan;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.write.JavaValues;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.txlog.ChangeFile;
import dev.tarn.txlog.CommitChanges;
import dev.tarn.txlog.ScanFile;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.types.ArrowTypes;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Reads a table's change data feed (PROTOCOL.md "Change Data Files", "Reader Requirements for AddCDCFile"): one
 * file of one commit after another, each through a {@link DeltaScanOperator} over the commit's own schema, and
 * appends the change columns {@code _change_type}, {@code _commit_version} and {@code _commit_timestamp}. Which rows
 * of a file are changes, and of which type, is decided per file by its {@link Segment}. Columns the output schema
 * has but a commit's schema lacks (added later) read as null.
 */
public final class ChangeFeedOperator implements Operator {
    public static final String CHANGE_TYPE = ChangeFile.CHANGE_TYPE_COLUMN;
    public static final String COMMIT_VERSION = "_commit_version";
    public static final String COMMIT_TIMESTAMP = "_commit_timestamp";

    /** The three columns a change feed appends to the table's columns. */
    public static final List<StructField> CHANGE_COLUMNS = List.of(
            new StructField(CHANGE_TYPE, PrimitiveType.STRING, true),
            new StructField(COMMIT_VERSION, PrimitiveType.LONG, false),
            new StructField(COMMIT_TIMESTAMP, PrimitiveType.TIMESTAMP, false));

    /**
     * The rows of one file that are changes of one commit.
     *
     * @param changeType the type of every row, or empty when the file's own {@code _change_type} column says
     * @param selection which rows of the file (null for all)
     */
    public record Segment(CommitChanges commit, ChangeFile file, Optional<String> changeType, RowSelection selection) {
        public Segment {
            requireNonNull(commit, "commit is null");
            requireNonNull(file, "file is null");
            requireNonNull(changeType, "changeType is null");
        }
    }

    private final FileIO io;
    private final String tableLocation;
    private final String displayName;
    /** The output's table columns (the change columns follow them). */
    private final StructType tableSchema;
    private final int[] projection;
    private final Iterator<Segment> segments;
    private final int batchRows;
    private final List<ResultColumn> columns;

    private ExecutionContext context;
    private Segment current;
    private DeltaScanOperator scan;
    /** For each projected column: the column of the current scan it comes from, or -1. */
    private int[] fromScan;
    private VectorSchemaRoot output;

    /**
     * @param projection indexes into the table columns followed by the change columns
     */
    public ChangeFeedOperator(FileIO io, String tableLocation, String displayName, StructType tableSchema,
                              int[] projection, List<Segment> segments, int batchRows) {
        this.io = requireNonNull(io, "io is null");
        this.tableLocation = requireNonNull(tableLocation, "tableLocation is null");
        this.displayName = requireNonNull(displayName, "displayName is null");
        this.tableSchema = requireNonNull(tableSchema, "tableSchema is null");
        this.projection = projection.clone();
        this.segments = List.copyOf(segments).iterator();
        this.batchRows = batchRows;
        List<ResultColumn> cols = new ArrayList<>();
        for (int p : this.projection) {
            StructField f = field(p);
            cols.add(new ResultColumn(f.name(), f.type(), f.nullable()));
        }
        this.columns = List.copyOf(cols);
    }

    private StructField field(int index) {
        int n = tableSchema.size();
        if (index < 0 || index >= n + CHANGE_COLUMNS.size()) {
            throw new IllegalArgumentException("Projected column " + index + " out of range for " + displayName);
        }
        return index < n ? tableSchema.fields().get(index) : CHANGE_COLUMNS.get(index - n);
    }

    @Override
    public List<ResultColumn> columns() {
        return columns;
    }

    @Override
    public void open(ExecutionContext ctx) {
        this.context = requireNonNull(ctx, "ctx is null");
    }

    @Override
    public VectorSchemaRoot next() {
        if (context == null) {
            throw new IllegalStateException("open() was not called");
        }
        releaseOutput();
        while (true) {
            context.checkCancelled();
            if (scan == null && !openNextSegment()) {
                return null;
            }
            VectorSchemaRoot batch = scan.next();
            if (batch == null) {
                closeScan();
                continue;
            }
            if (batch.getRowCount() == 0) {
                continue;
            }
            output = toOutput(batch);
            return output;
        }
    }

    private boolean openNextSegment() {
        if (!segments.hasNext()) {
            return false;
        }
        current = segments.next();
        StructType commitSchema = current.commit().metadata().schema();
        List<StructField> readFields = new ArrayList<>(commitSchema.fields());
        int changeTypeIndex = -1;
        if (current.changeType().isEmpty()) {
            readFields.add(CHANGE_COLUMNS.get(0));
            changeTypeIndex = readFields.size() - 1;
        }
        StructType readSchema = new StructType(readFields);
        List<Integer> inner = new ArrayList<>();
        fromScan = new int[projection.length];
        for (int i = 0; i < projection.length; i++) {
            int p = projection[i];
            int source = -1;
            if (p < tableSchema.size()) {
                String name = tableSchema.fields().get(p).name();
                for (int c = 0; c < commitSchema.size(); c++) {
                    if (commitSchema.fields().get(c).name().equalsIgnoreCase(name)) {
                        source = c;
                    }
                }
            } else if (p == tableSchema.size() && changeTypeIndex >= 0) {
                source = changeTypeIndex;
            }
            if (source >= 0) {
                fromScan[i] = inner.size();
                inner.add(source);
            } else {
                fromScan[i] = -1;
            }
        }
        ChangeFile f = current.file();
        // A stand-in add entry: the scan takes a file's location, size and partition values from it.
        AddFile add = new AddFile(f.path(), f.partitionValues(), f.size(), 0L, true, f.stats(), null, null, null,
                null, null);
        ScanFile file = new ScanFile(add, f.location(), Map.of(), Optional.empty());
        RowSelection selection = current.selection();
        scan = new DeltaScanOperator(io, tableLocation, displayName, readSchema,
                current.commit().metadata().partitionColumns(), inner.stream().mapToInt(Integer::intValue).toArray(),
                List.of(), List.of(file), batchRows, null, ignored -> selection);
        scan.open(context);
        return true;
    }

    private VectorSchemaRoot toOutput(VectorSchemaRoot batch) {
        int rows = batch.getRowCount();
        List<FieldVector> out = new ArrayList<>(projection.length);
        try {
            for (int i = 0; i < projection.length; i++) {
                StructField f = field(projection[i]);
                if (fromScan[i] >= 0) {
                    FieldVector source = batch.getVector(fromScan[i]);
                    FieldVector owned = ArrowTypes.toArrowField(f.name(), f.type(), true)
                            .createVector(context.allocator());
                    source.makeTransferPair(owned).transfer();
                    out.add(owned);
                    continue;
                }
                FieldVector v = ArrowTypes.toArrowField(f.name(), f.type(), f.nullable())
                        .createVector(context.allocator());
                out.add(v);
                Object value = switch (projection[i] - tableSchema.size()) {
                    case 0 -> current.changeType().orElseThrow();
                    case 1 -> current.commit().version();
                    case 2 -> Instant.ofEpochMilli(current.commit().timestamp());
                    default -> null; // a column the commit's schema does not have yet
                };
                JavaValues.fill(v, value, rows, f.type());
            }
        } catch (RuntimeException e) {
            out.forEach(FieldVector::close);
            throw e;
        }
        List<Field> fields = out.stream().map(FieldVector::getField).toList();
        return new VectorSchemaRoot(fields, out, rows);
    }

    private void releaseOutput() {
        if (output != null) {
            output.close();
            output = null;
        }
    }

    private void closeScan() {
        if (scan != null) {
            DeltaScanOperator s = scan;
            scan = null;
            s.close();
        }
    }

    @Override
    public void close() {
        try {
            releaseOutput();
        } finally {
            closeScan();
        }
    }
}
