package dev.tarn.query.internal.scan;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.catalog.PushedFilter;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.MorselScan;
import dev.tarn.query.internal.execution.MorselSource;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.operator.ScanMetrics;
import dev.tarn.query.internal.write.JavaValues;
import dev.tarn.query.internal.write.Selections;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.storage.parquet.ArrowParquetReader;
import dev.tarn.storage.parquet.ParquetReadRequest;
import dev.tarn.storage.parquet.StagedColumn;
import dev.tarn.txlog.PartitionValues;
import dev.tarn.txlog.ScanFile;
import dev.tarn.txlog.types.ArrowTypes;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntPredicate;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Reads a table's files one after another into batches of the projected logical columns: each file is opened
 * through FileIO, only the needed stored columns are requested (by physical name, or field id under column mapping
 * mode id), partition columns become constant vectors from the log's partition values, and rows marked in the
 * file's deletion vector are dropped using the row-index column (PROTOCOL.md "Deletion Vectors": a DV marks rows by
 * their position in the file). Row groups whose statistics rule out the pushed filters are not read, nor the
 * leading and trailing pages whose column-index statistics rule them out. At most one
 * file is open and one batch held at a time. Pushed filters the scan can evaluate exactly ({@link ScanRowFilter})
 * run while the file is decoded, so the other columns are decoded only for the rows they keep, or on the batch's
 * vectors where the reader could not stage a column; either way they hold for every row returned, and the planner
 * drops them from the filter above the scan (their columns are read even when not returned).
 *
 * <p>Parallel workers share one list of morsels ({@link MorselScan}) and each reads the ones it claims: a morsel is
 * a data file, or when the scan has too few files to keep the workers busy, a part of one (a range of its rows the
 * Parquet reader cuts at row-group or page boundaries, {@link ParquetReadRequest#withPart}); row indexes stay
 * positions in the whole file, so deletion vectors apply to parts as to files. The scan counts what it read and skipped for EXPLAIN ANALYZE ({@link ScanMetrics}) and reports files and
 * rows to the statement's live {@link dev.tarn.query.internal.execution.ScanProgress}.
 */
public final class DeltaScanOperator implements Operator, MorselScan, ScanMetrics,
        dev.tarn.query.internal.operator.KeyFilterTarget {
    /** Parallel scans aim at this many morsels per worker, so workers finishing early find more to do. */
    static final int MORSELS_PER_WORKER = 4;
    /** Files are not cut into parts of fewer rows than this (each part re-reads the footer; the parts share decoded dictionaries). */
    static final long MIN_PART_ROWS = 50_000;

    /**
     * Part {@code part} of {@code parts} of a data file: a morsel. The parts of a scan's files share
     * {@code dictionaries} (null for a whole file), so each dictionary page is decoded once, not once per part.
     */
    record FilePart(ScanFile file, int part, int parts, dev.tarn.storage.parquet.DictionaryCache dictionaries) {
        FilePart(ScanFile file, int part, int parts) {
            this(file, part, parts, null);
        }

        boolean first() {
            return part == 0;
        }

        boolean last() {
            return part == parts - 1;
        }
    }

    private final FileIO io;
    private final String tableLocation;
    private final String displayName;
    private final StructType schema;
    private final int[] projection;
    private final boolean[] isPartition;
    private final List<ScanFile> files;
    private final int batchRows;
    private final List<ResultColumn> columns;
    private final StructType storedColumns;
    private final int[] storedIndexOfProjected;
    private final RowGroupPruner pruner;
    /** The hidden {@code _metadata} column when projected (index {@code schema.size()}), else null. */
    private final MetadataColumn metadata;
    private final boolean[] isMetadata;
    private final int materializedRowIdStored;
    private final int materializedCommitVersionStored;
    private final Function<ScanFile, RowSelection> rowSelection;
    /** Pushed filters evaluated while decoding (late materialization), or null. */
    private final ScanRowFilter rowFilter;
    /** Whether the stored columns' Arrow fields (names, nested names) are the logical ones: no relabeling. */
    private final boolean physicalIsLogical;
    /** Keys of the hash joins this scan's rows go to, by stored column ({@link #addKeyFilter}). */
    private final List<KeyRowFilter.Key> joinKeys = new ArrayList<>();
    /** {@link #rowFilter} narrowed by {@link #joinKeys}, made when the first file opens after they are given. */
    private KeyRowFilter keyRowFilter;

    private ExecutionContext context;
    private BufferAllocator allocator;
    private ArrowParquetReader reader;
    private ScanFile currentFile;
    private FilePart currentPart;
    private Object[] currentPartitionValues;
    private RowSelection currentSelection;
    private VectorSchemaRoot output;
    private MorselSource source;
    private int worker;
    private int nextFile;
    private int morsel = -1;
    private long filesPruned;
    private long filesRead;
    private long rowGroupsRead;
    private long rowGroupsPruned;
    private long rowsRemovedByDeletionVectors;
    private long rowsFiltered;
    private long scannedInFile;

    public DeltaScanOperator(FileIO io, String tableLocation, String displayName, StructType schema,
                             List<String> partitionColumns, int[] projection, List<PushedFilter> filters,
                             List<ScanFile> files, int batchRows) {
        this(io, tableLocation, displayName, schema, partitionColumns, projection, filters, files, batchRows, null);
    }

    /**
     * A scan that may also return the hidden {@code _metadata} struct column: projection index {@code schema.size()}
     * selects it ({@code metadata} must then be given).
     */
    public DeltaScanOperator(FileIO io, String tableLocation, String displayName, StructType schema,
                             List<String> partitionColumns, int[] projection, List<PushedFilter> filters,
                             List<ScanFile> files, int batchRows, MetadataColumn metadata) {
        this(io, tableLocation, displayName, schema, partitionColumns, projection, filters, files, batchRows, metadata,
                file -> file.deletionVector()
                        .map(dv -> DeletionVectors.load(io, tableLocation, dv, displayName))
                        .filter(dv -> !dv.isEmpty())
                        .map(RowSelection::dropping)
                        .orElse(null));
    }

    /**
     * A scan whose rows of each file are chosen by {@code rowSelection} (null for every row) instead of by the
     * file's deletion vector alone: table scans pass their (cached) deletion vectors, change-data reads pass the
     * rows a commit inserted or deleted.
     */
    public DeltaScanOperator(FileIO io, String tableLocation, String displayName, StructType schema,
                             List<String> partitionColumns, int[] projection, List<PushedFilter> filters,
                             List<ScanFile> files, int batchRows, MetadataColumn metadata,
                             Function<ScanFile, RowSelection> rowSelection) {
        this.rowSelection = requireNonNull(rowSelection, "rowSelection is null");
        this.io = requireNonNull(io, "io is null");
        this.tableLocation = requireNonNull(tableLocation, "tableLocation is null");
        this.displayName = requireNonNull(displayName, "displayName is null");
        this.schema = requireNonNull(schema, "schema is null");
        this.projection = projection.clone();
        this.files = List.copyOf(files);
        this.batchRows = batchRows;
        this.pruner = RowGroupPruner.of(schema, partitionColumns, filters);
        this.isPartition = new boolean[projection.length];
        this.isMetadata = new boolean[projection.length];
        List<ResultColumn> cols = new ArrayList<>();
        List<StructField> stored = new ArrayList<>();
        this.storedIndexOfProjected = new int[projection.length];
        boolean withMetadata = false;
        for (int i = 0; i < projection.length; i++) {
            if (projection[i] == schema.size()) {
                if (metadata == null) {
                    throw new IllegalArgumentException("Projected column " + projection[i] + " out of range for "
                            + displayName);
                }
                isMetadata[i] = true;
                withMetadata = true;
                storedIndexOfProjected[i] = -1;
                cols.add(new ResultColumn(MetadataColumn.NAME, metadata.type(), false));
                continue;
            }
            StructField f = schema.fields().get(projection[i]);
            cols.add(new ResultColumn(f.name(), f.type(), f.nullable()));
            boolean partition = partitionColumns.stream().anyMatch(p -> p.equalsIgnoreCase(f.name()));
            isPartition[i] = partition;
            if (partition) {
                storedIndexOfProjected[i] = -1;
            } else {
                int existing = stored.indexOf(f);
                if (existing < 0) {
                    stored.add(f);
                    existing = stored.size() - 1;
                }
                storedIndexOfProjected[i] = existing;
            }
        }
        this.metadata = withMetadata ? metadata : null;
        int rowIdStored = -1;
        int commitVersionStored = -1;
        if (withMetadata) {
            for (StructField m : metadata.materializedColumns()) {
                stored.add(m);
            }
            if (metadata.hasMaterializedRowId()) {
                rowIdStored = stored.size() - metadata.materializedColumns().size();
            }
            if (metadata.hasMaterializedRowCommitVersion()) {
                commitVersionStored = stored.size() - 1;
            }
        }
        // The columns of the filters the scan applies exactly are read even when not returned: the planner leaves
        // those conjuncts out of the filter above the scan, and with them columns only they use.
        for (PushedFilter f : filters) {
            if (ScanRowFilter.appliesExactly(schema, partitionColumns, f)) {
                addStored(stored, schema.fields().get(f.column()));
                if (f.comparesColumns()) {
                    addStored(stored, schema.fields().get(f.otherColumn()));
                }
            }
        }
        this.materializedRowIdStored = rowIdStored;
        this.materializedCommitVersionStored = commitVersionStored;
        this.columns = List.copyOf(cols);
        this.storedColumns = new StructType(stored);
        this.rowFilter = ScanRowFilter.of(schema, storedColumns, filters).orElse(null);
        this.physicalIsLogical = ArrowTypes.toPhysicalArrowSchema(storedColumns)
                .equals(ArrowTypes.toArrowSchema(storedColumns));
    }

    /**
     * Whether a scan of a table of {@code schema} returns only rows for which {@code filter} is TRUE, so the query
     * need not evaluate it again ({@link ScanRowFilter#appliesExactly}).
     */
    public static boolean appliesExactly(StructType schema, List<String> partitionColumns, PushedFilter filter) {
        return ScanRowFilter.appliesExactly(schema, partitionColumns, filter);
    }

    private static void addStored(List<StructField> stored, StructField field) {
        if (!stored.contains(field)) {
            stored.add(field);
        }
    }

    @Override
    public List<ResultColumn> columns() {
        return columns;
    }

    @Override
    public boolean addKeyFilter(int column, dev.tarn.query.internal.operator.JoinKeyFilter filter) {
        requireNonNull(filter, "filter is null");
        if (column < 0 || column >= projection.length || storedIndexOfProjected[column] < 0) {
            return false; // a partition or metadata column: no decoding to save
        }
        joinKeys.add(new KeyRowFilter.Key(storedIndexOfProjected[column], filter));
        keyRowFilter = null;
        return true;
    }

    /** Files the log's statistics ruled out before this scan was built (reported by EXPLAIN ANALYZE). */
    public DeltaScanOperator withFilesPruned(long pruned) {
        this.filesPruned = pruned;
        return this;
    }

    @Override
    public void open(ExecutionContext ctx) {
        this.context = requireNonNull(ctx, "ctx is null");
        this.allocator = ctx.allocator();
        if (source == null || worker == 0) {
            long rows = 0;
            for (ScanFile f : files) {
                long n = dev.tarn.txlog.skipping.FileStats.parse(f.add().stats()).numRecords();
                if (n < 0) {
                    rows = -1;
                    break;
                }
                rows += n;
            }
            ctx.progress().planned(files.size(), rows);
        }
    }

    /**
     * One morsel per file when there are enough files for {@value #MORSELS_PER_WORKER} per worker; otherwise files
     * are cut into parts of about equal row counts (from the log's statistics, at least {@value #MIN_PART_ROWS}
     * rows each) so that even a one-file table keeps every worker busy.
     */
    @Override
    public List<?> morsels(int workers) {
        int target = workers * MORSELS_PER_WORKER;
        List<FilePart> parts = new ArrayList<>();
        if (workers <= 1 || files.size() >= target) {
            for (ScanFile f : files) {
                parts.add(new FilePart(f, 0, 1));
            }
            return parts;
        }
        long[] rows = new long[files.size()];
        long total = 0;
        for (int i = 0; i < rows.length; i++) {
            rows[i] = dev.tarn.txlog.skipping.FileStats.parse(files.get(i).add().stats()).numRecords();
            total += Math.max(0, rows[i]);
        }
        long partRows = Math.max(MIN_PART_ROWS, (total + target - 1) / target);
        dev.tarn.storage.parquet.DictionaryCache dictionaries = new dev.tarn.storage.parquet.DictionaryCache();
        for (int i = 0; i < rows.length; i++) {
            int n = rows[i] <= 0 ? 1 : (int) Math.max(1, Math.min(1024, Math.round((double) rows[i] / partRows)));
            for (int k = 0; k < n; k++) {
                parts.add(new FilePart(files.get(i), k, n, n > 1 ? dictionaries : null));
            }
        }
        return parts;
    }

    @Override
    public void readFrom(MorselSource source, int worker) {
        this.source = requireNonNull(source, "source is null");
        this.worker = worker;
    }

    @Override
    public int currentMorsel() {
        return morsel;
    }

    @Override
    public Map<String, Long> scanMetrics() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("files", filesRead);
        // Every parallel instance of a scan plans the same files; one of them reports the files skipping left out.
        m.put("filesPruned", source == null || worker == 0 ? filesPruned : 0);
        m.put("rowGroups", rowGroupsRead);
        m.put("rowGroupsPruned", rowGroupsPruned);
        m.put("rowsRemovedByDeletionVectors", rowsRemovedByDeletionVectors);
        m.put("rowsFilteredInScan", rowsFiltered);
        return m;
    }

    @Override
    public VectorSchemaRoot next() {
        if (context == null) {
            throw new IllegalStateException("open() was not called");
        }
        releaseOutput();
        while (true) {
            context.checkCancelled();
            if (reader == null && !openNextFile()) {
                return null;
            }
            VectorSchemaRoot batch;
            try {
                batch = reader.next();
            } catch (OutOfMemoryException e) {
                throw context.memoryLimitExceeded("Scan of " + displayName, e);
            } catch (TarnException e) {
                // The Parquet reader reports a refused allocation as a decoding failure, with the cause kept.
                for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                    if (t instanceof OutOfMemoryException) {
                        throw context.memoryLimitExceeded("Scan of " + displayName, e);
                    }
                }
                throw e;
            } catch (RuntimeException e) {
                throw new TarnException(ErrorCode.CORRUPT_DATA_FILE, "Cannot read data file " + currentFile.location()
                        + " of table " + displayName + ": " + e.getMessage(), e);
            }
            long scanned = reader.rowsScanned() - scannedInFile;
            scannedInFile += scanned;
            rowsFiltered += scanned - (batch == null ? 0 : batch.getRowCount());
            context.progress().rowsRead(scanned);
            if (batch == null) {
                closeReader();
                if (currentPart.last()) {
                    context.progress().fileRead();
                }
                continue;
            }
            try {
                output = toOutput(batch);
            } catch (OutOfMemoryException e) {
                throw context.memoryLimitExceeded("Scan of " + displayName, e);
            }
            if (output.getRowCount() == 0) {
                releaseOutput();
                continue;
            }
            return output;
        }
    }

    private boolean openNextFile() {
        if (source != null) {
            morsel = source.claim(worker);
            if (morsel < 0) {
                return false;
            }
            currentPart = (FilePart) source.morsel(morsel);
        } else {
            if (nextFile >= files.size()) {
                return false;
            }
            morsel = nextFile++;
            currentPart = new FilePart(files.get(morsel), 0, 1);
        }
        currentFile = currentPart.file();
        if (currentPart.first()) {
            filesRead++;
        }
        currentPartitionValues = new Object[projection.length];
        for (int i = 0; i < projection.length; i++) {
            if (isPartition[i] && !isMetadata[i]) {
                StructField f = schema.fields().get(projection[i]);
                currentPartitionValues[i] = partitionValue(currentFile, f);
            }
        }
        currentSelection = rowSelection.apply(currentFile);
        Schema requested = ArrowTypes.toPhysicalArrowSchema(storedColumns);
        // The row index is needed for deletion vectors, and to count rows when no stored column is read.
        boolean withRowIndex = currentSelection != null || storedColumns.size() == 0 || metadata != null;
        // The reader consults the row-group filter lazily, after the footer is read, so the filter can look at
        // the footer's statistics through the reader it belongs to.
        ArrowParquetReader[] self = new ArrowParquetReader[1];
        IntPredicate rowGroups = ordinal -> {
            dev.tarn.storage.parquet.RowGroupInfo group = self[0].fileInfo().rowGroups().get(ordinal);
            boolean read = pruner.isEmpty() || pruner.mayMatch(group);
            // A row group cut into parts is counted by the part it starts in.
            if (group.firstRowIndex() >= self[0].firstRow() && group.firstRowIndex() < self[0].endRow()) {
                if (read) {
                    rowGroupsRead++;
                } else {
                    rowGroupsPruned++;
                }
            }
            return read;
        };
        if (!joinKeys.isEmpty() && keyRowFilter == null) {
            keyRowFilter = new KeyRowFilter(rowFilter, joinKeys);
        }
        ParquetReadRequest request = new ParquetReadRequest(requested, withRowIndex, batchRows, rowGroups,
                keyRowFilter != null ? keyRowFilter : rowFilter);
        if (currentPart.parts() > 1) {
            request = request.withPart(currentPart.part(), currentPart.parts());
            if (currentPart.dictionaries() != null) {
                request = request.withDictionaries(currentPart.dictionaries());
            }
        }
        if (!pruner.isEmpty()) {
            // Page statistics (column indexes) trim the rows before the first and after the last page that may match.
            request = request.withPageFilter(pruner::mayMatch);
        }
        reader = ArrowParquetReader.open(io.newInputFile(currentFile.location()), request, allocator);
        self[0] = reader;
        scannedInFile = 0;
        return true;
    }

    /**
     * The file's value for a partition column, parsed here rather than taken from {@link ScanFile#partitionValues()}
     * because a zone-less timestamp string is read in the session's time zone (PROTOCOL.md "Partition Value
     * Serialization"), which only the execution context knows. Keys are physical names under column mapping.
     */
    private Object partitionValue(ScanFile file, StructField f) {
        Map<String, String> values = file.add().partitionValues();
        String key = values.containsKey(f.physicalName()) ? f.physicalName() : f.name();
        if (!values.containsKey(key)) {
            for (String k : values.keySet()) {
                if (k.equalsIgnoreCase(f.name())) {
                    key = k;
                }
            }
        }
        String raw = values.get(key);
        try {
            return PartitionValues.parse(raw, f.type(), context.sessionZone());
        } catch (RuntimeException e) {
            throw new TarnException(ErrorCode.CORRUPT_LOG, "Partition value '" + raw + "' of column " + f.name()
                    + " in table " + displayName + " (file " + file.location() + ") is not a valid "
                    + f.type().sqlName(), e);
        }
    }

    private VectorSchemaRoot toOutput(VectorSchemaRoot batch) {
        int rows = batch.getRowCount();
        int[] selection = null;
        if (rowFilter != null && rows > 0 && !reader.lastBatchFiltered()) {
            // The reader could not filter this batch (see ArrowParquetReader#lastBatchFiltered): the same kernels
            // run on its vectors, so the pushed filters hold on every path.
            StagedColumn[] staged = new StagedColumn[storedColumns.size()];
            for (int c : rowFilter.columns()) {
                staged[c] = VectorStagedColumn.of(batch.getVector(c), rows);
            }
            int[] keep = new int[rows];
            int n = rowFilter.select(staged, rows, keep);
            rowsFiltered += rows - n;
            if (n < rows) {
                selection = Arrays.copyOf(keep, n);
            }
        }
        if (currentSelection != null && rows > 0 && (selection == null || selection.length > 0)) {
            BigIntVector rowIndex = (BigIntVector) batch.getVector(ArrowParquetReader.ROW_INDEX_COLUMN);
            int[] keep = new int[rows];
            int n = currentSelection.select(rowIndex, keep);
            if (selection != null) {
                int both = intersect(selection, keep, n, selection);
                rowsRemovedByDeletionVectors += selection.length - both;
                selection = Arrays.copyOf(selection, both);
            } else {
                rowsRemovedByDeletionVectors += rows - n;
                if (n < rows) {
                    selection = Arrays.copyOf(keep, n);
                }
            }
        }
        int outRows = selection == null ? rows : selection.length;
        long[] rowIndexes = metadata == null ? null : rowIndexes(batch, selection, outRows);
        List<FieldVector> stored = new ArrayList<>(storedColumns.size());
        for (int s = 0; s < storedColumns.size(); s++) {
            stored.add(batch.getVector(s));
        }
        List<FieldVector> selected = selection == null ? stored : Selections.copy(stored, selection, allocator);
        List<FieldVector> outVectors = new ArrayList<>(projection.length);
        List<FieldVector> logical = List.of();
        try {
            logical = physicalIsLogical ? owned(selected, stored) : relabel(selected, outRows);
            for (int i = 0; i < projection.length; i++) {
                if (isMetadata[i]) {
                    StructVector m = (StructVector) ArrowTypes.toArrowField(MetadataColumn.NAME, metadata.type(), false)
                            .createVector(allocator);
                    outVectors.add(m);
                    metadata.fill(m, currentFile, rowIndexes, outRows,
                            materializedRowIdStored < 0 ? null : (BigIntVector) logical.get(materializedRowIdStored),
                            materializedCommitVersionStored < 0 ? null
                                    : (BigIntVector) logical.get(materializedCommitVersionStored));
                    continue;
                }
                StructField f = schema.fields().get(projection[i]);
                if (isPartition[i]) {
                    FieldVector v = ArrowTypes.toArrowField(f.name(), f.type(), f.nullable()).createVector(allocator);
                    outVectors.add(v);
                    JavaValues.fill(v, currentPartitionValues[i], outRows, f.type());
                } else {
                    FieldVector source = logical.get(storedIndexOfProjected[i]);
                    if (outVectors.contains(source)) {
                        // The same column projected twice: the second needs its own buffers.
                        source = Selections.copy(List.of(source), identity(outRows), allocator).get(0);
                    }
                    outVectors.add(source);
                }
            }
            for (FieldVector v : logical) {
                if (!outVectors.contains(v)) {
                    v.close();
                }
            }
        } catch (RuntimeException e) {
            outVectors.forEach(FieldVector::close);
            for (FieldVector v : logical) {
                if (!outVectors.contains(v)) {
                    v.close();
                }
            }
            throw e;
        } finally {
            if (selected != stored && selected != logical) {
                selected.forEach(FieldVector::close);
            }
        }
        List<Field> fields = outVectors.stream().map(FieldVector::getField).toList();
        return new VectorSchemaRoot(fields, outVectors, outRows);
    }

    /**
     * The vectors of a batch whose stored names are the logical ones (no column mapping): the selected copies, which
     * this scan made, or else the reader's vectors with their buffers transferred out of the reader's batch (the
     * reader reuses nothing it has handed out), instead of {@link #relabel}'s unload and load, which a selective
     * scan's many small batches would pay per batch.
     */
    private List<FieldVector> owned(List<FieldVector> selected, List<FieldVector> stored) {
        if (selected != stored) {
            return selected;
        }
        List<FieldVector> out = new ArrayList<>(stored.size());
        for (FieldVector v : stored) {
            org.apache.arrow.vector.util.TransferPair pair = v.getTransferPair(allocator);
            pair.transfer();
            out.add((FieldVector) pair.getTo());
        }
        return out;
    }

    /**
     * New vectors with the logical names (and nested names) sharing the stored vectors' buffers: the file's vectors
     * carry physical names under column mapping, and the batch belongs to the reader.
     */
    private List<FieldVector> relabel(List<FieldVector> stored, int rows) {
        if (stored.isEmpty()) {
            return List.of();
        }
        List<Field> physicalFields = stored.stream().map(FieldVector::getField).toList();
        VectorSchemaRoot view = new VectorSchemaRoot(physicalFields, stored, rows);
        VectorSchemaRoot logical = VectorSchemaRoot.create(ArrowTypes.toArrowSchema(storedColumns), allocator);
        try (ArrowRecordBatch unloaded = new VectorUnloader(view).getRecordBatch()) {
            new VectorLoader(logical).load(unloaded);
        } catch (RuntimeException e) {
            logical.close();
            throw e;
        }
        return new ArrayList<>(logical.getFieldVectors());
    }

    /** Each output row's position in the file, from the reader's row-index column. */
    private static long[] rowIndexes(VectorSchemaRoot batch, int[] selection, int outRows) {
        BigIntVector rowIndex = (BigIntVector) batch.getVector(ArrowParquetReader.ROW_INDEX_COLUMN);
        long[] out = new long[outRows];
        for (int r = 0; r < outRows; r++) {
            out[r] = rowIndex.get(selection == null ? r : selection[r]);
        }
        return out;
    }

    /**
     * Writes the values in both ascending lists {@code a} and {@code b[0..nb)} to {@code out} (which may be
     * {@code a}) and returns how many there are.
     */
    private static int intersect(int[] a, int[] b, int nb, int[] out) {
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length && j < nb) {
            int x = a[i];
            int y = b[j];
            if (x == y) {
                out[n++] = x;
                i++;
                j++;
            } else if (x < y) {
                i++;
            } else {
                j++;
            }
        }
        return n;
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private void releaseOutput() {
        if (output != null) {
            output.close();
            output = null;
        }
    }

    private void closeReader() {
        if (reader != null) {
            ArrowParquetReader r = reader;
            reader = null;
            r.close();
        }
    }

    @Override
    public void close() {
        try {
            releaseOutput();
        } finally {
            closeReader();
        }
    }
}
