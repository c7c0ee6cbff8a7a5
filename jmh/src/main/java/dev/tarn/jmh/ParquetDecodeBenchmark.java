package dev.tarn.jmh;

import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.storage.parquet.ArrowParquetReader;
import dev.tarn.storage.parquet.ParquetReadRequest;
import dev.tarn.storage.parquet.internal.BatchAssembler;
import dev.tarn.storage.parquet.internal.ParquetIo;
import dev.tarn.storage.parquet.internal.TarnCodecFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
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
 * Parquet decoding throughput for a (long, double, string) table in ZSTD per value encoding, against reading and
 * decompressing the same pages without decoding them (the ceiling). Rows per second = rows / score.
 * <ul>
 *   <li>{@code PLAIN}: v1 pages, no dictionary;</li>
 *   <li>{@code DICTIONARY}: v1 pages, every column dictionary-encoded (the dictionary limit is raised so no column
 *       falls back to PLAIN);</li>
 *   <li>{@code DELTA}: v2 pages without dictionary: DELTA_BINARY_PACKED longs, PLAIN doubles, DELTA_BYTE_ARRAY
 *       strings.</li>
 * </ul>
 * {@link #pageDecoder} reads through storage's page decoder, {@link #columnReader} through parquet-java's column
 * reader (the path before it), {@link #decompressOnly} only reads and decompresses every page. Run:
 * {@code java -jar jmh/target/tarn-jmh-benchmarks.jar ParquetDecodeBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED"})
public class ParquetDecodeBenchmark {
    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message bench {
              required int64 id;
              optional double price;
              optional binary comment (STRING);
            }
            """);

    @Param("1000000")
    public int rows;

    @Param({"PLAIN", "DICTIONARY", "DELTA"})
    public String encoding;

    private BufferAllocator allocator;
    private Path dir;
    private String file;
    private final LocalFileIO io = new LocalFileIO();
    private org.apache.arrow.vector.types.pojo.Schema arrowSchema;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        allocator = new RootAllocator();
        dir = Files.createTempDirectory("tarn-jmh-decode");
        file = dir.resolve(encoding + ".parquet").toString();
        write();
        arrowSchema = ParquetScanBenchmark.schema();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        allocator.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** All rows through storage's page decoder. */
    @Benchmark
    public long pageDecoder() {
        return scan(true);
    }

    /** All rows through parquet-java's column reader, value by value. */
    @Benchmark
    public long columnReader() {
        return scan(false);
    }

    /** Reads and decompresses every page (dictionary pages included) without decoding; returns the value count. */
    @Benchmark
    public long decompressOnly() throws IOException {
        long values = 0;
        try (ParquetFileReader r = ParquetFileReader.open(ParquetIo.inputFile(io.newInputFile(file)), ParquetIo.readOptions())) {
            PageReadStore group;
            while ((group = r.readNextRowGroup()) != null) {
                for (ColumnDescriptor c : SCHEMA.getColumns()) {
                    PageReader pages = group.getPageReader(c);
                    DictionaryPage dict = pages.readDictionaryPage();
                    // Pages come back decompressed; toByteBuffer exposes the bytes the way the page decoder takes them.
                    if (dict != null) {
                        dict.getBytes().toByteBuffer();
                    }
                    DataPage p;
                    while ((p = pages.readPage()) != null) {
                        if (p instanceof DataPageV1 v1) {
                            v1.getBytes().toByteBuffer();
                        } else {
                            DataPageV2 v2 = (DataPageV2) p;
                            v2.getDefinitionLevels().toByteBuffer();
                            v2.getData().toByteBuffer();
                        }
                        values += p.getValueCount();
                    }
                }
            }
        }
        return values;
    }

    long scan(boolean decodePages) {
        System.setProperty(BatchAssembler.PAGE_DECODER_PROPERTY, Boolean.toString(decodePages));
        long n = 0;
        try (ArrowParquetReader r = ArrowParquetReader.open(io.newInputFile(file),
                new ParquetReadRequest(arrowSchema, false, 65536, g -> true), allocator)) {
            for (VectorSchemaRoot b = r.next(); b != null; b = r.next()) {
                n += b.getRowCount();
            }
        } finally {
            System.clearProperty(BatchAssembler.PAGE_DECODER_PROPERTY);
        }
        return n;
    }

    /** The same data as {@link ParquetScanBenchmark}, written with parquet-java's column API in one encoding. */
    private void write() throws IOException {
        boolean v2 = encoding.equals("DELTA");
        boolean dictionary = encoding.equals("DICTIONARY");
        if (!v2 && !dictionary && !encoding.equals("PLAIN")) {
            throw new IllegalArgumentException("Unknown encoding " + encoding);
        }
        ParquetProperties props = ParquetProperties.builder()
                .withWriterVersion(v2 ? ParquetProperties.WriterVersion.PARQUET_2_0 : ParquetProperties.WriterVersion.PARQUET_1_0)
                .withDictionaryEncoding(dictionary)
                .withDictionaryPageSize(64 << 20)
                .build();
        ParquetFileWriter fw = new ParquetFileWriter(ParquetIo.outputFile(io.newOutputFile(file)), SCHEMA,
                ParquetFileWriter.Mode.OVERWRITE, 128 << 20, 0, 64, Integer.MAX_VALUE, false);
        fw.start();
        ColumnChunkPageWriteStore pages = new ColumnChunkPageWriteStore(
                new TarnCodecFactory(3).getCompressor(CompressionCodecName.ZSTD), SCHEMA, new HeapByteBufferAllocator(),
                64, false);
        ColumnWriteStore store = props.newColumnWriteStore(SCHEMA, pages, pages);
        ColumnWriter id = store.getColumnWriter(SCHEMA.getColumns().get(0));
        ColumnWriter price = store.getColumnWriter(SCHEMA.getColumns().get(1));
        ColumnWriter comment = store.getColumnWriter(SCHEMA.getColumns().get(2));
        SplittableRandom random = new SplittableRandom(42);
        String[] words = {"carefully", "final", "deposits", "sleep", "quickly", "ironic", "requests", "furiously"};
        for (int i = 0; i < rows; i++) {
            id.write((long) i, 0, 0);
            price.write(random.nextInt(100_000) / 100.0, 0, 1);
            String c = words[random.nextInt(words.length)] + " " + words[random.nextInt(words.length)] + " " + i;
            comment.write(Binary.fromConstantByteArray(c.getBytes(StandardCharsets.UTF_8)), 0, 1);
            store.endRecord();
        }
        fw.startBlock(rows);
        store.flush();
        pages.flushToFileWriter(fw);
        fw.endBlock();
        store.close();
        fw.end(Map.of());
    }
}
