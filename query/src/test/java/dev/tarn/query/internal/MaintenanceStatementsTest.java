package dev.tarn.query.internal;

import static dev.tarn.query.internal.Lakes.commit;
import static dev.tarn.query.internal.Lakes.commitCount;
import static dev.tarn.query.internal.Lakes.dataFiles;
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
import dev.tarn.query.ResultColumn;
import dev.tarn.query.Session;
import dev.tarn.testdata.SharedTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OPTIMIZE, REORG TABLE ... APPLY (PURGE), VACUUM and the retention-check setting, through sessions. */
class MaintenanceStatementsTest {
    @TempDir
    Path dir;
    Database db;
    Session session;
    Path lake;

    @BeforeEach
    void open() {
        lake = dir.resolve("lake");
        db = Database.open(DatabaseConfig.of(lake));
        session = db.newSession();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void run(String sql) {
        session.execute(sql).close();
    }

    private static List<String> columns(QueryResult r) {
        return r.columns().stream().map(ResultColumn::name).toList();
    }

    private static String operation(Path table, long version) {
        return commit(table, version).stream().filter(a -> a.has("commitInfo")).findFirst().orElseThrow()
                .get("commitInfo").get("operation").asText();
    }

    @Test
    void optimizeCompactsTheSelectedPartitionsThenIsANoOp() {
        run("CREATE TABLE p (id INT, part STRING) PARTITIONED BY (part)");    // version 0
        run("INSERT INTO p VALUES (1, 'a'), (2, 'b')");                       // 1
        run("INSERT INTO p VALUES (3, 'a'), (4, 'b')");                       // 2
        run("INSERT INTO p VALUES (5, 'a')");                                 // 3
        Path table = lake.resolve("default/p");
        List<String> before = sorted(rows(session.execute("SELECT * FROM p")));

        try (QueryResult r = session.execute("OPTIMIZE p WHERE part = 'a'")) {
            assertEquals(List.of("table", "committedVersion", "numFilesAdded", "numFilesRemoved", "numBytesAdded",
                    "numBytesRemoved", "partitionsOptimized", "durationMillis", "skipReason"), columns(r));
            List<String> row = rows(r);
            assertEquals(1, row.size(), row.toString());
            assertTrue(row.get(0).startsWith("[\"default.p\",4,1,3,"), row.toString());
            assertTrue(row.get(0).endsWith(",null]"), row.toString());
        }
        assertEquals("OPTIMIZE", operation(table, 4));
        for (JsonNode a : commit(table, 4)) {
            JsonNode file = a.has("add") ? a.get("add") : a.get("remove");
            if (file != null) {
                assertEquals("a", file.get("partitionValues").get("part").asText(), a.toString());
                assertFalse(file.get("dataChange").asBoolean(), a.toString());
            }
        }
        assertEquals(before, sorted(rows(session.execute("SELECT * FROM p"))));

        List<String> all = rows(session.execute("optimize default.p"));
        assertTrue(all.get(0).startsWith("[\"default.p\",5,1,2,"), "partition b compacted: " + all);
        List<String> again = rows(session.execute("OPTIMIZE p"));
        assertTrue(again.get(0).startsWith("[\"default.p\",null,0,0,0,0,0,"), again.toString());
        assertFalse(again.get(0).endsWith(",null]"), "a no-op says why: " + again);
        assertEquals(6, commitCount(table));
        assertEquals(before, sorted(rows(session.execute("SELECT * FROM p"))));
    }

    @Test
    void optimizeZOrderKeepsEveryRow() {
        run("CREATE TABLE z (x INT, y INT)");
        run("INSERT INTO z VALUES (1, 9), (5, 5)");
        run("INSERT INTO z VALUES (9, 1), (3, 7)");
        List<String> before = sorted(rows(session.execute("SELECT * FROM z")));
        List<String> row = rows(session.execute("OPTIMIZE z ZORDER BY (x, y)"));
        assertTrue(row.get(0).startsWith("[\"default.z\",3,"), row.toString());
        assertEquals("OPTIMIZE", operation(lake.resolve("default/z"), 3));
        assertEquals(before, sorted(rows(session.execute("SELECT * FROM z"))));
    }

    @Test
    void badPartitionPredicatesAreRefusedAndChangeNothing() {
        run("CREATE TABLE p (id INT, part STRING, n INT) PARTITIONED BY (part, n)");
        run("INSERT INTO p VALUES (1, 'a', 1)");
        run("INSERT INTO p VALUES (2, 'a', 1)");
        Path table = lake.resolve("default/p");
        TarnException notPartition = assertThrows(TarnException.class,
                () -> run("OPTIMIZE p WHERE id = 1"));
        assertEquals(ErrorCode.VALIDATION_ERROR, notPartition.errorCode(), notPartition.getMessage());
        assertTrue(notPartition.getMessage().contains("'id'"), notPartition.getMessage());
        TarnException or = assertThrows(TarnException.class,
                () -> run("OPTIMIZE p WHERE part = 'a' OR part = 'b'"));
        assertEquals(ErrorCode.UNSUPPORTED_STATEMENT, or.errorCode(), or.getMessage());
        TarnException type = assertThrows(TarnException.class, () -> run("OPTIMIZE p WHERE n = 'x'"));
        assertEquals(ErrorCode.VALIDATION_ERROR, type.errorCode(), type.getMessage());
        assertEquals(3, commitCount(table));
        List<String> none = rows(session.execute("OPTIMIZE p WHERE part = 'b' AND n >= 1"));
        assertTrue(none.get(0).startsWith("[\"default.p\",null,"), none.toString());
        List<String> done = rows(session.execute("OPTIMIZE p WHERE part <> 'b' AND n <= 1 AND n > -5"));
        assertTrue(done.get(0).startsWith("[\"default.p\",3,1,2,"), done.toString());
        assertEquals(List.of("[1,\"a\",1]", "[2,\"a\",1]"), sorted(rows(session.execute("SELECT * FROM p"))));
    }

    @Test
    void reorgPurgeRemovesDeletedRowsPhysically() throws IOException {
        Path table = copy("dv-small", dir);
        long versions = commitCount(table);
        List<String> row = rows(session.execute("REORG TABLE delta.`" + table + "` APPLY (PURGE)"));
        assertTrue(row.get(0).startsWith("[\"delta.`" + table + "`\"," + versions + ",1,1,"), row.toString());
        assertEquals("REORG", operation(table, versions));
        for (JsonNode a : commit(table, versions)) {
            if (a.has("add")) {
                assertTrue(a.get("add").path("deletionVector").isMissingNode()
                        || a.get("add").get("deletionVector").isNull(), a.toString());
            }
        }
        List<String> again = rows(session.execute("REORG TABLE delta.`" + table + "` APPLY (PURGE)"));
        assertTrue(again.get(0).contains(",null,0,0,"), again.toString());

        run("CREATE TABLE t (id INT)");
        run("INSERT INTO t VALUES (1)");
        List<String> noDv = rows(session.execute("REORG TABLE t APPLY (PURGE)"));
        assertTrue(noDv.get(0).startsWith("[\"default.t\",null,0,0,"), noDv.toString());
        TarnException bad = assertThrows(TarnException.class, () -> run("REORG TABLE t APPLY (UPGRADE)"));
        assertEquals(ErrorCode.SYNTAX_ERROR, bad.errorCode(), bad.getMessage());
    }

    @Test
    void vacuumHonoursRetentionDryRunAndTheSessionSetting() {
        run("CREATE TABLE t (id INT)");
        run("INSERT INTO t VALUES (1)");
        run("INSERT INTO t VALUES (2)");
        run("OPTIMIZE t");                                                   // version 3 removes two files
        Path table = lake.resolve("default/t");
        assertEquals(3, dataFiles(table).size());

        try (QueryResult r = session.execute("VACUUM t DRY RUN")) {
            assertEquals(List.of("path"), columns(r));
            assertEquals(List.of(), rows(r), "the default 7-day retention keeps the just-removed files");
        }
        TarnException refused = assertThrows(TarnException.class, () -> run("VACUUM t RETAIN 0 HOURS"));
        assertEquals(ErrorCode.VALIDATION_ERROR, refused.errorCode(), refused.getMessage());
        assertEquals(3, dataFiles(table).size());
        long commits = commitCount(table);

        run("SET spark.databricks.delta.retentionDurationCheck.enabled = false");
        List<String> wouldDelete = rows(session.execute("VACUUM t RETAIN 0 HOURS DRY RUN"));
        assertEquals(2, wouldDelete.size(), wouldDelete.toString());
        assertEquals(3, dataFiles(table).size(), "a dry run deletes nothing");
        assertEquals(commits, commitCount(table), "a dry run commits nothing");

        try (QueryResult r = session.execute("VACUUM t RETAIN 0 HOURS FULL")) {
            assertEquals(List.of("table", "mode", "filesDeleted", "bytesDeleted", "retentionHours",
                    "oldestRetainedVersion", "durationMillis", "skipReason"), columns(r));
            List<String> row = rows(r);
            assertTrue(row.get(0).startsWith("[\"default.t\",\"FULL\",2,"), row.toString());
        }
        assertEquals(1, dataFiles(table).size());
        assertEquals(List.of("[1]", "[2]"), sorted(rows(session.execute("SELECT * FROM t"))));

        // The setting belongs to the session that made it.
        Session other = db.newSession();
        TarnException otherRefused = assertThrows(TarnException.class,
                () -> other.execute("VACUUM t RETAIN 0 HOURS LITE").close());
        assertEquals(ErrorCode.VALIDATION_ERROR, otherRefused.errorCode(), otherRefused.getMessage());
        other.execute("SET tarn.vacuum.retentionCheck = false").close();
        List<String> lite = rows(other.execute("VACUUM t LITE RETAIN 0 HOURS"));
        assertTrue(lite.get(0).startsWith("[\"default.t\",\"LITE\",0,"), lite.toString());
        run("SET spark.databricks.delta.retentionDurationCheck.enabled = true");
        assertThrows(TarnException.class, () -> run("VACUUM t RETAIN 0 HOURS"));
    }

    @Test
    void maintenanceStatementsWriteSoReadOnlySessionsRefuseThem() {
        run("CREATE TABLE t (id INT)");
        run("INSERT INTO t VALUES (1)");
        session.setReadOnly(true);
        for (String sql : List.of("OPTIMIZE t", "REORG TABLE t APPLY (PURGE)", "VACUUM t", "VACUUM t DRY RUN")) {
            TarnException e = assertThrows(TarnException.class, () -> run(sql), sql);
            assertEquals(ErrorCode.READ_ONLY, e.errorCode(), sql);
        }
        TarnException missing = assertThrows(TarnException.class, () -> db.newSession().execute("VACUUM nope"));
        assertEquals(ErrorCode.TABLE_NOT_FOUND, missing.errorCode(), missing.getMessage());
    }

    @Test
    void alterTableClusterByThenOptimizeClusters() {
        run("CREATE TABLE c (a INT, b STRING)");                               // version 0
        run("INSERT INTO c VALUES (3, 'x'), (1, 'y')");                        // 1
        run("INSERT INTO c VALUES (2, 'z')");                                  // 2
        Path table = lake.resolve("default/c");
        run("ALTER TABLE c CLUSTER BY (a)");                                   // 3
        assertEquals("CLUSTER BY", operation(table, 3));
        JsonNode domain = commit(table, 3).stream().filter(x -> x.has("domainMetadata")).findFirst().orElseThrow()
                .get("domainMetadata");
        assertEquals("delta.clustering", domain.get("domain").asText());
        assertTrue(domain.get("configuration").asText().contains("[[\"a\"]]"), domain.toString());
        assertTrue(commit(table, 3).stream().noneMatch(x -> x.has("add") || x.has("remove")));

        List<String> row = rows(session.execute("OPTIMIZE c"));
        assertTrue(row.get(0).startsWith("[\"default.c\",4,"), row.toString());
        List<JsonNode> adds = commit(table, 4).stream().filter(x -> x.has("add")).map(x -> x.get("add")).toList();
        assertFalse(adds.isEmpty());
        for (JsonNode add : adds) {
            assertEquals("liquid", add.path("clusteringProvider").asText(), add.toString());
        }
        assertEquals(List.of("[1,\"y\"]", "[2,\"z\"]", "[3,\"x\"]"), sorted(rows(session.execute("SELECT * FROM c"))));

        run("ALTER TABLE default.c CLUSTER BY NONE");                          // 5
        JsonNode cleared = commit(table, 5).stream().filter(x -> x.has("domainMetadata")).findFirst().orElseThrow()
                .get("domainMetadata");
        assertTrue(cleared.get("configuration").asText().contains("[]"), cleared.toString());

        run("CREATE TABLE p (a INT, part STRING) PARTITIONED BY (part)");
        TarnException partitioned = assertThrows(TarnException.class, () -> run("ALTER TABLE p CLUSTER BY (a)"));
        assertEquals(ErrorCode.VALIDATION_ERROR, partitioned.errorCode(), partitioned.getMessage());
        TarnException unknown = assertThrows(TarnException.class, () -> run("ALTER TABLE c CLUSTER BY (nope)"));
        assertEquals(ErrorCode.COLUMN_NOT_FOUND, unknown.errorCode(), unknown.getMessage());
        TarnException other = assertThrows(TarnException.class, () -> run("ALTER TABLE c RENAME TO d"));
        assertEquals(ErrorCode.UNSUPPORTED_STATEMENT, other.errorCode(), other.getMessage());
        assertEquals(6, commitCount(table));
        session.setReadOnly(true);
        TarnException readOnly = assertThrows(TarnException.class, () -> run("ALTER TABLE c CLUSTER BY (b)"));
        assertEquals(ErrorCode.READ_ONLY, readOnly.errorCode(), readOnly.getMessage());
    }

    private static Path copy(String name, Path dir) throws IOException {
        Path source = SharedTestData.deltaTable(name);
        Path target = dir.resolve(name);
        try (Stream<Path> all = Files.walk(source)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path t = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return target;
    }
}
