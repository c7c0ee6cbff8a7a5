package dev.tarn.maintenance.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.StatsJson;
import dev.tarn.txlog.types.ArrowTypes;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * What a rewritten data file holds: the table's non-partition columns under their physical names and field ids
 * (PROTOCOL.md "Column Mapping"), then, for tables with row tracking, the materialized row-id and row-commit-version
 * columns named in the table configuration (PROTOCOL.md "Row Tracking", "Reader Requirements for Row Tracking":
 * a non-null materialized value wins over {@code baseRowId + row index} / {@code defaultRowCommitVersion}).
 */
public final class DataLayout {
    public static final String ROW_TRACKING_FEATURE = "rowTracking";
    public static final String MATERIALIZED_ROW_ID = "delta.rowTracking.materializedRowIdColumnName";
    public static final String MATERIALIZED_ROW_COMMIT_VERSION = "delta.rowTracking.materializedRowCommitVersionColumnName";

    private final StructType dataSchema;
    private final Schema physicalSchema;
    private final boolean rowTracking;
    private final int numIndexedCols;

    private DataLayout(StructType dataSchema, Schema physicalSchema, boolean rowTracking, int numIndexedCols) {
        this.dataSchema = dataSchema;
        this.physicalSchema = physicalSchema;
        this.rowTracking = rowTracking;
        this.numIndexedCols = numIndexedCols;
    }

    /**
     * Why files of this table cannot be rewritten without losing row identity: row tracking is supported but the
     * configuration names no materialized columns to carry the ids into new files.
     */
    public static Optional<String> rowTrackingProblem(Snapshot snapshot) {
        if (!snapshot.protocol().supportsWriterFeature(ROW_TRACKING_FEATURE)) {
            return Optional.empty();
        }
        if (snapshot.configuration().get(MATERIALIZED_ROW_ID) == null
                || snapshot.configuration().get(MATERIALIZED_ROW_COMMIT_VERSION) == null) {
            return Optional.of("table supports row tracking but its configuration does not name the materialized"
                    + " row-id columns (" + MATERIALIZED_ROW_ID + ", " + MATERIALIZED_ROW_COMMIT_VERSION
                    + "), so rewriting files would change row ids; files are left as they are");
        }
        return Optional.empty();
    }

    public static DataLayout of(Snapshot snapshot) {
        requireNonNull(snapshot, "snapshot is null");
        List<StructField> data = new ArrayList<>();
        for (StructField f : snapshot.schema().fields()) {
            if (!snapshot.partitionColumns().contains(f.name())) {
                data.add(f);
            }
        }
        StructType dataSchema = new StructType(data);
        List<Field> fields = new ArrayList<>(ArrowTypes.toPhysicalArrowSchema(dataSchema).getFields());
        boolean rowTracking = snapshot.protocol().supportsWriterFeature(ROW_TRACKING_FEATURE)
                && rowTrackingProblem(snapshot).isEmpty();
        if (rowTracking) {
            FieldType int64 = FieldType.nullable(new ArrowType.Int(64, true));
            fields.add(new Field(snapshot.configuration().get(MATERIALIZED_ROW_ID), int64, null));
            fields.add(new Field(snapshot.configuration().get(MATERIALIZED_ROW_COMMIT_VERSION), int64, null));
        }
        int n = StatsJson.numIndexedCols(snapshot.configuration());
        return new DataLayout(dataSchema, new Schema(fields), rowTracking, n < 0 ? Integer.MAX_VALUE : n);
    }

    /** The non-partition columns, logical names with column-mapping metadata (for statistics). */
    public StructType dataSchema() {
        return dataSchema;
    }

    /** The columns of every rewritten file, as stored. */
    public Schema physicalSchema() {
        return physicalSchema;
    }

    /** Whether the last two columns of {@link #physicalSchema()} are the materialized row-tracking columns. */
    public boolean materializesRowTracking() {
        return rowTracking;
    }

    public int numIndexedCols() {
        return numIndexedCols;
    }
}
