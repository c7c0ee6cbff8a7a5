package dev.tarn.query.internal.dml;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.internal.catalog.DeltaTableHandle;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.scan.DeltaScanOperator;
import dev.tarn.query.internal.scan.MetadataColumn;
import dev.tarn.query.internal.scan.RowSelection;
import dev.tarn.query.internal.write.DataFileWriter;
import dev.tarn.query.internal.write.JavaValues;
import dev.tarn.query.internal.write.TableLayout;
import dev.tarn.query.internal.write.WriteChecks;
import dev.tarn.query.internal.write.WrittenFiles;
import dev.tarn.storage.deletionvector.DeletionVectorFileWriter;
import dev.tarn.storage.deletionvector.DeletionVectorFiles;
import dev.tarn.storage.deletionvector.RoaringBitmapArray;
import dev.tarn.storage.deletionvector.StoredDeletionVector;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.txlog.CommitResult;
import dev.tarn.txlog.ScanFile;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.Transaction;
import dev.tarn.txlog.action.AddCdcFile;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.DeletionVectorDescriptor;
import dev.tarn.txlog.action.Metadata;
import dev.tarn.txlog.action.RemoveFile;
import dev.tarn.txlog.skipping.FileStats;
import dev.tarn.txlog.skipping.Predicate;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * One row-level change of a Delta table (DELETE, UPDATE, MERGE, INSERT OVERWRITE, REPLACE WHERE), committed as a
 * single version on top of the snapshot the statement read. A statement finds the rows it changes by scanning the
 * target with {@code _metadata.file_path} and {@code _metadata.row_index} (and {@code _metadata.row_id} under row
 * tracking), then tells this object:
 * <ul>
 *   <li>{@link #deleteRows}: rows to remove, by data file location and physical row position. At commit, each
 *       touched file's new positions are unioned with its existing deletion vector. With deletion vectors enabled
 *       ({@code delta.enableDeletionVectors} and the {@code deletionVectors} feature) the union goes into a new DV
 *       file in the portable format and the file is committed as a remove plus an add of the same path carrying the
 *       new DV, its statistics marked {@code tightBounds: false} (PROTOCOL.md "Deletion Vectors", "Per-file
 *       Statistics"); without them the file is rewritten minus those rows (copy-on-write), surviving rows keeping
 *       their row ids and commit versions in the materialized row-tracking columns. A file whose rows are all
 *       deleted is removed without a DV. {@link #deleteFile} removes a whole file directly.</li>
 *   <li>{@link #insert}: new rows (batches in the table's column order and types, NOT NULL already checked) for new
 *       data files; they get fresh row ids. {@link #insertUpdated}: new versions of existing rows, which keep their
 *       row id (written to the materialized row-id column named by
 *       {@code delta.rowTracking.materializedRowIdColumnName}) and get this commit's version (the
 *       materialized commit-version column is left null, so readers take the file's
 *       {@code defaultRowCommitVersion}; PROTOCOL.md "Row Tracking").</li>
 *   <li>Change data feed ({@code delta.enableChangeDataFeed}): inserted rows are recorded as {@code insert} and
 *       updated rows as {@code update_postimage} automatically; the caller records the old images it removes with
 *       {@link #recordChanges} ({@code delete} or {@code update_preimage}). They go into {@code _change_data/}
 *       files committed as {@code cdc} actions ("Add CDC File"), which then hold every change of the commit.</li>
 *   <li>Conflict detection: the files the statement read and the predicate it read them with
 *       ({@link #readFiles}, {@link #readPredicate}, {@link #readWholeTable}); the touched files are read files
 *       implicitly. Isolation is the table's {@code delta.isolationLevel} (WriteSerializable by default).</li>
 * </ul>
 * {@link #commit} writes the deletion vectors and rewrites, then commits; row tracking's {@code baseRowId},
 * {@code defaultRowCommitVersion} and the {@code delta.rowTracking} high-water mark are assigned by the transaction at
 * the version that finally commits (again on every retry), and re-added DV files keep theirs. On any failure, or
 * {@link #close} without commit, every file written is deleted and the table is unchanged.
 *
 * <p>MERGE uses it the same way: scan the target joined with the source, keeping the target's file path, row index
 * and row id; matched rows to delete go to {@link #deleteRows}; matched rows to update go to {@link #deleteRows}
 * (old position) and {@link #insertUpdated} (new values, old row id), with {@link #recordChanges} of the old values
 * as {@code update_preimage} when {@link #changeDataFeed()}; not-matched rows go to {@link #insert}; call
 * {@link #readPredicate} (or {@link #readWholeTable}) for what the join read, then {@link #commit}.
 *
 * <p>Not thread-safe: one statement uses one instance.
 */
public final class RowLevelWrite implements AutoCloseable {
    static final String MATERIALIZED_ROW_ID = "delta.rowTracking.materializedRowIdColumnName";
    static final String MATERIALIZED_ROW_COMMIT_VERSION = "delta.rowTracking.materializedRowCommitVersionColumnName";
    static final String CHANGE_DATA_DIR = "_change_data";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DeltaTableHandle target;
    private final Snapshot snapshot;
    private final FileIO io;
    private final ExecutionContext context;
    private final String operation;
    private final Map<String, String> parameters;
    private final boolean deletionVectors;
    private final boolean rowTracking;
    private final boolean changeDataFeed;
    /** Layout of new data files: the table's columns, then the materialized row-tracking columns (if any). */
    private TableLayout dataLayout;
    /** The table's columns as written: the snapshot's, or the evolved schema (see {@link #evolveSchema}). */
    private StructType schema;
    private Metadata newMetadata;
    private final boolean materialized;
    private final Map<String, ScanFile> files = new LinkedHashMap<>();
    private final Map<String, RoaringBitmapArray.Builder> deletions = new LinkedHashMap<>();
    private final Set<String> wholeFiles = new LinkedHashSet<>();
    private final List<AddFile> readFiles = new ArrayList<>();
    private final List<Predicate> readPredicates = new ArrayList<>();
    private final Map<String, String> metrics = new LinkedHashMap<>();
    private boolean readWholeTable;
    /** New rows (INSERT checks: identity values assigned, supplied generated values verified). */
    private DataFileWriter insertWriter;
    /** Updated and copied rows (REWRITE checks: identity values kept, generated columns recomputed). */
    private DataFileWriter rewriteWriter;
    private DataFileWriter changeWriter;
    private long insertedRows;
    private long copiedRows;
    private boolean done;

    private RowLevelWrite(DeltaTableHandle target, String operation, Map<String, String> parameters,
                          ExecutionContext context) {
        this.target = requireNonNull(target, "target is null");
        this.operation = requireNonNull(operation, "operation is null");
        this.parameters = new LinkedHashMap<>(requireNonNull(parameters, "parameters is null"));
        this.context = requireNonNull(context, "context is null");
        if (target.timeTravel().isPresent()) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Cannot write to " + target.displayName()
                    + ": time travel reads a past version; write to the table itself");
        }
        this.snapshot = target.snapshot();
        this.io = target.fileIO();
        Map<String, String> conf = snapshot.configuration();
        this.deletionVectors = "true".equalsIgnoreCase(conf.get("delta.enableDeletionVectors"))
                && snapshot.protocol().supportsWriterFeature("deletionVectors");
        this.rowTracking = snapshot.protocol().supportsWriterFeature("rowTracking");
        this.changeDataFeed = "true".equalsIgnoreCase(conf.get("delta.enableChangeDataFeed"));
        String rowIdColumn = conf.get(MATERIALIZED_ROW_ID);
        String commitVersionColumn = conf.get(MATERIALIZED_ROW_COMMIT_VERSION);
        this.materialized = rowTracking && rowIdColumn != null && commitVersionColumn != null;
        List<StructField> fields = new ArrayList<>(snapshot.schema().fields());
        if (materialized) {
            fields.add(new StructField(rowIdColumn, PrimitiveType.LONG, true));
            fields.add(new StructField(commitVersionColumn, PrimitiveType.LONG, true));
        }
        this.dataLayout = new TableLayout(new StructType(fields), snapshot.partitionColumns());
        this.schema = snapshot.schema();
        for (ScanFile f : snapshot.scanBuilder().build().files()) {
            files.put(f.location(), f);
        }
    }

    /**
     * Starts a row-level write on the snapshot {@code target} is pinned at.
     *
     * @param operation the commitInfo operation (DELETE, UPDATE, MERGE, WRITE, TRUNCATE)
     * @param parameters the commitInfo operationParameters (delta-spark's: predicate, mode, ...)
     */
    public static RowLevelWrite begin(DeltaTableHandle target, String operation, Map<String, String> parameters,
                                      ExecutionContext context) {
        return new RowLevelWrite(target, operation, parameters, context);
    }

    public DeltaTableHandle target() {
        return target;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /** Whether deletes become deletion vectors (else copy-on-write rewrites). */
    public boolean deletionVectors() {
        return deletionVectors;
    }

    /** Whether the table tracks row ids. */
    public boolean rowTracking() {
        return rowTracking;
    }

    /** Whether the commit writes change data files; callers then pass old images to {@link #recordChanges}. */
    public boolean changeDataFeed() {
        return changeDataFeed;
    }

    /**
     * Schema evolution (MERGE WITH SCHEMA EVOLUTION): the table gets {@code evolved}, which is the current schema with
     * columns appended; rows passed in afterwards have those columns too, rows of rewritten files get NULL in them,
     * and the commit carries the new metaData (with {@code delta.columnMapping.maxColumnId} raised when the new
     * fields carry column ids). Must be called before any rows are added.
     */
    public void evolveSchema(StructType evolved) {
        checkOpen();
        requireNonNull(evolved, "evolved is null");
        if (insertWriter != null || rewriteWriter != null || changeWriter != null) {
            throw new IllegalStateException("evolveSchema after rows were added");
        }
        List<StructField> current = snapshot.schema().fields();
        if (evolved.size() <= current.size() || !evolved.fields().subList(0, current.size()).equals(current)) {
            throw new IllegalArgumentException("the evolved schema must extend " + snapshot.schema().simpleString());
        }
        Metadata m = snapshot.metadata().withSchema(evolved);
        long maxId = maxColumnId(evolved);
        if (maxId > 0) {
            Map<String, String> conf = new LinkedHashMap<>(m.configuration());
            conf.put("delta.columnMapping.maxColumnId", Long.toString(Math.max(maxId,
                    Long.parseLong(conf.getOrDefault("delta.columnMapping.maxColumnId", "0")))));
            m = m.withConfiguration(conf);
        }
        List<StructField> fields = new ArrayList<>(evolved.fields());
        fields.addAll(dataLayout.schema().fields().subList(current.size(), dataLayout.schema().size()));
        this.dataLayout = new TableLayout(new StructType(fields), snapshot.partitionColumns());
        this.schema = evolved;
        this.newMetadata = m;
    }

    private static long maxColumnId(dev.tarn.txlog.types.DataType type) {
        long max = 0;
        if (type instanceof StructType st) {
            for (StructField f : st.fields()) {
                if (f.metadata().get(StructField.COLUMN_MAPPING_ID) instanceof Number n) {
                    max = Math.max(max, n.longValue());
                }
                max = Math.max(max, maxColumnId(f.type()));
            }
        } else if (type instanceof dev.tarn.txlog.types.ArrayType a) {
            max = maxColumnId(a.elementType());
        } else if (type instanceof dev.tarn.txlog.types.MapType mt) {
            max = Math.max(maxColumnId(mt.keyType()), maxColumnId(mt.valueType()));
        }
        return max;
    }

    /** Marks rows of one data file deleted: {@code count} positions (physical row indexes) from {@code positions}. */
    public void deleteRows(String fileLocation, long[] positions, int count) {
        RoaringBitmapArray.Builder b = builderFor(fileLocation);
        for (int i = 0; i < count; i++) {
            b.add(positions[i]);
        }
    }

    /** Marks rows deleted: the positions in {@code rowIndexes} (non-null) of one data file. */
    public void deleteRows(String fileLocation, BigIntVector rowIndexes) {
        RoaringBitmapArray.Builder b = builderFor(fileLocation);
        int n = rowIndexes.getValueCount();
        for (int i = 0; i < n; i++) {
            b.add(rowIndexes.get(i));
        }
    }

    /** Removes a whole data file (all of its remaining rows are deleted) without reading it. */
    public void deleteFile(String fileLocation) {
        fileAt(fileLocation);
        wholeFiles.add(fileLocation);
    }

    /** The table's data files at the snapshot, by location (as {@code _metadata.file_path} spells it). */
    public Map<String, ScanFile> files() {
        return java.util.Collections.unmodifiableMap(files);
    }

    private RoaringBitmapArray.Builder builderFor(String fileLocation) {
        fileAt(fileLocation);
        return deletions.computeIfAbsent(fileLocation, k -> RoaringBitmapArray.builder());
    }

    private ScanFile fileAt(String fileLocation) {
        checkOpen();
        ScanFile f = files.get(requireNonNull(fileLocation, "fileLocation is null"));
        if (f == null) {
            throw new TarnException(ErrorCode.INTERNAL_ERROR, "File " + fileLocation + " is not part of "
                    + target.displayName() + " at version " + snapshot.version());
        }
        return f;
    }

    /** Adds new rows (the table's columns, in order); recorded as {@code insert} changes under the change feed. */
    public void insert(VectorSchemaRoot rows) {
        checkOpen();
        if (rows.getRowCount() == 0) {
            return;
        }
        if (insertWriter == null) {
            insertWriter = newDataWriter(WriteChecks.Mode.INSERT);
        }
        writeData(insertWriter, rows.getFieldVectors(), null, null, rows.getRowCount(), ChangeType.INSERT);
        insertedRows += rows.getRowCount();
    }

    /**
     * Adds new versions of existing rows (the table's columns, in order), each keeping the row id in
     * {@code rowIds} (null entries, or a null vector, get fresh ids) and taking this commit's version; recorded as
     * {@code update_postimage} changes under the change feed.
     */
    public void insertUpdated(VectorSchemaRoot rows, BigIntVector rowIds) {
        checkOpen();
        if (rows.getRowCount() == 0) {
            return;
        }
        writeData(rewriteWriter(), rows.getFieldVectors(), rowIds, null, rows.getRowCount(),
                ChangeType.UPDATE_POSTIMAGE);
        insertedRows += rows.getRowCount();
    }

    private DataFileWriter rewriteWriter() {
        if (rewriteWriter == null) {
            rewriteWriter = newDataWriter(WriteChecks.Mode.REWRITE);
        }
        return rewriteWriter;
    }

    private DataFileWriter newDataWriter(WriteChecks.Mode mode) {
        return new DataFileWriter(io, snapshot.tableLocation(), dataLayout, snapshot.configuration(),
                target.writeSettings(), context.allocator(), WriteChecks.forTable(dataLayout.schema(),
                snapshot.configuration(), target.displayName(), mode)).withZone(context.sessionZone());
    }

    /** Records change rows (the table's columns, in order) of {@code type}; ignored without the change feed. */
    public void recordChanges(VectorSchemaRoot rows, ChangeType type) {
        checkOpen();
        requireNonNull(type, "type is null");
        int n = rows.getRowCount();
        if (!changeDataFeed || n == 0) {
            return;
        }
        if (changeWriter == null) {
            List<StructField> fields = new ArrayList<>(schema.fields());
            fields.add(new StructField(dev.tarn.txlog.ChangeFile.CHANGE_TYPE_COLUMN, PrimitiveType.STRING, true));
            TableLayout layout = new TableLayout(new StructType(fields), snapshot.partitionColumns());
            // Change rows are rows the table had or gets, already checked: no constraints again.
            changeWriter = new DataFileWriter(io, snapshot.tableLocation() + "/" + CHANGE_DATA_DIR, layout,
                    snapshot.configuration(), target.writeSettings(), context.allocator(),
                    WriteChecks.forTable(layout.schema(), Map.of(), target.displayName(), WriteChecks.Mode.REWRITE))
                    .withZone(context.sessionZone());
        }
        try (VarCharVector changeType = new VarCharVector(dev.tarn.txlog.ChangeFile.CHANGE_TYPE_COLUMN,
                context.allocator())) {
            JavaValues.fill(changeType, type.value(), n, PrimitiveType.STRING);
            List<FieldVector> vectors = new ArrayList<>(tableColumns(rows.getFieldVectors()));
            vectors.add(changeType);
            changeWriter.write(root(vectors, n));
        }
    }

    /** The statement's result depends on these files (a concurrent remove of one is a conflict). */
    public void readFiles(Collection<AddFile> read) {
        readFiles.addAll(requireNonNull(read, "read is null"));
    }

    /** The statement read the rows matching this predicate (see {@link Transaction#readPredicate}). */
    public void readPredicate(Predicate predicate) {
        readPredicates.add(requireNonNull(predicate, "predicate is null"));
    }

    /** The statement's result depends on the whole table. */
    public void readWholeTable() {
        readWholeTable = true;
    }

    /** Operation metrics for commitInfo, added to the ones this class computes. */
    public void setOperationMetrics(Map<String, String> operationMetrics) {
        metrics.putAll(requireNonNull(operationMetrics, "operationMetrics is null"));
    }

    private List<FieldVector> tableColumns(List<FieldVector> vectors) {
        int n = schema.size();
        if (vectors.size() < n) {
            throw new TarnException(ErrorCode.INTERNAL_ERROR, "Rows for " + target.displayName() + " have "
                    + vectors.size() + " columns, the table has " + n);
        }
        return vectors.subList(0, n);
    }

    /**
     * Writes rows with the given materialized row ids and commit versions (null vectors: all null); under the change
     * feed the rows as written (checks applied) are recorded as {@code change}, when given.
     */
    private void writeData(DataFileWriter writer, List<FieldVector> vectors, BigIntVector rowIds,
                           BigIntVector commitVersions, int n, ChangeType change) {
        List<FieldVector> out = new ArrayList<>(tableColumns(vectors));
        List<BigIntVector> created = new ArrayList<>(2);
        try {
            if (materialized) {
                out.add(rowIds != null ? rowIds : nulls(created, n));
                out.add(commitVersions != null ? commitVersions : nulls(created, n));
            }
            if (changeDataFeed && change != null) {
                writer.write(root(out, n), checked -> recordChanges(checked, change));
            } else {
                writer.write(root(out, n));
            }
        } finally {
            created.forEach(BigIntVector::close);
        }
    }

    private BigIntVector nulls(List<BigIntVector> created, int n) {
        BigIntVector v = new BigIntVector("null", context.allocator());
        created.add(v);
        v.allocateNew(Math.max(n, 1));
        v.setValueCount(n);
        return v;
    }

    private static VectorSchemaRoot root(List<FieldVector> vectors, int rows) {
        List<Field> fields = vectors.stream().map(FieldVector::getField).toList();
        return new VectorSchemaRoot(fields, vectors, rows);
    }

    /**
     * Writes deletion vectors and rewrites, then commits everything as one version. Returns what was committed;
     * when the statement changed nothing, nothing is committed (version -1).
     */
    public DmlResult commit() {
        checkOpen();
        done = true;
        List<String> written = new ArrayList<>();
        WrittenFiles inserted = null;
        WrittenFiles rewritten = null;
        WrittenFiles changes = null;
        try {
            long now = System.currentTimeMillis();
            List<RemoveFile> removes = new ArrayList<>();
            List<AddFile> adds = new ArrayList<>();
            List<AddFile> touched = new ArrayList<>();
            Map<ScanFile, RoaringBitmapArray> withDv = new LinkedHashMap<>();
            long deleted = 0;
            long removedFiles = 0;
            for (String location : wholeFiles) {
                ScanFile f = files.get(location);
                long live = liveRows(f);
                deleted += live;
                touched.add(f.add());
                removes.add(f.add().toRemove(now, true));
                removedFiles++;
            }
            List<ScanFile> rewrites = new ArrayList<>();
            List<RoaringBitmapArray> rewriteDeletes = new ArrayList<>();
            for (Map.Entry<String, RoaringBitmapArray.Builder> e : deletions.entrySet()) {
                if (wholeFiles.contains(e.getKey())) {
                    continue;
                }
                ScanFile f = files.get(e.getKey());
                RoaringBitmapArray existing = existingDv(f);
                RoaringBitmapArray union = e.getValue().addAll(existing).build();
                long newlyDeleted = union.cardinality() - existing.cardinality();
                if (newlyDeleted == 0) {
                    continue;
                }
                deleted += newlyDeleted;
                touched.add(f.add());
                long numRecords = FileStats.parse(f.add().stats()).numRecords();
                if (numRecords >= 0 && union.cardinality() >= numRecords) {
                    removes.add(f.add().toRemove(now, true));
                    removedFiles++;
                } else if (deletionVectors) {
                    withDv.put(f, union);
                } else {
                    rewrites.add(f);
                    rewriteDeletes.add(union);
                    removes.add(f.add().toRemove(now, true));
                    removedFiles++;
                }
            }
            for (int i = 0; i < rewrites.size(); i++) {
                context.checkCancelled();
                rewrite(rewrites.get(i), rewriteDeletes.get(i));
            }
            if (insertWriter != null) {
                inserted = insertWriter.finish();
                written.addAll(inserted.absoluteLocations());
                adds.addAll(inserted.adds());
            }
            if (rewriteWriter != null) {
                rewritten = rewriteWriter.finish();
                written.addAll(rewritten.absoluteLocations());
                adds.addAll(rewritten.adds());
            }
            List<AddCdcFile> cdc = new ArrayList<>();
            if (changeWriter != null) {
                changes = changeWriter.finish();
                written.addAll(changes.absoluteLocations());
                for (AddFile a : changes.adds()) {
                    cdc.add(new AddCdcFile(CHANGE_DATA_DIR + "/" + a.path(), a.partitionValues(), a.size(), false,
                            null));
                }
            }
            long dvBytes = 0;
            if (!withDv.isEmpty()) {
                dvBytes = writeDeletionVectors(withDv, now, removes, adds, written);
            }
            if (removes.isEmpty() && adds.isEmpty() && cdc.isEmpty()) {
                return new DmlResult(-1, 0, 0, 0, 0, 0, 0, 0);
            }
            context.checkCancelled();
            Transaction txn = snapshot.tableLog().newTransaction(snapshot, operation, parameters);
            if (newMetadata != null) {
                txn.updateMetadata(newMetadata);
            }
            txn.readFiles(touched);
            txn.readFiles(readFiles);
            readPredicates.forEach(txn::readPredicate);
            if (readWholeTable) {
                txn.readWholeTable();
            }
            txn.removeFiles(removes);
            txn.addFiles(adds);
            txn.addChangeFiles(cdc);
            if (inserted != null) {
                WriteChecks.recordHighWaterMarks(txn, newMetadata != null ? newMetadata : snapshot.metadata(),
                        inserted);
            }
            long dataBytes = (inserted == null ? 0 : inserted.bytes()) + (rewritten == null ? 0 : rewritten.bytes());
            long bytes = dataBytes + dvBytes + cdc.stream().mapToLong(AddCdcFile::size).sum();
            long addedFiles = (inserted == null ? 0 : inserted.adds().size())
                    + (rewritten == null ? 0 : rewritten.adds().size());
            Map<String, String> m = new LinkedHashMap<>();
            m.put("numDeletedRows", Long.toString(deleted));
            m.put("numRemovedFiles", Long.toString(removedFiles));
            m.put("numAddedFiles", Long.toString(addedFiles));
            m.put("numDeletionVectorsAdded", Long.toString(withDv.size()));
            m.put("numCopiedRows", Long.toString(copiedRows));
            m.put("numAddedChangeFiles", Long.toString(cdc.size()));
            m.put("numAddedBytes", Long.toString(bytes));
            m.putAll(metrics);
            txn.setOperationMetrics(m);
            CommitResult result = txn.commit();
            return new DmlResult(result.version(), deleted, insertedRows, copiedRows, removedFiles, withDv.size(),
                    addedFiles, bytes);
        } catch (RuntimeException e) {
            deleteQuietly(written);
            if (insertWriter != null && inserted == null) {
                insertWriter.close();
            }
            if (rewriteWriter != null && rewritten == null) {
                rewriteWriter.close();
            }
            if (changeWriter != null && changes == null) {
                changeWriter.close();
            }
            throw e;
        }
    }

    /** Rows of a file not yet deleted: numRecords less the DV's cardinality, or counted by reading it. */
    private long liveRows(ScanFile f) {
        long n = FileStats.parse(f.add().stats()).numRecords();
        if (n >= 0) {
            return n - (f.add().deletionVector() == null ? 0 : f.add().deletionVector().cardinality());
        }
        long count = 0;
        try (DeltaScanOperator scan = scanOf(f, new int[0], selectionOf(existingDv(f)))) {
            scan.open(context);
            for (VectorSchemaRoot b = scan.next(); b != null; b = scan.next()) {
                count += b.getRowCount();
            }
        }
        return count;
    }

    private RoaringBitmapArray existingDv(ScanFile f) {
        DeletionVectorDescriptor dv = f.add().deletionVector();
        if (dv == null) {
            return RoaringBitmapArray.empty();
        }
        return target.deletionVectorCache().get(io, snapshot.tableLocation(), dv, target.displayName());
    }

    private static RowSelection selectionOf(RoaringBitmapArray deleted) {
        return deleted.isEmpty() ? null : RowSelection.dropping(deleted);
    }

    private DeltaScanOperator scanOf(ScanFile f, int[] projection, RowSelection selection) {
        StructType schema = snapshot.schema();
        return new DeltaScanOperator(io, snapshot.tableLocation(), target.displayName(), schema,
                snapshot.partitionColumns(), projection, List.of(), List.of(f), target.writeSettings().batchRows(),
                MetadataColumn.of(snapshot), file -> selection);
    }

    /** Copy-on-write: the file's rows except {@code deleted} go into new files, keeping row ids and versions. */
    private void rewrite(ScanFile f, RoaringBitmapArray deleted) {
        int columns = snapshot.schema().size();
        int[] projection = new int[materialized ? columns + 1 : columns];
        for (int i = 0; i < projection.length; i++) {
            projection[i] = i;
        }
        try (DeltaScanOperator scan = scanOf(f, projection, RowSelection.dropping(deleted))) {
            scan.open(context);
            for (VectorSchemaRoot b = scan.next(); b != null; b = scan.next()) {
                context.checkCancelled();
                BigIntVector rowIds = null;
                BigIntVector versions = null;
                if (materialized) {
                    StructVector meta = (StructVector) b.getVector(columns);
                    rowIds = (BigIntVector) meta.getChild("row_id");
                    versions = (BigIntVector) meta.getChild("row_commit_version");
                }
                List<FieldVector> row = new ArrayList<>(b.getFieldVectors().subList(0, columns));
                List<FieldVector> added = new ArrayList<>();
                try {
                    // Columns added by schema evolution are NULL in rows copied from older files.
                    for (StructField extra : schema.fields().subList(columns, schema.size())) {
                        FieldVector v = dev.tarn.query.internal.expression.Values.newVector(extra.name(), extra.type(),
                                context.allocator(), b.getRowCount());
                        v.setValueCount(b.getRowCount());
                        added.add(v);
                    }
                    row.addAll(added);
                    writeData(rewriteWriter(), row, rowIds, versions, b.getRowCount(), null);
                } finally {
                    added.forEach(FieldVector::close);
                }
                copiedRows += b.getRowCount();
            }
        }
    }

    /**
     * Writes every new DV into one file in the table directory (PROTOCOL.md "Deletion Vector File Storage Format",
     * optional random prefix under {@code delta.randomizeFilePrefixes}) and turns each file into remove + add of the
     * same path with the new descriptor. Returns the DV file's size.
     */
    private long writeDeletionVectors(Map<ScanFile, RoaringBitmapArray> withDv, long now, List<RemoveFile> removes,
                                      List<AddFile> adds, List<String> written) {
        String prefix = "";
        Map<String, String> conf = snapshot.configuration();
        if ("true".equalsIgnoreCase(conf.get("delta.randomizeFilePrefixes"))) {
            int length = Integer.parseInt(conf.getOrDefault("delta.randomPrefixLength", "2").trim());
            StringBuilder sb = new StringBuilder();
            String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
            for (int i = 0; i < length; i++) {
                sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
            }
            prefix = sb.toString();
        }
        String pathOrInline = DeletionVectorFiles.encodePath(prefix, UUID.randomUUID());
        DeletionVectorDescriptor probe = new DeletionVectorDescriptor(DeletionVectorDescriptor.StorageType.UUID_RELATIVE,
                pathOrInline, 1, 1, 1, null);
        String location = probe.absolutePath(snapshot.tableLocation());
        written.add(location);
        long size = 1;
        try (DeletionVectorFileWriter writer = DeletionVectorFileWriter.create(io.newOutputFile(location))) {
            for (Map.Entry<ScanFile, RoaringBitmapArray> e : withDv.entrySet()) {
                AddFile add = e.getKey().add();
                RoaringBitmapArray bitmap = e.getValue();
                StoredDeletionVector stored = writer.add(bitmap);
                size += 8L + stored.sizeInBytes();
                long[] all = bitmap.toArray();
                DeletionVectorDescriptor dv = new DeletionVectorDescriptor(
                        DeletionVectorDescriptor.StorageType.UUID_RELATIVE, pathOrInline, stored.offset(),
                        stored.sizeInBytes(), stored.cardinality(), all.length == 0 ? null : all[all.length - 1]);
                removes.add(add.toRemove(now, true));
                adds.add(new AddFile(add.path(), add.partitionValues(), add.size(), add.modificationTime(), true,
                        looseStats(add.stats()), add.tags(), dv, add.baseRowId(), add.defaultRowCommitVersion(),
                        add.clusteringProvider()));
            }
        }
        return size;
    }

    /** Statistics of a file that now has a DV: min/max may cover deleted rows, so they are not tight. */
    static String looseStats(String stats) {
        if (stats == null) {
            return null;
        }
        try {
            ObjectNode n = (ObjectNode) JSON.readTree(stats);
            n.put("tightBounds", false);
            return JSON.writeValueAsString(n);
        } catch (IOException | ClassCastException e) {
            throw new TarnException(ErrorCode.CORRUPT_LOG, "Statistics of a data file are not a JSON object: "
                    + stats, e);
        }
    }

    private void deleteQuietly(List<String> locations) {
        for (String l : locations) {
            try {
                io.delete(l);
            } catch (RuntimeException ignored) {
                // Uncommitted files are invisible to readers; VACUUM removes what is left.
            }
        }
    }

    private void checkOpen() {
        if (done) {
            throw new IllegalStateException("Row-level write on " + target.displayName() + " already finished");
        }
    }

    /** Without a commit: deletes every file written so far. */
    @Override
    public void close() {
        if (done) {
            return;
        }
        done = true;
        if (insertWriter != null) {
            insertWriter.close();
        }
        if (rewriteWriter != null) {
            rewriteWriter.close();
        }
        if (changeWriter != null) {
            changeWriter.close();
        }
    }
}
