package dev.tarn.testdata;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One {@code <name>.expected.json} of the conformance tables (format in {@code delta-tables/README.md}).
 */
public record ExpectedTable(String name, Path tableDir, Path expectedFile, List<Expectation> expectations) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public ExpectedTable {
        requireNonNull(name, "name is null");
        requireNonNull(tableDir, "tableDir is null");
        expectations = List.copyOf(expectations);
    }

    /**
     * One expectation: {@code kind} is snapshot, cdf, row_tracking, error, log or documented-rows; {@code json}
     * holds all of its fields as written.
     */
    public record Expectation(String table, int index, String kind, JsonNode json) {
        /** The version it applies to, or -1 for "latest" (an error expectation with a null version). */
        public long version() {
            JsonNode v = json.get("version");
            return v == null || v.isNull() ? -1 : v.asLong();
        }

        public boolean latest() {
            return json.path("latest").asBoolean(false);
        }

        /** Expected rows as JSON arrays (one array per row, in {@code columns} order) or objects, as written. */
        public List<JsonNode> rows() {
            List<JsonNode> rows = new ArrayList<>();
            json.path("rows").forEach(rows::add);
            return rows;
        }

        public List<String> columnNames() {
            List<String> names = new ArrayList<>();
            json.path("columns").forEach(c -> names.add(c.path("name").asText()));
            return names;
        }

        @Override
        public String toString() {
            return table + "#" + index + " " + kind + (json.has("version") ? "@v" + json.get("version") : "");
        }
    }

    public static ExpectedTable load(Path expectedFile) {
        try {
            JsonNode root = MAPPER.readTree(expectedFile.toFile());
            String name = root.path("table").asText();
            Path dir = expectedFile.getParent().resolve(root.path("table_dir").asText(name));
            List<Expectation> list = new ArrayList<>();
            int i = 0;
            for (JsonNode e : root.path("expectations")) {
                list.add(new Expectation(name, i++, e.path("kind").asText(), e));
            }
            return new ExpectedTable(name, dir.normalize(), expectedFile, list);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + expectedFile, e);
        }
    }

    /** Every conformance table, sorted by name. */
    public static List<ExpectedTable> all() {
        try (Stream<Path> files = Files.list(SharedTestData.deltaTables())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".expected.json"))
                    .sorted()
                    .map(ExpectedTable::load)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ExpectedTable named(String name) {
        return load(SharedTestData.deltaTables().resolve(name + ".expected.json"));
    }

    /** All expectations of one kind across every table. */
    public static List<Expectation> allOfKind(String kind) {
        return all().stream().flatMap(t -> t.expectations().stream()).filter(e -> e.kind().equals(kind)).toList();
    }
}
