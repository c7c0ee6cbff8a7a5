package dev.tarn.query.internal;

import static dev.tarn.query.internal.Lakes.rows;
import static dev.tarn.query.internal.Lakes.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.Session;
import dev.tarn.query.internal.catalog.TableHandle;
import dev.tarn.query.internal.execution.ExecutionContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nested columns of column-mapped tables are written under their physical names (the Parquet writer finds array and
 * map columns for their statistics by name) and read back under their logical ones.
 */
class ColumnMappedNestedWriteTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"none", "name", "id"})
    void nestedColumnsRoundTrip(String mode) {
        try (Database db = Database.open(DatabaseConfig.of(dir.resolve("lake"))); Session session = db.newSession()) {
            session.execute("CREATE TABLE t (id INT, st STRUCT<x: INT, y: STRING>, a ARRAY<INT>) "
                    + "TBLPROPERTIES ('delta.columnMapping.mode' = '" + mode + "')").close();
            TableHandle t = ((DatabaseImpl) db).catalog().table("default", "t").orElseThrow();
            BatchSource source = new BatchSource(t.schema(), new int[] {2}, (root, batch) -> {
                IntVector id = (IntVector) root.getVector(0);
                StructVector st = (StructVector) root.getVector(1);
                IntVector x = (IntVector) st.getChildByOrdinal(0);
                VarCharVector y = (VarCharVector) st.getChildByOrdinal(1);
                id.setSafe(0, 1);
                st.setIndexDefined(0);
                x.setSafe(0, 7);
                y.setSafe(0, "a".getBytes(StandardCharsets.UTF_8));
                id.setSafe(1, 2);
                st.setNull(1);
                x.setNull(1);
                y.setNull(1);
                ListVector a = (ListVector) root.getVector(2);
                UnionListWriter w = a.getWriter();
                w.setPosition(0);
                w.startList();
                w.writeInt(3);
                w.writeInt(4);
                w.endList();
                a.setNull(1);
                w.setValueCount(2);
                id.setValueCount(2);
                st.setValueCount(2);
            });
            ExecutorService executor = Executors.newSingleThreadExecutor();
            try (RootAllocator allocator = new RootAllocator()) {
                assertEquals(2, t.append(source, new ExecutionContext(allocator, executor, 1, ZoneOffset.UTC)));
            } finally {
                executor.shutdownNow();
            }
            assertTrue(source.closed);
            assertEquals(List.of("[1,{\"x\":7,\"y\":\"a\"},[3,4]]", "[2,null,null]"),
                    sorted(rows(session.execute("SELECT * FROM t"))));
            assertEquals(List.of("[7]"), rows(session.execute("SELECT t.st.x FROM t WHERE t.st.x > 0")));
        }
    }
}
