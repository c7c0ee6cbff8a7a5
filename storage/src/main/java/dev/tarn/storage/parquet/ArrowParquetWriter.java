package dev.tarn.storage.parquet;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.IoErrors;
import dev.tarn.storage.fs.OutputFile;
import dev.tarn.storage.parquet.internal.FieldWriter;
import dev.tarn.storage.parquet.internal.ParquetIo;
import dev.tarn.storage.parquet.internal.ParquetSchemas;
import dev.tarn.storage.parquet.internal.StatisticsValues;
import dev.tarn.storage.parquet.internal.TarnCodecFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;

/**
 * Writes Arrow batches to one ZSTD-compressed Parquet file in the layout Spark writes (see {@link ParquetSchemas}),
 * without Hadoop. {@link #finish()} completes the file and returns its statistics, computed by the Parquet column
 * writers from the values as written.
 */
public final class ArrowParquetWriter implements AutoCloseable {
    private static final int SIZE_CHECK_INTERVAL = 128;
    private static final int COLUMN_INDEX_TRUNCATE_LENGTH = 64;

    private final String location;
    private final Schema schema;
    private final MessageType parquetSchema;
    private final ParquetWriteOptions options;
    private final ParquetProperties properties;
    private final CompressionCodecFactory.BytesInputCompressor compressor;
    private final ParquetFileWriter fileWriter;
    private final List<FieldWriter> writers;
    private final List<StatsLeaf> statsLeaves;
    private final long[] complexNullCounts;

    private ColumnChunkPageWriteStore pageStore;
    private ColumnWriteStore columnStore;
    private long rowsInGroup;
    private long totalRows;
    private boolean finished;
    private boolean closed;

    private ArrowParquetWriter(OutputFile out, Schema schema, ParquetWriteOptions options) throws IOException {
        this.location = out.location();
        this.schema = schema;
        this.options = options;
        this.parquetSchema = ParquetSchemas.toParquet(schema);
        this.properties = ParquetProperties.builder()
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                .withPageSize(options.pageSizeBytes())
                .withDictionaryPageSize(options.pageSizeBytes())
                .withDictionaryEncoding(true)
                .withColumnIndexTruncateLength(COLUMN_INDEX_TRUNCATE_LENGTH)
                .withAllocator(new HeapByteBufferAllocator())
                .build();
        this.compressor = new TarnCodecFactory(options.zstdLevel())
                .getCompressor(CompressionCodecName.ZSTD, options.zstdLevel());
        this.writers = FieldWriter.create(schema.getFields(), parquetSchema.getColumns().iterator());
        FieldWriter.assignRepLevels(writers);
        this.statsLeaves = statsLeaves(schema, options.maxStatsLeafColumns());
        this.complexNullCounts = new long[statsLeaves.size()];
        this.fileWriter = new ParquetFileWriter(ParquetIo.outputFile(out), parquetSchema, ParquetFileWriter.Mode.OVERWRITE,
                options.rowGroupSizeBytes(), 0, COLUMN_INDEX_TRUNCATE_LENGTH, Integer.MAX_VALUE, false);
        fileWriter.start();
        newRowGroup();
    }

    public static ArrowParquetWriter create(OutputFile out, Schema schema, ParquetWriteOptions options) {
        requireNonNull(out, "out is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(options, "options is null");
        if (schema.getFields().isEmpty()) {
            throw new TarnException(ErrorCode.UNSUPPORTED_FEATURE,
                    "Cannot write Parquet file " + out.location() + " without columns");
        }
        try {
            return new ArrowParquetWriter(out, schema, options);
        } catch (IOException e) {
            throw IoErrors.wrap(out.location(), "start Parquet file", e);
        }
    }

    private void newRowGroup() {
        pageStore = new ColumnChunkPageWriteStore(compressor, parquetSchema, properties.getAllocator(),
                COLUMN_INDEX_TRUNCATE_LENGTH, false);
        columnStore = properties.newColumnWriteStore(parquetSchema, pageStore, pageStore);
        for (FieldWriter w : writers) {
            w.bind(columnStore);
        }
        rowsInGroup = 0;
    }

    /** Appends every row of {@code batch}, whose schema must be this writer's schema. */
    public void write(VectorSchemaRoot batch) {
        requireNonNull(batch, "batch is null");
        checkOpen();
        List<FieldVector> vectors = batch.getFieldVectors();
        if (vectors.size() != writers.size()) {
            throw new TarnException(ErrorCode.INTERNAL_ERROR, "Batch for " + location + " has " + vectors.size()
                    + " columns, the file schema has " + writers.size());
        }
        int rows = batch.getRowCount();
        countComplexNulls(batch, rows);
        try {
            for (int i = 0; i < rows; i++) {
                for (int c = 0; c < vectors.size(); c++) {
                    writers.get(c).write(vectors.get(c), i, 0, 0);
                }
                columnStore.endRecord();
                rowsInGroup++;
                totalRows++;
                if (rowsInGroup % SIZE_CHECK_INTERVAL == 0
                        && columnStore.getBufferedSize() >= options.rowGroupSizeBytes()) {
                    flushRowGroup();
                    newRowGroup();
                }
            }
        } catch (IOException e) {
            abandon();
            throw IoErrors.wrap(location, "write Parquet", e);
        }
    }

    private void flushRowGroup() throws IOException {
        if (rowsInGroup > 0) {
            fileWriter.startBlock(rowsInGroup);
            columnStore.flush();
            pageStore.flushToFileWriter(fileWriter);
            fileWriter.endBlock();
        }
        columnStore.close();
        pageStore.close();
    }

    /** Completes the file (last row group, footer), closes it and returns its statistics. */
    public DataFileStatistics finish() {
        checkOpen();
        try {
            flushRowGroup();
            fileWriter.end(Map.of("writer.model.name", "tarn"));
            finished = true;
            closed = true;
            long size = fileWriter.getPos();
            return new DataFileStatistics(totalRows, size, collectStatistics(fileWriter.getFooter().getBlocks()));
        } catch (IOException e) {
            abandon();
            throw IoErrors.wrap(location, "finish Parquet", e);
        }
    }

    /** Abandons an unfinished file (the partial file may remain; the caller deletes it). */
    @Override
    public void close() {
        if (!closed) {
            abandon();
        }
    }

    private void abandon() {
        closed = true;
        try {
            if (columnStore != null) {
                columnStore.close();
            }
        } catch (RuntimeException ignored) {
            // The file is being abandoned; the stream close below is what matters.
        }
        fileWriter.abort();
        try {
            fileWriter.close();
        } catch (IOException | RuntimeException ignored) {
            // Already failing or abandoned: nothing more useful to report than the original problem.
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("Parquet writer for " + location + " is " + (finished ? "finished" : "closed"));
        }
    }

    // ---------------------------------------------------------------- statistics

    /** A statistics column: a primitive leaf (Parquet column path) or an array/map column (counted from Arrow). */
    private record StatsLeaf(List<String> path, Field field, boolean complex) {}

    private static List<StatsLeaf> statsLeaves(Schema schema, int max) {
        List<StatsLeaf> result = new ArrayList<>();
        for (Field f : schema.getFields()) {
            collectLeaves(f, new ArrayList<>(), result, max);
        }
        return result;
    }

    private static void collectLeaves(Field f, List<String> prefix, List<StatsLeaf> out, int max) {
        if (out.size() >= max) {
            return;
        }
        List<String> path = new ArrayList<>(prefix);
        path.add(f.getName());
        ArrowType.ArrowTypeID id = f.getType().getTypeID();
        if (id == ArrowType.ArrowTypeID.Struct) {
            for (Field c : f.getChildren()) {
                collectLeaves(c, path, out, max);
            }
        } else {
            out.add(new StatsLeaf(List.copyOf(path), f,
                    id == ArrowType.ArrowTypeID.List || id == ArrowType.ArrowTypeID.Map));
        }
    }

    private void countComplexNulls(VectorSchemaRoot batch, int rows) {
        for (int s = 0; s < statsLeaves.size(); s++) {
            StatsLeaf leaf = statsLeaves.get(s);
            if (!leaf.complex()) {
                continue;
            }
            List<FieldVector> chain = new ArrayList<>();
            FieldVector v = batch.getVector(leaf.path().get(0));
            chain.add(v);
            for (int p = 1; p < leaf.path().size(); p++) {
                v = (FieldVector) ((StructVector) v).getChild(leaf.path().get(p));
                chain.add(v);
            }
            long nulls = 0;
            for (int i = 0; i < rows; i++) {
                for (FieldVector c : chain) {
                    if (c.isNull(i)) {
                        nulls++;
                        break;
                    }
                }
            }
            complexNullCounts[s] += nulls;
        }
    }

    private List<ColumnStatistics> collectStatistics(List<BlockMetaData> blocks) {
        Map<String, Statistics<?>> merged = new HashMap<>();
        Map<String, ColumnDescriptor> descriptors = new HashMap<>();
        for (ColumnDescriptor d : parquetSchema.getColumns()) {
            descriptors.put(String.join("\u0000", d.getPath()), d);
        }
        for (BlockMetaData b : blocks) {
            for (ColumnChunkMetaData c : b.getColumns()) {
                String key = String.join("\u0000", c.getPath().toArray());
                Statistics<?> s = c.getStatistics();
                Statistics<?> m = merged.get(key);
                if (m == null) {
                    m = Statistics.createStats(c.getPrimitiveType());
                    merged.put(key, m);
                }
                mergeInto(m, s);
            }
        }
        List<ColumnStatistics> result = new ArrayList<>();
        for (int s = 0; s < statsLeaves.size(); s++) {
            StatsLeaf leaf = statsLeaves.get(s);
            if (leaf.complex()) {
                result.add(new ColumnStatistics(leaf.path(), null, null, complexNullCounts[s]));
                continue;
            }
            String key = String.join("\u0000", leaf.path());
            Statistics<?> st = merged.get(key);
            ColumnDescriptor d = descriptors.get(key);
            if (st == null || d == null) {
                result.add(new ColumnStatistics(leaf.path(), null, null, blocks.isEmpty() ? 0 : -1));
                continue;
            }
            ArrowType arrow = leaf.field().getType();
            if (arrow.getTypeID() == ArrowType.ArrowTypeID.Null) {
                result.add(new ColumnStatistics(leaf.path(), null, null, totalRows));
                continue;
            }
            result.add(StatisticsValues.toColumnStatistics(leaf.path(), arrow, d.getPrimitiveType(), st));
        }
        return result;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void mergeInto(Statistics target, Statistics source) {
        if (source != null) {
            target.mergeStatistics(source);
        }
    }

    @Override
    public String toString() {
        return "ArrowParquetWriter[" + location + ", " + schema.getFields().size() + " columns]";
    }
}
