package dev.tarn.query.internal;

import static dev.tarn.query.internal.Lakes.actions;
import static dev.tarn.query.internal.Lakes.commitCount;
import static dev.tarn.query.internal.Lakes.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.Session;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.testdata.BeforeCommitFileIO;
import dev.tarn.txlog.action.AddFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auto compaction ({@code delta.autoOptimize.autoCompact}) and optimized writes
 * ({@code delta.autoOptimize.optimizeWrite}), asserted by the files the table holds before and after.
 */
class AutoOptimizeTest {
    @TempDir
    Path dir;
    Database db;
    Session session;

    private void open(FileIO io) {
        db = Database.open(DatabaseConfig.of(dir.resolve("lake")).withFileIO(io));
        session = db.newSession();
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private void run(String sql) {
        session.execute(sql).close();
    }

    private List<AddFile> files(String table) {
        return db.tableLog("default", table).latestSnapshot().activeFiles();
    }

    private String one(String sql) {
        return rows(session.execute(sql)).get(0);
    }

    @Test
    void autoCompactionRunsAfterTheWriteThatReachesTheThresholdAsItsOwnCommit() {
        open(new LocalFileIO());
        run("CREATE TABLE t (id BIGINT) TBLPROPERTIES ('delta.autoOptimize.autoCompact' = 'true',"
                + " 'tarn.autoCompact.minNumFiles' = '5')");
        for (int i = 0; i < 4; i++) {
            run("INSERT INTO t VALUES (" + i + ")");
        }
        assertEquals(4, files("t").size(), "below the threshold nothing is compacted");
        Path table = dir.resolve("lake/default/t");
        assertEquals(5, commitCount(table));

        run("INSERT INTO t VALUES (4)");

        assertEquals(1, files("t").size(), "the fifth small file triggered compaction");
        assertEquals(7, commitCount(table), "the write (version 5) and the compaction (version 6)");
        JsonNode info = actions(table, 6, "commitInfo").get(0);
        assertEquals("OPTIMIZE", info.get("operation").asText());
        assertEquals("true", info.get("operationParameters").get("auto").asText());
        assertEquals(5, actions(table, 6, "remove").size());
        assertEquals("[5,10,5]", one("SELECT count(*), sum(id), count(DISTINCT id) FROM t"));
    }

    @Test
    void autoCompactionTouchesOnlyThePartitionsTheWriteWrote() {
        open(new LocalFileIO());
        run("CREATE TABLE p (id BIGINT, part STRING) PARTITIONED BY (part) TBLPROPERTIES"
                + " ('delta.autoOptimize.autoCompact' = 'auto', 'tarn.autoCompact.minNumFiles' = '3')");
        run("INSERT INTO p VALUES (1, 'b')");
        run("INSERT INTO p VALUES (2, 'b')");
        run("INSERT INTO p VALUES (3, 'a')");
        run("INSERT INTO p VALUES (4, 'a')");
        assertEquals(4, files("p").size());

        run("INSERT INTO p VALUES (5, 'a')");

        Map<String, Long> perPartition = files("p").stream()
                .collect(Collectors.groupingBy(f -> f.partitionValues().get("part"), Collectors.counting()));
        assertEquals(Map.of("a", 1L, "b", 2L), perPartition, "partition b was not written, so it keeps its files");
        assertEquals("[5,15]", one("SELECT count(*), sum(id) FROM p"));
    }

    @Test
    void tablesWithoutThePropertyKeepEveryFile() {
        open(new LocalFileIO());
        run("CREATE TABLE t (id BIGINT) TBLPROPERTIES ('tarn.autoCompact.minNumFiles' = '2')");
        for (int i = 0; i < 3; i++) {
            run("INSERT INTO t VALUES (" + i + ")");
        }
        assertEquals(3, files("t").size());
    }

    @Test
    void aConflictInAutoCompactionNeverFailsTheWrite() {
        // Just before the compaction commits (the second commit of the fifth INSERT), a rival OPTIMIZE wins.
        AtomicInteger commits = new AtomicInteger();
        Path lake = dir.resolve("lake");
        BeforeCommitFileIO io = BeforeCommitFileIO.everyCommit(new LocalFileIO(), () -> {
            if (commits.incrementAndGet() == 7) {
                try (Database other = Database.open(DatabaseConfig.of(lake)); Session s = other.newSession()) {
                    s.execute("OPTIMIZE t").close();
                }
            }
        });
        open(io);
        run("CREATE TABLE t (id BIGINT) TBLPROPERTIES ('delta.autoOptimize.autoCompact' = 'true',"
                + " 'tarn.autoCompact.minNumFiles' = '5')");                  // commit 1 (version 0)
        for (int i = 0; i < 4; i++) {
            run("INSERT INTO t VALUES (" + i + ")");                           // commits 2..5 (versions 1..4)
        }
        run("INSERT INTO t VALUES (4)");                                       // 6: the write; 7: compaction

        assertEquals(7, commits.get(), "auto compaction tried to commit once, after the rival");
        Path table = dir.resolve("lake/default/t");
        assertEquals(7, commitCount(table), "versions 0-5 and the rival's OPTIMIZE; the losing compaction left none");
        JsonNode rival = actions(table, 6, "commitInfo").get(0);
        assertEquals("OPTIMIZE", rival.get("operation").asText());
        assertEquals("false", rival.get("operationParameters").get("auto").asText());
        assertEquals("[5,10,5]", one("SELECT count(*), sum(id), count(DISTINCT id) FROM t"));
        assertEquals(1, files("t").size());
        assertEquals(1, Lakes.dataFiles(table).size() - 5, "the loser's rewritten file was deleted, not left behind");
    }

    @Test
    void optimizedWritesGroupInterleavedPartitionsIntoOneFileEach() {
        open(new LocalFileIO());
        // Five source files, each holding rows of all 40 partitions, so every batch of the copy interleaves them.
        run("CREATE TABLE src (id BIGINT, part INT)");
        for (int f = 0; f < 5; f++) {
            StringBuilder values = new StringBuilder();
            for (int p = 0; p < 40; p++) {
                values.append(p == 0 ? "" : ", ").append("(").append(f * 40 + p).append(", ").append(p).append(")");
            }
            run("INSERT INTO src VALUES " + values);
        }
        run("CREATE TABLE plain (id BIGINT, part INT) PARTITIONED BY (part)");
        run("CREATE TABLE optimized (id BIGINT, part INT) PARTITIONED BY (part)"
                + " TBLPROPERTIES ('delta.autoOptimize.optimizeWrite' = 'true')");
        run("CREATE TABLE spilled (id BIGINT, part INT) PARTITIONED BY (part)"
                + " TBLPROPERTIES ('delta.autoOptimize.optimizeWrite' = 'true', 'tarn.optimizeWrite.bufferBytes' = '1')");

        run("INSERT INTO plain SELECT * FROM src");
        run("INSERT INTO optimized SELECT * FROM src");
        run("INSERT INTO spilled SELECT * FROM src");

        int plain = files("plain").size();
        assertTrue(plain > 40, "without optimized writes the interleaved partitions get several files each: " + plain);
        assertEquals(40, files("optimized").size(), "one file per partition");
        assertEquals(40, files("spilled").size(), "one file per partition, also when every chunk spilled to disk");
        String expected = one("SELECT count(*), sum(id), count(DISTINCT id), sum(part) FROM src");
        assertEquals(expected, one("SELECT count(*), sum(id), count(DISTINCT id), sum(part) FROM optimized"));
        assertEquals(expected, one("SELECT count(*), sum(id), count(DISTINCT id), sum(part) FROM spilled"));
        assertEquals("[0]", one("SELECT count(*) FROM optimized WHERE id % 40 <> part"), "rows stay in their partition");
    }
}
