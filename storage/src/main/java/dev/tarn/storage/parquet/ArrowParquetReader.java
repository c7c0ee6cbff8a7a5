package dev.tarn.storage.parquet;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.InputFile;
import dev.tarn.storage.fs.IoErrors;
import dev.tarn.storage.parquet.internal.BatchAssembler;
import dev.tarn.storage.parquet.internal.ParquetIo;
import dev.tarn.storage.parquet.internal.ParquetSchemas;
import dev.tarn.storage.parquet.internal.ReadPlan;
import dev.tarn.storage.parquet.internal.StatisticsValues;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.filter2.columnindex.RowRanges;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.internal.filter2.columnindex.ColumnIndexStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageType;

/**
 * Reads one Parquet file as Arrow batches, column by column, without Hadoop: projection by name or field id,
 * nulls for columns the file lacks, row-group skipping and an optional row-index column.
 *
 * <p>Values of Parquet statistics and anywhere else Java values appear use: Boolean, Byte, Short, Integer, Long,
 * Float, Double, BigDecimal, String, byte[], LocalDate (date), Instant (timestamp, UTC) and LocalDateTime
 * (timestamp without time zone).
 */
public final class ArrowParquetReader implements AutoCloseable {
    /** BigInt column holding each row's physical position in the file, from 0, counting skipped row groups. */
    public static final String ROW_INDEX_COLUMN = "_tarn_row_index";

    private final String location;
    private final ParquetReadRequest request;
    private final BufferAllocator allocator;
    private final ParquetFileReader reader;
    private final ParquetFileInfo info;
    private final Schema outputSchema;
    private final BatchAssembler assembler;
    private final ReadPlan plan;
    /** The file rows this reader returns, {@code [rangeStart, rangeEnd)}: its part of the file. */
    private final long rangeStart;
    private final long rangeEnd;

    private int nextRowGroup;
    private int currentRowGroup = -1;
    private long remainingInGroup;
    private long nextRowIndex;
    private VectorSchemaRoot current;
    private boolean closed;
    private long rowsScanned;
    private int[] selection = new int[0];
    /** Whether the row filter chose the rows of the last batch ({@link #lastBatchFiltered}). */
    private boolean filtered;
    /** Batches decode this many times the requested rows ({@link #adaptBatchScale}). */
    static final int MAX_BATCH_SCALE = 8;
    private int batchScale = 1;
    private long scaleRows;
    private long scaleKept;

    private ArrowParquetReader(InputFile file, ParquetReadRequest request, BufferAllocator allocator,
                               ParquetFileReader reader) {
        this.location = file.location();
        this.request = request;
        this.allocator = allocator;
        this.reader = reader;
        ParquetMetadata footer = reader.getFooter();
        MessageType fileSchema = footer.getFileMetaData().getSchema();
        this.info = fileInfo(footer, fileSchema);
        this.plan = new ReadPlan(request.requestedSchema(), fileSchema, location);
        this.assembler = new BatchAssembler(plan, fileSchema, footer.getFileMetaData().getCreatedBy());
        if (request.parts() > 1 && request.dictionaries() != null) {
            assembler.shareDictionaries(request.dictionaries(), location);
        }
        reader.setRequestedSchema(plan.descriptors());
        this.rangeStart = cut(request.part(), request.parts());
        this.rangeEnd = cut(request.part() + 1, request.parts());
        List<Field> fields = new ArrayList<>(request.requestedSchema().getFields());
        if (request.withRowIndex()) {
            fields.add(new Field(ROW_INDEX_COLUMN, FieldType.notNullable(new ArrowType.Int(64, true)), null));
        }
        this.outputSchema = new Schema(fields);
    }

    public static ArrowParquetReader open(InputFile file, ParquetReadRequest request, BufferAllocator allocator) {
        requireNonNull(file, "file is null");
        requireNonNull(request, "request is null");
        requireNonNull(allocator, "allocator is null");
        ParquetFileReader reader;
        try {
            reader = ParquetFileReader.open(ParquetIo.inputFile(file), ParquetIo.readOptions());
        } catch (TarnException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw corrupt(file.location(), "cannot read the Parquet footer", e);
        }
        try {
            return new ArrowParquetReader(file, request, allocator, reader);
        } catch (RuntimeException e) {
            closeQuietly(reader);
            throw e;
        }
    }

    private static ParquetFileInfo fileInfo(ParquetMetadata footer, MessageType schema) {
        List<RowGroupInfo> groups = new ArrayList<>();
        long first = 0;
        List<BlockMetaData> blocks = footer.getBlocks();
        for (int i = 0; i < blocks.size(); i++) {
            BlockMetaData b = blocks.get(i);
            groups.add(new RowGroupInfo(i, first, b.getRowCount(), StatisticsValues.rowGroupStatistics(b, schema)));
            first += b.getRowCount();
        }
        return new ParquetFileInfo(first, groups, ParquetSchemas.toArrow(schema));
    }

    public ParquetFileInfo fileInfo() {
        return info;
    }

    /** The first file row of this reader's part ({@link ParquetReadRequest#part()}); 0 for the whole file. */
    public long firstRow() {
        return rangeStart;
    }

    /** The file row after this reader's part; the file's row count for the whole file. */
    public long endRow() {
        return rangeEnd;
    }

    /**
     * Where part {@code k} of {@code parts} starts: the row {@code k/parts} of the way through the file, moved to
     * the nearest row-group boundary or, in a row group whose columns are all decoded page by page and have an
     * offset index, the nearest start of a page of its largest requested column (so that column's pages are not
     * decompressed by two parts). Depends only on the file and the requested columns, so every part's reader
     * computes the same cuts; nondecreasing in {@code k}.
     */
    private long cut(int k, int parts) {
        long total = info.totalRows();
        if (k == 0) {
            return 0;
        }
        if (k >= parts) {
            return total;
        }
        long ideal = total / parts * k + total % parts * k / parts; // floor(total * k / parts) without overflow
        for (RowGroupInfo g : info.rowGroups()) {
            long start = g.firstRowIndex();
            long end = start + g.rowCount();
            if (ideal >= end) {
                continue;
            }
            if (ideal <= start) {
                return start;
            }
            if (!assembler.needsColumns()) {
                return ideal; // nothing is decoded: any row will do
            }
            long best = ideal - start <= end - ideal ? start : end;
            long[] pageStarts = pageStarts(g.ordinal());
            if (pageStarts != null) {
                for (long p : pageStarts) {
                    long candidate = start + p;
                    if (Math.abs(candidate - ideal) < Math.abs(best - ideal)
                            || Math.abs(candidate - ideal) == Math.abs(best - ideal) && candidate < best) {
                        best = candidate;
                    }
                }
            }
            return best;
        }
        return total;
    }

    /**
     * The rows {@code [from, to)} of row group {@code g} (relative to it) outside of which the page filter rejects
     * a page of some requested top-level column, from the column indexes; the whole group when its columns are not
     * all page-decoded or it has no offset indexes.
     */
    private long[] pageRange(RowGroupInfo g) {
        long[] range = {0, g.rowCount()};
        BlockMetaData block = reader.getFooter().getBlocks().get(g.ordinal());
        if (!assembler.needsColumns() || !assembler.pageDecodesAll(block)) {
            return range;
        }
        ColumnIndexStore indexes = reader.getColumnIndexStore(g.ordinal());
        MessageType schema = reader.getFooter().getFileMetaData().getSchema();
        java.util.Set<ColumnPath> requested = new java.util.HashSet<>();
        for (ColumnDescriptor d : plan.descriptors()) {
            if (d.getMaxRepetitionLevel() == 0) {
                requested.add(ColumnPath.get(d.getPath()));
            }
        }
        try {
            for (ColumnChunkMetaData c : block.getColumns()) {
                if (!requested.contains(c.getPath())) {
                    continue;
                }
                ColumnIndex index = indexes.getColumnIndex(c.getPath());
                OffsetIndex offsets = indexes.getOffsetIndex(c.getPath());
                if (index == null || offsets == null) {
                    continue;
                }
                int first = -1;
                int last = -1;
                for (int p = 0; p < offsets.getPageCount(); p++) {
                    long pageStart = offsets.getFirstRowIndex(p);
                    long pageRows = offsets.getLastRowIndex(p, g.rowCount()) + 1 - pageStart;
                    RowGroupInfo page = new RowGroupInfo(g.ordinal(), g.firstRowIndex() + pageStart, pageRows,
                            pageStatistics(c, schema, index, p));
                    if (request.pageFilter().test(page)) {
                        if (first < 0) {
                            first = p;
                        }
                        last = p;
                    }
                }
                if (first < 0) {
                    return new long[] {0, 0};
                }
                range[0] = Math.max(range[0], offsets.getFirstRowIndex(first));
                range[1] = Math.min(range[1], offsets.getLastRowIndex(last, g.rowCount()) + 1);
            }
        } catch (ColumnIndexStore.MissingOffsetIndexException e) {
            return new long[] {0, g.rowCount()};
        }
        return range;
    }

    /** The statistics of page {@code p} of column chunk {@code c} from its column index (none when unreadable). */
    private static List<ColumnStatistics> pageStatistics(ColumnChunkMetaData c, MessageType schema, ColumnIndex index,
                                                         int p) {
        try {
            org.apache.parquet.schema.PrimitiveType type = c.getPrimitiveType();
            org.apache.parquet.column.statistics.Statistics.Builder b =
                    org.apache.parquet.column.statistics.Statistics.getBuilderForReading(type);
            List<Long> nullCounts = index.getNullCounts();
            if (nullCounts != null) {
                b.withNumNulls(nullCounts.get(p));
            }
            if (!index.getNullPages().get(p)) {
                b.withMin(bytes(index.getMinValues().get(p))).withMax(bytes(index.getMaxValues().get(p)));
            }
            org.apache.parquet.column.statistics.Statistics<?> stats = b.build();
            return List.of(StatisticsValues.toColumnStatistics(List.of(c.getPath().toArray()),
                    ParquetSchemas.primitiveArrowType(type), type, stats));
        } catch (RuntimeException e) {
            return List.of(); // statistics it cannot read say nothing: the page may match
        }
    }

    private static byte[] bytes(java.nio.ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /**
     * First row (in the group) of each page of the largest requested column of row group {@code ordinal}, or null
     * when a row range of the group cannot be read alone (a column outside the page decoder, or no offset index).
     */
    private long[] pageStarts(int ordinal) {
        BlockMetaData block = reader.getFooter().getBlocks().get(ordinal);
        if (!assembler.pageDecodesAll(block)) {
            return null;
        }
        java.util.Set<ColumnPath> requested = new java.util.HashSet<>();
        for (ColumnDescriptor d : plan.descriptors()) {
            requested.add(ColumnPath.get(d.getPath()));
        }
        ColumnIndexStore indexes = reader.getColumnIndexStore(ordinal);
        OffsetIndex largest = null;
        long largestSize = -1;
        try {
            for (ColumnChunkMetaData c : block.getColumns()) {
                if (requested.contains(c.getPath())) {
                    OffsetIndex index = indexes.getOffsetIndex(c.getPath());
                    if (index == null) {
                        return null;
                    }
                    if (c.getTotalSize() > largestSize) {
                        largest = index;
                        largestSize = c.getTotalSize();
                    }
                }
            }
        } catch (ColumnIndexStore.MissingOffsetIndexException e) {
            return null;
        }
        if (largest == null) {
            return null;
        }
        long[] starts = new long[largest.getPageCount()];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = largest.getFirstRowIndex(i);
        }
        return starts;
    }

    /** The schema of every batch: the requested columns, then the row index when requested. */
    public Schema outputSchema() {
        return outputSchema;
    }

    /**
     * The next batch, or null at the end. The batch belongs to the reader and stays valid until the next call or
     * {@link #close()}.
     */
    public VectorSchemaRoot next() {
        if (closed) {
            throw new IllegalStateException("Parquet reader for " + location + " is closed");
        }
        releaseCurrent();
        while (true) {
            while (remainingInGroup == 0) {
                if (!advanceRowGroup()) {
                    return null;
                }
            }
            int rows = (int) Math.min((long) request.batchRows() * batchScale, remainingInGroup);
            VectorSchemaRoot root = BatchAssembler.allocate(outputSchema, allocator);
            current = root;
            int kept;
            try {
                kept = readBatch(root, rows);
            } catch (TarnException e) {
                throw e;
            } catch (RuntimeException e) {
                throw corrupt(location, "cannot decode row group " + currentRowGroup, e);
            }
            rowsScanned += rows;
            if (filtered) {
                adaptBatchScale(rows, kept);
            }
            if (kept == 0) {
                remainingInGroup -= rows;
                nextRowIndex += rows;
                releaseCurrent();
                continue;
            }
            if (request.withRowIndex()) {
                BigIntVector index = (BigIntVector) root.getVector(outputSchema.getFields().size() - 1);
                index.allocateNew(kept);
                for (int i = 0; i < kept; i++) {
                    index.set(i, nextRowIndex + (kept == rows ? i : selection[i]));
                }
                index.setValueCount(kept);
            }
            root.setRowCount(kept);
            remainingInGroup -= rows;
            nextRowIndex += rows;
            return root;
        }
    }

    /**
     * After a batch of {@code rows} rows whose row filter kept {@code kept}: a filter keeping few rows makes the
     * next batches decode up to {@value #MAX_BATCH_SCALE} times the requested rows, so the batches returned hold
     * about a quarter of the requested rows instead of a few (the operators above pay their costs per batch); a
     * batch that kept more than the requested rows resets the scale.
     */
    private void adaptBatchScale(int rows, int kept) {
        if (kept > request.batchRows()) {
            batchScale = 1;
            scaleRows = 0;
            scaleKept = 0;
            return;
        }
        scaleRows += rows;
        scaleKept += kept;
        int scale = 1;
        // Expected kept rows of a batch at twice the scale still at most a quarter of the requested rows.
        while (scale < MAX_BATCH_SCALE && scaleKept * 2L * scale * 4 <= scaleRows) {
            scale *= 2;
        }
        batchScale = scale;
    }

    /**
     * Whether the row filter chose the rows of the batch {@link #next()} returned last. It does not where a column of
     * the batch cannot be decoded separately (another encoding, a conversion of its type, a nested column) or a
     * filter column is missing from the file: that batch holds every row, and the caller filters it.
     */
    public boolean lastBatchFiltered() {
        return filtered;
    }

    /**
     * Rows decoded so far, including those the row filter left out (batches returned count only the rows kept).
     */
    public long rowsScanned() {
        return rowsScanned;
    }

    /**
     * Decodes the next {@code rows} rows into {@code root}; returns how many are kept. With a row filter and
     * separable columns the filter's columns are decoded first and the others only when some row is kept; the
     * kept positions are then in {@code selection} (unless all are kept).
     */
    private int readBatch(VectorSchemaRoot root, int rows) {
        filtered = false;
        int columns = request.requestedSchema().getFields().size();
        if (!assembler.needsColumns()) {
            for (int c = 0; c < columns; c++) {
                root.getVector(c).setInitialCapacity(rows);
                root.getVector(c).allocateNew();
                root.getVector(c).setValueCount(rows);
            }
            return rows;
        }
        ParquetRowFilter filter = request.rowFilter();
        if (filter == null || !assembler.columnsSeparable()) {
            assembler.readBatch(root, rows);
            return rows;
        }
        int[] filterColumns = filter.columns();
        StagedColumn[] staged = new StagedColumn[columns];
        for (int c : filterColumns) {
            staged[c] = assembler.staged(c);
            if (staged[c] == null) {
                // A filter column the file lacks (all NULL): read the batch unfiltered, the caller's filter decides.
                assembler.readBatch(root, rows);
                return rows;
            }
        }
        if (selection.length < rows) {
            selection = new int[rows];
        }
        // The filter asks for its columns as it goes: each is decoded on first request, looking values up only for
        // the rows the filter still keeps then.
        boolean[] decoded = new boolean[columns];
        ParquetRowFilter.Columns lazy = (c, sel, count) -> {
            if (!decoded[c]) {
                decoded[c] = true;
                assembler.decodeColumn(c, rows, sel, count);
            }
            return staged[c];
        };
        int kept = filter.select(lazy, rows, selection);
        if (kept < 0 || kept > rows) {
            throw new IllegalStateException("Row filter kept " + kept + " of " + rows + " rows");
        }
        for (int c : filterColumns) {
            if (!decoded[c]) {
                // The filter did not need this column (it kept nothing before, or stopped testing it).
                assembler.decodeColumn(c, rows, kept == rows ? null : selection, kept);
            }
        }
        filtered = true;
        // The filter read the staged values; only the rows it keeps are written to Arrow, in every column.
        for (int c = 0; c < columns; c++) {
            if (staged[c] == null && kept == 0) {
                assembler.skipColumn(c, rows);
            } else if (kept > 0) {
                if (staged[c] == null) {
                    assembler.decodeColumn(c, rows, kept == rows ? null : selection, kept);
                }
                assembler.writeColumn(c, root.getVector(c), rows, kept == rows ? null : selection, kept);
            }
        }
        return kept;
    }

    private boolean advanceRowGroup() {
        List<RowGroupInfo> groups = info.rowGroups();
        while (nextRowGroup < groups.size()) {
            RowGroupInfo g = groups.get(nextRowGroup++);
            long start = Math.max(g.firstRowIndex(), rangeStart);
            long end = Math.min(g.firstRowIndex() + g.rowCount(), rangeEnd);
            if (end <= start || !request.rowGroupFilter().test(g.ordinal())) {
                continue;
            }
            if (request.pageFilter() != null) {
                long[] pages = pageRange(g);
                start = Math.max(start, g.firstRowIndex() + pages[0]);
                end = Math.min(end, g.firstRowIndex() + pages[1]);
                if (end <= start) {
                    continue;
                }
            }
            currentRowGroup = g.ordinal();
            if (assembler.needsColumns()) {
                try {
                    BlockMetaData block = reader.getFooter().getBlocks().get(g.ordinal());
                    if (end - start == g.rowCount()) {
                        assembler.startRowGroup(reader.readRowGroup(g.ordinal()), block);
                    } else {
                        // Part of the group: only the pages overlapping the range are read and decompressed.
                        long from = start - g.firstRowIndex();
                        RowRanges range = RowRanges.builder().addSelectedRange(from, end - g.firstRowIndex() - 1).build();
                        assembler.startRowGroup(reader.readFilteredRowGroup(g.ordinal(), range), block, from);
                    }
                } catch (IOException | RuntimeException e) {
                    throw corrupt(location, "cannot read row group " + g.ordinal(), e);
                }
            }
            remainingInGroup = end - start;
            nextRowIndex = start;
            return true;
        }
        return false;
    }

    private void releaseCurrent() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        releaseCurrent();
        assembler.release();
        try {
            reader.close();
        } catch (IOException e) {
            throw IoErrors.wrap(location, "close", e);
        }
    }

    private static void closeQuietly(ParquetFileReader reader) {
        try {
            reader.close();
        } catch (IOException ignored) {
            // Already failing; the original error is what the caller needs.
        }
    }

    private static TarnException corrupt(String location, String what, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TarnException te && te.errorCode() == ErrorCode.UNSUPPORTED_FEATURE) {
                return new TarnException(ErrorCode.UNSUPPORTED_FEATURE, "Parquet file " + location + ": " + te.getMessage(), e);
            }
        }
        if (e instanceof IOException io && (io instanceof java.io.FileNotFoundException
                || io instanceof java.nio.file.NoSuchFileException)) {
            return IoErrors.wrap(location, "read", io);
        }
        return new TarnException(ErrorCode.CORRUPT_DATA_FILE,
                "Parquet file " + location + ": " + what + ": " + e.getMessage(), e);
    }

    @Override
    public String toString() {
        return "ArrowParquetReader[" + location + "]";
    }
}
