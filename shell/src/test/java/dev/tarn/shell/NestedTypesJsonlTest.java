package dev.tarn.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.testdata.ExpectedTable;
import dev.tarn.testdata.RowMatcher;
import dev.tarn.testdata.SharedTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * jsonl output of nested types (ARRAY, STRUCT, MAP, nested in each other) for Spark-written conformance tables,
 * compared with the tables' expected rows.
 */
class NestedTypesJsonlTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"maps", "nested-arrays-maps"})
    void jsonlMatchesTheExpectedRows(String table) throws Exception {
        ExpectedTable expected = ExpectedTable.named(table);
        ExpectedTable.Expectation snapshot = expected.expectations().stream()
                .filter(e -> e.kind().equals("snapshot") && e.latest()).findFirst().orElseThrow();
        String name = table.replace('-', '_');
        copy(SharedTestData.deltaTable(table), dir.resolve("lake").resolve("default").resolve(name));

        CliRun r = CliRun.run(dir, "sql", "--lake", "lake", "--format", "jsonl", "-c", "select * from " + name);
        assertEquals(0, r.exitCode(), r.err());
        List<String> columns = snapshot.columnNames();
        List<JsonNode> actual = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            JsonNode object = JSON.readTree(line);
            List<String> keys = new ArrayList<>();
            object.fieldNames().forEachRemaining(keys::add);
            assertEquals(columns, keys, "keys in column order");
            ArrayNode row = JsonNodeFactory.instance.arrayNode();
            for (String c : columns) {
                row.add(mapsAsPairs(object.get(c)));
            }
            actual.add(row);
        }
        assertNull(RowMatcher.difference(snapshot.rows(), actual));
    }

    /** The conformance files write a map as [[key, value], ...]; Tarn's jsonl as [{"key":..,"value":..}, ...]. */
    private static JsonNode mapsAsPairs(JsonNode node) {
        if (node.isArray()) {
            boolean entries = node.size() > 0;
            for (JsonNode e : node) {
                entries &= e.isObject() && e.size() == 2 && e.has("key") && e.has("value");
            }
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (JsonNode e : node) {
                out.add(entries ? JsonNodeFactory.instance.arrayNode().add(mapsAsPairs(e.get("key")))
                        .add(mapsAsPairs(e.get("value"))) : mapsAsPairs(e));
            }
            return out;
        }
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                out.set(f.getKey(), mapsAsPairs(f.getValue()));
            }
            return out;
        }
        return node;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
