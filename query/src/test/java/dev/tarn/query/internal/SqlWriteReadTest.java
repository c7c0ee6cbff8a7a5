package dev.tarn.query.internal;

import static dev.tarn.query.internal.Lakes.rows;
import static dev.tarn.query.internal.Lakes.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.QueryResult;
import dev.tarn.query.Session;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.testdata.CountingFileIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** End to end through SQL: DDL here, INSERT and SELECT through the SQL engine, data through the Delta binding. */
class SqlWriteReadTest {
    @TempDir
    Path dir;
    Path lake;
    CountingFileIO io;
    Database db;
    Session session;

    @BeforeEach
    void open() {
        lake = dir.resolve("lake");
        io = new CountingFileIO(new LocalFileIO());
        db = Database.open(DatabaseConfig.of(lake).withFileIO(io));
        session = db.newSession();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private long update(String sql) {
        QueryResult r = session.execute(sql);
        assertEquals(QueryResult.Kind.UPDATE_COUNT, r.kind(), sql);
        return r.updateCount();
    }

    private void ok(String sql) {
        assertEquals(QueryResult.Kind.OK, session.execute(sql).kind(), sql);
    }

    private static void assertError(ErrorCode code, Executable e) {
        TarnException ex = assertThrows(TarnException.class, e);
        assertEquals(code, ex.errorCode(), ex.getMessage());
    }

    @Test
    void createInsertSelect() {
        ok("CREATE TABLE t (id INT, name STRING, price DECIMAL(10,2))");
        assertEquals(3, update("INSERT INTO t VALUES (1, 'a', 1.50), (2, 'b', NULL), (3, NULL, 3.25)"));
        assertEquals(List.of("[1,\"a\",\"1.50\"]", "[2,\"b\",null]", "[3,null,\"3.25\"]"),
                sorted(rows(session.execute("SELECT * FROM t"))));
        assertEquals(List.of("[3]"), rows(session.execute("SELECT id FROM `default`.T WHERE price > 2")));
    }

    @Test
    void partitionedInsertLaysOutDirectories() {
        ok("CREATE TABLE p (id BIGINT, region STRING) PARTITIONED BY (region)");
        assertEquals(4, update("INSERT INTO p VALUES (1, 'eu'), (2, 'us'), (3, 'eu'), (4, NULL)"));
        Path table = lake.resolve("default").resolve("p");
        List<String> dirs = Lakes.dataFiles(table).stream().map(f -> f.substring(0, f.indexOf('/'))).distinct().toList();
        assertEquals(List.of("region=__HIVE_DEFAULT_PARTITION__", "region=eu", "region=us"), dirs);
        for (JsonNode add : Lakes.actions(table, 1, "add")) {
            assertTrue(add.get("partitionValues").has("region"));
        }
        assertEquals(List.of("[1]", "[3]"), sorted(rows(session.execute("SELECT id FROM p WHERE region = 'eu'"))));
        assertEquals(List.of("[4,null]"), rows(session.execute("SELECT id, region FROM p WHERE region IS NULL")));
    }

    @Test
    void selectivePredicateOpensOneFile() {
        ok("CREATE TABLE s (id BIGINT, v STRING)");
        update("INSERT INTO s VALUES (1, 'a'), (2, 'b')");
        update("INSERT INTO s VALUES (10, 'c'), (11, 'd')");
        update("INSERT INTO s VALUES (20, 'e'), (21, 'f')");
        io.reset();
        assertEquals(List.of("[\"d\"]"), rows(session.execute("SELECT v FROM s WHERE id = 11")));
        assertEquals(1, io.dataFilesOpened(), io.openedFiles().toString());
    }

    @Test
    void createTableAsSelectIsOneCommit() {
        ok("CREATE TABLE src (id INT, g STRING)");
        update("INSERT INTO src VALUES (1, 'x'), (2, 'y'), (3, 'x')");
        ok("CREATE TABLE agg PARTITIONED BY (g) AS SELECT g, COUNT(*) AS n FROM src GROUP BY g");
        Path table = lake.resolve("default").resolve("agg");
        assertEquals(1, Lakes.commitCount(table));
        List<JsonNode> v0 = Lakes.commit(table, 0);
        assertTrue(v0.stream().anyMatch(a -> a.has("protocol")));
        assertTrue(v0.stream().anyMatch(a -> a.has("metaData")));
        assertEquals(2, v0.stream().filter(a -> a.has("add")).count());
        assertEquals("CREATE TABLE AS SELECT", Lakes.actions(table, 0, "commitInfo").get(0).get("operation").asText());
        assertEquals(List.of("[\"x\",2]", "[\"y\",1]"), sorted(rows(session.execute("SELECT g, n FROM agg"))));
        assertEquals(List.of("[\"g\",\"STRING\",null]", "[\"n\",\"BIGINT\",null]"),
                rows(session.execute("DESCRIBE agg")).subList(0, 2));
        assertError(ErrorCode.TABLE_ALREADY_EXISTS, () -> session.execute("CREATE TABLE agg AS SELECT 1 AS a"));
    }

    @Test
    void failedCtasLeavesNoTable() {
        ok("CREATE TABLE src (id INT)");
        update("INSERT INTO src VALUES (1), (0)");
        assertThrows(TarnException.class, () -> session.execute("CREATE TABLE bad AS SELECT 10 / id AS q FROM src"));
        assertFalse(Files.exists(lake.resolve("default").resolve("bad").resolve("_delta_log")));
        assertEquals(List.of("[\"default\",\"src\"]"), rows(session.execute("SHOW TABLES")));
        assertError(ErrorCode.TABLE_NOT_FOUND, () -> session.execute("SELECT * FROM bad"));
    }

    @Test
    void pathNamedTablesEverywhere() {
        Path location = dir.resolve("outside").resolve("pt");
        ok("CREATE TABLE delta.`" + location + "` (a INT, b STRING)");
        assertEquals(2, update("INSERT INTO delta.`" + location + "` VALUES (1, 'x'), (2, 'y')"));
        assertEquals(List.of("[1,\"x\"]", "[2,\"y\"]"),
                sorted(rows(session.execute("SELECT * FROM delta.`" + location + "`"))));
        ok("CREATE TABLE copy AS SELECT * FROM delta.`" + location + "` WHERE a = 2");
        assertEquals(List.of("[2,\"y\"]"), rows(session.execute("SELECT * FROM copy")));
    }

    @Test
    void failedInsertLeavesTableUnchanged() {
        ok("CREATE TABLE n (id INT NOT NULL, v INT)");
        update("INSERT INTO n VALUES (1, 1)");
        List<String> files = Lakes.dataFiles(lake.resolve("default").resolve("n"));
        assertThrows(TarnException.class, () -> session.execute("INSERT INTO n VALUES (2, 2), (NULL, 3)"));
        assertThrows(TarnException.class, () -> session.execute("INSERT INTO n SELECT id, 10 / (v - 1) FROM n"));
        assertEquals(2, Lakes.commitCount(lake.resolve("default").resolve("n")));
        assertEquals(files, Lakes.dataFiles(lake.resolve("default").resolve("n")));
        assertEquals(List.of("[1,1]"), rows(session.execute("SELECT * FROM n")));
    }

    @Test
    void readOnlyRefusesInsert() {
        ok("CREATE TABLE r (a INT)");
        session.setReadOnly(true);
        assertError(ErrorCode.READ_ONLY, () -> session.execute("INSERT INTO r VALUES (1)"));
        assertError(ErrorCode.READ_ONLY, () -> session.execute("CREATE TABLE r2 AS SELECT 1 AS a"));
        assertEquals(List.of(), rows(session.execute("SELECT * FROM r")));
    }

    @Test
    void concurrentInsertsAllLand() throws Exception {
        ok("CREATE TABLE c (writer INT, n INT)");
        int writers = 4;
        int inserts = 5;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        try {
            List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    try (Session s = db.newSession()) {
                        for (int i = 0; i < inserts; i++) {
                            s.execute("INSERT INTO c VALUES (" + writer + ", " + i + ")").close();
                        }
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of("[" + writers * inserts + "]"), rows(session.execute("SELECT COUNT(*) FROM c")));
        assertEquals(1 + writers * inserts, Lakes.commitCount(lake.resolve("default").resolve("c")));
    }

    @Test
    void dateAndTimestampPartitionsRoundTrip() {
        ok("CREATE TABLE dt (id INT, d DATE, ts TIMESTAMP) PARTITIONED BY (d, ts)");
        update("INSERT INTO dt VALUES (1, DATE '2024-02-29', TIMESTAMP '2024-02-29 10:11:12.123456'), "
                + "(2, NULL, NULL)");
        assertEquals(List.of("[1,\"2024-02-29\",\"2024-02-29T10:11:12.123456Z\"]", "[2,null,null]"),
                sorted(rows(session.execute("SELECT id, d, ts FROM dt"))));
        assertEquals(List.of("[1]"), rows(session.execute("SELECT id FROM dt WHERE d = DATE '2024-02-29'")));
    }

    @Test
    void ctasQueryErrorsSayWhereTheQueryStarts() {
        TarnException e = assertThrows(TarnException.class,
                () -> session.execute("CREATE TABLE x AS\nSELECT nope FROM missing"));
        assertTrue(e.getMessage().contains("line 2, column 1"), e.getMessage());
        assertFalse(Files.exists(lake.resolve("default").resolve("x")));
    }
}
