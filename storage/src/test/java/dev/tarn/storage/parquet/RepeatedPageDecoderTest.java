package dev.tarn.storage.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.storage.parquet.internal.ParquetIo;
import dev.tarn.storage.parquet.internal.TarnCodecFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.GroupWriter;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The page decoder on repeated columns (maps, lists, lists of lists, lists of structs, unannotated repeated fields,
 * a map inside a struct) against the column-reader path: null, empty and non-empty collections, null elements and
 * values, many small pages (so batches of 333 rows start and end inside pages), several row groups, skipped groups.
 */
class RepeatedPageDecoderTest {
    @TempDir
    Path dir;

    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message repeated_columns {
              required int64 id;
              optional group tags (MAP) {
                repeated group key_value { required binary key (STRING); optional binary value (STRING); }
              }
              optional group nums (LIST) { repeated group list { optional int32 element; } }
              optional group grid (LIST) {
                repeated group list { optional group element (LIST) { repeated group list { optional double element; } } }
              }
              optional group items (LIST) {
                repeated group list { optional group element { optional int64 a; optional binary b (STRING); } }
              }
              repeated int32 legacy;
              optional group s {
                optional group m (MAP) { repeated group key_value { required binary key (STRING); optional int64 value; } }
                optional boolean f;
              }
            }
            """);
    private static final int[] GROUP_ROWS = {1200, 50, 1750};

    @ParameterizedTest
    @EnumSource(value = PageDecoderTest.Variant.class, names = {"V1_DICTIONARY", "V1_PLAIN", "V2_DICTIONARY", "V2_DELTA"})
    void repeatedColumnsMatchColumnReader(PageDecoderTest.Variant variant) throws Exception {
        String location = dir.resolve("repeated-" + variant + ".parquet").toString();
        write(location, variant);
        assertTrue(PageDecoderTest.encodings(location).containsAll(variant.expectedEncodings.stream()
                .filter(e -> e != Encoding.DELTA_BYTE_ARRAY).toList()));

        Schema schema = PageDecoderTest.fileSchema(location);
        List<List<Object>> fast = PageDecoderTest.read(location, schema, true, g -> true);
        List<List<Object>> slow = PageDecoderTest.read(location, schema, false, g -> true);
        int rows = Arrays.stream(GROUP_ROWS).sum();
        assertEquals(rows, fast.size());
        for (int i = 0; i < rows; i++) {
            assertEquals(slow.get(i), fast.get(i), "row " + i);
        }
        // Every row, not a sample: the assembler reuses its per-batch scratch arrays, so batch sizes that shrink
        // and grow (333 rows, then the short last batch of each row group) must leave nothing of the previous one.
        for (int i = 0; i < rows; i++) {
            assertEquals(expectedRow(i), fast.get(i).subList(0, 8), "row " + i);
            assertEquals(expectedRow(i), slow.get(i).subList(0, 8), "row " + i);
        }
        List<List<Object>> skipped = PageDecoderTest.read(location, schema, true, g -> g != 0);
        assertEquals(PageDecoderTest.read(location, schema, false, g -> g != 0), skipped);
        assertEquals(expectedRow(GROUP_ROWS[0]), skipped.get(0).subList(0, 8));
    }

    /** Row {@code i} as the reader returns it (maps insertion ordered, lists as lists, structs as Struct). */
    private static List<Object> expectedRow(int i) {
        return Arrays.asList((long) i, tags(i), nums(i), grid(i), items(i), legacy(i), struct(i), (long) i);
    }

    private static Map<String, String> tags(int i) {
        if (i % 5 == 0) {
            return null;
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int k = 0; k < i % 4; k++) {
            m.put("k" + k, (i + k) % 3 == 0 ? null : "v" + (i % 17) + "_" + k);
        }
        return m;
    }

    private static List<Integer> nums(int i) {
        if (i % 7 == 0) {
            return null;
        }
        List<Integer> l = new ArrayList<>();
        for (int k = 0; k < i % 6; k++) {
            l.add((i + k) % 4 == 0 ? null : i * 10 + k);
        }
        return l;
    }

    private static List<List<Double>> grid(int i) {
        if (i % 3 == 0) {
            return null;
        }
        List<List<Double>> outer = new ArrayList<>();
        for (int k = 0; k < i % 4; k++) {
            if ((i + k) % 5 == 0) {
                outer.add(null);
                continue;
            }
            List<Double> inner = new ArrayList<>();
            for (int j = 0; j < (i + k) % 3; j++) {
                inner.add((i + j) % 7 == 0 ? null : i + k / 10.0 + j / 100.0);
            }
            outer.add(inner);
        }
        return outer;
    }

    private static List<ArrowValues.Struct> items(int i) {
        if (i % 11 == 0) {
            return null;
        }
        List<ArrowValues.Struct> l = new ArrayList<>();
        for (int k = 0; k < i % 3; k++) {
            l.add((i + k) % 5 == 0 ? null
                    : ArrowValues.Struct.of(k % 2 == 0 ? null : (long) i * k, "b" + (i % 9)));
        }
        return l;
    }

    private static List<Integer> legacy(int i) {
        List<Integer> l = new ArrayList<>();
        for (int k = 0; k < i % 3; k++) {
            l.add(-i - k);
        }
        return l;
    }

    private static ArrowValues.Struct struct(int i) {
        if (i % 13 == 0) {
            return null;
        }
        Map<String, Long> m = null;
        if (i % 4 != 1) {
            m = new LinkedHashMap<>();
            for (int k = 0; k < i % 3; k++) {
                m.put("x" + k, k == 1 ? null : (long) i + k);
            }
        }
        return ArrowValues.Struct.of(m, i % 2 == 0 ? null : i % 3 == 0);
    }

    static void write(String location, PageDecoderTest.Variant variant) throws Exception {
        ParquetProperties properties = ParquetProperties.builder().withWriterVersion(variant.version)
                .withPageSize(512).withPageRowCountLimit(97)
                .withDictionaryPageSize(1024).withDictionaryEncoding(variant.dictionary).build();
        ParquetFileWriter fw = new ParquetFileWriter(ParquetIo.outputFile(new LocalFileIO().newOutputFile(location)),
                SCHEMA, ParquetFileWriter.Mode.OVERWRITE, 1 << 20, 0, 64, Integer.MAX_VALUE, false);
        fw.start();
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        int row = 0;
        for (int groupRows : GROUP_ROWS) {
            ColumnChunkPageWriteStore pages = new ColumnChunkPageWriteStore(
                    new TarnCodecFactory(3).getCompressor(variant.codec), SCHEMA, new HeapByteBufferAllocator(), 64, false);
            ColumnWriteStore store = properties.newColumnWriteStore(SCHEMA, pages, pages);
            RecordConsumer consumer = new ColumnIOFactory().getColumnIO(SCHEMA).getRecordWriter(store);
            GroupWriter writer = new GroupWriter(consumer, SCHEMA);
            for (int k = 0; k < groupRows; k++, row++) {
                writer.write(record(groups, row)); // ends the record in the store
            }
            consumer.flush(); // nulls of missing fields are written lazily
            fw.startBlock(groupRows);
            store.flush();
            pages.flushToFileWriter(fw);
            fw.endBlock();
        }
        fw.end(Map.of());
    }

    private static Group record(SimpleGroupFactory groups, int i) {
        Group g = groups.newGroup();
        g.add("id", (long) i);
        Map<String, String> tags = tags(i);
        if (tags != null) {
            Group m = g.addGroup("tags");
            tags.forEach((k, v) -> {
                Group kv = m.addGroup("key_value");
                kv.add("key", k);
                if (v != null) {
                    kv.add("value", v);
                }
            });
        }
        List<Integer> nums = nums(i);
        if (nums != null) {
            Group l = g.addGroup("nums");
            for (Integer n : nums) {
                Group e = l.addGroup("list");
                if (n != null) {
                    e.add("element", n);
                }
            }
        }
        List<List<Double>> grid = grid(i);
        if (grid != null) {
            Group l = g.addGroup("grid");
            for (List<Double> inner : grid) {
                Group e = l.addGroup("list");
                if (inner != null) {
                    Group il = e.addGroup("element");
                    for (Double d : inner) {
                        Group ie = il.addGroup("list");
                        if (d != null) {
                            ie.add("element", d);
                        }
                    }
                }
            }
        }
        List<ArrowValues.Struct> items = items(i);
        if (items != null) {
            Group l = g.addGroup("items");
            for (ArrowValues.Struct s : items) {
                Group e = l.addGroup("list");
                if (s != null) {
                    Group st = e.addGroup("element");
                    if (s.fields().get(0) != null) {
                        st.add("a", (long) s.fields().get(0));
                    }
                    st.add("b", (String) s.fields().get(1));
                }
            }
        }
        for (int n : legacy(i)) {
            g.add("legacy", n);
        }
        ArrowValues.Struct s = struct(i);
        if (s != null) {
            Group sg = g.addGroup("s");
            @SuppressWarnings("unchecked")
            Map<String, Long> m = (Map<String, Long>) s.fields().get(0);
            if (m != null) {
                Group mg = sg.addGroup("m");
                m.forEach((k, v) -> {
                    Group kv = mg.addGroup("key_value");
                    kv.add("key", k);
                    if (v != null) {
                        kv.add("value", v);
                    }
                });
            }
            if (s.fields().get(1) != null) {
                sg.add("f", (boolean) s.fields().get(1));
            }
        }
        return g;
    }
}
