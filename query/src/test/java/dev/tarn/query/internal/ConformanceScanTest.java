package dev.tarn.query.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.query.internal.catalog.DeltaLakeCatalog;
import dev.tarn.query.internal.catalog.TableHandle;
import dev.tarn.query.internal.catalog.WriteSettings;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.testdata.ExpectedRowEncoder;
import dev.tarn.testdata.ExpectedTable;
import dev.tarn.testdata.RowMatcher;
import dev.tarn.testdata.SharedTestData;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads conformance tables written by Spark and other engines through the catalog's table handle (the path the SQL
 * engine's scans take) and compares the latest snapshot with the expected rows. Needs the shared test data
 * ({@code -Dtarn.test-data}); fails when it is configured but missing.
 */
class ConformanceScanTest {
    static BufferAllocator allocator;
    static ExecutorService executor;

    @BeforeAll
    static void start() {
        allocator = new RootAllocator();
        executor = Executors.newSingleThreadExecutor();
    }

    @AfterAll
    static void stop() {
        executor.shutdownNow();
        allocator.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "primitives", "basic-partitioned", "all-types-ntz", "inserts-deletes-checkpoint", "decimal-partitioned", "decimals-precision-scale", "escaped-partition-chars",
        "nested-arrays-maps", "maps", "colmap-name-all-types", "colmap-id-all-types", "timestamp-ntz",
        "timestamp-ntz-colmap-id", "partition-values-all-types", "schema-evolution-add-column", "void-column",
        "append-overwrite-delete", "time-travel-3-versions"})
    void latestSnapshotMatches(String name) {
        ExpectedTable table = ExpectedTable.named(name);
        ExpectedTable.Expectation expected = table.expectations().stream()
                .filter(e -> e.kind().equals("snapshot") && e.latest() && !e.json().has("projection")
                        && !e.json().has("requires"))
                .findFirst().orElseThrow(() -> new AssertionError(name + " has no latest snapshot expectation"));
        Path dir = SharedTestData.deltaTable(name);
        DeltaLakeCatalog catalog = new DeltaLakeCatalog(dir.getParent(), new LocalFileIO(), WriteSettings.DEFAULTS);
        TableHandle handle = catalog.tableByPath(dir.toString()).orElseThrow();
        assertEquals(expected.columnNames(), handle.schema().fieldNames());
        ZoneId zone = expected.json().has("session_time_zone")
                ? ZoneId.of(expected.json().get("session_time_zone").asText()) : ZoneOffset.UTC;
        List<JsonNode> actual = new ArrayList<>();
        int[] all = IntStream.range(0, handle.schema().size()).toArray();
        try (Operator scan = handle.scan(all, List.of())) {
            scan.open(new ExecutionContext(allocator, executor, 1, zone));
            for (VectorSchemaRoot b = scan.next(); b != null; b = scan.next()) {
                actual.addAll(ExpectedRowEncoder.encode(b));
            }
        }
        assertEquals(expected.json().get("row_count").asInt(), actual.size(), name + " row count");
        assertNull(RowMatcher.difference(expected.rows(), actual), name);
        assertTrue(allocator.getAllocatedMemory() == 0, name + " leaked Arrow memory");
    }
}
