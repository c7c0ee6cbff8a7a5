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
import dev.tarn.testdata.ExpectedRowEncoder;
import dev.tarn.testdata.RowMatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tables changed by MERGE INTO (updates, deletes, inserts, schema evolution) read back by delta-kernel with the rows
 * Tarn reads, with deletion vectors on and off, row tracking on and off and column mapping by name. Runs in the
 * {@code interop} surefire execution, the only one with kernel and Hadoop on the classpath.
 */
@Tag("interop")
class KernelReadsMergedTablesTest {
    @TempDir
    Path lake;
    Database db;
    Session session;

    record Case(String name, String properties) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("dv_rowtracking", "'delta.enableDeletionVectors' = 'true', 'delta.enableRowTracking' = 'true', "
                        + "'delta.enableChangeDataFeed' = 'true'"),
                new Case("dv", "'delta.enableDeletionVectors' = 'true', 'delta.enableRowTracking' = 'false'"),
                new Case("copy_on_write_rowtracking", "'delta.enableDeletionVectors' = 'false', "
                        + "'delta.enableRowTracking' = 'true'"),
                new Case("copy_on_write", "'delta.enableDeletionVectors' = 'false', 'delta.enableRowTracking' = 'false'"),
                new Case("dv_mapped_by_name", "'delta.enableDeletionVectors' = 'true', "
                        + "'delta.columnMapping.mode' = 'name'"));
    }

    @BeforeEach
    void open() {
        db = Database.open(DatabaseConfig.of(lake));
        session = db.newSession();
    }

    @AfterEach
    void close() {
        session.close();
        db.close();
    }

    private void run(String sql) {
        session.execute(sql).close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void kernelReadsTheRowsTarnReadsAfterMerge(Case c) {
        run("CREATE TABLE t (id INT NOT NULL, v STRING, n BIGINT, part STRING) PARTITIONED BY (part) TBLPROPERTIES ("
                + c.properties() + ")");
        run("INSERT INTO t VALUES (1, 'a', 10, 'x'), (2, 'b', 20, 'x'), (3, 'c', 30, 'y'), (4, 'd', 40, 'y')");
        run("INSERT INTO t VALUES (5, 'e', 50, 'x'), (6, 'f', 60, 'y')");
        run("CREATE TABLE s (id INT, v STRING, n BIGINT, part STRING, score DOUBLE)");
        run("INSERT INTO s VALUES (1, 'A', 11, 'x', 0.5), (2, 'B', 21, 'x', 1.5), (3, 'C', 31, 'z', 2.5), "
                + "(7, 'G', 70, 'y', 7.5)");
        run("MERGE INTO t USING s ON t.id = s.id "
                + "WHEN MATCHED AND s.id = 2 THEN DELETE "
                + "WHEN MATCHED THEN UPDATE SET v = s.v, n = s.n, part = s.part "
                + "WHEN NOT MATCHED THEN INSERT (id, v, n, part) VALUES (s.id, s.v, s.n, s.part) "
                + "WHEN NOT MATCHED BY SOURCE AND t.id = 6 THEN DELETE");
        assertSameRows("t");
        // Schema evolution adds the source's score column; older files read it as NULL.
        run("MERGE WITH SCHEMA EVOLUTION INTO t USING (SELECT * FROM s WHERE id IN (1, 7)) s ON t.id = s.id "
                + "WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *");
        assertSameRows("t");
    }

    private void assertSameRows(String name) {
        Path table = lake.resolve("default").resolve(name);
        List<JsonNode> tarn = new ArrayList<>();
        List<String> tarnColumns;
        try (QueryResult r = session.execute("SELECT * FROM " + name)) {
            tarnColumns = r.columns().stream().map(ResultColumn::name).toList();
            for (VectorSchemaRoot b = r.nextBatch(); b != null; b = r.nextBatch()) {
                tarn.addAll(ExpectedRowEncoder.encode(b));
            }
        }
        assertTrue(!tarn.isEmpty(), "Tarn reads rows");
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
