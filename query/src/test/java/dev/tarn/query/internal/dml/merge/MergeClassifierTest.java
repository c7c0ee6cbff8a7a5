package dev.tarn.query.internal.dml.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.Session;
import dev.tarn.query.internal.catalog.DeltaLakeCatalog;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.expression.Values;
import dev.tarn.query.internal.sql.CalciteSqlEngine;
import dev.tarn.query.internal.sql.SessionState;
import dev.tarn.query.internal.write.WriteSettings;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.txlog.types.PrimitiveType;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Planning a MERGE into one joined query and classifying its rows, without writing: which clause wins each row,
 * what is deleted, updated and inserted, which join is planned, and the errors Spark raises.
 */
class MergeClassifierTest {
    @TempDir
    Path dir;
    Database db;
    Session session;
    BufferAllocator allocator;
    ExecutorService executor;
    SessionState state;

    @BeforeEach
    void open() {
        db = Database.open(DatabaseConfig.of(dir.resolve("lake")));
        session = db.newSession();
        session.execute("CREATE TABLE t (id INT NOT NULL, v STRING, n BIGINT) "
                + "TBLPROPERTIES ('delta.enableChangeDataFeed' = 'true')").close();
        session.execute("INSERT INTO t VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', 30), (4, 'd', 40)").close();
        session.execute("CREATE TABLE s (id INT, v STRING, op STRING)").close();
        session.execute("INSERT INTO s VALUES (1, 'A', 'u'), (2, 'B', 'd'), (5, 'E', 'i'), (6, 'F', 'x')").close();
        allocator = new RootAllocator();
        executor = Executors.newSingleThreadExecutor();
        state = new SessionState(new DeltaLakeCatalog(dir.resolve("lake"), new LocalFileIO(), WriteSettings.DEFAULTS),
                "default", ZoneOffset.UTC);
    }

    @AfterEach
    void close() {
        executor.shutdownNow();
        allocator.close();
        db.close();
    }

    /** What the classifier handed to the sink, rows as lists of Java values. */
    static final class Recorded implements MergeSink {
        final List<List<Object>> inserted = new ArrayList<>();
        final List<List<Object>> updated = new ArrayList<>();
        final List<Long> updatedRowIds = new ArrayList<>();
        final List<List<Object>> deletedImages = new ArrayList<>();
        final List<List<Object>> preImages = new ArrayList<>();
        final Map<String, long[]> touched = new TreeMap<>();
        long[] rowsByClause;

        @Override
        public void insert(VectorSchemaRoot rows) {
            inserted.addAll(rows(rows));
        }

        @Override
        public void insertUpdated(VectorSchemaRoot rows, BigIntVector rowIds) {
            updated.addAll(rows(rows));
            for (int i = 0; rowIds != null && i < rowIds.getValueCount(); i++) {
                updatedRowIds.add(rowIds.isNull(i) ? null : rowIds.get(i));
            }
        }

        @Override
        public void oldImages(VectorSchemaRoot rows, OldImage kind) {
            (kind == OldImage.DELETE ? deletedImages : preImages).addAll(rows(rows));
        }

        static List<List<Object>> rows(VectorSchemaRoot root) {
            List<List<Object>> out = new ArrayList<>();
            List<Values.Reader> readers = root.getFieldVectors().stream().map(Values::reader).toList();
            for (int i = 0; i < root.getRowCount(); i++) {
                List<Object> row = new ArrayList<>();
                for (Values.Reader r : readers) {
                    row.add(r.get(i));
                }
                out.add(row);
            }
            out.sort((a, b) -> String.valueOf(a).compareTo(String.valueOf(b)));
            return out;
        }

        /** Deleted or updated positions over all files (this test's tables have one file each). */
        List<Long> positions() {
            List<Long> out = new ArrayList<>();
            touched.values().forEach(p -> Arrays.stream(p).forEach(out::add));
            out.sort(null);
            return out;
        }
    }

    MergePlan plan(String sql) {
        return MergePlan.build(MergeParser.parse(sql), sql, state, new CalciteSqlEngine());
    }

    Recorded classify(String sql) {
        Recorded r = new Recorded();
        try (BufferAllocator child = allocator.newChildAllocator("merge", 0, Long.MAX_VALUE)) {
            ExecutionContext context = new ExecutionContext(child, executor, 1, ZoneOffset.UTC);
            MergeClassifier c = MergeExecution.classify(plan(sql), r, context);
            c.touched().forEachFile(r.touched::put);
            r.rowsByClause = c.rowsByClause();
        }
        return r;
    }

    static List<Object> row(Object... values) {
        return Arrays.asList(values);
    }

    @Test
    void everyClauseKindAppliesToItsRows() {
        Recorded r = classify("MERGE INTO t USING s ON t.id = s.id "
                + "WHEN MATCHED AND s.op = 'd' THEN DELETE "
                + "WHEN MATCHED THEN UPDATE SET v = s.v, n = t.n + 1 "
                + "WHEN NOT MATCHED AND s.op = 'i' THEN INSERT (id, v) VALUES (s.id, lower(s.v)) "
                + "WHEN NOT MATCHED BY SOURCE AND t.id = 4 THEN DELETE "
                + "WHEN NOT MATCHED BY SOURCE THEN UPDATE SET n = -1");
        // Positions: ids 1..4 are rows 0..3 of t's one file. 1 updated, 2 deleted, 3 updated (by source), 4 deleted.
        assertEquals(List.of(0L, 1L, 2L, 3L), r.positions());
        assertEquals(List.of(row(1L, "A", 11L), row(3L, "c", -1L)), r.updated);
        assertEquals(List.of(row(5L, "e", null)), r.inserted);
        assertEquals(List.of(row(2L, "b", 20L), row(4L, "d", 40L)), r.deletedImages);
        assertEquals(List.of(row(1L, "a", 10L), row(3L, "c", 30L)), r.preImages);
        assertEquals("[1, 1, 1, 1, 1]", Arrays.toString(r.rowsByClause));
    }

    @Test
    void theFirstClauseWhoseConditionHoldsWins() {
        Recorded r = classify("MERGE INTO t USING s ON t.id = s.id "
                + "WHEN MATCHED AND t.id > 0 THEN UPDATE SET v = 'first' "
                + "WHEN MATCHED THEN DELETE");
        assertEquals(List.of(row(1L, "first", 10L), row(2L, "first", 20L)), r.updated);
        assertEquals(0, r.deletedImages.size());
        assertEquals(2, r.rowsByClause[0]);
        assertEquals(0, r.rowsByClause[1]);
        // A NULL condition is not true: the row falls through to the next clause.
        r = classify("MERGE INTO t USING s ON t.id = s.id "
                + "WHEN MATCHED AND CAST(NULL AS BOOLEAN) THEN DELETE "
                + "WHEN MATCHED AND s.op = 'u' THEN UPDATE SET v = 'second'");
        assertEquals(List.of(row(1L, "second", 10L)), r.updated);
        assertEquals(List.of(0L), r.positions());
    }

    @Test
    void joinTypeFollowsTheClauses() {
        assertEquals("INNER", plan("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE").joinType());
        assertEquals("LEFT", plan("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE "
                + "WHEN NOT MATCHED BY SOURCE THEN DELETE").joinType());
        assertEquals("FULL", plan("MERGE INTO t USING s ON t.id = s.id WHEN NOT MATCHED THEN INSERT (id) VALUES (s.id)").joinType());
        assertEquals("FULL", plan("MERGE INTO t USING s ON t.id = s.id WHEN NOT MATCHED THEN INSERT (id) VALUES (s.id) "
                + "WHEN NOT MATCHED BY SOURCE THEN DELETE").joinType());
    }

    @Test
    void insertOnlyMergeInsertsUnmatchedSourceRows() {
        Recorded r = classify("MERGE INTO t USING s ON t.id = s.id WHEN NOT MATCHED THEN INSERT (id, v, n) "
                + "VALUES (s.id, s.v, s.id * 100)");
        assertEquals(List.of(row(5L, "E", 500L), row(6L, "F", 600L)), r.inserted);
        assertTrue(r.touched.isEmpty());
    }

    @Test
    void starActionsMapSourceColumnsByName() {
        session.execute("CREATE TABLE s2 (n INT, ID BIGINT, v STRING, extra DOUBLE)").close();
        session.execute("INSERT INTO s2 VALUES (7, 1, 'x', 0.5), (8, 9, 'y', 1.5)").close();
        Recorded r = classify("MERGE INTO t USING s2 ON t.id = s2.id WHEN MATCHED THEN UPDATE SET * "
                + "WHEN NOT MATCHED THEN INSERT *");
        // Source types are cast to the target's: BIGINT id into INT, INT n into BIGINT; extra is ignored.
        assertEquals(List.of(row(1L, "x", 7L)), r.updated);
        assertEquals(List.of(row(9L, "y", 8L)), r.inserted);

        TarnException e = assertThrows(TarnException.class, () -> plan("MERGE INTO t USING s ON t.id = s.id "
                + "WHEN NOT MATCHED THEN INSERT *"));
        assertEquals(ErrorCode.COLUMN_NOT_FOUND, e.errorCode());
        assertTrue(e.getMessage().contains("no column 'n'"), e.getMessage());
    }

    @Test
    void schemaEvolutionAddsSourceColumns() {
        session.execute("CREATE TABLE s3 (id INT, v STRING, score DOUBLE)").close();
        session.execute("INSERT INTO s3 VALUES (1, 'x', 0.5), (9, 'y', 1.5)").close();
        MergePlan plan = plan("MERGE WITH SCHEMA EVOLUTION INTO t USING s3 ON t.id = s3.id "
                + "WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *");
        assertEquals(List.of("id", "v", "n", "score"), plan.evolvedSchema().orElseThrow().fieldNames());
        assertEquals(PrimitiveType.DOUBLE, plan.evolvedSchema().get().fields().get(3).type());
        Recorded r = classify("MERGE WITH SCHEMA EVOLUTION INTO t USING s3 ON t.id = s3.id "
                + "WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *");
        // n is not in the source: kept by UPDATE *, NULL for INSERT *.
        assertEquals(List.of(row(1L, "x", 10L, 0.5)), r.updated);
        assertEquals(List.of(row(9L, "y", null, 1.5)), r.inserted);
        assertEquals(List.of(row(1L, "a", 10L, null)), r.preImages);
    }

    @Test
    void sourcesAsSubqueryAndValues() {
        Recorded r = classify("MERGE INTO t AS a USING (SELECT id, v FROM s WHERE op <> 'd') AS b ON a.id = b.id "
                + "WHEN MATCHED THEN UPDATE SET a.v = b.v WHEN NOT MATCHED THEN INSERT (id, v) VALUES (b.id, b.v)");
        assertEquals(List.of(row(1L, "A", 10L)), r.updated);
        assertEquals(List.of(row(5L, "E", null), row(6L, "F", null)), r.inserted);

        r = classify("MERGE INTO t USING (VALUES (3, 'x'), (8, 'y')) AS src(id, name) ON t.id = src.id "
                + "WHEN MATCHED THEN DELETE WHEN NOT MATCHED THEN INSERT (id, v, n) VALUES (src.id, src.name, 0)");
        assertEquals(List.of(2L), r.positions());
        assertEquals(List.of(row(3L, "c", 30L)), r.deletedImages);
        assertEquals(List.of(row(8L, "y", 0L)), r.inserted);
    }

    @Test
    void severalSourceRowsUpdatingOneTargetRowFail() {
        session.execute("INSERT INTO s VALUES (1, 'A2', 'u')").close();
        TarnException e = assertThrows(TarnException.class, () -> classify("MERGE INTO t USING s ON t.id = s.id "
                + "WHEN MATCHED THEN UPDATE SET v = s.v"));
        assertEquals(ErrorCode.MERGE_MULTIPLE_SOURCE_ROWS, e.errorCode());
        assertTrue(e.getMessage().contains("multiple source rows matched"), e.getMessage());
        // Deleting it is unambiguous: the row is deleted once.
        Recorded r = classify("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE");
        assertEquals(List.of(0L, 1L), r.positions());
        assertEquals(List.of(row(1L, "a", 10L), row(2L, "b", 20L)), r.deletedImages);
        // Matches no clause applies to do not count.
        r = classify("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED AND s.v = 'A2' THEN UPDATE SET v = s.v");
        assertEquals(List.of(row(1L, "A2", 10L)), r.updated);
    }

    @Test
    void notNullAndTypesAreEnforcedOnWrittenRows() {
        TarnException e = assertThrows(TarnException.class, () -> classify("MERGE INTO t USING s ON t.id = s.id "
                + "WHEN NOT MATCHED THEN INSERT (v) VALUES (s.v)"));
        assertEquals(ErrorCode.NOT_NULL_VIOLATION, e.errorCode());
        assertTrue(e.getMessage().contains("'id'"), e.getMessage());
        e = assertThrows(TarnException.class, () -> classify("MERGE INTO t USING s ON t.id = s.id "
                + "WHEN MATCHED THEN UPDATE SET id = CAST(s.v AS INT)"));
        assertEquals(ErrorCode.INVALID_CAST, e.errorCode(), e.getMessage());
    }

    @Test
    void validationErrorsPointIntoTheStatement() {
        String sql = "MERGE INTO t USING s ON t.id = s.id\nWHEN MATCHED AND s.nope = 1 THEN DELETE";
        TarnException e = assertThrows(TarnException.class, () -> plan(sql));
        assertEquals(ErrorCode.COLUMN_NOT_FOUND, e.errorCode());
        assertTrue(e.getMessage().contains("line 2, column 20"), e.getMessage());
        e = assertThrows(TarnException.class, () -> plan("MERGE INTO t USING s ON t.id = s.id "
                + "WHEN MATCHED THEN UPDATE SET nope = 1"));
        assertEquals(ErrorCode.COLUMN_NOT_FOUND, e.errorCode());
        e = assertThrows(TarnException.class, () -> plan("MERGE INTO nope USING s ON nope.id = s.id "
                + "WHEN MATCHED THEN DELETE"));
        assertEquals(ErrorCode.TABLE_NOT_FOUND, e.errorCode());
        e = assertThrows(TarnException.class, () -> plan("MERGE INTO t USING t ON t.id = t.id "
                + "WHEN MATCHED THEN DELETE"));
        assertEquals(ErrorCode.AMBIGUOUS_NAME, e.errorCode());
    }
}
