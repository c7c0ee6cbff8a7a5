package dev.tarn.maintenance.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.storage.parquet.ArrowParquetReader;
import dev.tarn.storage.parquet.ArrowParquetWriter;
import dev.tarn.storage.parquet.ParquetReadRequest;
import dev.tarn.storage.parquet.ParquetWriteOptions;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.action.AddFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Rewrites one partition's files with rows ordered by their Z-order value (see {@link ZOrderKeys}), in files of
 * about the target size. Memory stays bounded: a first pass reads only the Z-order columns for their ranges; the
 * second buffers rows until the sort budget is reached, then sorts them and spills a sorted run to a local
 * temporary Parquet file; the runs are finally merged batch by batch (an external merge sort). With one run, nothing
 * is spilled.
 */
public final class ZOrderRewriter {
    private static final String Z_COLUMN = "_tarn_zorder_value";
    private static final int OUT_BATCH_ROWS = 4096;

    private final FileIO io;
    private final Snapshot snapshot;
    private final DataLayout layout;
    private final int[] zColumns;
    private final long targetBytes;
    private final long memoryBytes;
    private final Path spillRoot;
    private final BufferAllocator allocator;
    private final boolean hilbert;
    private int spilledRuns;

    /**
     * @param zColumns indexes into {@link DataLayout#physicalSchema()} of the Z-order columns, in order
     */
    public ZOrderRewriter(FileIO io, Snapshot snapshot, DataLayout layout, int[] zColumns, long targetBytes,
                          long memoryBytes, Path spillRoot, BufferAllocator allocator) {
        this(io, snapshot, layout, zColumns, targetBytes, memoryBytes, spillRoot, allocator, false);
    }

    /**
     * @param hilbert sort by the Hilbert curve ({@link HilbertKeys}, as clustering does) instead of the Z-order curve
     */
    public ZOrderRewriter(FileIO io, Snapshot snapshot, DataLayout layout, int[] zColumns, long targetBytes,
                          long memoryBytes, Path spillRoot, BufferAllocator allocator, boolean hilbert) {
        this.hilbert = hilbert;
        this.io = requireNonNull(io, "io is null");
        this.snapshot = requireNonNull(snapshot, "snapshot is null");
        this.layout = requireNonNull(layout, "layout is null");
        this.zColumns = zColumns.clone();
        this.targetBytes = targetBytes;
        this.memoryBytes = memoryBytes;
        this.spillRoot = requireNonNull(spillRoot, "spillRoot is null");
        this.allocator = requireNonNull(allocator, "allocator is null");
    }

    /** Rewrites the files of one partition; nothing is committed. */
    public Rewrites.Written rewrite(Map<String, String> partitionValues, List<AddFile> files, String writeId,
                                    AtomicInteger counter) {
        long[][] ranges = ranges(files);
        int bits = ZOrderKeys.bitsPerColumn(zColumns.length);
        Path spillDir;
        try {
            Files.createDirectories(spillRoot);
            spillDir = Files.createTempDirectory(spillRoot, "tarn-zorder-");
        } catch (IOException e) {
            throw new TarnException(ErrorCode.IO_ERROR, "Cannot create a spill directory for Z-order under "
                    + spillRoot + ": " + e.getMessage(), e);
        }
        LocalFileIO local = new LocalFileIO();
        List<String> runs = new ArrayList<>();
        Buffer buffer = new Buffer();
        long inputBytes = files.stream().mapToLong(AddFile::size).sum();
        long arrowBytes = 0;
        long rows = 0;
        long dropped = 0;
        try {
            for (AddFile f : files) {
                try (FileBatches in = new FileBatches(io, snapshot.tableLocation(), layout, f, allocator)) {
                    for (VectorSchemaRoot b = in.next(); b != null; b = in.next()) {
                        int n = b.getRowCount();
                        int[] all = new int[n];
                        Arrays.setAll(all, i -> i);
                        VectorSchemaRoot copy = Batches.select(layout.physicalSchema(), b.getFieldVectors(), all, n, allocator);
                        long[] z = new long[n];
                        long[] norm = new long[zColumns.length];
                        for (int r = 0; r < n; r++) {
                            for (int c = 0; c < zColumns.length; c++) {
                                FieldVector v = copy.getVector(zColumns[c]);
                                boolean isNull = v.isNull(r);
                                norm[c] = ZOrderKeys.normalize(isNull ? 0 : ZOrderKeys.key(v, r), isNull,
                                        ranges[c][0], ranges[c][1], bits);
                            }
                            z[r] = hilbert ? HilbertKeys.index(norm, bits) : ZOrderKeys.interleave(norm, bits);
                        }
                        long size = Batches.bytes(copy);
                        arrowBytes += size;
                        rows += n;
                        buffer.add(copy, z, size);
                        if (buffer.bytes >= memoryBytes) {
                            runs.add(spill(buffer, spillDir, runs.size(), local));
                        }
                    }
                    dropped += in.rowsDropped();
                }
            }
            double ratio = arrowBytes == 0 ? 1.0 : (double) inputBytes / arrowBytes;
            try (PartitionFileWriter writer = new PartitionFileWriter(io, snapshot.tableLocation(), layout,
                    partitionValues, Rewrites.partitionKeys(snapshot), targetBytes, ratio, writeId, counter)) {
                if (runs.isEmpty()) {
                    emitSorted(buffer, writer::write);
                } else {
                    if (buffer.rows() > 0) {
                        runs.add(spill(buffer, spillDir, runs.size(), local));
                    }
                    merge(runs, local, writer);
                }
                List<AddFile> adds = writer.finish();
                return new Rewrites.Written(adds, writer.locations(), rows, dropped);
            }
        } finally {
            buffer.clear();
            for (String r : runs) {
                local.delete(r);
            }
            try {
                Files.deleteIfExists(spillDir);
            } catch (IOException e) {
                // an empty temporary directory left behind is harmless
            }
        }
    }

    /** Sorted runs spilled to disk so far (0 when everything fit the sort budget). */
    public int spilledRuns() {
        return spilledRuns;
    }

    /** Pass 1: the unsigned key range of every Z-order column over the partition (deleted rows included). */
    private long[][] ranges(List<AddFile> files) {
        List<Field> fields = new ArrayList<>();
        for (int c : zColumns) {
            fields.add(layout.physicalSchema().getFields().get(c));
        }
        Schema schema = new Schema(fields);
        long[][] ranges = new long[zColumns.length][];
        for (int c = 0; c < zColumns.length; c++) {
            ranges[c] = new long[] {-1L, 0L}; // empty: min = max unsigned, max = 0
        }
        for (AddFile f : files) {
            try (ArrowParquetReader r = ArrowParquetReader.open(
                    io.newInputFile(TablePaths.absolute(snapshot.tableLocation(), f.decodedPath())),
                    ParquetReadRequest.of(schema, false), allocator)) {
                for (VectorSchemaRoot b = r.next(); b != null; b = r.next()) {
                    for (int c = 0; c < zColumns.length; c++) {
                        FieldVector v = b.getVector(c);
                        for (int i = 0; i < b.getRowCount(); i++) {
                            if (!v.isNull(i)) {
                                long k = ZOrderKeys.key(v, i);
                                if (Long.compareUnsigned(k, ranges[c][0]) < 0) {
                                    ranges[c][0] = k;
                                }
                                if (Long.compareUnsigned(k, ranges[c][1]) > 0) {
                                    ranges[c][1] = k;
                                }
                            }
                        }
                    }
                }
            }
        }
        for (long[] r : ranges) {
            if (Long.compareUnsigned(r[0], r[1]) > 0) {
                r[0] = 0;
                r[1] = 0;
            }
        }
        return ranges;
    }

    /** Sorts the buffered rows and writes them, with their Z-values, to a run file; empties the buffer. */
    private String spill(Buffer buffer, Path dir, int index, LocalFileIO local) {
        String location = dir.resolve("run-" + index + ".parquet").toString();
        spilledRuns++;
        List<Field> fields = new ArrayList<>(layout.physicalSchema().getFields());
        fields.add(new Field(Z_COLUMN, FieldType.notNullable(new ArrowType.Int(64, true)), null));
        Schema runSchema = new Schema(fields);
        try (ArrowParquetWriter w = ArrowParquetWriter.create(local.newOutputFile(location), runSchema,
                ParquetWriteOptions.defaults().withMaxStatsLeafColumns(0).withRowGroupSizeBytes(16L << 20))) {
            emitSorted(buffer, batch -> {
                int n = batch.getRowCount();
                List<FieldVector> vectors = new ArrayList<>(batch.getFieldVectors());
                try (BigIntVector z = new BigIntVector(Z_COLUMN, allocator)) {
                    z.allocateNew(n);
                    for (int i = 0; i < n; i++) {
                        z.set(i, lastZ[i]);
                    }
                    z.setValueCount(n);
                    vectors.add(z);
                    w.write(new VectorSchemaRoot(runSchema.getFields(), vectors, n));
                }
            });
            w.finish();
        }
        buffer.clear();
        return location;
    }

    /** Z-values of the rows of the batch {@link #emitSorted} last handed out. */
    private long[] lastZ = new long[0];

    /** Hands the buffered rows out in Z-order, in batches of {@value #OUT_BATCH_ROWS} rows. */
    private void emitSorted(Buffer buffer, java.util.function.Consumer<VectorSchemaRoot> sink) {
        int total = buffer.rows();
        long[] keys = new long[total];
        long[] refs = new long[total];
        int at = 0;
        for (int b = 0; b < buffer.batches.size(); b++) {
            long[] z = buffer.zs.get(b);
            for (int r = 0; r < z.length; r++) {
                keys[at] = z[r];
                refs[at] = ((long) b << 32) | r;
                at++;
            }
        }
        int[] order = sortedOrder(keys);
        Out out = new Out();
        try {
            for (int i = 0; i < total; i++) {
                long ref = refs[order[i]];
                VectorSchemaRoot src = buffer.batches.get((int) (ref >>> 32));
                out.add(src, (int) ref, keys[order[i]], sink);
            }
            out.flush(sink);
        } finally {
            out.close();
        }
    }

    /** Pass 3: k-way merge of the sorted runs into the output files. */
    private void merge(List<String> runs, LocalFileIO local, PartitionFileWriter writer) {
        List<Field> fields = new ArrayList<>(layout.physicalSchema().getFields());
        fields.add(new Field(Z_COLUMN, FieldType.notNullable(new ArrowType.Int(64, true)), null));
        Schema runSchema = new Schema(fields);
        List<Cursor> cursors = new ArrayList<>();
        PriorityQueue<Cursor> queue = new PriorityQueue<>((a, b) -> Long.compareUnsigned(a.z(), b.z()));
        Out out = new Out();
        try {
            for (String r : runs) {
                Cursor c = new Cursor(ArrowParquetReader.open(local.newInputFile(r),
                        new ParquetReadRequest(runSchema, false, 1024, g -> true), allocator));
                cursors.add(c);
                if (c.advance()) {
                    queue.add(c);
                }
            }
            int dataColumns = layout.physicalSchema().getFields().size();
            while (!queue.isEmpty()) {
                Cursor c = queue.poll();
                out.add(c.batch, c.row, c.z(), writer::write, dataColumns);
                if (c.advance()) {
                    queue.add(c);
                }
            }
            out.flush(writer::write);
        } finally {
            out.close();
            for (Cursor c : cursors) {
                c.reader.close();
            }
        }
    }

    /** Indexes of {@code keys} in unsigned ascending order (stable merge sort, no boxing). */
    static int[] sortedOrder(long[] keys) {
        int n = keys.length;
        int[] a = new int[n];
        Arrays.setAll(a, i -> i);
        int[] tmp = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n - width; lo += 2 * width) {
                int mid = lo + width;
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    tmp[k++] = Long.compareUnsigned(keys[a[j]], keys[a[i]]) < 0 ? a[j++] : a[i++];
                }
                while (i < mid) {
                    tmp[k++] = a[i++];
                }
                while (j < hi) {
                    tmp[k++] = a[j++];
                }
                System.arraycopy(tmp, lo, a, lo, hi - lo);
            }
        }
        return a;
    }

    /** Rows buffered for one run. */
    private static final class Buffer {
        final List<VectorSchemaRoot> batches = new ArrayList<>();
        final List<long[]> zs = new ArrayList<>();
        long bytes;

        void add(VectorSchemaRoot batch, long[] z, long size) {
            batches.add(batch);
            zs.add(z);
            bytes += size;
        }

        int rows() {
            int n = 0;
            for (long[] z : zs) {
                n += z.length;
            }
            return n;
        }

        void clear() {
            batches.forEach(VectorSchemaRoot::close);
            batches.clear();
            zs.clear();
            bytes = 0;
        }
    }

    /** One run being merged: its current batch and row. */
    private static final class Cursor {
        final ArrowParquetReader reader;
        VectorSchemaRoot batch;
        int row = -1;

        Cursor(ArrowParquetReader reader) {
            this.reader = reader;
        }

        boolean advance() {
            row++;
            while (batch == null || row >= batch.getRowCount()) {
                batch = reader.next();
                row = 0;
                if (batch == null) {
                    return false;
                }
            }
            return true;
        }

        long z() {
            return ((BigIntVector) batch.getVector(batch.getFieldVectors().size() - 1)).get(row);
        }
    }

    /** Output rows gathered into batches. */
    private final class Out implements AutoCloseable {
        private VectorSchemaRoot batch;
        private long[] z = new long[OUT_BATCH_ROWS];
        private int rows;

        void add(VectorSchemaRoot src, int row, long zValue, java.util.function.Consumer<VectorSchemaRoot> sink) {
            add(src, row, zValue, sink, src.getFieldVectors().size());
        }

        void add(VectorSchemaRoot src, int row, long zValue, java.util.function.Consumer<VectorSchemaRoot> sink,
                 int columns) {
            if (batch == null) {
                batch = VectorSchemaRoot.create(layout.physicalSchema(), allocator);
                for (FieldVector v : batch.getFieldVectors()) {
                    v.setInitialCapacity(OUT_BATCH_ROWS);
                    v.allocateNew();
                }
                rows = 0;
            }
            for (int c = 0; c < columns; c++) {
                batch.getVector(c).copyFromSafe(row, rows, src.getVector(c));
            }
            z[rows] = zValue;
            rows++;
            if (rows == OUT_BATCH_ROWS) {
                flush(sink);
            }
        }

        void flush(java.util.function.Consumer<VectorSchemaRoot> sink) {
            if (batch == null || rows == 0) {
                return;
            }
            for (FieldVector v : batch.getFieldVectors()) {
                v.setValueCount(rows);
            }
            batch.setRowCount(rows);
            lastZ = Arrays.copyOf(z, rows);
            try {
                sink.accept(batch);
            } finally {
                batch.close();
                batch = null;
                rows = 0;
            }
        }

        @Override
        public void close() {
            if (batch != null) {
                batch.close();
                batch = null;
            }
        }
    }
}
