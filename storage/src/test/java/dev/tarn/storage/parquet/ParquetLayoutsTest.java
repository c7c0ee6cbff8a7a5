package dev.tarn.storage.parquet;

import static dev.tarn.storage.parquet.ArrowValues.Struct;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.storage.parquet.internal.ParquetIo;
import dev.tarn.storage.parquet.internal.TarnCodecFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Files in layouts Tarn's writer never produces but other writers do: legacy 2-level lists, unannotated repeated
 * fields, MAP_KEY_VALUE maps, millisecond/nanosecond and INT96 timestamps, BINARY decimals, v2 data pages with
 * delta encodings, every supported compression codec. Written with parquet-java's column API, read with Tarn's.
 */
class ParquetLayoutsTest {
    @TempDir
    Path dir;

    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message legacy {
              optional group two_level (LIST) { repeated int32 array; }
              optional group two_level_struct (LIST) { repeated group array { optional int32 a; optional binary b (STRING); } }
              optional group tuples (LIST) { repeated group tuples_tuple { required int32 x; } }
              repeated int32 bare;
              optional group legacy_map (MAP_KEY_VALUE) { repeated group map { required binary key (STRING); optional int32 value; } }
              optional int64 ts_millis (TIMESTAMP(MILLIS,true));
              optional int64 ts_nanos (TIMESTAMP(NANOS,false));
              optional binary dec_bin (DECIMAL(20,2));
              optional int32 dec_int (DECIMAL(5,2));
              optional int96 legacy_ts;
              optional int64 plain_long;
              optional binary text (STRING);
            }
            """);

    @ParameterizedTest
    @EnumSource(value = CompressionCodecName.class, names = {"UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD", "LZ4_RAW"})
    void legacyLayoutsAndV2PagesRead(CompressionCodecName codec) throws Exception {
        String location = dir.resolve("legacy-" + codec + ".parquet").toString();
        int rows = 3000;
        writeLegacyFile(location, codec, rows);
        LocalFileIO io = new LocalFileIO();
        try (BufferAllocator allocator = new RootAllocator()) {
            Schema fileSchema;
            try (ArrowParquetReader r = ArrowParquetReader.open(io.newInputFile(location),
                    ParquetReadRequest.of(new Schema(List.of()), false), allocator)) {
                fileSchema = r.fileInfo().fileSchema();
            }
            List<List<Object>> read = new ArrayList<>();
            try (ArrowParquetReader r = ArrowParquetReader.open(io.newInputFile(location),
                    new ParquetReadRequest(fileSchema, false, 333, g -> true), allocator)) {
                VectorSchemaRoot b;
                while ((b = r.next()) != null) {
                    read.addAll(ArrowValues.rows(b));
                }
            }
            assertEquals(rows, read.size());
            for (int i = 0; i < rows; i++) {
                assertEquals(expectedRow(i), read.get(i), "row " + i);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void unsupportedCodecsAreReportedAsUnsupported() {
        dev.tarn.error.TarnException e = org.junit.jupiter.api.Assertions.assertThrows(dev.tarn.error.TarnException.class,
                () -> new TarnCodecFactory(3).getDecompressor(CompressionCodecName.BROTLI));
        assertEquals(dev.tarn.error.ErrorCode.UNSUPPORTED_FEATURE, e.errorCode());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("BROTLI"), e.getMessage());
    }

    private static List<Object> expectedRow(int i) {
        if (i % 2 == 1) {
            return Arrays.asList(null, List.of(), null, List.of(), null, null, null, null, null, null, null, null);
        }
        Map<String, Integer> map = new LinkedHashMap<>();
        map.put("k" + i, i);
        map.put("n", null);
        return Arrays.asList(
                List.of(i, i + 1),
                Arrays.asList(Struct.of(i, "x"), Struct.of(null, "y")),
                List.of(Struct.of(5)),
                List.of(7, 8),
                map,
                Instant.ofEpochMilli(1000L + i),
                LocalDateTime.of(1970, 1, 1, 0, 0, 0, 1000),
                new BigDecimal(BigInteger.valueOf(12345L * (i + 1)), 2),
                new BigDecimal("-1.23"),
                Instant.parse("1970-01-01T00:00:01.000001Z").plusSeconds(86400L * i),
                (long) i * 1_000_000_007L,
                "text-" + (i % 17));
    }

    private static void writeLegacyFile(String location, CompressionCodecName codec, int rows) throws Exception {
        ParquetProperties props = ParquetProperties.builder()
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_2_0)
                .withPageSize(512)
                .withDictionaryEncoding(true)
                .build();
        ParquetFileWriter fw = new ParquetFileWriter(ParquetIo.outputFile(new LocalFileIO().newOutputFile(location)), SCHEMA,
                ParquetFileWriter.Mode.OVERWRITE, 1 << 20, 0, 64, Integer.MAX_VALUE, false);
        fw.start();
        ColumnChunkPageWriteStore pages = new ColumnChunkPageWriteStore(new TarnCodecFactory(3).getCompressor(codec),
                SCHEMA, new HeapByteBufferAllocator(), 64, false);
        ColumnWriteStore store = props.newColumnWriteStore(SCHEMA, pages, pages);
        ColumnWriter twoLevel = store.getColumnWriter(SCHEMA.getColumnDescription(new String[] {"two_level", "array"}));
        ColumnWriter structA = store.getColumnWriter(SCHEMA.getColumnDescription(new String[] {"two_level_struct", "array", "a"}));
        ColumnWriter structB = store.getColumnWriter(SCHEMA.getColumnDescription(new String[] {"two_level_struct", "array", "b"}));
        ColumnWriter tupleX = store.getColumnWriter(SCHEMA.getColumnDescription(new String[] {"tuples", "tuples_tuple", "x"}));
        ColumnWriter bare = store.getColumnWriter(SCHEMA.getColumnDescription(new String[] {"bare"}));
        ColumnWriter mapKey = store.getColumnWriter(SCHEMA.getColumnDescription(new String[] {"legacy_map", "map", "key"}));
        ColumnWriter mapValue = store.getColumnWriter(SCHEMA.getColumnDescription(new String[] {"legacy_map", "map", "value"}));
        ColumnWriter millis = store.getColumnWriter(SCHEMA.getColumnDescription(new String[] {"ts_millis"}));
        ColumnWriter nanos = store.getColumnWriter(SCHEMA.getColumnDescription(new String[] {"ts_nanos"}));
        ColumnWriter decBin = store.getColumnWriter(SCHEMA.getColumnDescription(new String[] {"dec_bin"}));
        ColumnWriter decInt = store.getColumnWriter(SCHEMA.getColumnDescription(new String[] {"dec_int"}));
        ColumnWriter int96 = store.getColumnWriter(SCHEMA.getColumnDescription(new String[] {"legacy_ts"}));
        ColumnWriter plainLong = store.getColumnWriter(SCHEMA.getColumnDescription(new String[] {"plain_long"}));
        ColumnWriter text = store.getColumnWriter(SCHEMA.getColumnDescription(new String[] {"text"}));
        for (int i = 0; i < rows; i++) {
            if (i % 2 == 1) {
                twoLevel.writeNull(0, 0);
                structA.writeNull(0, 1); // empty list
                structB.writeNull(0, 1);
                tupleX.writeNull(0, 0);
                bare.writeNull(0, 0); // a bare repeated field is an empty list, never null
                mapKey.writeNull(0, 0);
                mapValue.writeNull(0, 0);
                for (ColumnWriter w : List.of(millis, nanos, decBin, decInt, int96, plainLong, text)) {
                    w.writeNull(0, 0);
                }
            } else {
                twoLevel.write(i, 0, 2);
                twoLevel.write(i + 1, 1, 2);
                structA.write(i, 0, 3);
                structA.writeNull(1, 2);
                structB.write(Binary.fromString("x"), 0, 3);
                structB.write(Binary.fromString("y"), 1, 3);
                tupleX.write(5, 0, 2);
                bare.write(7, 0, 1);
                bare.write(8, 1, 1);
                mapKey.write(Binary.fromString("k" + i), 0, 2);
                mapKey.write(Binary.fromString("n"), 1, 2);
                mapValue.write(i, 0, 3);
                mapValue.writeNull(1, 2);
                millis.write(1000L + i, 0, 1);
                nanos.write(1500L, 0, 1);
                decBin.write(Binary.fromConstantByteArray(BigInteger.valueOf(12345L * (i + 1)).toByteArray()), 0, 1);
                decInt.write(-123, 0, 1);
                ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
                b.putLong(1_000_001_000L).putInt(2_440_588 + i);
                int96.write(Binary.fromConstantByteArray(b.array()), 0, 1);
                plainLong.write((long) i * 1_000_000_007L, 0, 1);
                text.write(Binary.fromString("text-" + (i % 17)), 0, 1);
            }
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
