package dev.tarn.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code tarn sql} contract: output formats, exit codes, timing lines, files and statement splitting. */
class SqlCommandTest {
    @TempDir
    Path dir;

    private CliRun sql(String format, String statements) {
        return CliRun.run(dir, "sql", "--lake", "lake", "--format", format, "-c", statements);
    }

    private static final String SCALARS = "create table t (b boolean, t tinyint, s smallint, i int, l bigint, "
            + "f float, d double, dec decimal(10,2), str string, dt date, ts timestamp, ntz timestamp_ntz, bin binary)";
    private static final String EXTREMES = "insert into t values (true, -128, 32767, -2147483648, "
            + "9223372036854775807, 1.5, 0.1, -100.00, 'say \"hi\", ok', DATE '2024-02-29', "
            + "TIMESTAMP '2024-01-01 12:34:56.123456', TIMESTAMP '1969-12-31 23:59:59.999999', X'CAFE')";
    private static final String EMPTY_STRING = "insert into t (b, str) values (false, '')";
    private static final String NULLS = "insert into t (b) values (null)";

    private void createScalarTable() {
        CliRun r = sql("csv", String.join(";", SCALARS, EXTREMES, EMPTY_STRING, NULLS));
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.out(), "DDL and DML print nothing in csv mode");
    }

    @Test
    void csvOutputOfScalarTypes() {
        createScalarTable();
        CliRun r = sql("csv", "select * from t order by b desc nulls last");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(String.join("\r\n",
                "b,t,s,i,l,f,d,dec,str,dt,ts,ntz,bin",
                "true,-128,32767,-2147483648,9223372036854775807,1.5,0.1,-100.00,\"say \"\"hi\"\", ok\","
                        + "2024-02-29,2024-01-01T12:34:56.123456Z,1969-12-31T23:59:59.999999,yv4=",
                "false,,,,,,,,\"\",,,,",
                ",,,,,,,,,,,,",
                ""), r.out());
        assertEquals("", r.err());
    }

    @Test
    void jsonlOutputOfScalarTypes() {
        createScalarTable();
        CliRun r = sql("jsonl", "select * from t order by b desc nulls last");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(String.join("\n",
                "{\"b\":true,\"t\":-128,\"s\":32767,\"i\":-2147483648,\"l\":9223372036854775807,\"f\":1.5,\"d\":0.1,"
                        + "\"dec\":\"-100.00\",\"str\":\"say \\\"hi\\\", ok\",\"dt\":\"2024-02-29\","
                        + "\"ts\":\"2024-01-01T12:34:56.123456Z\",\"ntz\":\"1969-12-31T23:59:59.999999\","
                        + "\"bin\":\"yv4=\"}",
                "{\"b\":false,\"t\":null,\"s\":null,\"i\":null,\"l\":null,\"f\":null,\"d\":null,\"dec\":null,"
                        + "\"str\":\"\",\"dt\":null,\"ts\":null,\"ntz\":null,\"bin\":null}",
                "{\"b\":null,\"t\":null,\"s\":null,\"i\":null,\"l\":null,\"f\":null,\"d\":null,\"dec\":null,"
                        + "\"str\":null,\"dt\":null,\"ts\":null,\"ntz\":null,\"bin\":null}",
                ""), r.out());
    }

    @Test
    void tableOutputShowsRowsAndCounts() {
        CliRun r = sql("table", "create table p (id int, name string); insert into p values (1, 'a'), (22, null);"
                + " select * from p order by id");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(String.join("\n",
                "OK",
                "2 rows affected",
                " id | name",
                "----+------",
                "  1 | a",
                " 22 | NULL",
                "(2 rows)",
                ""), r.out());
    }

    @Test
    void failingStatementStopsTheRunWithExitCode1() {
        CliRun r = sql("csv", "create table k (id int); insert into k values (1); select * from missing_table;"
                + " insert into k values (2)");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("statement 3"), r.err());
        assertTrue(r.err().contains("select * from missing_table"), r.err());
        assertTrue(r.err().contains("[TARN-1002]"), r.err());
        assertTrue(r.err().contains("missing_table"), r.err());
        CliRun after = sql("csv", "select count(*) as n from k");
        assertEquals("n\r\n1\r\n", after.out(), "the statement after the failure did not run");
    }

    @Test
    void syntaxErrorIsExitCode1WithItsCode() {
        CliRun r = sql("csv", "selec 1");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("[TARN-1001]"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void badUsageIsExitCode2WithUsageOnStderr() {
        for (List<String> args : List.of(
                List.of("sql", "--lake", "lake", "--bogus", "-c", "select 1"),
                List.of("sql", "--lake", "lake", "-c", "select 1", "-f", "x.sql"),
                List.of("sql", "--lake", "lake"),
                List.of("sql", "--lake"),
                List.of("sql", "--lake", "lake", "-c"),
                List.of("sql", "--lake", "lake", "--format", "xml", "-c", "select 1"),
                List.of("sql", "--lake", "lake", "-f", "does-not-exist.sql"),
                List.of("nosuchcommand"))) {
            CliRun r = CliRun.run(dir, args.toArray(new String[0]));
            assertEquals(2, r.exitCode(), args.toString());
            assertTrue(r.err().contains("usage: tarn"), args + ": " + r.err());
            assertEquals("", r.out(), args.toString());
        }
    }

    @Test
    void timingWritesOneLinePerStatementToStderr() {
        CliRun r = CliRun.run(dir, "sql", "--lake", "lake", "--format", "csv", "--timing", "-c",
                "create table z (a int); insert into z values (1); select a from z");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("a\r\n1\r\n", r.out());
        List<String> lines = r.err().lines().toList();
        assertEquals(3, lines.size(), r.err());
        for (String line : lines) {
            assertTrue(line.matches("timing: \\d+ ms"), line);
        }
    }

    @Test
    void fileOfStatementsWithCommentsAndQuotedSemicolons() throws Exception {
        Files.writeString(dir.resolve("script.sql"), String.join("\n",
                "-- a script; with a semicolon in a comment",
                "create table q (s string);",
                "/* block; comment */ insert into q values ('a;b'), ('it''s');",
                ";",
                "select s from q order by s -- no trailing semicolon"), StandardCharsets.UTF_8);
        CliRun r = CliRun.run(dir, "sql", "--lake", "lake", "--format", "jsonl", "-f", "script.sql");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("{\"s\":\"a;b\"}\n{\"s\":\"it's\"}\n", r.out());
    }

    @Test
    void schemaOptionSetsTheCurrentSchema() {
        CliRun setup = sql("csv", "create schema sales; create table sales.o (id int); insert into sales.o values (5)");
        assertEquals(0, setup.exitCode(), setup.err());
        CliRun r = CliRun.run(dir, "sql", "--lake", "lake", "--schema", "sales", "--format", "csv", "-c",
                "select id from o");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("id\r\n5\r\n", r.out());
    }

    @Test
    void relativeLakeResolvesAgainstTheWorkingDirectory() {
        CliRun r = sql("csv", "create table w (a int)");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.isDirectory(dir.resolve("lake")));
    }
}
