package dev.tarn.storage.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.storage.fs.LocalFileIO;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads Parquet files written by Spark (shared conformance tables) and checks every value against the rows of the
 * table's expected file. Partition columns are not stored in the files and are left out of the comparison.
 */
class SparkParquetFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");

    static Path testData() {
        String dir = System.getProperty("tarn.test-data");
        assumeTrue(dir != null && !dir.isBlank(), "tarn.test-data is not set");
        Path p = Path.of(dir);
        assertTrue(Files.isDirectory(p), "tarn.test-data is set but missing: " + p);
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"primitives", "timestamp-int96", "decimals-precision-scale", "nested-arrays-maps", "maps",
            "all-types-ntz", "edge-timestamps", "timestamp-ntz", "decimal-partitioned", "partition-values-all-types"})
    void sparkWrittenFilesMatchExpectedRows(String table) throws IOException {
        Path tables = testData().resolve("delta-tables");
        JsonNode expected = JSON.readTree(tables.resolve(table + ".expected.json").toFile());
        JsonNode snapshot = null;
        for (JsonNode e : expected.get("expectations")) {
            if (e.get("kind").asText().equals("snapshot") && e.path("latest").asBoolean(false) && !e.has("projection")) {
                snapshot = e;
            }
        }
        assertTrue(snapshot != null, "no latest snapshot expectation for " + table);
        Path root = tables.resolve(table);
        List<Path> files = activeFiles(root, snapshot.get("version").asLong());
        assertFalse(files.isEmpty());

        LocalFileIO io = new LocalFileIO();
        List<String> columnNames = new ArrayList<>();
        snapshot.get("columns").forEach(c -> columnNames.add(c.get("name").asText()));
        List<String> actual = new ArrayList<>();
        List<Integer> compared = null;
        try (BufferAllocator allocator = new RootAllocator()) {
            for (Path file : files) {
                Schema fileSchema;
                try (ArrowParquetReader r = ArrowParquetReader.open(io.newInputFile(file.toString()),
                        ParquetReadRequest.of(new Schema(List.of()), false), allocator)) {
                    fileSchema = r.fileInfo().fileSchema();
                }
                List<Field> requested = new ArrayList<>();
                List<Integer> indexes = new ArrayList<>();
                for (int i = 0; i < columnNames.size(); i++) {
                    for (Field f : fileSchema.getFields()) {
                        if (f.getName().equals(columnNames.get(i))) {
                            requested.add(f);
                            indexes.add(i);
                        }
                    }
                }
                if (compared == null) {
                    compared = indexes;
                }
                assertEquals(compared, indexes, "every file of " + table + " stores the same columns");
                try (ArrowParquetReader r = ArrowParquetReader.open(io.newInputFile(file.toString()),
                        new ParquetReadRequest(new Schema(requested), false, 3, g -> true), allocator)) {
                    VectorSchemaRoot b;
                    while ((b = r.next()) != null) {
                        for (int row = 0; row < b.getRowCount(); row++) {
                            ArrayNode out = JsonNodeFactory.instance.arrayNode();
                            for (int c = 0; c < requested.size(); c++) {
                                out.add(encode(b.getVector(c), row));
                            }
                            actual.add(JSON.writeValueAsString(out));
                        }
                    }
                }
            }
        }
        List<String> expectedRows = new ArrayList<>();
        for (JsonNode row : snapshot.get("rows")) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (int i : compared) {
                out.add(row.get(i));
            }
            expectedRows.add(JSON.writeValueAsString(out));
        }
        actual.sort(Comparator.naturalOrder());
        expectedRows.sort(Comparator.naturalOrder());
        assertTrue(compared.size() > 0);
        assertEquals(expectedRows, actual, table);
    }

    @ParameterizedTest
    @ValueSource(strings = {"primitives", "nested-arrays-maps", "decimals-precision-scale"})
    void rowGroupStatisticsAgreeWithTheValues(String table) throws IOException {
        Path root = testData().resolve("delta-tables").resolve(table);
        LocalFileIO io = new LocalFileIO();
        try (BufferAllocator allocator = new RootAllocator()) {
            for (Path file : activeFiles(root, Long.MAX_VALUE)) {
                ParquetFileInfo info;
                try (ArrowParquetReader r = ArrowParquetReader.open(io.newInputFile(file.toString()),
                        ParquetReadRequest.of(new Schema(List.of()), false), allocator)) {
                    info = r.fileInfo();
                }
                for (RowGroupInfo g : info.rowGroups()) {
                    assertFalse(g.columns().isEmpty());
                    for (ColumnStatistics stats : g.columns()) {
                        assertEquals(1, stats.path().size(), "no statistics for leaves inside lists or maps: " + stats.path());
                        Field field = info.fileSchema().findField(stats.path().get(0));
                        List<Object> values = new ArrayList<>();
                        try (ArrowParquetReader r = ArrowParquetReader.open(io.newInputFile(file.toString()),
                                new ParquetReadRequest(new Schema(List.of(field)), false, 1000, o -> o == g.ordinal()), allocator)) {
                            VectorSchemaRoot b;
                            while ((b = r.next()) != null) {
                                for (int i = 0; i < b.getRowCount(); i++) {
                                    values.add(ArrowValues.get(b.getVector(0), i));
                                }
                            }
                        }
                        assertEquals(g.rowCount(), values.size());
                        assertEquals(values.stream().filter(java.util.Objects::isNull).count(), stats.nullCount(), stats.path().toString());
                        List<Comparable<Object>> present = new ArrayList<>();
                        for (Object v : values) {
                            if (v != null && stats.min() != null) {
                                @SuppressWarnings("unchecked")
                                Comparable<Object> c = (Comparable<Object>) v;
                                present.add(c);
                            }
                        }
                        if (!present.isEmpty() && stats.min() instanceof Number && (stats.min() instanceof Float || stats.min() instanceof Double)) {
                            // Parquet writers record a zero bound as -0.0 (min) / +0.0 (max): compare numerically.
                            assertEquals(((Number) java.util.Collections.min(present)).doubleValue(), ((Number) stats.min()).doubleValue(), 0.0);
                            assertEquals(((Number) java.util.Collections.max(present)).doubleValue(), ((Number) stats.max()).doubleValue(), 0.0);
                        } else if (!present.isEmpty()) {
                            assertEquals(0, java.util.Collections.min(present).compareTo(stats.min()), stats.path() + " min");
                            assertEquals(0, java.util.Collections.max(present).compareTo(stats.max()), stats.path() + " max");
                        }
                    }
                }
            }
        }
    }

    /** Data files added and not removed up to {@code version}, replaying the JSON commits. */
    static List<Path> activeFiles(Path table, long version) throws IOException {
        Set<String> active = new LinkedHashSet<>();
        try (Stream<Path> commits = Files.list(table.resolve("_delta_log"))) {
            for (Path commit : commits.filter(p -> p.getFileName().toString().matches("\\d{20}\\.json")).sorted().toList()) {
                if (Long.parseLong(commit.getFileName().toString().substring(0, 20)) > version) {
                    continue;
                }
                for (String line : Files.readAllLines(commit)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode action = JSON.readTree(line);
                    if (action.has("add")) {
                        active.add(action.get("add").get("path").asText());
                    } else if (action.has("remove")) {
                        active.remove(action.get("remove").get("path").asText());
                    }
                }
            }
        }
        List<Path> files = new ArrayList<>();
        for (String p : active) {
            files.add(table.resolve(URLDecoder.decode(p.replace("+", "%2B"), StandardCharsets.UTF_8)));
        }
        return files;
    }

    static JsonNode encode(FieldVector v, int i) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v.isNull(i)) {
            return f.nullNode();
        }
        if (v instanceof MapVector m) {
            StructVector entries = (StructVector) m.getDataVector();
            List<ArrayNode> pairs = new ArrayList<>();
            for (int k = m.getElementStartIndex(i); k < m.getElementEndIndex(i); k++) {
                pairs.add(f.arrayNode().add(encode((FieldVector) entries.getChildByOrdinal(0), k))
                        .add(encode((FieldVector) entries.getChildByOrdinal(1), k)));
            }
            pairs.sort(Comparator.comparing(p -> p.get(0).toString()));
            ArrayNode a = f.arrayNode();
            pairs.forEach(a::add);
            return a;
        }
        if (v instanceof ListVector l) {
            ArrayNode a = f.arrayNode();
            for (int k = l.getElementStartIndex(i); k < l.getElementEndIndex(i); k++) {
                a.add(encode(l.getDataVector(), k));
            }
            return a;
        }
        if (v instanceof StructVector s) {
            ObjectNode o = f.objectNode();
            for (int c = 0; c < s.size(); c++) {
                FieldVector child = (FieldVector) s.getChildByOrdinal(c);
                o.set(child.getName(), encode(child, i));
            }
            return o;
        }
        return encode(ArrowValues.get(v, i));
    }

    /** A value in the expected-file encoding (see the test-data README). */
    static JsonNode encode(Object v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v == null) {
            return f.nullNode();
        }
        if (v instanceof Float x) {
            return floating(Double.parseDouble(Float.toString(x)));
        }
        if (v instanceof Double x) {
            return floating(x);
        }
        if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
            return f.numberNode(((Number) v).longValue());
        }
        if (v instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (v instanceof BigDecimal d) {
            return f.textNode(d.toPlainString());
        }
        if (v instanceof LocalDate d) {
            return f.textNode(d.toString());
        }
        if (v instanceof Instant i) {
            return f.textNode(TS.format(LocalDateTime.ofInstant(i, ZoneOffset.UTC)) + "Z");
        }
        if (v instanceof LocalDateTime t) {
            return f.textNode(TS.format(t));
        }
        if (v instanceof String s) {
            return f.textNode(s);
        }
        if (v instanceof Map<?, ?> m) {
            List<ArrayNode> pairs = new ArrayList<>();
            m.forEach((k, val) -> pairs.add(f.arrayNode().add(encode(k)).add(encode(val))));
            pairs.sort(Comparator.comparing(p -> p.get(0).toString()));
            ArrayNode a = f.arrayNode();
            pairs.forEach(a::add);
            return a;
        }
        if (v instanceof List<?> l) {
            ArrayNode a = f.arrayNode();
            l.forEach(x -> a.add(encode(x)));
            return a;
        }
        throw new IllegalArgumentException("cannot encode " + v.getClass());
    }

    private static JsonNode floating(double d) {
        if (Double.isNaN(d)) {
            return JsonNodeFactory.instance.textNode("NaN");
        }
        if (Double.isInfinite(d)) {
            return JsonNodeFactory.instance.textNode(d > 0 ? "Infinity" : "-Infinity");
        }
        return JsonNodeFactory.instance.numberNode(d);
    }
}
