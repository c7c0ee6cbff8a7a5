package dev.tarn.storage.parquet;

import static dev.tarn.storage.parquet.ArrowValues.Struct;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.LocalFileIO;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetRoundTripTest {
    @TempDir
    Path dir;

    private final LocalFileIO io = new LocalFileIO();
    private BufferAllocator allocator;

    @BeforeEach
    void setUp() {
        allocator = new RootAllocator();
    }

    @AfterEach
    void tearDown() {
        allocator.close(); // fails the test when a vector leaked
    }

    static Field field(String name, ArrowType type, Field... children) {
        return new Field(name, FieldType.nullable(type), children.length == 0 ? null : List.of(children));
    }

    static Field required(String name, ArrowType type, Field... children) {
        return new Field(name, FieldType.notNullable(type), children.length == 0 ? null : List.of(children));
    }

    static Field list(String name, Field element) {
        return field(name, ArrowType.List.INSTANCE, element);
    }

    static Field map(String name, Field key, Field value) {
        return field(name, new ArrowType.Map(false),
                required("entries", ArrowType.Struct.INSTANCE, key, value));
    }

    static final ArrowType INT = new ArrowType.Int(32, true);
    static final ArrowType LONG = new ArrowType.Int(64, true);
    static final ArrowType STRING = ArrowType.Utf8.INSTANCE;

    static Schema allTypes() {
        return new Schema(List.of(
                field("b", ArrowType.Bool.INSTANCE),
                field("i8", new ArrowType.Int(8, true)),
                field("i16", new ArrowType.Int(16, true)),
                field("i32", INT),
                field("i64", LONG),
                field("f32", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
                field("f64", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
                field("d5", new ArrowType.Decimal(5, 2, 128)),
                field("d15", new ArrowType.Decimal(15, 3, 128)),
                field("d38", new ArrowType.Decimal(38, 10, 128)),
                field("d20", new ArrowType.Decimal(20, 0, 128)),
                field("s", STRING),
                field("bin", ArrowType.Binary.INSTANCE),
                field("date", new ArrowType.Date(DateUnit.DAY)),
                field("ts", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")),
                field("ntz", new ArrowType.Timestamp(TimeUnit.MICROSECOND, null)),
                list("ints", field("element", INT)),
                list("nested", list("element", field("element", STRING))),
                map("m", required("key", STRING), field("value", INT)),
                field("st", ArrowType.Struct.INSTANCE, field("a", INT),
                        field("inner", ArrowType.Struct.INSTANCE, field("c", STRING), list("d", field("element", LONG)))),
                list("structs", field("element", ArrowType.Struct.INSTANCE, field("x", INT), field("y", STRING))),
                map("ml", required("key", INT), list("value", field("element", STRING))),
                required("req", INT),
                field("nothing", ArrowType.Null.INSTANCE)));
    }

    static List<Object> row(Object... values) {
        return new ArrayList<>(Arrays.asList(values));
    }

    static <K, V> Map<K, V> mapOf(Object... kv) {
        Map<K, V> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            @SuppressWarnings("unchecked")
            K k = (K) kv[i];
            @SuppressWarnings("unchecked")
            V v = (V) kv[i + 1];
            m.put(k, v);
        }
        return m;
    }

    static List<List<Object>> allTypesRows() {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(row(true, (byte) 127, (short) 32767, Integer.MAX_VALUE, Long.MAX_VALUE, Float.MAX_VALUE, Double.MAX_VALUE,
                new BigDecimal("999.99"), new BigDecimal("999999999999.999"),
                new BigDecimal("9999999999999999999999999999.9999999999"), new BigDecimal("99999999999999999999"),
                "héllo wörld ✓ 日本語 🎉", new byte[] {0, 1, (byte) 0xff}, LocalDate.of(9999, 12, 31),
                Instant.parse("2262-04-11T23:47:16.854775Z"), LocalDateTime.of(2024, 2, 29, 12, 30, 45, 123456000),
                List.of(1, 2, 3), List.of(List.of("a", "b"), List.of(), List.of("c")), mapOf("k1", 1, "k2", null),
                Struct.of(7, Struct.of("inner", List.of(1L, 2L))),
                List.of(Struct.of(1, "x"), Struct.of(null, null)), mapOf(1, List.of("p", "q"), 2, List.of()), 1, null));
        rows.add(row(false, (byte) -128, (short) -32768, Integer.MIN_VALUE, Long.MIN_VALUE, -Float.MAX_VALUE, Double.NEGATIVE_INFINITY,
                new BigDecimal("-999.99"), new BigDecimal("-999999999999.999"),
                new BigDecimal("-9999999999999999999999999999.9999999999"), new BigDecimal("-99999999999999999999"),
                "", new byte[0], LocalDate.of(1, 1, 1),
                Instant.parse("1677-09-21T00:12:43.145225Z"), LocalDateTime.of(1900, 1, 1, 0, 0),
                List.of(), List.of(), mapOf(), Struct.of(null, null), List.of(), mapOf(), -1, null));
        rows.add(row(null, null, null, null, null, Float.NaN, Double.NaN, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, 0, null));
        rows.add(row(true, (byte) 0, (short) 0, 0, 0L, 0.0f, -0.0, new BigDecimal("0.00"), new BigDecimal("0.001"),
                new BigDecimal("0.0000000001"), new BigDecimal("0"), "a", new byte[] {42}, LocalDate.of(1970, 1, 1),
                Instant.parse("1970-01-01T00:00:00Z"), LocalDateTime.of(1970, 1, 1, 0, 0, 0, 1000),
                Arrays.asList(null, 5, null), Arrays.asList(null, Arrays.asList("x", null), List.of("")),
                mapOf("", 0), Struct.of(3, null), Arrays.asList(null, Struct.of(2, "z")),
                mapOf(5, null), 42, null));
        return rows;
    }

    private String write(String name, Schema schema, List<List<Object>> rows, ParquetWriteOptions options, int batch) {
        String location = dir.resolve(name).toString();
        try (ArrowParquetWriter w = ArrowParquetWriter.create(io.newOutputFile(location), schema, options)) {
            for (int from = 0; from < rows.size(); from += batch) {
                try (VectorSchemaRoot root = ArrowValues.root(schema, allocator,
                        rows.subList(from, Math.min(rows.size(), from + batch)))) {
                    w.write(root);
                }
            }
            lastStats = w.finish();
        }
        return location;
    }

    private DataFileStatistics lastStats;

    private List<List<Object>> readAll(String location, ParquetReadRequest request) {
        List<List<Object>> rows = new ArrayList<>();
        try (ArrowParquetReader r = ArrowParquetReader.open(io.newInputFile(location), request, allocator)) {
            VectorSchemaRoot b;
            while ((b = r.next()) != null) {
                rows.addAll(ArrowValues.rows(b));
            }
        }
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static List<List<Object>> normalized(List<List<Object>> rows) {
        return (List<List<Object>>) ArrowValues.normalize(rows);
    }

    @Test
    void everyTypeRoundTrips() throws Exception {
        Schema schema = allTypes();
        String f = write("all.parquet", schema, allTypesRows(), ParquetWriteOptions.defaults(), 3);
        List<List<Object>> read = readAll(f, ParquetReadRequest.of(schema, false));
        assertEquals(normalized(allTypesRows()), read);
        assertEquals(4, lastStats.numRecords());
        assertEquals(java.nio.file.Files.size(Path.of(f)), lastStats.fileSizeBytes());
    }

    @Test
    void smallBatchesAndManyRowGroupsRoundTrip() {
        Schema schema = allTypes();
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            rows.add(allTypesRows().get(i % 4));
        }
        ParquetWriteOptions tiny = ParquetWriteOptions.defaults().withRowGroupSizeBytes(1).withPageSizeBytes(256);
        String f = write("many.parquet", schema, rows, tiny, 100);
        try (ArrowParquetReader r = ArrowParquetReader.open(io.newInputFile(f), ParquetReadRequest.of(schema, false), allocator)) {
            assertTrue(r.fileInfo().rowGroups().size() > 1, "expected several row groups");
            assertEquals(500, r.fileInfo().totalRows());
        }
        for (int batch : new int[] {1, 7, 128, 4096}) {
            List<List<Object>> read = readAll(f, new ParquetReadRequest(schema, false, batch, g -> true));
            assertEquals(normalized(rows), read, "batch size " + batch);
        }
    }

    @Test
    void statisticsDescribeTheWrittenValues() {
        Schema schema = allTypes();
        write("stats.parquet", schema, allTypesRows(), ParquetWriteOptions.defaults(), 4);
        DataFileStatistics s = lastStats;
        assertEquals(4, s.numRecords());
        ColumnStatistics i32 = s.column(List.of("i32")).orElseThrow();
        assertEquals(Integer.MIN_VALUE, i32.min());
        assertEquals(Integer.MAX_VALUE, i32.max());
        assertEquals(1, i32.nullCount());
        assertEquals((byte) -128, s.column(List.of("i8")).orElseThrow().min());
        assertEquals((short) 32767, s.column(List.of("i16")).orElseThrow().max());
        assertEquals(Long.MIN_VALUE, s.column(List.of("i64")).orElseThrow().min());
        assertEquals(new BigDecimal("-999.99"), s.column(List.of("d5")).orElseThrow().min());
        assertEquals(new BigDecimal("999999999999.999"), s.column(List.of("d15")).orElseThrow().max());
        assertEquals(new BigDecimal("-9999999999999999999999999999.9999999999"), s.column(List.of("d38")).orElseThrow().min());
        assertEquals(new BigDecimal("99999999999999999999"), s.column(List.of("d20")).orElseThrow().max());
        assertEquals("", s.column(List.of("s")).orElseThrow().min());
        assertEquals("héllo wörld ✓ 日本語 🎉", s.column(List.of("s")).orElseThrow().max());
        ColumnStatistics bin = s.column(List.of("bin")).orElseThrow();
        assertNull(bin.min());
        assertEquals(1, bin.nullCount());
        assertEquals(LocalDate.of(1, 1, 1), s.column(List.of("date")).orElseThrow().min());
        assertEquals(Instant.parse("2262-04-11T23:47:16.854775Z"), s.column(List.of("ts")).orElseThrow().max());
        assertEquals(LocalDateTime.of(1900, 1, 1, 0, 0), s.column(List.of("ntz")).orElseThrow().min());
        assertEquals(Boolean.FALSE, s.column(List.of("b")).orElseThrow().min());
        // A leaf under a struct is null when the struct is: row 2 (st null) and row 1 (a null).
        ColumnStatistics a = s.column(List.of("st", "a")).orElseThrow();
        assertEquals(2, a.nullCount());
        assertEquals(3, a.min());
        assertEquals(7, a.max());
        ColumnStatistics c = s.column(List.of("st", "inner", "c")).orElseThrow();
        assertEquals(3, c.nullCount());
        ColumnStatistics ints = s.column(List.of("ints")).orElseThrow();
        assertNull(ints.min());
        assertEquals(1, ints.nullCount());
        assertEquals(1, s.column(List.of("m")).orElseThrow().nullCount());
        ColumnStatistics innerList = s.column(List.of("st", "inner", "d")).orElseThrow();
        assertEquals(3, innerList.nullCount());
        assertEquals(0, s.column(List.of("req")).orElseThrow().nullCount());
        assertEquals(4, s.column(List.of("nothing")).orElseThrow().nullCount());
        // Leaf order is depth-first.
        List<List<String>> paths = s.columns().stream().map(ColumnStatistics::path).toList();
        assertEquals(List.of("st", "a"), paths.get(19));
        assertEquals(List.of("st", "inner", "c"), paths.get(20));
        assertEquals(List.of("st", "inner", "d"), paths.get(21));
    }

    @Test
    void statisticsCoverOnlyTheFirstLeafColumns() {
        Schema schema = allTypes();
        write("few.parquet", schema, allTypesRows(), ParquetWriteOptions.defaults().withMaxStatsLeafColumns(3), 4);
        assertEquals(List.of(List.of("b"), List.of("i8"), List.of("i16")),
                lastStats.columns().stream().map(ColumnStatistics::path).toList());
    }

    @Test
    void nanDoesNotBecomeAMinOrMax() {
        Schema schema = new Schema(List.of(field("f", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE))));
        write("nan.parquet", schema, List.of(row(1.5), row(Double.NaN), row(-2.0)), ParquetWriteOptions.defaults(), 10);
        ColumnStatistics f = lastStats.column(List.of("f")).orElseThrow();
        if (f.min() != null) {
            assertEquals(-2.0, f.min());
            assertEquals(1.5, f.max());
        }
        assertEquals(0, f.nullCount());
    }

    @Test
    void projectionReordersAndMissingColumnsAreNull() {
        Schema schema = allTypes();
        String f = write("proj.parquet", schema, allTypesRows(), ParquetWriteOptions.defaults(), 4);
        Schema requested = new Schema(List.of(
                field("s", STRING),
                field("absent", LONG),
                field("st", ArrowType.Struct.INSTANCE,
                        field("inner", ArrowType.Struct.INSTANCE, field("zz", INT), list("d", field("element", LONG))),
                        field("new", STRING)),
                field("i32", INT),
                field("gone", ArrowType.Struct.INSTANCE, field("q", INT))));
        List<List<Object>> read = readAll(f, ParquetReadRequest.of(requested, false));
        assertEquals(4, read.size());
        assertEquals(Arrays.asList("héllo wörld ✓ 日本語 🎉", null,
                Struct.of(Struct.of(null, List.of(1L, 2L)), null), Integer.MAX_VALUE, null), read.get(0));
        assertEquals(Arrays.asList("", null, Struct.of(null, null), Integer.MIN_VALUE, null), read.get(1));
        assertEquals(Arrays.asList(null, null, null, null, null), read.get(2));
        assertEquals(Arrays.asList("a", null, Struct.of(null, null), 0, null), read.get(3));
    }

    @Test
    void structWithOnlyNewFieldsKeepsItsNulls() {
        Schema schema = allTypes();
        String f = write("anchor.parquet", schema, allTypesRows(), ParquetWriteOptions.defaults(), 4);
        Schema requested = new Schema(List.of(field("st", ArrowType.Struct.INSTANCE, field("added", INT)),
                list("structs", field("element", ArrowType.Struct.INSTANCE, field("added", INT)))));
        List<List<Object>> read = readAll(f, ParquetReadRequest.of(requested, false));
        assertEquals(Arrays.asList(Struct.of((Object) null), Arrays.asList(Struct.of((Object) null), Struct.of((Object) null))), read.get(0));
        assertEquals(Arrays.asList(Struct.of((Object) null), List.of()), read.get(1));
        assertEquals(Arrays.asList(null, null), read.get(2));
        assertEquals(Arrays.asList(Struct.of((Object) null), Arrays.asList(null, Struct.of((Object) null))), read.get(3));
    }

    @Test
    void fieldIdsMatchRenamedColumns() {
        Field a = new Field("col-1", new FieldType(true, INT, null, Map.of("PARQUET:field_id", "1")), null);
        Field b = new Field("col-2", new FieldType(true, STRING, null, Map.of("PARQUET:field_id", "2")), null);
        Schema schema = new Schema(List.of(a, b));
        String f = write("ids.parquet", schema, List.of(row(1, "one"), row(2, "two")), ParquetWriteOptions.defaults(), 10);
        // Logical renames do not matter: the ids decide. An id the file lacks reads as null.
        Schema requested = new Schema(List.of(
                new Field("renamed", new FieldType(true, STRING, null, Map.of("PARQUET:field_id", "2")), null),
                new Field("col-1", new FieldType(true, INT, null, Map.of("PARQUET:field_id", "7")), null),
                new Field("x", new FieldType(true, INT, null, Map.of("PARQUET:field_id", "1")), null)));
        assertEquals(List.of(Arrays.asList("one", null, 1), Arrays.asList("two", null, 2)),
                readAll(f, ParquetReadRequest.of(requested, false)));
        try (ArrowParquetReader r = ArrowParquetReader.open(io.newInputFile(f), ParquetReadRequest.of(requested, false), allocator)) {
            assertEquals("1", r.fileInfo().fileSchema().getFields().get(0).getMetadata().get("PARQUET:field_id"));
        }
    }

    @Test
    void rowIndexCountsRowsOfSkippedRowGroups() {
        Schema schema = new Schema(List.of(field("id", LONG), field("pad", STRING)));
        List<List<Object>> rows = new ArrayList<>();
        for (long i = 0; i < 3000; i++) {
            rows.add(row(i, "padding-" + i));
        }
        String f = write("rowindex.parquet", schema, rows,
                ParquetWriteOptions.defaults().withRowGroupSizeBytes(4096).withPageSizeBytes(1024), 1000);
        ParquetFileInfo info;
        try (ArrowParquetReader r = ArrowParquetReader.open(io.newInputFile(f), ParquetReadRequest.of(schema, false), allocator)) {
            info = r.fileInfo();
        }
        assertTrue(info.rowGroups().size() >= 3, "row groups: " + info.rowGroups().size());
        long expectedFirst = 0;
        for (RowGroupInfo g : info.rowGroups()) {
            assertEquals(expectedFirst, g.firstRowIndex());
            ColumnStatistics id = g.column(List.of("id")).orElseThrow();
            assertEquals(g.firstRowIndex(), id.min());
            assertEquals(g.firstRowIndex() + g.rowCount() - 1, id.max());
            expectedFirst += g.rowCount();
        }
        Schema requested = new Schema(List.of(field("id", LONG)));
        List<List<Object>> read = readAll(f, new ParquetReadRequest(requested, true, 77, g -> g % 2 == 1));
        long expectedRows = info.rowGroups().stream().filter(g -> g.ordinal() % 2 == 1).mapToLong(RowGroupInfo::rowCount).sum();
        assertEquals(expectedRows, read.size());
        for (List<Object> r : read) {
            assertEquals(r.get(0), r.get(1), "row index equals the id written at that position");
        }
        // Only the row index: no data column is read at all.
        List<List<Object>> onlyIndex = readAll(f, new ParquetReadRequest(new Schema(List.of()), true, 500, g -> g == 0));
        assertEquals(info.rowGroups().get(0).rowCount(), onlyIndex.size());
        assertEquals(0L, onlyIndex.get(0).get(0));
    }

    @Test
    void widerRequestedTypesUpcast() {
        Schema schema = new Schema(List.of(field("i", INT), field("f", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
                field("d", new ArrowType.Decimal(5, 2, 128)), field("day", new ArrowType.Date(DateUnit.DAY)),
                field("b", new ArrowType.Int(8, true))));
        String f = write("widen.parquet", schema, List.of(row(-5, 1.5f, new BigDecimal("-123.45"), LocalDate.of(2020, 2, 29), (byte) 3),
                row(null, null, null, null, null)), ParquetWriteOptions.defaults(), 10);
        Schema requested = new Schema(List.of(field("i", LONG), field("f", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
                field("d", new ArrowType.Decimal(10, 4, 128)), field("day", new ArrowType.Timestamp(TimeUnit.MICROSECOND, null)),
                field("b", INT)));
        List<List<Object>> read = readAll(f, ParquetReadRequest.of(requested, false));
        assertEquals(Arrays.asList(-5L, 1.5, new BigDecimal("-123.4500"), LocalDateTime.of(2020, 2, 29, 0, 0), 3), read.get(0));
        assertEquals(Arrays.asList(null, null, null, null, null), read.get(1));
        Schema asDouble = new Schema(List.of(field("i", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE))));
        assertEquals(-5.0, readAll(f, ParquetReadRequest.of(asDouble, false)).get(0).get(0));
    }

    @Test
    void incompatibleRequestedTypeIsATypeMismatch() {
        Schema schema = new Schema(List.of(field("s", STRING)));
        String f = write("mismatch.parquet", schema, List.of(row("x")), ParquetWriteOptions.defaults(), 10);
        TarnException e = assertThrows(TarnException.class,
                () -> readAll(f, ParquetReadRequest.of(new Schema(List.of(field("s", INT))), false)));
        assertEquals(ErrorCode.TYPE_MISMATCH, e.errorCode());
        assertTrue(e.getMessage().contains("mismatch.parquet"), e.getMessage());
    }

    @Test
    void notAParquetFileIsCorruptDataFile() throws Exception {
        Path p = dir.resolve("junk.parquet");
        java.nio.file.Files.write(p, "definitely not parquet".getBytes());
        TarnException e = assertThrows(TarnException.class, () -> ArrowParquetReader.open(io.newInputFile(p.toString()),
                ParquetReadRequest.of(new Schema(List.of()), false), allocator));
        assertEquals(ErrorCode.CORRUPT_DATA_FILE, e.errorCode());
        assertTrue(e.getMessage().contains(p.toString()));
        TarnException missing = assertThrows(TarnException.class, () -> ArrowParquetReader.open(
                io.newInputFile(dir.resolve("nope.parquet").toString()), ParquetReadRequest.of(new Schema(List.of()), false), allocator));
        assertEquals(ErrorCode.MISSING_FILE, missing.errorCode());
    }

    @Test
    void closingUnfinishedWriterAbandonsTheFile() {
        Schema schema = new Schema(List.of(field("i", INT)));
        String location = dir.resolve("abandoned.parquet").toString();
        try (ArrowParquetWriter w = ArrowParquetWriter.create(io.newOutputFile(location), schema, ParquetWriteOptions.defaults());
             VectorSchemaRoot root = ArrowValues.root(schema, allocator, List.of(row(1)))) {
            w.write(root);
        }
        TarnException e = assertThrows(TarnException.class, () -> readAll(location, ParquetReadRequest.of(schema, false)));
        assertEquals(ErrorCode.CORRUPT_DATA_FILE, e.errorCode());
    }

    @Test
    void hadoopIsNotOnTheClasspathYetParquetWorks() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.hadoop.conf.Configuration"));
        Schema schema = new Schema(List.of(field("i", INT), field("s", STRING)));
        String f = write("nohadoop.parquet", schema, List.of(row(1, "a"), row(null, "b")), ParquetWriteOptions.defaults(), 10);
        assertEquals(List.of(Arrays.asList(1, "a"), Arrays.asList(null, "b")), readAll(f, ParquetReadRequest.of(schema, false)));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.hadoop.conf.Configuration"));
    }

    @Test
    void emptyFileHasNoRowsButAValidFooter() {
        Schema schema = new Schema(List.of(field("i", INT)));
        String location = dir.resolve("empty.parquet").toString();
        DataFileStatistics s;
        try (ArrowParquetWriter w = ArrowParquetWriter.create(io.newOutputFile(location), schema, ParquetWriteOptions.defaults())) {
            s = w.finish();
        }
        assertEquals(0, s.numRecords());
        assertEquals(List.of(), readAll(location, ParquetReadRequest.of(schema, true)));
    }

    @Test
    void readerValuesOwnedByReaderAreValidUntilNext() {
        Schema schema = new Schema(List.of(field("s", STRING)));
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(row("v" + i));
        }
        String f = write("batches.parquet", schema, rows, ParquetWriteOptions.defaults(), 10);
        try (ArrowParquetReader r = ArrowParquetReader.open(io.newInputFile(f), new ParquetReadRequest(schema, true, 4, g -> true), allocator)) {
            assertEquals(List.of("s", ArrowParquetReader.ROW_INDEX_COLUMN),
                    r.outputSchema().getFields().stream().map(Field::getName).toList());
            int total = 0;
            VectorSchemaRoot b;
            while ((b = r.next()) != null) {
                assertTrue(b.getRowCount() <= 4);
                total += b.getRowCount();
            }
            assertEquals(10, total);
            assertNull(r.next());
        }
        assertArrayEquals(new byte[] {1}, new byte[] {1});
    }
}
