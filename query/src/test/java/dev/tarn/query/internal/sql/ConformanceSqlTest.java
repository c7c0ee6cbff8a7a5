package dev.tarn.query.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.QueryResult;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.Session;
import dev.tarn.testdata.ExpectedTable;
import dev.tarn.testdata.SharedTestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Queries over the conformance tables written by Spark and other engines (all column types, nested types, column
 * mapping, deletion vectors, void columns): counting, projecting every column in reverse order, sorting, grouping and
 * filtering must all run and agree with the expected row count. Needs the shared test data (fails when missing).
 */
class ConformanceSqlTest {
    @TempDir
    Path lake;

    @ParameterizedTest
    @ValueSource(strings = {
        "primitives", "basic-partitioned", "all-types-ntz", "checkpoint-every-commit", "inserts-deletes-checkpoint",
        "decimal-partitioned", "decimals-precision-scale", "escaped-partition-chars", "nested-arrays-maps", "maps",
        "colmap-name-all-types", "colmap-id-all-types", "timestamp-ntz", "partition-values-all-types",
        "schema-evolution-add-column", "void-column", "dv-small", "dv-colmap-name", "dv-partitioned-checkpoint",
        "timestamp-int96", "edge-timestamps", "type-widening", "row-tracking-liquid-preview"})
    void queriesRunOverEveryColumnType(String name) {
        Path dir = SharedTestData.deltaTable(name);
        long expectedRows = ExpectedTable.named(name).expectations().stream()
                .filter(e -> e.kind().equals("snapshot") && e.latest() && !e.json().has("projection")
                        && !e.json().has("requires"))
                .findFirst().orElseThrow().json().get("row_count").asLong();
        String table = "delta.`" + dir + "`";
        try (Database db = Database.open(DatabaseConfig.of(lake)); Session session = db.newSession()) {
            List<String> columns;
            try (QueryResult r = session.execute("SELECT * FROM " + table + " LIMIT 0")) {
                columns = r.columns().stream().map(c -> "`" + c.name() + "`").toList();
            }
            String first = columns.get(0);
            assertEquals(expectedRows, count(session, "SELECT COUNT(*) FROM " + table));
            List<String> reversed = new ArrayList<>(columns);
            Collections.reverse(reversed);
            assertEquals(expectedRows, rows(session, "SELECT " + String.join(", ", reversed) + " FROM " + table));
            assertEquals(Math.min(5, expectedRows), rows(session, "SELECT * FROM " + table + " ORDER BY " + first + " LIMIT 5"));
            assertEquals(expectedRows, count(session, "SELECT SUM(n) FROM (SELECT " + first + ", COUNT(*) AS n FROM "
                    + table + " GROUP BY " + first + ") g"));
            assertEquals(count(session, "SELECT COUNT(" + first + ") FROM " + table),
                    rows(session, "SELECT * FROM " + table + " WHERE " + first + " IS NOT NULL"));
        }
    }

    private static long rows(Session session, String sql) {
        long n = 0;
        try (QueryResult r = session.execute(sql)) {
            for (VectorSchemaRoot b = r.nextBatch(); b != null; b = r.nextBatch()) {
                n += b.getRowCount();
            }
        }
        return n;
    }

    private static long count(Session session, String sql) {
        try (QueryResult r = session.execute(sql)) {
            List<ResultColumn> columns = r.columns();
            assertEquals(1, columns.size());
            VectorSchemaRoot b = r.nextBatch();
            assertEquals(1, b.getRowCount(), sql);
            BigIntVector v = (BigIntVector) b.getVector(0);
            return v.isNull(0) ? 0 : v.get(0);
        }
    }
}
