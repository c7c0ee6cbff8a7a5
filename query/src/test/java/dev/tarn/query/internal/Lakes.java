package dev.tarn.query.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.query.QueryResult;
import dev.tarn.testdata.ExpectedRowEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Test helpers: read results as JSON rows, read a table's log and files. */
public final class Lakes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Lakes() {}

    /** Every row of a ROWS result (closed afterwards), in the conformance value encoding, as compact JSON text. */
    public static List<String> rows(QueryResult result) {
        try (result) {
            List<String> rows = new ArrayList<>();
            for (VectorSchemaRoot b = result.nextBatch(); b != null; b = result.nextBatch()) {
                for (JsonNode row : ExpectedRowEncoder.encode(b)) {
                    rows.add(row.toString());
                }
            }
            return rows;
        }
    }

    public static List<String> sorted(List<String> rows) {
        List<String> copy = new ArrayList<>(rows);
        copy.sort(null);
        return copy;
    }

    /** The actions of one commit, each as {@code {"add": {...}}} etc. */
    public static List<JsonNode> commit(Path table, long version) {
        Path file = table.resolve("_delta_log").resolve(String.format("%020d.json", version));
        try {
            List<JsonNode> actions = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    actions.add(JSON.readTree(line));
                }
            }
            return actions;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The actions of a commit with the given name ("add", "metaData", ...). */
    public static List<JsonNode> actions(Path table, long version, String name) {
        return commit(table, version).stream().filter(a -> a.has(name)).map(a -> a.get(name)).toList();
    }

    public static long commitCount(Path table) {
        try (Stream<Path> s = Files.list(table.resolve("_delta_log"))) {
            return s.filter(p -> p.getFileName().toString().matches("\\d{20}\\.json")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every Parquet data file below the table, relative paths, sorted. */
    public static List<String> dataFiles(Path table) {
        if (!Files.isDirectory(table)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(table)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
                    .filter(p -> !table.relativize(p).toString().startsWith("_delta_log"))
                    .map(p -> table.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
