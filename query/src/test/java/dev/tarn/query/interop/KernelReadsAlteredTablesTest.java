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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tables changed by ALTER TABLE (column mapping upgrades, added/renamed/dropped columns, type widening, constraints,
 * properties), written with generated and identity columns, or restored, read back by delta-kernel with the rows
 * Tarn reads.
 */
@Tag("interop")
class KernelReadsAlteredTablesTest {
    @TempDir
    static Path lake;
    static Database db;
    static Session session;

    record Case(String name, List<String> statements) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> tables() {
        return Stream.of(
                new Case("added_renamed_dropped", List.of(
                        "CREATE TABLE added_renamed_dropped (id INT, a STRING, b STRING)",
                        "INSERT INTO added_renamed_dropped VALUES (1, 'a1', 'b1')",
                        "ALTER TABLE added_renamed_dropped ADD COLUMNS (c DOUBLE COMMENT 'new')",
                        "INSERT INTO added_renamed_dropped VALUES (2, 'a2', 'b2', 2.5)",
                        "ALTER TABLE added_renamed_dropped RENAME COLUMN a TO a_renamed",
                        "ALTER TABLE added_renamed_dropped DROP COLUMN b",
                        "INSERT INTO added_renamed_dropped VALUES (3, 'a3', 3.5)")),
                new Case("renamed_partition", List.of(
                        "CREATE TABLE renamed_partition (id INT, part STRING) PARTITIONED BY (part)",
                        "INSERT INTO renamed_partition VALUES (1, 'x'), (2, 'y')",
                        "ALTER TABLE renamed_partition RENAME COLUMN part TO region",
                        "INSERT INTO renamed_partition VALUES (3, 'x')")),
                new Case("widened", List.of(
                        "CREATE TABLE widened (b TINYINT, i INT, f FLOAT, dec DECIMAL(5,2))",
                        "INSERT INTO widened VALUES (CAST(1 AS TINYINT), 2147483647, CAST(1.5 AS FLOAT), 123.45)",
                        "ALTER TABLE widened ALTER COLUMN b TYPE INT",
                        "ALTER TABLE widened ALTER COLUMN i TYPE BIGINT",
                        "ALTER TABLE widened ALTER COLUMN f TYPE DOUBLE",
                        "ALTER TABLE widened ALTER COLUMN dec TYPE DECIMAL(12,4)",
                        "INSERT INTO widened VALUES (100000, 4000000000, 0.1, 12345678.1234)")),
                new Case("generated_identity", List.of(
                        "CREATE TABLE generated_identity (id BIGINT GENERATED ALWAYS AS IDENTITY, price DOUBLE, "
                                + "qty INT, total DOUBLE GENERATED ALWAYS AS (price * qty))",
                        "INSERT INTO generated_identity (price, qty) VALUES (1.5, 2), (2.0, 3)",
                        "INSERT INTO generated_identity (price, qty) VALUES (10.0, 1)")),
                new Case("constrained", List.of(
                        "CREATE TABLE constrained (id INT NOT NULL, v INT)",
                        "INSERT INTO constrained VALUES (1, 10)",
                        "ALTER TABLE constrained ADD CONSTRAINT positive CHECK (v > 0)",
                        "ALTER TABLE constrained ALTER COLUMN v SET NOT NULL",
                        "INSERT INTO constrained VALUES (2, 20)")),
                new Case("properties_upgraded", List.of(
                        "CREATE TABLE properties_upgraded (id INT)",
                        "INSERT INTO properties_upgraded VALUES (1), (2)",
                        "ALTER TABLE properties_upgraded SET TBLPROPERTIES ('delta.enableChangeDataFeed' = 'true', "
                                + "'delta.enableRowTracking' = 'true', 'delta.enableDeletionVectors' = 'true')",
                        "INSERT INTO properties_upgraded VALUES (3)")),
                new Case("restored", List.of(
                        "CREATE TABLE restored (id INT)",
                        "INSERT INTO restored VALUES (1)",
                        "INSERT INTO restored VALUES (2)",
                        "ALTER TABLE restored ADD COLUMN s STRING",
                        "INSERT INTO restored VALUES (3, 'c')",
                        "RESTORE TABLE restored TO VERSION AS OF 1")));
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    void kernelReadsTheRowsTarnReads(Case c) {
        for (String sql : c.statements()) {
            session.execute(sql).close();
        }
        Path table = lake.resolve("default").resolve(c.name());
        List<JsonNode> tarn = new ArrayList<>();
        List<String> tarnColumns;
        try (QueryResult r = session.execute("SELECT * FROM " + c.name())) {
            tarnColumns = r.columns().stream().map(ResultColumn::name).toList();
            for (VectorSchemaRoot b = r.nextBatch(); b != null; b = r.nextBatch()) {
                tarn.addAll(ExpectedRowEncoder.encode(b));
            }
        }
        assertTrue(!tarn.isEmpty(), "Tarn reads rows");
        KernelReader kernel = new KernelReader();
        assertEquals(tarnColumns, kernel.columns(table.toString()), "columns");
        List<JsonNode> read = kernel.rows(table.toString());
        assertNull(RowMatcher.difference(tarn, read), "kernel " + read + " vs Tarn " + tarn);
    }
}
