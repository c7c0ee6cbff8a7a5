package dev.tarn.storage.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.storage.fs.LocalFileIO;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reading a file in parts ({@link ParquetReadRequest#withPart}), as parallel workers sharing one file do: the parts
 * together return exactly the rows of a whole read, in order and with their physical row indexes, for every page
 * layout the page decoder reads, with a row filter and skipped row groups; cuts fall inside row groups at page
 * starts when every column is page-decoded, and only at row-group boundaries otherwise.
 */
class FilePartsTest {
    @TempDir
    Path dir;

    /** Row-group starts of PageDecoderTest's files (groups of 2500, 1700 and 3100 rows). */
    private static final Set<Long> GROUP_STARTS = Set.of(0L, 2500L, 4200L, 7300L);

    @ParameterizedTest
    @EnumSource(PageDecoderTest.Variant.class)
    void partsTogetherReadTheWholeFile(PageDecoderTest.Variant variant) throws Exception {
        String location = dir.resolve(variant + ".parquet").toString();
        PageDecoderTest.write(location, variant);
        Schema schema = PageDecoderTest.fileSchema(location);
        for (IntPredicate groups : List.<IntPredicate>of(g -> true, g -> g != 1)) {
            for (ParquetRowFilter filter : java.util.Arrays.asList(null, PageDecoderTest.SMALL_AND_DAY)) {
                List<List<Object>> whole = readParts(location, schema, groups, filter, 1, null);
                for (int parts : new int[] {2, 3, 7, 40}) {
                    Set<Long> cuts = new TreeSet<>();
                    assertEquals(whole, readParts(location, schema, groups, filter, parts, cuts),
                            parts + " parts of " + variant);
                    if (parts == 7) {
                        assertTrue(cuts.stream().anyMatch(c -> !GROUP_STARTS.contains(c)),
                                "some cut inside a row group: " + cuts);
                    }
                }
            }
        }
    }

    /**
     * Parts sharing one {@link DictionaryCache} (as a parallel scan's workers do) read the same rows as parts that
     * decode their own dictionaries, also when the parts run at the same time; the cache then holds each row group's
     * dictionaries, decoded by whichever part came first.
     */
    @ParameterizedTest
    @EnumSource(PageDecoderTest.Variant.class)
    void partsSharingDecodedDictionariesReadTheSameRows(PageDecoderTest.Variant variant) throws Exception {
        String location = dir.resolve("shared-" + variant + ".parquet").toString();
        PageDecoderTest.write(location, variant);
        Schema schema = PageDecoderTest.fileSchema(location);
        for (ParquetRowFilter filter : java.util.Arrays.asList(null, PageDecoderTest.SMALL_AND_DAY)) {
            List<List<Object>> whole = readParts(location, schema, g -> true, filter, 1, null);
            DictionaryCache cache = new DictionaryCache();
            assertEquals(whole, readParts(location, schema, g -> true, filter, 7, null, cache), variant + " in order");
            assertTrue(cache.size() > 0, "dictionaries were asked for");
            int held = cache.size();
            // Parts on several threads at once, with a fresh cache, concatenated in part order.
            DictionaryCache concurrent = new DictionaryCache();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                List<java.util.concurrent.Future<List<List<Object>>>> futures = new ArrayList<>();
                for (int part = 0; part < 7; part++) {
                    int p = part;
                    futures.add(pool.submit(() -> readPart(location, schema, filter, p, 7, concurrent)));
                }
                List<List<Object>> rows = new ArrayList<>();
                for (java.util.concurrent.Future<List<List<Object>>> f : futures) {
                    rows.addAll(f.get());
                }
                assertEquals(whole, rows, variant + " concurrently");
                assertEquals(held, concurrent.size());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static List<List<Object>> readPart(String location, Schema schema, ParquetRowFilter filter, int part,
                                               int parts, DictionaryCache dictionaries) {
        List<List<Object>> rows = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator()) {
            ParquetReadRequest request = new ParquetReadRequest(schema, true, 333, g -> true, filter)
                    .withPart(part, parts).withDictionaries(dictionaries);
            try (ArrowParquetReader r = ArrowParquetReader.open(new LocalFileIO().newInputFile(location), request,
                    allocator)) {
                for (VectorSchemaRoot b = r.next(); b != null; b = r.next()) {
                    rows.addAll(ArrowValues.rows(b));
                }
            }
        }
        return rows;
    }

    @Test
    void projectedColumnsAndNoColumns() throws Exception {
        String location = dir.resolve("projection.parquet").toString();
        PageDecoderTest.write(location, PageDecoderTest.Variant.V2_DICTIONARY);
        Schema full = PageDecoderTest.fileSchema(location);
        Schema two = new Schema(List.of(full.getFields().get(2), full.getFields().get(8)));
        assertEquals(readParts(location, two, g -> true, null, 1, null),
                readParts(location, two, g -> true, null, 5, null));
        // No stored column: only row indexes, cut anywhere.
        Schema none = new Schema(List.of());
        Set<Long> cuts = new TreeSet<>();
        List<List<Object>> rows = readParts(location, none, g -> true, null, 4, cuts);
        assertEquals(7300, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(List.of((long) i), rows.get(i));
        }
        assertEquals(Set.of(0L, 1825L, 3650L, 5475L), cuts);
    }

    /** A file with repeated columns: the cuts stay at row-group boundaries unless all its columns are page-decoded. */
    @ParameterizedTest
    @EnumSource(value = PageDecoderTest.Variant.class, names = {"V1_DICTIONARY", "V2_DELTA"})
    void repeatedColumnsSplitToo(PageDecoderTest.Variant variant) throws Exception {
        String location = dir.resolve("repeated-" + variant + ".parquet").toString();
        RepeatedPageDecoderTest.write(location, variant);
        Schema schema = PageDecoderTest.fileSchema(location);
        List<List<Object>> whole = readParts(location, schema, g -> true, null, 1, null);
        assertEquals(3000, whole.size());
        for (int parts : new int[] {2, 5, 11}) {
            assertEquals(whole, readParts(location, schema, g -> true, null, parts, null), parts + " parts");
        }
    }

    /** Keeps pages whose day range may meet [23000, 23600) (day = 18000 + row, so a run of consecutive rows). */
    private static final java.util.function.Predicate<RowGroupInfo> DAYS = page -> page.column(List.of("day"))
            .filter(s -> s.min() != null && s.max() != null)
            .map(s -> ((java.time.LocalDate) s.max()).toEpochDay() >= 23000
                    && ((java.time.LocalDate) s.min()).toEpochDay() < 23600)
            .orElse(true);

    /**
     * With a page filter only the pages from the first to the last whose column-index statistics may match are read
     * (in whole reads and in parts), and every matching row is still returned with its row index.
     */
    @ParameterizedTest
    @EnumSource(PageDecoderTest.Variant.class)
    void pageStatisticsTrimTheRowsRead(PageDecoderTest.Variant variant) throws Exception {
        String location = dir.resolve("pages-" + variant + ".parquet").toString();
        PageDecoderTest.write(location, variant);
        Schema schema = PageDecoderTest.fileSchema(location);
        List<List<Object>> expected = matching(readParts(location, schema, g -> true, null, 1, null));
        assertEquals(600 - 600 / 9 - 1, expected.size());
        for (int parts : new int[] {1, 3}) {
            List<List<Object>> rows = new ArrayList<>();
            long scanned = 0;
            try (BufferAllocator allocator = new RootAllocator()) {
                for (int part = 0; part < parts; part++) {
                    ParquetReadRequest request = new ParquetReadRequest(schema, true, 333, g -> true, null)
                            .withPart(part, parts).withPageFilter(DAYS);
                    try (ArrowParquetReader r = ArrowParquetReader.open(new LocalFileIO().newInputFile(location),
                            request, allocator)) {
                        for (VectorSchemaRoot b = r.next(); b != null; b = r.next()) {
                            rows.addAll(ArrowValues.rows(b));
                        }
                        scanned += r.rowsScanned();
                    }
                }
            }
            assertEquals(expected, matching(rows), parts + " parts");
            // Pages of at most 700 rows: the 600 matching rows lie in at most three pages of the day column.
            assertTrue(scanned <= 2100 && scanned >= 600, "scanned " + scanned);
        }
    }

    private static List<List<Object>> matching(List<List<Object>> rows) {
        return rows.stream().filter(r -> r.get(8) instanceof java.time.LocalDate d
                && d.toEpochDay() >= 23000 && d.toEpochDay() < 23600).toList();
    }

    /** Rows (with the row index last) of parts {@code 0..parts-1} read one after another; adds each part's start. */
    private static List<List<Object>> readParts(String location, Schema schema, IntPredicate groups,
                                                ParquetRowFilter filter, int parts, Set<Long> cuts) {
        return readParts(location, schema, groups, filter, parts, cuts, null);
    }

    private static List<List<Object>> readParts(String location, Schema schema, IntPredicate groups,
                                                ParquetRowFilter filter, int parts, Set<Long> cuts,
                                                DictionaryCache dictionaries) {
        List<List<Object>> rows = new ArrayList<>();
        long expectedStart = 0;
        try (BufferAllocator allocator = new RootAllocator()) {
            for (int part = 0; part < parts; part++) {
                ParquetReadRequest request = new ParquetReadRequest(schema, true, 333, groups, filter).withPart(part, parts);
                if (dictionaries != null) {
                    request = request.withDictionaries(dictionaries);
                }
                try (ArrowParquetReader r = ArrowParquetReader.open(new LocalFileIO().newInputFile(location), request,
                        allocator)) {
                    assertEquals(expectedStart, r.firstRow(), "part " + part + " starts where the last ended");
                    assertTrue(r.endRow() >= r.firstRow());
                    expectedStart = r.endRow();
                    if (cuts != null) {
                        cuts.add(r.firstRow());
                    }
                    for (VectorSchemaRoot b = r.next(); b != null; b = r.next()) {
                        rows.addAll(ArrowValues.rows(b));
                    }
                }
            }
            assertEquals(PageDecoderTest.fileInfoRows(location), expectedStart, "the last part ends the file");
        }
        return rows;
    }
}
