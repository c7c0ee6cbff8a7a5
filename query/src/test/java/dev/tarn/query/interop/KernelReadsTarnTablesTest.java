package dev.tarn.query.interop;

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
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.write.WriteSettings;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.testdata.ExpectedRowEncoder;
import dev.tarn.testdata.RowMatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tables Tarn writes read back by delta-kernel (the reference Java reader, default engine on Hadoop's local file
 * system) with the same rows Tarn returns. Nested values are appended through Tarn's table writer, since its SQL cannot
 * construct them yet. Runs in its own surefire execution ({@code interop}), the only one with
 * Hadoop and kernel on the classpath. The DML cases cover deletion vectors, copy-on-write rewrites and row tracking's
 * materialized columns left by DELETE, UPDATE, INSERT OVERWRITE and REPLACE WHERE.
 */
@Tag("interop")
class KernelReadsTarnTablesTest {
    @TempDir
    static Path lake;
    static Database db;
    static Session session;

    /** Each table: its name and the statements that make it, after CREATE TABLE. */
    record Case(String name, String create, List<String> then) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String EVERY_TYPE = "(b BOOLEAN, i8 TINYINT, i16 SMALLINT, i32 INT, i64 BIGINT, f FLOAT, d DOUBLE, "
            + "dec DECIMAL(10,2), big DECIMAL(38,6), s STRING, bin BINARY, dt DATE, ts TIMESTAMP, ntz TIMESTAMP_NTZ)";
    static final String EVERY_TYPE_ROWS = "INSERT INTO %s VALUES "
            + "(true, CAST(1 AS TINYINT), CAST(-2 AS SMALLINT), 3, 4000000000, CAST(1.5 AS FLOAT), 2.25, 12.34, "
            + "CAST('12345678901234567890.123456' AS DECIMAL(38,6)), 'héllo', X'00ff10', DATE '2024-02-29', "
            + "TIMESTAMP '2024-03-01 12:34:56.123456', CAST('2024-03-01 01:02:03.5' AS TIMESTAMP_NTZ)), "
            + "(false, CAST(-128 AS TINYINT), CAST(32767 AS SMALLINT), -2147483648, -1, CAST(-0.0 AS FLOAT), 1e300, "
            + "-0.01, CAST(0 AS DECIMAL(38,6)), '', X'', DATE '1900-01-01', TIMESTAMP '1970-01-01 00:00:00', "
            + "CAST('9999-12-31 23:59:59.999999' AS TIMESTAMP_NTZ)), "
            + "(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)";

    /** Not SQL: appends {@link NestedRows} through Tarn's table writer. */
    static final String APPEND_NESTED = "append nested rows";

    static Stream<Case> tables() {
        return Stream.of(
                new Case("plain", "CREATE TABLE plain (id BIGINT, name STRING)", List.of(
                        "INSERT INTO plain VALUES (1, 'a'), (2, NULL)",
                        "INSERT INTO plain VALUES (3, 'c')")),
                new Case("partitioned", "CREATE TABLE partitioned (id INT, region STRING, day DATE) "
                        + "PARTITIONED BY (region, day)", List.of(
                        "INSERT INTO partitioned VALUES (1, 'eu', DATE '2024-01-01'), (2, 'us', DATE '2024-01-02'), "
                                + "(3, NULL, NULL), (4, 'a b/c=d', DATE '2024-01-01')")),
                new Case("every_type", "CREATE TABLE every_type " + EVERY_TYPE, List.of(
                        String.format(EVERY_TYPE_ROWS, "every_type"))),
                new Case("checkpointed", "CREATE TABLE checkpointed (id INT, v STRING)", List.of(
                        "INSERT INTO checkpointed VALUES (1, 'a')",
                        "INSERT INTO checkpointed VALUES (2, 'b')",
                        "CHECKPOINT checkpointed",
                        "INSERT INTO checkpointed VALUES (3, 'c')")),
                new Case("v2_checkpointed", "CREATE TABLE v2_checkpointed (id INT, v STRING) "
                        + "TBLPROPERTIES ('delta.checkpointPolicy' = 'v2')", List.of(
                        "INSERT INTO v2_checkpointed VALUES (1, 'a')",
                        "INSERT INTO v2_checkpointed VALUES (2, 'b')",
                        "CHECKPOINT v2_checkpointed",
                        "INSERT INTO v2_checkpointed VALUES (3, 'c')")),
                new Case("mapped_by_name", "CREATE TABLE mapped_by_name " + EVERY_TYPE
                        + " TBLPROPERTIES ('delta.columnMapping.mode' = 'name')", List.of(
                        String.format(EVERY_TYPE_ROWS, "mapped_by_name"))),
                new Case("nested", "CREATE TABLE nested " + NestedRows.COLUMNS, List.of(APPEND_NESTED)),
                new Case("nested_mapped_by_id", "CREATE TABLE nested_mapped_by_id " + NestedRows.COLUMNS
                        + " TBLPROPERTIES ('delta.columnMapping.mode' = 'id')", List.of(APPEND_NESTED)),
                new Case("nested_mapped_by_name", "CREATE TABLE nested_mapped_by_name " + NestedRows.COLUMNS
                        + " TBLPROPERTIES ('delta.columnMapping.mode' = 'name')", List.of(APPEND_NESTED, APPEND_NESTED)),
                new Case("deleted_with_dvs", "CREATE TABLE deleted_with_dvs (id INT, name STRING, part STRING) "
                        + "PARTITIONED BY (part)", List.of(
                        "INSERT INTO deleted_with_dvs VALUES (1, 'a', 'x'), (2, 'b', 'x'), (3, 'c', 'y'), (4, 'd', 'y')",
                        "DELETE FROM deleted_with_dvs WHERE id = 2",
                        "DELETE FROM deleted_with_dvs WHERE id = 3",
                        "UPDATE deleted_with_dvs SET name = 'A' WHERE id = 1")),
                new Case("updated_with_row_tracking", "CREATE TABLE updated_with_row_tracking (id INT, v STRING) "
                        + "TBLPROPERTIES ('delta.enableRowTracking' = 'true', 'delta.enableChangeDataFeed' = 'true')",
                        List.of(
                        "INSERT INTO updated_with_row_tracking VALUES (1, 'a'), (2, 'b'), (3, 'c')",
                        "UPDATE updated_with_row_tracking SET v = 'B' WHERE id = 2",
                        "DELETE FROM updated_with_row_tracking WHERE id = 3",
                        "INSERT INTO updated_with_row_tracking REPLACE WHERE id = 1 VALUES (1, 'j')")),
                new Case("copy_on_write", "CREATE TABLE copy_on_write (id INT, v STRING) TBLPROPERTIES "
                        + "('delta.enableDeletionVectors' = 'false', 'delta.enableRowTracking' = 'true', "
                        + "'delta.columnMapping.mode' = 'name')", List.of(
                        "INSERT INTO copy_on_write VALUES (1, 'a'), (2, 'b'), (3, 'c')",
                        "UPDATE copy_on_write SET v = 'B' WHERE id = 2",
                        "DELETE FROM copy_on_write WHERE id = 1")),
                new Case("overwritten", "CREATE TABLE overwritten (id INT, v STRING)", List.of(
                        "INSERT INTO overwritten VALUES (1, 'a'), (2, 'b')",
                        "INSERT OVERWRITE overwritten VALUES (3, 'c'), (4, 'd')",
                        "TRUNCATE TABLE overwritten",
                        "INSERT INTO overwritten VALUES (5, 'e')")),
                new Case("mapped_by_id", "CREATE TABLE mapped_by_id (id INT, name STRING, part STRING) "
                        + "PARTITIONED BY (part) TBLPROPERTIES ('delta.columnMapping.mode' = 'id')", List.of(
                        "INSERT INTO mapped_by_id VALUES (1, 'a', 'x'), (2, 'b', 'y'), (3, NULL, NULL)")),
                // Maintenance: tables after OPTIMIZE (bin-packing, Z-order, clustering), purge, VACUUM and auto
                // compaction must read the same in the reference reader.
                new Case("optimized", "CREATE TABLE optimized (id INT, part STRING) PARTITIONED BY (part)", List.of(
                        "INSERT INTO optimized VALUES (1, 'x'), (2, 'y')",
                        "INSERT INTO optimized VALUES (3, 'x'), (4, NULL)",
                        "INSERT INTO optimized VALUES (5, 'x')",
                        "OPTIMIZE optimized")),
                new Case("zordered", "CREATE TABLE zordered (a INT, b STRING)", List.of(
                        "INSERT INTO zordered VALUES (3, 'c'), (1, 'z')",
                        "INSERT INTO zordered VALUES (2, 'b'), (4, NULL)",
                        "OPTIMIZE zordered ZORDER BY (a, b)")),
                new Case("clustered", "CREATE TABLE clustered (k BIGINT, v STRING, d DATE) CLUSTER BY (k, d)", List.of(
                        "INSERT INTO clustered VALUES (5, 'e', DATE '2024-01-05'), (1, 'a', DATE '2024-01-01')",
                        "INSERT INTO clustered VALUES (3, 'c', NULL), (2, NULL, DATE '2024-01-02')",
                        "OPTIMIZE clustered",
                        "INSERT INTO clustered VALUES (4, 'd', DATE '2024-01-04')",
                        "OPTIMIZE clustered")),
                new Case("purged", "CREATE TABLE purged (id INT, v STRING)", List.of(
                        "INSERT INTO purged VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')",
                        "DELETE FROM purged WHERE id = 2",
                        "REORG TABLE purged APPLY (PURGE)")),
                new Case("vacuumed", "CREATE TABLE vacuumed (id INT, part STRING) PARTITIONED BY (part) "
                        + "TBLPROPERTIES ('delta.deletedFileRetentionDuration' = 'interval 0 hours')", List.of(
                        "INSERT INTO vacuumed VALUES (1, 'x'), (2, 'y')",
                        "INSERT INTO vacuumed VALUES (3, 'x')",
                        "DELETE FROM vacuumed WHERE part = 'y'",
                        "OPTIMIZE vacuumed",
                        "VACUUM vacuumed RETAIN 0 HOURS")),
                new Case("auto_compacted", "CREATE TABLE auto_compacted (id INT) TBLPROPERTIES "
                        + "('delta.autoOptimize.autoCompact' = 'true', 'tarn.autoCompact.minNumFiles' = '3')", List.of(
                        "INSERT INTO auto_compacted VALUES (1)",
                        "INSERT INTO auto_compacted VALUES (2)",
                        "INSERT INTO auto_compacted VALUES (3)")));
    }

    @BeforeAll
    static void open() {
        db = Database.open(DatabaseConfig.of(lake));
        session = db.newSession();
    }

    @AfterAll
    static void close() {
        session.close();
        db.close();
    }

    private static void appendNested(String table) {
        DeltaLakeCatalog catalog = new DeltaLakeCatalog(lake, new LocalFileIO(), WriteSettings.DEFAULTS);
        TableHandle handle = catalog.table("default", table).orElseThrow();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (RootAllocator allocator = new RootAllocator()) {
            assertEquals(3, handle.append(new NestedRows(handle.schema()),
                    new ExecutionContext(allocator, executor, 1, ZoneOffset.UTC)));
        } finally {
            executor.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    void kernelReadsTheRowsTarnReads(Case c) {
        session.execute(c.create()).close();
        for (String sql : c.then()) {
            if (sql.equals(APPEND_NESTED)) {
                appendNested(c.name());
            } else {
                session.execute(sql).close();
            }
        }
        Path table = lake.resolve("default").resolve(c.name());
        assertTrue(Files.isDirectory(table.resolve("_delta_log")), table.toString());
        List<JsonNode> tarn = new ArrayList<>();
        List<String> tarnColumns;
        try (QueryResult r = session.execute("SELECT * FROM " + c.name())) {
            tarnColumns = r.columns().stream().map(ResultColumn::name).toList();
            for (VectorSchemaRoot b = r.nextBatch(); b != null; b = r.nextBatch()) {
                tarn.addAll(ExpectedRowEncoder.encode(b));
            }
        }
        assertTrue(!tarn.isEmpty(), "Tarn reads rows");
        if (c.then().stream().anyMatch(sql -> sql.startsWith("CHECKPOINT"))) {
            // The last commit follows the checkpoint, so kernel replays the checkpoint plus a JSON commit.
            String kind = c.name().startsWith("v2") ? "V2 (UUID-named)" : "classic";
            try (Stream<Path> log = Files.list(table.resolve("_delta_log"))) {
                List<String> checkpoints = log.map(p -> p.getFileName().toString())
                        .filter(n -> n.contains(".checkpoint.")).toList();
                assertEquals(1, checkpoints.size(), kind + " checkpoint: " + checkpoints);
                assertEquals(c.name().startsWith("v2"), checkpoints.get(0).matches("\\d{20}\\.checkpoint\\.[0-9a-f-]{36}\\..*"),
                        kind + " checkpoint: " + checkpoints);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        KernelReader kernel = new KernelReader();
        long commits;
        try (Stream<Path> log = Files.list(table.resolve("_delta_log"))) {
            commits = log.filter(p -> p.getFileName().toString().matches("\\d{20}\\.json")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertEquals(commits - 1, kernel.version(table.toString()), "latest version");
        assertEquals(tarnColumns, kernel.columns(table.toString()), "columns");
        List<JsonNode> read = kernel.rows(table.toString());
        assertNull(RowMatcher.difference(tarn, read), "kernel " + read + " vs Tarn " + tarn);
    }
}
