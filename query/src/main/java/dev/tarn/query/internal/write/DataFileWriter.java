package dev.tarn.query.internal.write;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.storage.parquet.ArrowParquetWriter;
import dev.tarn.storage.parquet.DataFileStatistics;
import dev.tarn.storage.parquet.ParquetWriteOptions;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.PartitionPaths;
import dev.tarn.txlog.PartitionValues;
import dev.tarn.txlog.StatsJson;
import dev.tarn.txlog.types.DataType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Writes batches that follow a table's schema into new Parquet data files: rows are split by partition value into
 * Hive-style directories (partition values are not stored in the files, as Spark does), each file is ZSTD
 * compressed and rolled at the target size, and every finished file becomes an add action with statistics
 * (PROTOCOL.md "Per-file Statistics"). Every batch first passes the table's {@link WriteChecks} (identity and
 * generated values, NOT NULL, CHECK constraints). Nothing is committed here; on failure every file written is deleted.
 *
 * <p>At most {@link #MAX_OPEN_FILES} files are open at once, so input that interleaves many partitions gets several
 * files per partition. With {@code delta.autoOptimize.optimizeWrite} the rows are first grouped by partition
 * ({@link PartitionBuffers}, bounded memory, spilling to local disk) and each partition is then written in one go,
 * rolling at {@code delta.targetFileSize}: fewer, larger files, as Databricks' optimized writes give.
 */
public final class DataFileWriter implements AutoCloseable {
    static final int MAX_OPEN_FILES = 16;
    private final FileIO io;
    private final String tableLocation;
    private final TableLayout layout;
    private final WriteSettings settings;
    private final int numIndexedCols;
    private final BufferAllocator allocator;
    private final WriteChecks checks;
    private java.time.ZoneId zone = java.time.ZoneOffset.UTC;
    private final String writeId = UUID.randomUUID().toString();
    /** Open files by partition, least recently written first. */
    private final Map<List<String>, OpenFile> open = new LinkedHashMap<>(16, 0.75f, true);
    private final List<AddFile> adds = new ArrayList<>();
    private final List<String> locations = new ArrayList<>();
    /** {@code delta.autoOptimize.optimizeWrite}: group a write's rows by partition before writing files. */
    private final boolean optimizeWrite;
    private final long targetFileSizeBytes;
    private final long bufferBytes;
    private PartitionBuffers buffers;
    private int fileCounter;
    private long rows;
    private long bytes;
    private boolean finished;

    /**
     * A writer whose batches are checked in {@link WriteChecks.Mode#REWRITE} mode (identity values kept, generated
     * columns recomputed); right for rows that already belong to the table and for UPDATE.
     */
    public DataFileWriter(FileIO io, String tableLocation, TableLayout layout, Map<String, String> configuration,
                          WriteSettings settings, BufferAllocator allocator) {
        this(io, tableLocation, layout, configuration, settings, allocator,
                WriteChecks.forTable(layout.schema(), configuration, tableLocation, WriteChecks.Mode.REWRITE));
    }

    /** A writer whose batches pass {@code checks} (built over {@code layout.schema()}) before they are written. */
    public DataFileWriter(FileIO io, String tableLocation, TableLayout layout, Map<String, String> configuration,
                          WriteSettings settings, BufferAllocator allocator, WriteChecks checks) {
        this.checks = requireNonNull(checks, "checks is null");
        this.io = requireNonNull(io, "io is null");
        this.tableLocation = stripSlash(requireNonNull(tableLocation, "tableLocation is null"));
        this.layout = requireNonNull(layout, "layout is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.allocator = requireNonNull(allocator, "allocator is null");
        String n = configuration.getOrDefault("delta.dataSkippingNumIndexedCols", "32").trim();
        int parsed = Integer.parseInt(n);
        this.numIndexedCols = parsed < 0 ? Integer.MAX_VALUE : parsed;
        this.optimizeWrite = "true".equalsIgnoreCase(configuration.getOrDefault(OPTIMIZE_WRITE, "false").trim());
        this.targetFileSizeBytes = optimizeWrite
                ? positiveLong(configuration.get("delta.targetFileSize"), settings.targetFileSizeBytes())
                : settings.targetFileSizeBytes();
        this.bufferBytes = positiveLong(configuration.get(OPTIMIZE_WRITE_BUFFER), DEFAULT_OPTIMIZE_WRITE_BUFFER);
    }

    /** Table property turning optimized writes on. */
    public static final String OPTIMIZE_WRITE = "delta.autoOptimize.optimizeWrite";
    /** Memory an optimized write holds rows in before spilling the largest partition to local disk. */
    public static final String OPTIMIZE_WRITE_BUFFER = "tarn.optimizeWrite.bufferBytes";
    public static final long DEFAULT_OPTIMIZE_WRITE_BUFFER = 256L << 20;

    private static long positiveLong(String value, long fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            long v = Long.parseLong(value.trim());
            return v > 0 ? v : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /**
     * Writes all of {@code source} (which this method opens and closes) and returns the files; on any failure the
     * files written so far are deleted and the error rethrown.
     */
    public static WrittenFiles writeAll(DataFileWriter writer, Operator source, ExecutionContext context) {
        try (writer) {
            writer.zone = context.sessionZone();
            try (source) {
                source.open(context);
                for (VectorSchemaRoot batch = source.next(); batch != null; batch = source.next()) {
                    context.checkCancelled();
                    writer.write(batch);
                }
            }
            return writer.finish();
        }
    }

    /** The checks every batch passes; after writing, they know the identity values handed out. */
    public WriteChecks checks() {
        return checks;
    }

    /** Writes one batch whose vectors follow the table schema, after {@link WriteChecks#prepare} accepted it. */
    public void write(VectorSchemaRoot input) {
        write(input, null);
    }

    /**
     * As {@link #write(VectorSchemaRoot)}, also handing the batch as written (identity and generated values filled
     * in) to {@code checked} before it is written, e.g. to record it as change data; null for no callback.
     */
    public void write(VectorSchemaRoot input, java.util.function.Consumer<VectorSchemaRoot> checked) {
        if (checks.isEmpty()) {
            if (checked != null) {
                checked.accept(input);
            }
            writeChecked(input);
            return;
        }
        try (WriteChecks.Prepared prepared = checks.prepare(input, allocator, zone)) {
            if (checked != null) {
                checked.accept(prepared.batch());
            }
            writeChecked(prepared.batch());
        }
    }

    /** The session time zone the checks evaluate expressions in (UTC unless set). */
    public DataFileWriter withZone(java.time.ZoneId sessionZone) {
        this.zone = requireNonNull(sessionZone, "sessionZone is null");
        return this;
    }

    private void writeChecked(VectorSchemaRoot batch) {
        int n = batch.getRowCount();
        if (n == 0) {
            return;
        }
        if (layout.partitionColumns().isEmpty()) {
            writeRows(List.of(), batch, null);
            return;
        }
        int[] partitionIndexes = layout.partitionIndexes();
        Map<List<String>, int[]> groups = new LinkedHashMap<>();
        Map<List<String>, Integer> sizes = new LinkedHashMap<>();
        List<List<String>> keyOfRow = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            List<String> key = new ArrayList<>(partitionIndexes.length);
            for (int p : partitionIndexes) {
                DataType type = layout.schema().fields().get(p).type();
                Object value = JavaValues.get(batch.getVector(p), r, type);
                key.add(PartitionValues.serialize(value, type));
            }
            keyOfRow.add(key);
            sizes.merge(key, 1, Integer::sum);
        }
        if (sizes.size() == 1) {
            writeRows(keyOfRow.get(0), batch, null);
            return;
        }
        Map<List<String>, Integer> filled = new LinkedHashMap<>();
        for (int r = 0; r < n; r++) {
            List<String> key = keyOfRow.get(r);
            int[] sel = groups.computeIfAbsent(key, k -> new int[sizes.get(k)]);
            int at = filled.merge(key, 1, Integer::sum) - 1;
            sel[at] = r;
        }
        for (Map.Entry<List<String>, int[]> g : groups.entrySet()) {
            writeRows(g.getKey(), batch, g.getValue());
        }
    }

    private void writeRows(List<String> partitionKey, VectorSchemaRoot batch, int[] selection) {
        int[] dataIndexes = layout.dataIndexes();
        List<FieldVector> source = new ArrayList<>(dataIndexes.length);
        for (int i : dataIndexes) {
            source.add(batch.getVector(i));
        }
        List<FieldVector> copies = null;
        int rowCount = batch.getRowCount();
        if (selection != null) {
            copies = Selections.copy(source, selection, allocator);
            source = copies;
            rowCount = selection.length;
        }
        try {
            if (buffers != null || optimizeWrite && !layout.partitionColumns().isEmpty()) {
                // Optimized write: hold the rows until finish() writes each partition in one go.
                List<FieldVector> kept = copies != null ? copies : Selections.copy(source, identity(rowCount), allocator);
                copies = null;
                if (buffers == null) {
                    buffers = new PartitionBuffers(new org.apache.arrow.vector.types.pojo.Schema(
                            kept.stream().map(FieldVector::getField).toList()), bufferBytes, allocator);
                }
                buffers.add(partitionKey, kept, rowCount);
                return;
            }
            writeData(partitionKey, source, rowCount);
        } finally {
            if (copies != null) {
                copies.forEach(FieldVector::close);
            }
        }
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    /** Writes data-column vectors of one partition into its open file, rolling it at the target size. */
    private void writeData(List<String> partitionKey, List<FieldVector> source, int rowCount) {
        VectorSchemaRoot physicalView = null;
        try {
            // The Parquet writer matches vectors to file columns by position, so the logical vectors are written
            // as they are under the file's physical schema.
            List<Field> fields = source.stream().map(FieldVector::getField).toList();
            VectorSchemaRoot view = new VectorSchemaRoot(fields, source, rowCount);
            if (!sameNames(fields, layout.physicalDataSchema().getFields())) {
                // Column mapping: the writer looks up nested children (for statistics) by physical name, so hand
                // it vectors named as the file's columns, sharing the logical vectors' buffers.
                physicalView = VectorSchemaRoot.create(layout.physicalDataSchema(), allocator);
                try (ArrowRecordBatch unloaded = new VectorUnloader(view).getRecordBatch()) {
                    new VectorLoader(physicalView).load(unloaded);
                }
                view = physicalView;
            }
            OpenFile f = open.get(partitionKey);
            if (f == null) {
                if (open.size() >= MAX_OPEN_FILES) {
                    // Each open file buffers a row group in memory; with many partitions, finish the one
                    // written longest ago rather than hold them all.
                    List<String> eldest = open.keySet().iterator().next();
                    finishFile(open.remove(eldest));
                }
                f = newFile(partitionKey);
                open.put(partitionKey, f);
            }
            f.writer.write(view);
            f.distinct.add(source, rowCount);
            long size = 0;
            for (FieldVector v : source) {
                size += v.getBufferSize();
            }
            f.arrowBytes += size;
            if (f.arrowBytes >= targetFileSizeBytes) {
                open.remove(partitionKey);
                finishFile(f);
            }
        } finally {
            if (physicalView != null) {
                physicalView.close();
            }
        }
    }

    private OpenFile newFile(List<String> partitionKey) {
        Map<String, String> partitionValues = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(partitionKey.size());
        for (int i = 0; i < partitionKey.size(); i++) {
            String name = layout.partitionKey(i);
            keys.add(name);
            partitionValues.put(name, partitionKey.get(i));
        }
        String dir = PartitionPaths.directoryFor(keys, partitionValues);
        String fileName = String.format("part-%05d-%s.c000.zstd.parquet", fileCounter++, writeId);
        String relative = dir + fileName;
        String location = tableLocation + "/" + relative;
        locations.add(location);
        ParquetWriteOptions options = ParquetWriteOptions.defaults().withMaxStatsLeafColumns(numIndexedCols)
                .withRowGroupSizeBytes(settings.rowGroupSizeBytes());
        ArrowParquetWriter writer = ArrowParquetWriter.create(io.newOutputFile(location), layout.physicalDataSchema(), options);
        return new OpenFile(writer, relative, partitionValues, new ValueCounts(layout.dataSchema()));
    }

    private void finishFile(OpenFile f) {
        DataFileStatistics stats = f.writer.finish();
        String statsJson = f.distinct.addTo(StatsJson.of(layout.dataSchema(), stats, numIndexedCols));
        adds.add(AddFile.create(PartitionPaths.toLogPath(f.relativePath), f.partitionValues, stats.fileSizeBytes(),
                System.currentTimeMillis(), true, statsJson));
        rows += stats.numRecords();
        bytes += stats.fileSizeBytes();
    }

    /** Closes the open files and returns everything written. */
    public WrittenFiles finish() {
        if (buffers != null) {
            buffers.drain((key, rows) -> writeData(key, rows.getFieldVectors(), rows.getRowCount()), key -> {
                OpenFile f = open.remove(key);
                if (f != null) {
                    finishFile(f);
                }
            });
            buffers.close();
            buffers = null;
        }
        List<OpenFile> remaining = List.copyOf(open.values());
        open.clear();
        for (OpenFile f : remaining) {
            finishFile(f);
        }
        finished = true;
        return new WrittenFiles(adds, locations, rows, bytes, checks.schemaWithHighWaterMarks());
    }

    /** Written files whether or not {@link #finish()} succeeded, for cleanup by the caller after a failed commit. */
    public List<String> locations() {
        return List.copyOf(locations);
    }

    /** After a failure (not finished): closes open files and deletes every file written. */
    @Override
    public void close() {
        if (buffers != null) {
            buffers.close();
            buffers = null;
        }
        if (finished) {
            return;
        }
        for (OpenFile f : open.values()) {
            try {
                f.writer.close();
            } catch (RuntimeException e) {
                // The file is deleted below; its close error adds nothing to the original failure.
            }
        }
        open.clear();
        new WrittenFiles(List.of(), locations, 0, 0).delete(io);
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static final class OpenFile {
        final ArrowParquetWriter writer;
        final String relativePath;
        final Map<String, String> partitionValues;
        final ValueCounts distinct;
        long arrowBytes;

        OpenFile(ArrowParquetWriter writer, String relativePath, Map<String, String> partitionValues,
                ValueCounts distinct) {
            this.writer = writer;
            this.relativePath = relativePath;
            this.partitionValues = partitionValues;
            this.distinct = distinct;
        }
    }

    /** Whether two field lists have the same names at every level (types are the same by construction). */
    private static boolean sameNames(List<Field> a, List<Field> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).getName().equals(b.get(i).getName())
                    || !sameNames(a.get(i).getChildren(), b.get(i).getChildren())) {
                return false;
            }
        }
        return true;
    }
}
