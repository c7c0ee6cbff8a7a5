package dev.tarn.query.internal.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.Session;
import dev.tarn.query.internal.catalog.DeltaLakeCatalog;
import dev.tarn.query.internal.catalog.NewTable;
import dev.tarn.query.internal.catalog.TableHandle;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.plan.HiddenColumns;
import dev.tarn.query.internal.write.WriteSettings;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.testdata.ExpectedRowEncoder;
import dev.tarn.testdata.ExpectedTable;
import dev.tarn.testdata.RowMatcher;
import dev.tarn.testdata.SharedTestData;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hidden {@code _metadata} column through the table handle's scan: file fields and row tracking. */
class MetadataColumnTest {
    private static final ObjectMapper JSON = new ObjectMapper();
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

    /** Rows of {@code [column 0, _metadata]} as JSON, the struct as an object. */
    private static List<JsonNode> scan(TableHandle handle, int... columns) {
        List<JsonNode> rows = new ArrayList<>();
        try (Operator op = handle.scan(columns, List.of())) {
            op.open(new ExecutionContext(allocator, executor, 1, ZoneOffset.UTC));
            for (VectorSchemaRoot b = op.next(); b != null; b = op.next()) {
                rows.addAll(ExpectedRowEncoder.encode(b));
            }
        }
        assertEquals(0, allocator.getAllocatedMemory(), "leaked Arrow memory");
        return rows;
    }

    private static List<String> metadataFields(TableHandle handle) {
        List<StructField> hidden = ((HiddenColumns) handle).hiddenColumns();
        assertEquals(List.of("_metadata"), hidden.stream().map(StructField::name).toList());
        return ((StructType) hidden.get(0).type()).fieldNames();
    }

    @Test
    void rowTrackingFromBaseRowIdAndDefaultCommitVersion() {
        String name = "row-tracking-liquid-preview";
        Path dir = SharedTestData.deltaTable(name);
        TableHandle handle = new DeltaLakeCatalog(dir.getParent(), new LocalFileIO(), WriteSettings.DEFAULTS)
                .tableByPath(dir.toString()).orElseThrow();
        assertEquals(List.of("file_path", "file_name", "file_size", "file_modification_time", "row_index", "row_id",
                "row_commit_version"), metadataFields(handle));
        ExpectedTable.Expectation expected = ExpectedTable.named(name).expectations().stream()
                .filter(e -> e.kind().equals("row_tracking")).findFirst().orElseThrow();
        List<JsonNode> actual = new ArrayList<>();
        for (JsonNode row : scan(handle, 0, handle.schema().size())) {
            JsonNode m = row.get(1);
            assertTrue(m.get("file_path").asText().startsWith(dir.toString()), m.toString());
            assertEquals(0, m.get("row_index").asLong());
            ArrayNode out = JSON.createArrayNode();
            out.add(row.get(0)).add(m.get("row_id")).add(m.get("row_commit_version"));
            actual.add(out);
        }
        assertNull(RowMatcher.difference(expected.rows(), actual));
    }

    @Test
    void tablesWithoutRowTrackingHaveFileFieldsOnly() {
        Path dir = SharedTestData.deltaTable("dv-small");
        TableHandle handle = new DeltaLakeCatalog(dir.getParent(), new LocalFileIO(), WriteSettings.DEFAULTS)
                .tableByPath(dir.toString()).orElseThrow();
        assertEquals(List.of("file_path", "file_name", "file_size", "file_modification_time", "row_index"),
                metadataFields(handle));
        // Deleted rows are skipped; the survivors keep their physical positions.
        List<JsonNode> rows = scan(handle, handle.schema().size());
        Set<Long> indexes = new HashSet<>();
        rows.forEach(r -> indexes.add(r.get(0).get("row_index").asLong()));
        assertEquals(rows.size(), indexes.size());
        assertEquals(handle.estimatedRowCount() < 0 ? rows.size() : handle.estimatedRowCount(), rows.size());
    }

    @Test
    void rowIdsOfTablesTarnWrites(@TempDir Path lake) {
        try (Database db = Database.open(DatabaseConfig.of(lake)); Session s = db.newSession()) {
            s.execute("CREATE TABLE t (id INT) TBLPROPERTIES ('delta.enableRowTracking' = 'true')").close();
            s.execute("INSERT INTO t VALUES (1), (2), (3)").close();
            s.execute("INSERT INTO t VALUES (4), (5)").close();
        }
        TableHandle handle = new DeltaLakeCatalog(lake, new LocalFileIO(), WriteSettings.DEFAULTS)
                .table("default", "t").orElseThrow();
        List<JsonNode> rows = scan(handle, 0, 1);
        Set<Long> ids = new HashSet<>();
        for (JsonNode r : rows) {
            long id = r.get(0).asLong();
            JsonNode m = r.get(1);
            ids.add(m.get("row_id").asLong());
            assertEquals(id <= 3 ? 1 : 2, m.get("row_commit_version").asLong(), r.toString());
        }
        assertEquals(Set.of(0L, 1L, 2L, 3L, 4L), ids, "row ids are unique and dense");
    }

    /**
     * Materialized row-tracking columns win over the defaults where they hold a value. The table's logical columns
     * double as the materialized ones here (same physical names), which lets SQL INSERT write them.
     */
    @Test
    void materializedColumnsOverrideDefaults(@TempDir Path lake) {
        Path location = lake.resolve("default").resolve("m");
        StructType schema = StructType.of(new StructField("id", PrimitiveType.INTEGER, true),
                new StructField("mat_id", PrimitiveType.LONG, true),
                new StructField("mat_v", PrimitiveType.LONG, true));
        Map<String, String> conf = Map.of("delta.enableRowTracking", "true",
                "delta.rowTracking.materializedRowIdColumnName", "mat_id",
                "delta.rowTracking.materializedRowCommitVersionColumnName", "mat_v");
        NewTable.of(new LocalFileIO(), location.toString(), "default.m", schema, List.of(), conf, null,
                WriteSettings.DEFAULTS).create("CREATE TABLE");
        try (Database db = Database.open(DatabaseConfig.of(lake)); Session s = db.newSession()) {
            s.execute("INSERT INTO m VALUES (1, 100, 7), (2, NULL, NULL)").close();
            List<String> rows = dev.tarn.query.internal.Lakes.sorted(dev.tarn.query.internal.Lakes.rows(s.execute(
                    "SELECT id, _metadata.row_id, _metadata.row_commit_version FROM m")));
            assertEquals(List.of("[1,100,7]", "[2,1,1]"), rows);
        }
    }

    @Test
    void throughSqlHiddenFromStar(@TempDir Path lake) {
        try (Database db = Database.open(DatabaseConfig.of(lake)); Session s = db.newSession()) {
            s.execute("CREATE TABLE t (id INT) TBLPROPERTIES ('delta.enableRowTracking' = 'true')").close();
            s.execute("INSERT INTO t VALUES (1), (2), (3)").close();
            s.execute("INSERT INTO t VALUES (4), (5)").close();
            try (var r = s.execute("SELECT * FROM t")) {
                assertEquals(List.of("id"), r.columns().stream().map(c -> c.name()).toList());
            }
            List<String> rows = dev.tarn.query.internal.Lakes.sorted(dev.tarn.query.internal.Lakes.rows(s.execute(
                    "SELECT id, _metadata.row_id, _metadata.row_commit_version FROM t "
                            + "WHERE _metadata.row_commit_version = 2")));
            assertEquals(List.of("[4,3,2]", "[5,4,2]"), rows);
            // Past versions have their own row ids: the second insert's rows are not there yet.
            assertEquals(List.of("[3]"), dev.tarn.query.internal.Lakes.rows(s.execute(
                    "SELECT COUNT(DISTINCT _metadata.row_id) FROM t VERSION AS OF 1")));
        }
    }
}
