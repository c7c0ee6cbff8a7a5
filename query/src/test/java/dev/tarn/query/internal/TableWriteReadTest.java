package dev.tarn.query.internal;

import static dev.tarn.query.internal.Lakes.actions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.Session;
import dev.tarn.query.internal.catalog.DeltaLakeCatalog;
import dev.tarn.query.internal.catalog.DeltaTableHandle;
import dev.tarn.query.internal.catalog.PushedFilter;
import dev.tarn.query.internal.catalog.TableHandle;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.write.WriteSettings;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.storage.parquet.ArrowParquetReader;
import dev.tarn.storage.parquet.ParquetReadRequest;
import dev.tarn.testdata.CountingFileIO;
import dev.tarn.testdata.ExpectedRowEncoder;
import dev.tarn.testdata.FaultInjectingFileIO;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Appends and scans through the table handle the SQL engine uses, on real Delta tables in a temp lake. */
class TableWriteReadTest {
    @TempDir
    Path dir;
    CountingFileIO counting;
    FaultInjectingFileIO faults;
    Database db;
    Session session;
    BufferAllocator allocator;
    ExecutorService executor;

    @BeforeEach
    void open() {
        counting = new CountingFileIO(new LocalFileIO());
        faults = new FaultInjectingFileIO(counting);
        db = Database.open(DatabaseConfig.of(dir.resolve("lake")).withFileIO(faults).withThreads(2));
        session = db.newSession();
        allocator = new RootAllocator();
        executor = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void close() {
        db.close();
        executor.shutdownNow();
        allocator.close();
    }

    private ExecutionContext context() {
        return new ExecutionContext(allocator, executor, 1, ZoneOffset.UTC);
    }

    private DeltaTableHandle table(String name) {
        return (DeltaTableHandle) ((DatabaseImpl) db).catalog().table("default", name).orElseThrow();
    }

    private Path tableDir(String name) {
        return dir.resolve("lake").resolve("default").resolve(name);
    }

    /** Rows {@code (id, p, v)} with ids from {@code start}, p cycling through {@code partitions}. */
    private BatchSource source(TableHandle t, long start, int[] sizes, String[] partitions, int failAfter) {
        return new BatchSource(t.schema(), sizes, (root, batch) -> {
            BigIntVector id = (BigIntVector) root.getVector(0);
            VarCharVector p = (VarCharVector) root.getVector(1);
            Float8Vector v = (Float8Vector) root.getVector(2);
            long base = start;
            for (int b = 0; b < batch; b++) {
                base += sizes[b];
            }
            for (int i = 0; i < sizes[batch]; i++) {
                id.setSafe(i, base + i);
                String part = partitions[(int) ((base + i) % partitions.length)];
                if (part == null) {
                    p.setNull(i);
                } else {
                    p.setSafe(i, part.getBytes(StandardCharsets.UTF_8));
                }
                if (i % 10 == 3) {
                    v.setNull(i);
                } else {
                    v.setSafe(i, (base + i) / 2.0);
                }
            }
        }, failAfter);
    }

    private List<String> scan(TableHandle t, int[] columns, List<PushedFilter> filters) {
        List<String> rows = new ArrayList<>();
        try (Operator op = t.scan(columns, filters)) {
            op.open(context());
            for (VectorSchemaRoot b = op.next(); b != null; b = op.next()) {
                assertEquals(columns.length, b.getFieldVectors().size());
                for (JsonNode row : ExpectedRowEncoder.encode(b)) {
                    rows.add(row.toString());
                }
            }
        }
        rows.sort(null);
        return rows;
    }

    @Test
    void appendThenScanUnpartitioned() throws Exception {
        session.execute("CREATE TABLE t (id BIGINT, p STRING, v DOUBLE)").close();
        DeltaTableHandle t = table("t");
        BatchSource src = source(t, 0, new int[] {5, 7}, new String[] {"x", null}, Integer.MAX_VALUE);
        assertEquals(12, t.append(src, context()));
        assertTrue(src.opened && src.closed, "append opens and closes its source");

        Path table = tableDir("t");
        List<JsonNode> adds = actions(table, 1, "add");
        assertEquals(1, adds.size());
        JsonNode add = adds.get(0);
        assertTrue(add.get("path").asText().matches("part-00000-[0-9a-f-]{36}\\.c000\\.zstd\\.parquet"), add.toString());
        assertTrue(add.get("dataChange").asBoolean());
        JsonNode stats = Lakes.json(add.get("stats").asText());
        assertEquals(12, stats.get("numRecords").asLong());
        assertEquals(0, stats.get("minValues").get("id").asLong());
        assertEquals(11, stats.get("maxValues").get("id").asLong());
        assertEquals(2, stats.get("nullCount").get("v").asLong());
        assertEquals(Files.size(table.resolve(add.get("path").asText())), add.get("size").asLong());
        JsonNode commitInfo = actions(table, 1, "commitInfo").get(0);
        assertEquals("WRITE", commitInfo.get("operation").asText());
        assertEquals("Append", commitInfo.get("operationParameters").get("mode").asText());

        DeltaTableHandle reread = table("t");
        assertEquals(1, reread.version());
        assertEquals(12, reread.estimatedRowCount());
        List<String> rows = scan(reread, new int[] {2, 0}, List.of());
        assertEquals(12, rows.size());
        assertTrue(rows.contains("[0.0,0]"), rows.toString());
        assertTrue(rows.contains("[null,3]"), rows.toString());
        assertTrue(rows.contains("[5.5,11]"), rows.toString());
    }

    @Test
    void partitionedAppendUsesHiveDirectoriesAndLogValues() {
        session.execute("CREATE TABLE pt (id BIGINT, p STRING, v DOUBLE) PARTITIONED BY (p)").close();
        DeltaTableHandle t = table("pt");
        t.append(source(t, 0, new int[] {9}, new String[] {"a", null, "x/y=z%"}, Integer.MAX_VALUE), context());

        Path table = tableDir("pt");
        assertEquals(List.of("p=__HIVE_DEFAULT_PARTITION__", "p=a", "p=x%2Fy%3Dz%25"),
                Lakes.dataFiles(table).stream().map(f -> f.substring(0, f.indexOf('/'))).sorted().toList());
        List<JsonNode> adds = actions(table, 1, "add");
        assertEquals(3, adds.size());
        for (JsonNode add : adds) {
            JsonNode pv = add.get("partitionValues").get("p");
            String path = add.get("path").asText();
            if (pv.isNull()) {
                assertTrue(path.startsWith("p=__HIVE_DEFAULT_PARTITION__/"), path);
            } else if (pv.asText().equals("x/y=z%")) {
                // The directory's escapes are themselves URI-encoded in add.path.
                assertTrue(path.startsWith("p=x%252Fy%253Dz%2525/"), path);
            } else {
                assertEquals("a", pv.asText());
            }
            JsonNode stats = Lakes.json(add.get("stats").asText());
            assertFalse(stats.get("minValues").has("p"), "partition columns have no file statistics");
        }
        List<String> rows = scan(table("pt"), new int[] {0, 1}, List.of());
        assertEquals(9, rows.size());
        assertTrue(rows.contains("[0,\"a\"]"), rows.toString());
        assertTrue(rows.contains("[1,null]"), rows.toString());
        assertTrue(rows.contains("[2,\"x/y=z%\"]"), rows.toString());
        // Only the partition column: rows are still counted.
        assertEquals(9, scan(table("pt"), new int[] {1}, List.of()).size());
        // Partition pruning skips the other partitions' files entirely.
        counting.reset();
        List<String> onlyA = scan(table("pt"), new int[] {0}, List.of(new PushedFilter(1, PushedFilter.Op.EQ, List.of("a"))));
        assertEquals(List.of("[0]", "[3]", "[6]"), onlyA);
        assertEquals(1, counting.dataFilesOpened());
    }

    @Test
    void selectivePredicateSkipsFiles() {
        session.execute("CREATE TABLE s (id BIGINT, p STRING, v DOUBLE)").close();
        for (int i = 0; i < 3; i++) {
            DeltaTableHandle t = table("s");
            t.append(source(t, i * 100L, new int[] {100}, new String[] {"k"}, Integer.MAX_VALUE), context());
        }
        DeltaTableHandle t = table("s");
        assertEquals(3, t.version());
        assertEquals(300, t.estimatedRowCount());
        counting.reset();
        List<String> rows = scan(t, new int[] {0}, List.of(new PushedFilter(0, PushedFilter.Op.GE, List.of(250L))));
        // The scan skips the files the statistics rule out, then the rows of the file it reads that fail the filter.
        assertEquals(50, rows.size());
        assertEquals("[250]", rows.get(0));
        assertEquals("[299]", rows.get(49));
        assertEquals(1, counting.dataFilesOpened(), counting.openedFiles().toString());
        counting.reset();
        assertEquals(300, scan(t, new int[] {0}, List.of()).size());
        assertEquals(3, counting.dataFilesOpened());
    }

    @Test
    void failedSourceLeavesTableUnchanged() {
        session.execute("CREATE TABLE f (id BIGINT, p STRING, v DOUBLE) PARTITIONED BY (p)").close();
        DeltaTableHandle t = table("f");
        t.append(source(t, 0, new int[] {4}, new String[] {"a", "b"}, Integer.MAX_VALUE), context());
        List<String> before = Lakes.dataFiles(tableDir("f"));
        DeltaTableHandle t1 = table("f");
        BatchSource failing = source(t1, 100, new int[] {10, 10, 10}, new String[] {"a", "c"}, 2);
        assertThrows(IllegalStateException.class, () -> t1.append(failing, context()));
        assertTrue(failing.closed);
        assertEquals(1, table("f").version());
        assertEquals(before, Lakes.dataFiles(tableDir("f")));
        assertEquals(4, scan(table("f"), new int[] {0}, List.of()).size());
    }

    @Test
    void failedCommitDeletesTheNewFiles() {
        session.execute("CREATE TABLE c (id BIGINT, p STRING, v DOUBLE)").close();
        DeltaTableHandle t = table("c");
        faults.failWhen(FaultInjectingFileIO.Operation.CREATE_EXCLUSIVE, l -> l.contains("_delta_log"));
        faults.failWhen(FaultInjectingFileIO.Operation.WRITE, l -> l.contains("_delta_log"));
        TarnException e = assertThrows(TarnException.class,
                () -> t.append(source(t, 0, new int[] {10}, new String[] {"a"}, Integer.MAX_VALUE), context()));
        assertEquals(ErrorCode.IO_ERROR, e.errorCode(), e.getMessage());
        faults.clear();
        assertEquals(0, table("c").version());
        assertEquals(List.of(), Lakes.dataFiles(tableDir("c")));
    }

    @Test
    void filesRollAtTheTargetSizeAndRowGroupsArePruned() {
        session.execute("CREATE TABLE big (id BIGINT, p STRING, v DOUBLE)").close();
        // Tiny sizes: a file per ~3 batches of 1000 rows, row groups of a few hundred rows.
        WriteSettings small = new WriteSettings(50_000, 4_000, 128);
        DeltaLakeCatalog catalog = new DeltaLakeCatalog(dir.resolve("lake"), faults, small);
        TableHandle t = catalog.table("default", "big").orElseThrow();
        int[] sizes = new int[10];
        java.util.Arrays.fill(sizes, 1000);
        assertEquals(10_000, t.append(source(t, 0, sizes, new String[] {"k"}, Integer.MAX_VALUE), context()));
        List<JsonNode> adds = actions(tableDir("big"), 1, "add");
        assertTrue(adds.size() > 1, "expected several files, got " + adds.size());
        long total = 0;
        for (JsonNode add : adds) {
            total += Lakes.json(add.get("stats").asText()).get("numRecords").asLong();
        }
        assertEquals(10_000, total);

        TableHandle reread = catalog.table("default", "big").orElseThrow();
        assertEquals(10_000, scan(reread, new int[] {0}, List.of()).size());
        List<String> rows = scan(reread, new int[] {0}, List.of(new PushedFilter(0, PushedFilter.Op.EQ, List.of(4321L))));
        assertTrue(rows.contains("[4321]"), "the matching row is returned");
        assertTrue(rows.size() < 1000, "row groups without 4321 are not read: " + rows.size() + " rows");
        assertEquals(List.of(), scan(reread, new int[] {0}, List.of(new PushedFilter(0, PushedFilter.Op.GT, List.of(20_000L)))));
        assertEquals(10_000, scan(reread, new int[] {}, List.of()).size(), "an empty projection still counts rows");
    }

    @ParameterizedTest
    @ValueSource(strings = {"name", "id"})
    void columnMappingWritesPhysicalNames(String mode) {
        session.execute("CREATE TABLE cm (id BIGINT, p STRING, v DOUBLE) PARTITIONED BY (p) "
                + "TBLPROPERTIES ('delta.columnMapping.mode' = '" + mode + "')").close();
        DeltaTableHandle t = table("cm");
        t.append(source(t, 0, new int[] {6}, new String[] {"a", "b"}, Integer.MAX_VALUE), context());
        String idPhysical = t.schema().fields().get(0).physicalName();
        String pPhysical = t.schema().fields().get(1).physicalName();
        assertTrue(idPhysical.startsWith("col-"));
        for (JsonNode add : actions(tableDir("cm"), 1, "add")) {
            assertTrue(add.get("partitionValues").has(pPhysical), add.toString());
            String file = tableDir("cm").resolve(add.get("path").asText().replace("%25", "%")).toString();
            try (ArrowParquetReader r = ArrowParquetReader.open(new LocalFileIO().newInputFile(file),
                    ParquetReadRequest.of(new org.apache.arrow.vector.types.pojo.Schema(List.of()), true), allocator)) {
                org.apache.arrow.vector.types.pojo.Field stored = r.fileInfo().fileSchema().getFields().get(0);
                assertEquals(idPhysical, stored.getName(), "data files use physical names");
                if (mode.equals("id")) {
                    assertEquals("1", stored.getMetadata().get("PARQUET:field_id"), "data files carry field ids");
                }
            }
            assertTrue(Lakes.json(add.get("stats").asText()).get("minValues").has(idPhysical), add.toString());
        }
        assertEquals(List.of("[0,\"a\",0.0]", "[1,\"b\",0.5]", "[2,\"a\",1.0]", "[3,\"b\",null]", "[4,\"a\",2.0]",
                "[5,\"b\",2.5]"), scan(table("cm"), new int[] {0, 1, 2}, List.of()));
    }

    @Test
    void manyPartitionsInOneBatch() {
        session.execute("CREATE TABLE many (id BIGINT, p STRING, v DOUBLE) PARTITIONED BY (p)").close();
        DeltaTableHandle t = table("many");
        String[] partitions = new String[40];
        for (int i = 0; i < partitions.length; i++) {
            partitions[i] = "part" + i;
        }
        assertEquals(400, t.append(source(t, 0, new int[] {200, 200}, partitions, Integer.MAX_VALUE), context()));
        List<JsonNode> adds = actions(tableDir("many"), 1, "add");
        // More partitions than files kept open: some partitions get a second file for the second batch.
        assertTrue(adds.size() >= 40, adds.size() + " files");
        assertEquals(40, Lakes.dataFiles(tableDir("many")).stream().map(f -> f.substring(0, f.indexOf('/'))).distinct().count());
        assertEquals(400, scan(table("many"), new int[] {0, 1}, List.of()).size());
        assertEquals(400, table("many").estimatedRowCount());
    }

    @Test
    void ctasWhoseCommitFailsLeavesNothingBehind() {
        faults.failWhen(FaultInjectingFileIO.Operation.CREATE_EXCLUSIVE, l -> l.contains("_delta_log"));
        faults.failWhen(FaultInjectingFileIO.Operation.WRITE, l -> l.contains("_delta_log"));
        TarnException e = assertThrows(TarnException.class,
                () -> session.execute("CREATE TABLE made PARTITIONED BY (p) AS SELECT 1 AS id, 'x' AS p"));
        assertEquals(ErrorCode.IO_ERROR, e.errorCode(), e.getMessage());
        faults.clear();
        assertFalse(Files.exists(tableDir("made")), "no directory, no data files left");
        assertTrue(session.catalog().tables("default").isEmpty());
    }
}
