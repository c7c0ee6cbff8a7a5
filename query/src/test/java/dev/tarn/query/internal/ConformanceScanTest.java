package dev.tarn.query.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.QueryResult;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.Session;
import dev.tarn.query.internal.catalog.DeltaLakeCatalog;
import dev.tarn.query.internal.catalog.TableHandle;
import dev.tarn.query.internal.write.WriteSettings;
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
import org.junit.jupiter.api.io.TempDir;
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
        "primitives", "basic-partitioned", "all-types-ntz", "checkpoint-every-commit", "inserts-deletes-checkpoint",
        "multi-part-checkpoint", "decimal-partitioned", "decimals-precision-scale", "escaped-partition-chars",
        "nested-arrays-maps", "maps", "colmap-name-all-types", "colmap-id-all-types", "timestamp-ntz",
        "timestamp-ntz-colmap-id", "partition-values-all-types", "schema-evolution-add-column", "void-column",
        "append-overwrite-delete", "time-travel-3-versions", "dv-small", "dv-short", "dv-with-checkpoint",
        "dv-large-time-travel", "dv-colmap-name", "dv-partitioned-checkpoint", "dv-log-replay-keys",
        "dv-dbr-many-versions", "cdf-inline-dv", "timestamp-int96", "timestamp-pst-writer", "edge-timestamps",
        "overwrite-restore", "corrupted-last-checkpoint", "v2-checkpoint-json-sidecars",
        "v2-checkpoint-parquet-sidecars", "v2-classic-named-checkpoint", "v2-checkpoint-databricks",
        "delta-0.1.0-legacy", "unknown-actions-and-fields", "txn-in-checkpoint", "stats-parsed-only-checkpoint",
        "log-compaction-dv-cdf", "type-widening", "timestamp-iso-partition", "protocol-upgrade-and-schema-merge",
        "partitioning-change", "vacuum-protocol-check", "colmap-renamed-partition", "row-tracking-liquid-preview",
        "cdf-partitioned", "cdf-in-commit-timestamps"})
    void latestSnapshotMatches(String name) {
        ExpectedTable.Expectation expected = latest(name);
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
        long estimate = handle.estimatedRowCount();
        assertTrue(estimate == -1 || estimate == actual.size(), name + ": estimated " + estimate + " rows");
        assertNull(RowMatcher.difference(expected.rows(), actual), name);
        assertTrue(allocator.getAllocatedMemory() == 0, name + " leaked Arrow memory");
    }

    /** The same through SQL: {@code SELECT * FROM delta.`<path>`} in a session. */
    @ParameterizedTest
    @ValueSource(strings = {"primitives", "basic-partitioned", "all-types-ntz", "checkpoint-every-commit",
        "inserts-deletes-checkpoint", "dv-with-checkpoint", "colmap-name-all-types", "nested-arrays-maps"})
    void selectStarThroughSql(String name, @TempDir Path lake) {
        ExpectedTable.Expectation expected = latest(name);
        Path dir = SharedTestData.deltaTable(name);
        try (Database db = Database.open(DatabaseConfig.of(lake))) {
            Session session = db.newSession();
            QueryResult result = session.execute("SELECT * FROM delta.`" + dir + "`");
            assertEquals(expected.columnNames(), result.columns().stream().map(ResultColumn::name).toList());
            List<JsonNode> actual = new ArrayList<>();
            try (result) {
                for (VectorSchemaRoot b = result.nextBatch(); b != null; b = result.nextBatch()) {
                    actual.addAll(ExpectedRowEncoder.encode(b));
                }
            }
            assertNull(RowMatcher.difference(expected.rows(), actual), name);
        }
    }

    private static ExpectedTable.Expectation latest(String name) {
        return ExpectedTable.named(name).expectations().stream()
                .filter(e -> e.kind().equals("snapshot") && e.latest() && !e.json().has("projection")
                        && !e.json().has("requires"))
                .findFirst().orElseThrow(() -> new AssertionError(name + " has no latest snapshot expectation"));
    }
}
