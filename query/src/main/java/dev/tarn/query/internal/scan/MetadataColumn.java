package dev.tarn.query.internal.scan;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.ScanFile;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * The hidden struct column {@code _metadata} of a Delta table, as Spark exposes it: where each row comes from
 * ({@code file_path}, {@code file_name}, {@code file_size}, {@code file_modification_time}, {@code row_index}) and,
 * when the table supports row tracking, its stable {@code row_id} and {@code row_commit_version}.
 *
 * <p>PROTOCOL.md "Row Tracking", "Reader Requirements for Row Tracking": a row's id is the value of the materialized
 * row-id column (named by {@code delta.rowTracking.materializedRowIdColumnName}) when the file has it and it is not
 * null, otherwise the file's {@code baseRowId} plus the row's physical position in the file; its commit version is
 * the materialized row-commit-version column's value when present and not null, otherwise the file's
 * {@code defaultRowCommitVersion}.
 */
public final class MetadataColumn {
    public static final String NAME = "_metadata";
    static final String MATERIALIZED_ROW_ID = "delta.rowTracking.materializedRowIdColumnName";
    static final String MATERIALIZED_ROW_COMMIT_VERSION = "delta.rowTracking.materializedRowCommitVersionColumnName";

    private static final List<StructField> FILE_FIELDS = List.of(
            new StructField("file_path", PrimitiveType.STRING, false),
            new StructField("file_name", PrimitiveType.STRING, false),
            new StructField("file_size", PrimitiveType.LONG, false),
            new StructField("file_modification_time", PrimitiveType.TIMESTAMP, false),
            new StructField("row_index", PrimitiveType.LONG, false));
    private static final List<StructField> ROW_TRACKING_FIELDS = List.of(
            new StructField("row_id", PrimitiveType.LONG, true),
            new StructField("row_commit_version", PrimitiveType.LONG, true));

    private final StructType type;
    private final boolean rowTracking;
    private final Optional<String> materializedRowId;
    private final Optional<String> materializedRowCommitVersion;

    private MetadataColumn(boolean rowTracking, Optional<String> materializedRowId,
                           Optional<String> materializedRowCommitVersion) {
        List<StructField> fields = new ArrayList<>(FILE_FIELDS);
        if (rowTracking) {
            fields.addAll(ROW_TRACKING_FIELDS);
        }
        this.type = new StructType(fields);
        this.rowTracking = rowTracking;
        this.materializedRowId = requireNonNull(materializedRowId, "materializedRowId is null");
        this.materializedRowCommitVersion = requireNonNull(materializedRowCommitVersion,
                "materializedRowCommitVersion is null");
    }

    /** The column for a snapshot: row tracking fields when the protocol supports the rowTracking feature. */
    public static MetadataColumn of(Snapshot snapshot) {
        boolean rowTracking = snapshot.protocol().supportsWriterFeature("rowTracking");
        Map<String, String> conf = snapshot.configuration();
        return new MetadataColumn(rowTracking,
                rowTracking ? Optional.ofNullable(conf.get(MATERIALIZED_ROW_ID)) : Optional.empty(),
                rowTracking ? Optional.ofNullable(conf.get(MATERIALIZED_ROW_COMMIT_VERSION)) : Optional.empty());
    }

    /** The struct's type. */
    public StructType type() {
        return type;
    }

    /** The materialized columns the files may hold, to be read alongside the data (as nullable LONG). */
    List<StructField> materializedColumns() {
        List<StructField> out = new ArrayList<>(2);
        materializedRowId.ifPresent(n -> out.add(new StructField(n, PrimitiveType.LONG, true)));
        materializedRowCommitVersion.ifPresent(n -> out.add(new StructField(n, PrimitiveType.LONG, true)));
        return out;
    }

    boolean hasMaterializedRowId() {
        return materializedRowId.isPresent();
    }

    boolean hasMaterializedRowCommitVersion() {
        return materializedRowCommitVersion.isPresent();
    }

    /**
     * Fills a freshly created struct vector (of {@link #type()}) for {@code rows} output rows of one file.
     *
     * @param rowIndexes each output row's physical position in the file
     * @param materializedRowIds the file's materialized row ids for the output rows, or null when not read
     * @param materializedCommitVersions likewise for row commit versions
     */
    void fill(StructVector out, ScanFile file, long[] rowIndexes, int rows, BigIntVector materializedRowIds,
              BigIntVector materializedCommitVersions) {
        out.setInitialCapacity(Math.max(rows, 1));
        out.allocateNew();
        VarCharVector path = (VarCharVector) out.getChild("file_path");
        VarCharVector name = (VarCharVector) out.getChild("file_name");
        BigIntVector size = (BigIntVector) out.getChild("file_size");
        TimeStampVector mtime = (TimeStampVector) out.getChild("file_modification_time");
        BigIntVector rowIndex = (BigIntVector) out.getChild("row_index");
        byte[] pathBytes = file.location().getBytes(StandardCharsets.UTF_8);
        String location = file.location();
        byte[] nameBytes = location.substring(location.lastIndexOf('/') + 1).getBytes(StandardCharsets.UTF_8);
        long micros = Math.multiplyExact(file.add().modificationTime(), 1000L);
        for (int r = 0; r < rows; r++) {
            out.setIndexDefined(r);
            path.setSafe(r, pathBytes);
            name.setSafe(r, nameBytes);
            size.setSafe(r, file.add().size());
            mtime.setSafe(r, micros);
            rowIndex.setSafe(r, rowIndexes[r]);
        }
        if (rowTracking) {
            BigIntVector rowId = (BigIntVector) out.getChild("row_id");
            BigIntVector commitVersion = (BigIntVector) out.getChild("row_commit_version");
            Long baseRowId = file.add().baseRowId();
            Long defaultVersion = file.add().defaultRowCommitVersion();
            for (int r = 0; r < rows; r++) {
                if (materializedRowIds != null && !materializedRowIds.isNull(r)) {
                    rowId.setSafe(r, materializedRowIds.get(r));
                } else if (baseRowId != null) {
                    rowId.setSafe(r, baseRowId + rowIndexes[r]);
                } else {
                    rowId.setNull(r);
                }
                if (materializedCommitVersions != null && !materializedCommitVersions.isNull(r)) {
                    commitVersion.setSafe(r, materializedCommitVersions.get(r));
                } else if (defaultVersion != null) {
                    commitVersion.setSafe(r, defaultVersion);
                } else {
                    commitVersion.setNull(r);
                }
            }
        }
        for (FieldVector child : out.getChildrenFromFields()) {
            child.setValueCount(rows);
        }
        out.setValueCount(rows);
    }
}
