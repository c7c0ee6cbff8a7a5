package dev.tarn.storage.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.storage.parquet.internal.BatchAssembler;
import dev.tarn.storage.parquet.internal.ParquetIo;
import dev.tarn.storage.parquet.internal.TarnCodecFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.deltalengthbytearray.DeltaLengthByteArrayValuesWriter;
import org.apache.parquet.column.values.factory.DefaultValuesWriterFactory;
import org.apache.parquet.column.values.factory.ValuesWriterFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The page decoder for flat columns against the column-reader path ({@link BatchAssembler#PAGE_DECODER_PROPERTY}
 * {@code =false}): files written by parquet-java in every encoding it produces for flat columns (PLAIN,
 * dictionary with fallback to PLAIN, DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY, RLE booleans;
 * v1 and v2 pages), with nulls in runs and scattered, many pages, several row groups, batches that cut pages,
 * skipped row groups and the row index.
 */
class PageDecoderTest {
    @TempDir
    Path dir;

    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message flat {
              required int64 id;
              optional double price;
              optional binary comment (STRING);
              optional int32 small;
              required int32 wide;
              optional float ratio;
              optional boolean flag;
              optional fixed_len_byte_array(4) code;
              optional int32 day (DATE);
              optional int64 ts (TIMESTAMP(MICROS,true));
              required binary payload;
              optional int64 never;
            }
            """);
    private static final int[] GROUP_ROWS = {2500, 1700, 3100};
    private static final int ROWS = 7300;

    /** Writer settings, each producing a different mix of page versions and value encodings. */
    enum Variant {
        V1_DICTIONARY(ParquetProperties.WriterVersion.PARQUET_1_0, true, CompressionCodecName.UNCOMPRESSED,
                Set.of(Encoding.PLAIN_DICTIONARY, Encoding.PLAIN)),
        V1_PLAIN(ParquetProperties.WriterVersion.PARQUET_1_0, false, CompressionCodecName.SNAPPY,
                Set.of(Encoding.PLAIN)),
        V2_DICTIONARY(ParquetProperties.WriterVersion.PARQUET_2_0, true, CompressionCodecName.ZSTD,
                Set.of(Encoding.RLE_DICTIONARY, Encoding.DELTA_BINARY_PACKED, Encoding.DELTA_BYTE_ARRAY)),
        V2_DELTA(ParquetProperties.WriterVersion.PARQUET_2_0, false, CompressionCodecName.ZSTD,
                Set.of(Encoding.DELTA_BINARY_PACKED, Encoding.DELTA_BYTE_ARRAY, Encoding.RLE, Encoding.PLAIN)),
        V2_DELTA_LENGTH(ParquetProperties.WriterVersion.PARQUET_2_0, false, CompressionCodecName.GZIP,
                Set.of(Encoding.DELTA_LENGTH_BYTE_ARRAY, Encoding.DELTA_BINARY_PACKED));

        final ParquetProperties.WriterVersion version;
        final boolean dictionary;
        final CompressionCodecName codec;
        final Set<Encoding> expectedEncodings;

        Variant(ParquetProperties.WriterVersion version, boolean dictionary, CompressionCodecName codec,
                Set<Encoding> expectedEncodings) {
            this.version = version;
            this.dictionary = dictionary;
            this.codec = codec;
            this.expectedEncodings = expectedEncodings;
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void pageDecoderMatchesColumnReader(Variant variant) throws Exception {
        String location = dir.resolve(variant + ".parquet").toString();
        write(location, variant);
        Set<Encoding> used = encodings(location);
        assertTrue(used.containsAll(variant.expectedEncodings), "file uses " + used);

        Schema schema = fileSchema(location);
        List<List<Object>> slow = read(location, schema, false, g -> true);
        List<List<Object>> fast = read(location, schema, true, g -> true);
        assertEquals(ROWS, fast.size());
        for (int i = 0; i < ROWS; i++) {
            assertEquals(slow.get(i), fast.get(i), "row " + i);
            assertEquals((long) i, fast.get(i).get(fast.get(i).size() - 1), "row index of row " + i);
        }
        assertEquals(expectedRow(0), fast.get(0).subList(0, 12));
        assertEquals(expectedRow(1003), fast.get(1003).subList(0, 12));
        assertEquals(expectedRow(ROWS - 1), fast.get(ROWS - 1).subList(0, 12));

        // Skipping the middle row group keeps the row index counting physical positions.
        List<List<Object>> skipped = read(location, schema, true, g -> g != 1);
        assertEquals(GROUP_ROWS[0] + GROUP_ROWS[2], skipped.size());
        assertEquals(read(location, schema, false, g -> g != 1), skipped);
        assertEquals((long) GROUP_ROWS[0] + GROUP_ROWS[1], skipped.get(GROUP_ROWS[0]).get(12));
    }

    @Test
    void projectionsReorderedAndRepeatedColumnsMatch() throws Exception {
        String location = dir.resolve("projection.parquet").toString();
        write(location, Variant.V2_DICTIONARY);
        Schema full = fileSchema(location);
        Map<String, Field> byName = new HashMap<>();
        for (Field f : full.getFields()) {
            byName.put(f.getName(), f);
        }
        // "comment" twice: the page decoder reads a column chunk once, so such a column takes the column-reader path.
        Schema projected = new Schema(List.of(byName.get("comment"), byName.get("id"), byName.get("comment"),
                byName.get("flag"), new Field("absent", byName.get("id").getFieldType(), null)));
        List<List<Object>> fast = read(location, projected, true, g -> true);
        assertEquals(read(location, projected, false, g -> true), fast);
        List<Object> expected = expectedRow(42);
        assertEquals(java.util.Arrays.asList(expected.get(2), expected.get(0), expected.get(2), expected.get(6), null, 42L),
                fast.get(42));
    }

    /**
     * v1 pages whose definition levels use the deprecated BIT_PACKED encoding (most significant bit first), which
     * parquet-java no longer writes but old writers did: written page by page with the low-level file writer.
     */
    @Test
    void legacyBitPackedDefinitionLevels() throws Exception {
        MessageType schema = MessageTypeParser.parseMessageType("message legacy { optional int64 v; }");
        ColumnDescriptor column = schema.getColumns().get(0);
        String location = dir.resolve("bitpacked.parquet").toString();
        ParquetFileWriter fw = new ParquetFileWriter(ParquetIo.outputFile(new LocalFileIO().newOutputFile(location)),
                schema, ParquetFileWriter.Mode.OVERWRITE, 1 << 20, 0, 64, Integer.MAX_VALUE, false);
        fw.start();
        int[] pageRows = {13, 20};
        List<Long> expected = new ArrayList<>();
        fw.startBlock(pageRows[0] + pageRows[1]);
        fw.startColumn(column, pageRows[0] + pageRows[1], CompressionCodecName.UNCOMPRESSED);
        int row = 0;
        for (int n : pageRows) {
            byte[] levels = new byte[(n + 7) / 8];
            java.io.ByteArrayOutputStream values = new java.io.ByteArrayOutputStream();
            for (int k = 0; k < n; k++, row++) {
                if (row % 3 == 0) {
                    expected.add(null);
                } else {
                    levels[k / 8] |= (byte) (0x80 >>> (k % 8));
                    long v = row * 1_000_000_007L;
                    values.write(ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(v).array());
                    expected.add(v);
                }
            }
            byte[] page = new byte[levels.length + values.size()];
            System.arraycopy(levels, 0, page, 0, levels.length);
            System.arraycopy(values.toByteArray(), 0, page, levels.length, values.size());
            fw.writeDataPage(n, page.length, org.apache.parquet.bytes.BytesInput.from(page),
                    Encoding.BIT_PACKED, Encoding.BIT_PACKED, Encoding.PLAIN);
        }
        fw.endColumn();
        fw.endBlock();
        fw.end(Map.of());

        Schema arrow = fileSchema(location);
        List<List<Object>> fast = read(location, arrow, true, g -> true);
        assertEquals(read(location, arrow, false, g -> true), fast);
        List<Object> values = new ArrayList<>();
        fast.forEach(r -> values.add(r.get(0)));
        assertEquals(expected, values);
    }

    /** Keeps rows whose small > 30 and whose day is not in [20600, 21500): whole batches keep nothing. */
    static final ParquetRowFilter SMALL_AND_DAY = new ParquetRowFilter() {
        @Override
        public int[] columns() {
            return new int[] {3, 8};
        }

        @Override
        public int select(StagedColumn[] columns, int rows, int[] selection) {
            StagedColumn small = columns[3];
            StagedColumn day = columns[8];
            assertEquals(StagedColumn.Layout.FIXED, small.layout());
            assertEquals(4, day.width());
            assertEquals(rows, day.rows());
            int n = 0;
            for (int i = 0; i < rows; i++) {
                if (!small.isNull(i) && small.longValue(i) > 30 && !day.isNull(i)
                        && (day.longValue(i) < 20600 || day.longValue(i) >= 21500)) {
                    selection[n++] = i;
                }
            }
            return n;
        }
    };

    /**
     * With a row filter the reader decodes the filter's columns first and returns only the rows it keeps, every
     * column (strings, booleans, nulls, fixed and variable width, any encoding) and the row index matching a full
     * read filtered afterwards, also across skipped row groups and batches that keep nothing.
     */
    @ParameterizedTest
    @EnumSource(Variant.class)
    void rowFilterReturnsTheRowsItKeeps(Variant variant) throws Exception {
        String location = dir.resolve("filtered-" + variant + ".parquet").toString();
        write(location, variant);
        Schema schema = fileSchema(location);
        for (IntPredicate groups : List.<IntPredicate>of(g -> true, g -> g != 0)) {
            List<List<Object>> expected = new ArrayList<>();
            for (List<Object> row : read(location, schema, false, groups)) {
                Integer small = (Integer) row.get(3);
                java.time.LocalDate day = (java.time.LocalDate) row.get(8);
                if (small != null && small > 30 && day != null
                        && (day.toEpochDay() < 20600 || day.toEpochDay() >= 21500)) {
                    expected.add(row);
                }
            }
            List<List<Object>> filtered = read(location, schema, true, groups, SMALL_AND_DAY);
            assertTrue(expected.size() > 100 && expected.size() < ROWS / 4, "kept " + expected.size());
            assertEquals(expected, filtered);
        }
    }

    /**
     * Keeps rows whose flag is true, whose comment's UTF-8 bytes end in "code", whose price is below 30 and whose
     * 4-byte code is below 20, read from the staged values (booleans a byte per row, strings as lengths and bytes or
     * as dictionary indexes, doubles as 8-byte values). Counts the batches whose codes came as dictionary indexes.
     */
    private static final class StagedStringFlagPrice implements ParquetRowFilter {
        int dictionaryBatches;
        int byteBatches;

        @Override
        public int[] columns() {
            return new int[] {1, 2, 6, 7};
        }

        @Override
        public int select(StagedColumn[] columns, int rows, int[] selection) {
            StagedColumn price = columns[1];
            StagedColumn comment = columns[2];
            StagedColumn flag = columns[6];
            assertEquals(StagedColumn.Layout.FIXED, price.layout());
            assertEquals(8, price.width());
            assertEquals(StagedColumn.Layout.BINARY, comment.layout());
            assertEquals(StagedColumn.Layout.BOOLEAN, flag.layout());
            StagedColumn code = columns[7];
            int[] ids = code.dictionaryIds();
            if (ids != null) {
                dictionaryBatches++;
            } else {
                byteBatches++;
            }
            byte[] suffix = "code".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int n = 0;
            int start = 0;
            int codeStart = 0;
            for (int i = 0; i < rows; i++) {
                int len = comment.lengths()[i];
                boolean ends = !comment.isNull(i) && len >= suffix.length && java.util.Arrays.equals(comment.data(),
                        start + len - suffix.length, start + len, suffix, 0, suffix.length);
                start += len;
                boolean lowCode;
                if (ids != null) {
                    assertEquals(4, code.dictionaryOffsets()[ids[i] + 1] - code.dictionaryOffsets()[ids[i]]);
                    lowCode = !code.isNull(i) && code.dictionaryData()[code.dictionaryOffsets()[ids[i]] + 3] < 20;
                } else {
                    assertEquals(code.isNull(i) ? 0 : 4, code.lengths()[i]);
                    lowCode = !code.isNull(i) && code.data()[codeStart + 3] < 20;
                    codeStart += code.lengths()[i];
                }
                double p = Double.longBitsToDouble(price.longValue(i));
                if (ends && lowCode && !flag.isNull(i) && flag.values()[i] == 1 && !price.isNull(i) && p < 30) {
                    selection[n++] = i;
                }
            }
            return n;
        }
    }

    /**
     * A filter reads the staged strings, booleans and doubles as they are, in every encoding: dictionary-coded
     * batches of strings by their indexes, the others (and batches where a page fell back to PLAIN) as bytes; the
     * kept rows' strings are then written from either form.
     */
    @ParameterizedTest
    @EnumSource(Variant.class)
    void rowFilterReadsStagedStringsBooleansAndDoubles(Variant variant) throws Exception {
        String location = dir.resolve("staged-" + variant + ".parquet").toString();
        write(location, variant);
        Schema schema = fileSchema(location);
        List<List<Object>> expected = new ArrayList<>();
        for (List<Object> row : read(location, schema, false, g -> true)) {
            String comment = (String) row.get(2);
            Double price = (Double) row.get(1);
            String code = (String) row.get(7);
            if (comment != null && comment.endsWith("code") && Boolean.TRUE.equals(row.get(6)) && price != null
                    && price < 30 && code != null && Integer.parseInt(code, 16) < 20) {
                expected.add(row);
            }
        }
        StagedStringFlagPrice filter = new StagedStringFlagPrice();
        List<List<Object>> filtered = read(location, schema, true, g -> true, filter);
        assertTrue(expected.size() > 100 && expected.size() < ROWS / 4, "kept " + expected.size());
        assertEquals(expected, filtered);
        // parquet-java's v1 writer keeps fixed-length byte arrays PLAIN; its v2 writer dictionary-codes them.
        boolean dictionaryCodes = variant == Variant.V2_DICTIONARY;
        assertEquals(dictionaryCodes, filter.dictionaryBatches > 0, filter.dictionaryBatches + " dictionary batches");
        assertEquals(dictionaryCodes, filter.byteBatches == 0, filter.byteBatches + " batches of bytes");
    }

    /**
     * Keeps rows by their position in each batch, so the kept rows form runs of every shape the compaction of the
     * other columns must get right: runs starting at the batch's first row and ending at its last, single rows
     * between one-row gaps, long runs, batches keeping all but their first, last or one middle row, and batches
     * keeping every other row. Records the ids (unique per row) it keeps.
     */
    private static final class PositionPatternFilter implements ParquetRowFilter {
        final java.util.Set<Long> keptIds = new java.util.HashSet<>();
        private int batch;

        @Override
        public int[] columns() {
            return new int[] {0};
        }

        @Override
        public int select(StagedColumn[] columns, int rows, int[] selection) {
            StagedColumn id = columns[0];
            int mode = batch++ % 5;
            int n = 0;
            for (int p = 0; p < rows; p++) {
                boolean keep = switch (mode) {
                    // runs 0..6, singles at 8, 10, 12, a run to the end of each 23 and the batch's last row
                    case 0 -> p % 23 < 7 || p % 23 == 8 || p % 23 == 10 || p % 23 == 12 || p % 23 > 19
                            || p == rows - 1;
                    case 1 -> p != 0;
                    case 2 -> p != rows - 1;
                    case 3 -> p != rows / 2;
                    default -> p % 2 == 1;
                };
                if (keep) {
                    selection[n++] = p;
                    keptIds.add(id.longValue(p));
                }
            }
            return n;
        }
    }

    /**
     * The columns left out of the row filter are compacted to the rows it keeps as runs of consecutive rows: every
     * column type (strings with their offsets, booleans, fixed widths, fixed-length byte codes, nulls and an all-null
     * stretch) matches a full read restricted to the kept rows, whatever the runs look like.
     */
    @ParameterizedTest
    @EnumSource(Variant.class)
    void compactionKeepsRunsAtBatchEdgesAndSingleRows(Variant variant) throws Exception {
        String location = dir.resolve("runs-" + variant + ".parquet").toString();
        write(location, variant);
        Schema schema = fileSchema(location);
        PositionPatternFilter filter = new PositionPatternFilter();
        List<List<Object>> filtered = read(location, schema, true, g -> true, filter);
        List<List<Object>> expected = new ArrayList<>();
        for (List<Object> row : read(location, schema, false, g -> true)) {
            if (filter.keptIds.contains((Long) row.get(0))) {
                expected.add(row);
            }
        }
        assertTrue(expected.size() > ROWS / 2 && expected.size() < ROWS, "kept " + expected.size());
        assertEquals(expected.size(), filtered.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), filtered.get(i), "kept row " + i);
        }
    }

    /**
     * INT32 and INT64 decimals are decoded by the page decoder into 16-byte Arrow decimals (negative values
     * sign-extended), in dictionary and plain pages, with nulls.
     */
    @ParameterizedTest
    @EnumSource(value = Variant.class, names = {"V1_DICTIONARY", "V1_PLAIN", "V2_DELTA"})
    void int32AndInt64DecimalsMatchColumnReader(Variant variant) throws Exception {
        MessageType schema = MessageTypeParser.parseMessageType("""
                message decimals { optional int64 price (DECIMAL(15,2)); required int32 rate (DECIMAL(7,3)); }
                """);
        String location = dir.resolve("decimals-" + variant + ".parquet").toString();
        ParquetProperties properties = ParquetProperties.builder().withWriterVersion(variant.version)
                .withPageSize(1024).withPageRowCountLimit(300).withDictionaryEncoding(variant.dictionary).build();
        ParquetFileWriter fw = new ParquetFileWriter(ParquetIo.outputFile(new LocalFileIO().newOutputFile(location)),
                schema, ParquetFileWriter.Mode.OVERWRITE, 1 << 20, 0, 64, Integer.MAX_VALUE, false);
        fw.start();
        int rows = 2000;
        ColumnChunkPageWriteStore pages = new ColumnChunkPageWriteStore(
                new TarnCodecFactory(3).getCompressor(variant.codec), schema, new HeapByteBufferAllocator(), 64, false);
        ColumnWriteStore store = properties.newColumnWriteStore(schema, pages, pages);
        ColumnWriter price = store.getColumnWriter(schema.getColumns().get(0));
        ColumnWriter rate = store.getColumnWriter(schema.getColumns().get(1));
        for (int i = 0; i < rows; i++) {
            if (i % 9 == 4) {
                price.writeNull(0, 0);
            } else {
                price.write(decimalPrice(i), 0, 1);
            }
            rate.write(i % 50 - 25, 0, 0);
            store.endRecord();
        }
        fw.startBlock(rows);
        store.flush();
        pages.flushToFileWriter(fw);
        fw.endBlock();
        store.close();
        fw.end(Map.of());

        Schema arrow = fileSchema(location);
        List<List<Object>> fast = read(location, arrow, true, g -> true);
        assertEquals(read(location, arrow, false, g -> true), fast);
        assertEquals(java.util.Arrays.asList(java.math.BigDecimal.valueOf(decimalPrice(3), 2),
                java.math.BigDecimal.valueOf(-22, 3), 3L), fast.get(3));
        assertEquals(java.util.Arrays.asList(null, java.math.BigDecimal.valueOf(-21, 3), 4L), fast.get(4));
        assertEquals(java.math.BigDecimal.valueOf(decimalPrice(1999), 2), fast.get(1999).get(0));
    }

    private static long decimalPrice(int i) {
        return i % 7 == 0 ? -999_999_999_999_99L + i : (i % 40) * 1_000_003L - 20_000_000L;
    }

    private static final MessageType NESTED = MessageTypeParser.parseMessageType("""
            message nested {
              optional group s {
                optional int64 a;
                required binary b (STRING);
                optional group inner { optional double c; }
              }
              required group r { required int32 x; optional boolean y; }
              optional group lst (LIST) { repeated group list { optional int64 element; } }
            }
            """);

    /**
     * Leaves inside structs (nullable structs, required structs, nested structs) go through the page decoder too,
     * keeping their definition levels for the struct validity; a list beside them stays on the column reader.
     */
    @ParameterizedTest
    @EnumSource(value = Variant.class, names = {"V1_DICTIONARY", "V2_DELTA"})
    void leavesInsideStructsMatchColumnReader(Variant variant) throws Exception {
        String location = dir.resolve("nested-" + variant + ".parquet").toString();
        ParquetProperties properties = ParquetProperties.builder().withWriterVersion(variant.version)
                .withPageSize(1024).withPageRowCountLimit(300).withDictionaryEncoding(variant.dictionary).build();
        ParquetFileWriter fw = new ParquetFileWriter(ParquetIo.outputFile(new LocalFileIO().newOutputFile(location)),
                NESTED, ParquetFileWriter.Mode.OVERWRITE, 1 << 20, 0, 64, Integer.MAX_VALUE, false);
        fw.start();
        int rows = 2000;
        ColumnChunkPageWriteStore pages = new ColumnChunkPageWriteStore(
                new TarnCodecFactory(3).getCompressor(variant.codec), NESTED, new HeapByteBufferAllocator(), 64, false);
        ColumnWriteStore store = properties.newColumnWriteStore(NESTED, pages, pages);
        ColumnWriter[] w = new ColumnWriter[NESTED.getColumns().size()];
        for (int c = 0; c < w.length; c++) {
            w[c] = store.getColumnWriter(NESTED.getColumns().get(c));
        }
        for (int i = 0; i < rows; i++) {
            if (i % 5 == 0) { // s is null
                w[0].writeNull(0, 0);
                w[1].writeNull(0, 0);
                w[2].writeNull(0, 0);
            } else {
                if (i % 3 == 0) {
                    w[0].writeNull(0, 1);
                } else {
                    w[0].write(i * 31L, 0, 2);
                }
                w[1].write(Binary.fromString("b" + (i % 40)), 0, 1);
                if (i % 7 == 0) {
                    w[2].writeNull(0, 1); // inner is null
                } else if (i % 7 == 1) {
                    w[2].writeNull(0, 2); // c is null
                } else {
                    w[2].write(i / 4.0, 0, 3);
                }
            }
            w[3].write(i, 0, 0);
            if (i % 4 == 0) {
                w[4].writeNull(0, 0);
            } else {
                w[4].write(i % 3 == 0, 0, 1);
            }
            if (i % 6 == 0) {
                w[5].writeNull(0, 0);
            } else {
                w[5].write((long) i, 0, 3);
                w[5].write((long) -i, 1, 3);
            }
            store.endRecord();
        }
        fw.startBlock(rows);
        store.flush();
        pages.flushToFileWriter(fw);
        fw.endBlock();
        store.close();
        fw.end(Map.of());

        Schema schema = fileSchema(location);
        List<List<Object>> fast = read(location, schema, true, g -> true);
        assertEquals(rows, fast.size());
        assertEquals(read(location, schema, false, g -> true), fast);
        assertEquals(java.util.Arrays.asList(null, ArrowValues.Struct.of(0, null), null, 0L), fast.get(0));
        assertEquals(java.util.Arrays.asList(ArrowValues.Struct.of(null, "b3", ArrowValues.Struct.of(0.75)),
                ArrowValues.Struct.of(3, true), List.of(3L, -3L), 3L), fast.get(3));
        assertEquals(ArrowValues.Struct.of(7 * 31L, "b7", null), fast.get(7).get(0));
        assertEquals(ArrowValues.Struct.of(8 * 31L, "b8", ArrowValues.Struct.of((Object) null)), fast.get(8).get(0));
    }

    private static List<Object> expectedRow(int i) {
        return java.util.Arrays.asList(id(i), price(i), comment(i), small(i), wide(i), ratio(i), flag(i),
                code(i) == null ? null : java.util.HexFormat.of().formatHex(code(i)),
                day(i) == null ? null : java.time.LocalDate.ofEpochDay(day(i)),
                java.time.Instant.EPOCH.plus(ts(i), java.time.temporal.ChronoUnit.MICROS),
                java.util.HexFormat.of().formatHex(payload(i)), null);
    }

    private static boolean nullRun(int i) {
        return i >= 1000 && i < 1300;
    }

    private static long id(int i) {
        if (i % 97 == 0) {
            return Long.MAX_VALUE - i;
        }
        if (i % 89 == 0) {
            return Long.MIN_VALUE + i;
        }
        return i * 3L - 1000;
    }

    private static Double price(int i) {
        return i % 7 == 3 || nullRun(i) ? null : (i % 50) * 1.25;
    }

    private static String comment(int i) {
        if (i % 5 == 1 || nullRun(i)) {
            return null;
        }
        return i % 13 == 0 ? "" : "customer#" + (i / 3) + (i % 2 == 0 ? " ünïcode" : "");
    }

    private static Integer small(int i) {
        return i % 11 == 0 ? null : (i % 100) - 50;
    }

    private static int wide(int i) {
        if (i % 101 == 0) {
            return i % 2 == 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        }
        return i * 7919 ^ (i << 20);
    }

    private static Float ratio(int i) {
        return i % 4 == 0 ? null : i / 3f;
    }

    private static Boolean flag(int i) {
        return i % 6 == 0 || nullRun(i) ? null : i % 3 == 0 || i % 5 == 0;
    }

    private static byte[] code(int i) {
        return i % 8 == 0 ? null : ByteBuffer.allocate(4).putInt(i % 50).array();
    }

    private static Integer day(int i) {
        return i % 9 == 0 ? null : 18_000 + i;
    }

    private static long ts(int i) {
        return i * 1_000_003L;
    }

    private static byte[] payload(int i) {
        byte[] b = new byte[i % 17];
        for (int k = 0; k < b.length; k++) {
            b[k] = (byte) (i + k);
        }
        return b;
    }

    static void write(String location, Variant variant) throws Exception {
        ParquetProperties.Builder props = ParquetProperties.builder()
                .withWriterVersion(variant.version)
                .withPageSize(2048)
                .withPageRowCountLimit(700)
                .withDictionaryPageSize(4096)
                .withDictionaryEncoding(variant.dictionary);
        if (variant == Variant.V2_DELTA_LENGTH) {
            props.withValuesWriterFactory(new DeltaLengthFactory());
        }
        ParquetProperties properties = props.build();
        ParquetFileWriter fw = new ParquetFileWriter(ParquetIo.outputFile(new LocalFileIO().newOutputFile(location)),
                SCHEMA, ParquetFileWriter.Mode.OVERWRITE, 1 << 20, 0, 64, Integer.MAX_VALUE, false);
        fw.start();
        int row = 0;
        for (int groupRows : GROUP_ROWS) {
            ColumnChunkPageWriteStore pages = new ColumnChunkPageWriteStore(
                    new TarnCodecFactory(3).getCompressor(variant.codec), SCHEMA, new HeapByteBufferAllocator(), 64, false);
            ColumnWriteStore store = properties.newColumnWriteStore(SCHEMA, pages, pages);
            ColumnWriter[] w = new ColumnWriter[SCHEMA.getColumns().size()];
            for (int c = 0; c < w.length; c++) {
                w[c] = store.getColumnWriter(SCHEMA.getColumns().get(c));
            }
            for (int k = 0; k < groupRows; k++, row++) {
                int i = row;
                w[0].write(id(i), 0, 0);
                writeOptional(w[1], price(i), v -> w[1].write((double) v, 0, 1));
                writeOptional(w[2], comment(i), v -> w[2].write(Binary.fromString((String) v), 0, 1));
                writeOptional(w[3], small(i), v -> w[3].write((int) v, 0, 1));
                w[4].write(wide(i), 0, 0);
                writeOptional(w[5], ratio(i), v -> w[5].write((float) v, 0, 1));
                writeOptional(w[6], flag(i), v -> w[6].write((boolean) v, 0, 1));
                writeOptional(w[7], code(i), v -> w[7].write(Binary.fromConstantByteArray((byte[]) v), 0, 1));
                writeOptional(w[8], day(i), v -> w[8].write((int) v, 0, 1));
                w[9].write(ts(i), 0, 1);
                w[10].write(Binary.fromConstantByteArray(payload(i)), 0, 0);
                w[11].writeNull(0, 0);
                store.endRecord();
            }
            fw.startBlock(groupRows);
            store.flush();
            pages.flushToFileWriter(fw);
            fw.endBlock();
            store.close();
        }
        fw.end(Map.of());
    }

    private static void writeOptional(ColumnWriter w, Object value, java.util.function.Consumer<Object> write) {
        if (value == null) {
            w.writeNull(0, 0);
        } else {
            write.accept(value);
        }
    }

    /** parquet-java's default v2 encodings, except DELTA_LENGTH_BYTE_ARRAY for byte arrays. */
    private static final class DeltaLengthFactory implements ValuesWriterFactory {
        private final DefaultValuesWriterFactory defaults = new DefaultValuesWriterFactory();
        private ParquetProperties properties;

        @Override
        public void initialize(ParquetProperties p) {
            this.properties = p;
            defaults.initialize(p);
        }

        @Override
        public ValuesWriter newValuesWriter(ColumnDescriptor descriptor) {
            if (descriptor.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.BINARY) {
                return new DeltaLengthByteArrayValuesWriter(properties.getInitialSlabSize(),
                        properties.getPageSizeThreshold(), properties.getAllocator());
            }
            return defaults.newValuesWriter(descriptor);
        }
    }

    static Set<Encoding> encodings(String location) throws Exception {
        Set<Encoding> result = EnumSet.noneOf(Encoding.class);
        try (ParquetFileReader r = ParquetFileReader.open(ParquetIo.inputFile(new LocalFileIO().newInputFile(location)),
                ParquetIo.readOptions())) {
            for (BlockMetaData b : r.getFooter().getBlocks()) {
                for (ColumnChunkMetaData c : b.getColumns()) {
                    result.addAll(c.getEncodings());
                }
            }
        }
        return result;
    }

    static Schema fileSchema(String location) {
        try (BufferAllocator allocator = new RootAllocator();
             ArrowParquetReader r = ArrowParquetReader.open(new LocalFileIO().newInputFile(location),
                     ParquetReadRequest.of(new Schema(List.of()), false), allocator)) {
            return r.fileInfo().fileSchema();
        }
    }

    static long fileInfoRows(String location) {
        try (BufferAllocator allocator = new RootAllocator();
             ArrowParquetReader r = ArrowParquetReader.open(new LocalFileIO().newInputFile(location),
                     ParquetReadRequest.of(new Schema(List.of()), false), allocator)) {
            return r.fileInfo().totalRows();
        }
    }

    static List<List<Object>> read(String location, Schema schema, boolean pageDecoder, IntPredicate groups) {
        return read(location, schema, pageDecoder, groups, null);
    }

    static List<List<Object>> read(String location, Schema schema, boolean pageDecoder, IntPredicate groups,
                                   ParquetRowFilter rowFilter) {
        String previous = System.getProperty(BatchAssembler.PAGE_DECODER_PROPERTY);
        System.setProperty(BatchAssembler.PAGE_DECODER_PROPERTY, Boolean.toString(pageDecoder));
        try (BufferAllocator allocator = new RootAllocator();
             ArrowParquetReader r = ArrowParquetReader.open(new LocalFileIO().newInputFile(location),
                     new ParquetReadRequest(schema, true, 333, groups, rowFilter), allocator)) {
            List<List<Object>> rows = new ArrayList<>();
            for (VectorSchemaRoot b = r.next(); b != null; b = r.next()) {
                rows.addAll(ArrowValues.rows(b));
            }
            return rows;
        } finally {
            if (previous == null) {
                System.clearProperty(BatchAssembler.PAGE_DECODER_PROPERTY);
            } else {
                System.setProperty(BatchAssembler.PAGE_DECODER_PROPERTY, previous);
            }
        }
    }
}
