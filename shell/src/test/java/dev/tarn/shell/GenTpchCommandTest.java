package dev.tarn.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.testdata.tpch.TpchAnswers;
import dev.tarn.testdata.tpch.TpchGenerator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code tarn gen-tpch --sf 0.01} creates the eight tables, and {@code tarn sql --schema tpch -f qNN.sql} answers
 * every shared TPC-H query file unchanged, as its csv output compared with the shared answers.
 */
class GenTpchCommandTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void generate() {
        CliRun r = CliRun.run(dir, "gen-tpch", "--lake", "lake", "--sf", "0.01");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("tpch.lineitem: 60175 rows"), r.err());
    }

    @Test
    void createsTheEightTablesWithTheirRowCounts() {
        for (String table : TpchGenerator.TABLES) {
            CliRun r = CliRun.run(dir, "sql", "--lake", "lake", "--schema", "tpch", "--format", "csv",
                    "-c", "SELECT COUNT(*) AS n FROM " + table);
            assertEquals(0, r.exitCode(), r.err());
            assertEquals("n\r\n" + TpchGenerator.ROWS_AT_SF_0_01.get(table) + "\r\n", r.out(), table);
        }
        CliRun r = CliRun.run(dir, "sql", "--lake", "lake", "--format", "csv",
                "-c", "DESCRIBE tpch.lineitem");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("l_orderkey,BIGINT,"), r.out());
        assertTrue(r.out().contains("l_linenumber,INT,"), r.out());
        assertTrue(r.out().contains("l_extendedprice,\"DECIMAL(15,2)\","), r.out());
        assertTrue(r.out().contains("l_shipdate,DATE,"), r.out());
        assertTrue(r.out().contains("l_comment,STRING,"), r.out());
    }

    @ParameterizedTest(name = "q{0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22})
    void sqlCommandAnswersEveryQueryFileUnchanged(int number) {
        Path file = TpchAnswers.queryFile(number);
        CliRun r = CliRun.run(dir, "sql", "--lake", "lake", "--schema", "tpch", "--format", "csv",
                "-f", file.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<List<String>> csv = TpchAnswers.parseCsv(r.out());
        List<List<Object>> rows = new ArrayList<>();
        for (List<String> row : csv.subList(1, csv.size())) {
            rows.add(new ArrayList<>(row));
        }
        TpchAnswers.check(TpchAnswers.name(number), TpchAnswers.query(number), TpchAnswers.answer(number),
                csv.get(0), rows);
    }

    @Test
    void refusesExistingTablesAndBadUsage() {
        CliRun again = CliRun.run(dir, "gen-tpch", "--lake", "lake", "--sf", "0.01");
        assertEquals(1, again.exitCode(), again.err());
        assertTrue(again.err().contains("region"), again.err());
        assertEquals(2, CliRun.run(dir, "gen-tpch", "--lake", "lake").exitCode());
        assertEquals(2, CliRun.run(dir, "gen-tpch", "--lake", "lake", "--sf", "-1").exitCode());
        assertEquals(2, CliRun.run(dir, "gen-tpch", "--lake", "lake", "--sf", "1", "--schema", "a b").exitCode());
    }
}
