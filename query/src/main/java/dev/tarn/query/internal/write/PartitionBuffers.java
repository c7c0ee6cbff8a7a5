package dev.tarn.query.internal.write;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The rows of one optimized write ({@code delta.autoOptimize.optimizeWrite}), grouped by partition before any file
 * is written, so each partition becomes as few files as the target size allows however the input interleaves its
 * partitions. Rows wait in memory up to a budget; beyond it the partition holding most is spilled to a local Arrow
 * IPC file. {@link #drain} then hands each partition's rows over in turn, spilled ones first, in arrival order.
 */
final class PartitionBuffers implements AutoCloseable {
    private final Schema schema;
    private final long budgetBytes;
    private final BufferAllocator allocator;
    private final Map<List<String>, Partition> partitions = new LinkedHashMap<>();
    private long bufferedBytes;
    private Path spillDirectory;
    private int spillCounter;

    private static final class Partition {
        final List<VectorSchemaRoot> chunks = new ArrayList<>();
        final List<Path> spills = new ArrayList<>();
        long bytes;
    }

    PartitionBuffers(Schema schema, long budgetBytes, BufferAllocator allocator) {
        this.schema = requireNonNull(schema, "schema is null");
        this.budgetBytes = budgetBytes;
        this.allocator = requireNonNull(allocator, "allocator is null");
    }

    /** Keeps these vectors (ownership passes here) as rows of the partition. */
    void add(List<String> partitionKey, List<FieldVector> vectors, int rowCount) {
        VectorSchemaRoot chunk = new VectorSchemaRoot(schema.getFields(), vectors, rowCount);
        Partition p = partitions.computeIfAbsent(partitionKey, k -> new Partition());
        long size = 0;
        for (FieldVector v : vectors) {
            size += v.getBufferSize();
        }
        p.chunks.add(chunk);
        p.bytes += size;
        bufferedBytes += size;
        while (bufferedBytes > budgetBytes) {
            Partition largest = partitions.values().stream().max(Comparator.comparingLong(x -> x.bytes)).orElseThrow();
            if (largest.bytes == 0) {
                break;
            }
            spill(largest);
        }
    }

    private void spill(Partition p) {
        try {
            if (spillDirectory == null) {
                spillDirectory = Files.createTempDirectory("tarn-optimized-write-");
            }
            Path file = spillDirectory.resolve("spill-" + (spillCounter++) + ".arrows");
            try (OutputStream out = Files.newOutputStream(file);
                 VectorSchemaRoot staging = VectorSchemaRoot.create(schema, allocator);
                 ArrowStreamWriter writer = new ArrowStreamWriter(staging, null, out)) {
                writer.start();
                for (VectorSchemaRoot chunk : p.chunks) {
                    org.apache.arrow.vector.VectorUnloader unloader = new org.apache.arrow.vector.VectorUnloader(chunk);
                    try (var batch = unloader.getRecordBatch()) {
                        new org.apache.arrow.vector.VectorLoader(staging).load(batch);
                        writer.writeBatch();
                    }
                }
                writer.end();
            }
            p.spills.add(file);
        } catch (IOException e) {
            throw new TarnException(ErrorCode.IO_ERROR, "Cannot spill rows of an optimized write to "
                    + spillDirectory + ": " + e.getMessage(), e);
        }
        p.chunks.forEach(VectorSchemaRoot::close);
        p.chunks.clear();
        bufferedBytes -= p.bytes;
        p.bytes = 0;
    }

    /**
     * Hands every partition's rows to {@code sink} (partition key, batch; the batch is valid only during the call),
     * one partition after the other, with {@code partitionDone} after each; buffers are released as they go.
     */
    void drain(BiConsumer<List<String>, VectorSchemaRoot> sink, java.util.function.Consumer<List<String>> partitionDone) {
        for (Map.Entry<List<String>, Partition> e : partitions.entrySet()) {
            Partition p = e.getValue();
            for (Path spill : p.spills) {
                try (InputStream in = Files.newInputStream(spill);
                     ArrowStreamReader reader = new ArrowStreamReader(in, allocator)) {
                    while (reader.loadNextBatch()) {
                        sink.accept(e.getKey(), reader.getVectorSchemaRoot());
                    }
                } catch (IOException ex) {
                    throw new TarnException(ErrorCode.IO_ERROR, "Cannot read spilled rows of an optimized write from "
                            + spill + ": " + ex.getMessage(), ex);
                }
                deleteQuietly(spill);
            }
            p.spills.clear();
            for (VectorSchemaRoot chunk : p.chunks) {
                sink.accept(e.getKey(), chunk);
                chunk.close();
            }
            p.chunks.clear();
            bufferedBytes -= p.bytes;
            p.bytes = 0;
            partitionDone.accept(e.getKey());
        }
    }

    /** Releases whatever is still buffered or spilled. */
    @Override
    public void close() {
        for (Partition p : partitions.values()) {
            p.chunks.forEach(VectorSchemaRoot::close);
            p.chunks.clear();
            p.spills.forEach(PartitionBuffers::deleteQuietly);
            p.spills.clear();
        }
        partitions.clear();
        if (spillDirectory != null) {
            deleteQuietly(spillDirectory);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // A temp file left behind is harmless; the OS cleans its temp directory.
        }
    }
}
