package dev.tarn.maintenance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.storage.parquet.ArrowParquetReader;
import dev.tarn.storage.parquet.ArrowParquetWriter;
import dev.tarn.storage.parquet.DataFileStatistics;
import dev.tarn.storage.parquet.ParquetReadRequest;
import dev.tarn.storage.parquet.ParquetWriteOptions;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.StatsJson;
import dev.tarn.txlog.TableLog;
import dev.tarn.txlog.Transaction;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.Metadata;
import dev.tarn.txlog.types.ArrowTypes;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZOrderRewriterTest {
    private static final StructType SCHEMA = StructType.of(new StructField("x", PrimitiveType.LONG, true),
            new StructField("y", PrimitiveType.DOUBLE, true));

    @Test
    void spilledRunsMergeIntoTheSameOrderAsAnInMemorySort(@TempDir Path dir) {
        TableLog log = TableLog.forPath(new LocalFileIO(), dir.resolve("t").toString());
        Transaction create = log.newTransaction(null, "CREATE TABLE", Map.of());
        create.updateMetadata(Metadata.create(SCHEMA, List.of(), Map.of(), null, null));
        create.commit();
        Random random = new Random(7);
        List<AddFile> files = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator()) {
            for (int f = 0; f < 4; f++) {
                try (VectorSchemaRoot root = VectorSchemaRoot.create(ArrowTypes.toPhysicalArrowSchema(SCHEMA), allocator)) {
                    BigIntVector x = (BigIntVector) root.getVector(0);
                    Float8Vector y = (Float8Vector) root.getVector(1);
                    x.allocateNew(3000);
                    y.allocateNew(3000);
                    for (int i = 0; i < 3000; i++) {
                        x.set(i, random.nextInt(1_000_000) - 500_000);
                        if (i % 17 == 0) {
                            y.setNull(i);
                        } else {
                            y.set(i, random.nextGaussian() * 1000);
                        }
                    }
                    root.setRowCount(3000);
                    String name = "in-" + f + ".parquet";
                    DataFileStatistics stats;
                    try (ArrowParquetWriter w = ArrowParquetWriter.create(log.fileIO().newOutputFile(log.location()
                            + "/" + name), root.getSchema(), ParquetWriteOptions.defaults())) {
                        w.write(root);
                        stats = w.finish();
                    }
                    files.add(AddFile.create(name, Map.of(), stats.fileSizeBytes(), 0, true, StatsJson.of(SCHEMA, stats, 32)));
                }
            }
            Transaction tx = log.newTransaction(log.latestSnapshot(), "WRITE", Map.of());
            tx.addFiles(files);
            tx.commit();
            Snapshot snapshot = log.latestSnapshot();
            DataLayout layout = DataLayout.of(snapshot);

            ZOrderRewriter external = new ZOrderRewriter(log.fileIO(), snapshot, layout, new int[] {0, 1}, Long.MAX_VALUE,
                    16 * 1024, dir.resolve("spill"), allocator);
            Rewrites.Written spilled = external.rewrite(Map.of(), snapshot.activeFiles(), "a", new AtomicInteger());
            ZOrderRewriter inMemory = new ZOrderRewriter(log.fileIO(), snapshot, layout, new int[] {0, 1}, Long.MAX_VALUE,
                    1L << 30, dir.resolve("spill"), allocator);
            Rewrites.Written sorted = inMemory.rewrite(Map.of(), snapshot.activeFiles(), "b", new AtomicInteger());

            assertTrue(external.spilledRuns() > 2, "runs: " + external.spilledRuns());
            assertEquals(0, inMemory.spilledRuns());
            assertEquals(12_000, spilled.rowsWritten());
            List<String> a = readAll(log, spilled.adds(), allocator);
            List<String> b = readAll(log, sorted.adds(), allocator);
            assertEquals(12_000, a.size());
            // Same rows, and the same order up to ties (rows with equal Z-values have equal x here, as x's range
            // fits its 32 bits of the Z-value).
            assertEquals(new java.util.TreeMap<>(count(a)), new java.util.TreeMap<>(count(b)));
            assertEquals(zSequence(a), zSequence(b));
        }
    }

    private static Map<String, Integer> count(List<String> rows) {
        Map<String, Integer> m = new java.util.HashMap<>();
        rows.forEach(r -> m.merge(r, 1, Integer::sum));
        return m;
    }

    /** The x values in output order. */
    private static List<Long> zSequence(List<String> rows) {
        List<Long> out = new ArrayList<>();
        for (String r : rows) {
            out.add(Long.parseLong(r.split(",")[0]));
        }
        return out;
    }

    private static List<String> readAll(TableLog log, List<AddFile> adds, BufferAllocator allocator) {
        List<String> out = new ArrayList<>();
        for (AddFile a : adds) {
            try (ArrowParquetReader r = ArrowParquetReader.open(log.fileIO().newInputFile(log.location() + "/"
                    + a.decodedPath()), ParquetReadRequest.of(ArrowTypes.toPhysicalArrowSchema(SCHEMA), false), allocator)) {
                for (VectorSchemaRoot b = r.next(); b != null; b = r.next()) {
                    for (int i = 0; i < b.getRowCount(); i++) {
                        out.add(b.getVector(0).getObject(i) + "," + b.getVector(1).getObject(i));
                    }
                }
            }
        }
        return out;
    }
}
