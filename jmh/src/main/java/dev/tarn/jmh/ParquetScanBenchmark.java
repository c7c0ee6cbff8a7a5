package dev.tarn.jmh;

import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.storage.parquet.ArrowParquetReader;
import dev.tarn.storage.parquet.ArrowParquetWriter;
import dev.tarn.storage.parquet.DataFileStatistics;
import dev.tarn.storage.parquet.ParquetReadRequest;
import dev.tarn.storage.parquet.ParquetWriteOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parquet write and full-scan throughput of the storage layer for a (long, double, string) table, the shape the
 * executor work compares against (rows per second = rows / score). Run:
 * {@code java -jar jmh/target/tarn-jmh-benchmarks.jar ParquetScanBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED"})
public class ParquetScanBenchmark {
    @Param("1000000")
    public int rows;

    private BufferAllocator allocator;
    private Path dir;
    private String file;
    private VectorSchemaRoot data;
    private final LocalFileIO io = new LocalFileIO();

    static Schema schema() {
        return new Schema(List.of(
                new Field("id", FieldType.notNullable(new ArrowType.Int(64, true)), null),
                new Field("price", FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), null),
                new Field("comment", FieldType.nullable(ArrowType.Utf8.INSTANCE), null)));
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        allocator = new RootAllocator();
        dir = Files.createTempDirectory("tarn-jmh-parquet");
        data = VectorSchemaRoot.create(schema(), allocator);
        BigIntVector id = (BigIntVector) data.getVector(0);
        Float8Vector price = (Float8Vector) data.getVector(1);
        VarCharVector comment = (VarCharVector) data.getVector(2);
        id.allocateNew(rows);
        price.allocateNew(rows);
        comment.allocateNew(rows);
        SplittableRandom random = new SplittableRandom(42);
        String[] words = {"carefully", "final", "deposits", "sleep", "quickly", "ironic", "requests", "furiously"};
        for (int i = 0; i < rows; i++) {
            id.set(i, i);
            price.set(i, random.nextInt(100_000) / 100.0);
            String c = words[random.nextInt(words.length)] + " " + words[random.nextInt(words.length)] + " " + i;
            comment.setSafe(i, c.getBytes(StandardCharsets.UTF_8));
        }
        data.setRowCount(rows);
        file = dir.resolve("scan.parquet").toString();
        write(file);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        data.close();
        allocator.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    DataFileStatistics write(String location) {
        try (ArrowParquetWriter w = ArrowParquetWriter.create(io.newOutputFile(location), data.getSchema(),
                ParquetWriteOptions.defaults())) {
            w.write(data);
            return w.finish();
        }
    }

    /** Writes the whole table to a new ZSTD Parquet file. */
    @Benchmark
    public long writeFile() {
        return write(dir.resolve("write.parquet").toString()).numRecords();
    }

    /** Reads every column of every row into Arrow batches. */
    @Benchmark
    public long scanAllColumns() {
        long n = 0;
        try (ArrowParquetReader r = ArrowParquetReader.open(io.newInputFile(file),
                new ParquetReadRequest(data.getSchema(), false, 65536, g -> true), allocator)) {
            for (VectorSchemaRoot b = r.next(); b != null; b = r.next()) {
                n += b.getRowCount();
            }
        }
        return n;
    }
}
