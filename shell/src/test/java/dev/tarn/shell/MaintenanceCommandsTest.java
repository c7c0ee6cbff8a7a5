package dev.tarn.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.shell.internal.Io;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.testdata.BeforeCommitFileIO;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler commands {@code tarn optimize | vacuum | purge | checkpoint | maintain}: what they do to real tables,
 * their one JSON document, and the exit codes 0 (done or nothing to do), 1 (failed), 2 (bad usage) and 75 (a
 * concurrent commit won; safe to retry).
 */
class MaintenanceCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private CliRun tarn(String... args) {
        return CliRun.run(dir, args);
    }

    /** Runs with the lake reached through {@code fileIO}. */
    private CliRun tarnWith(FileIO fileIO, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        Io io = new Io(new ByteArrayInputStream(new byte[0]), o, e, dir, false).withFileIO(fileIO);
        int code = Main.run(args, io);
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private void sql(String statements) {
        CliRun r = tarn("sql", "--lake", "lake", "--format", "csv", "-c", statements);
        assertEquals(0, r.exitCode(), r.err());
    }

    private String query(String select) {
        CliRun r = tarn("sql", "--lake", "lake", "--format", "csv", "-c", select);
        assertEquals(0, r.exitCode(), r.err());
        return r.out();
    }

    private static JsonNode json(CliRun r) throws IOException {
        return JSON.readTree(r.out());
    }

    /** A table of {@code inserts} single-insert files (ids 0 .. 10*inserts-1), partitioned by p when asked. */
    private void smallFiles(String table, int inserts, boolean partitioned, String properties) {
        StringBuilder sb = new StringBuilder("create table " + table + " (id bigint, p string)"
                + (partitioned ? " partitioned by (p)" : "")
                + (properties.isEmpty() ? "" : " tblproperties (" + properties + ")"));
        for (int i = 0; i < inserts; i++) {
            sb.append("; insert into ").append(table).append(" values ");
            for (int j = 0; j < 10; j++) {
                long id = i * 10L + j;
                sb.append(j == 0 ? "" : ", ").append("(").append(id).append(", '").append(id % 2 == 0 ? "a" : "b")
                        .append("')");
            }
        }
        sql(sb.toString());
    }

    private List<Path> dataFiles(Path table) throws IOException {
        try (Stream<Path> s = Files.walk(table)) {
            List<Path> out = new ArrayList<>();
            s.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log")).forEach(out::add);
            return out;
        }
    }

    @Test
    void optimizeCompactsOnceThenHasNothingToDo() throws IOException {
        smallFiles("t", 5, false, "");
        String before = query("select count(*), sum(id), count(distinct id) from t");

        CliRun first = tarn("optimize", "--lake", "lake", "default.t", "--json");

        assertEquals(0, first.exitCode(), first.err());
        assertEquals("", first.err());
        JsonNode doc = json(first);
        assertEquals("optimize", doc.get("command").asText());
        assertEquals(0, doc.get("exitCode").asInt());
        assertTrue(doc.get("error").isNull());
        JsonNode table = doc.get("tables").get(0);
        assertEquals("default.t", table.get("table").asText());
        assertEquals("DONE", table.get("status").asText());
        JsonNode op = table.get("operations").get(0);
        assertEquals("OPTIMIZE", op.get("operation").asText());
        assertEquals("PERFORMED", op.get("outcome").asText());
        assertEquals(List.of(6L), longs(op.get("versionsCommitted")));
        assertEquals(5, op.get("filesRemoved").asLong());
        assertEquals(1, op.get("filesAdded").asLong());
        assertTrue(op.get("bytesRemoved").asLong() > 0);
        assertTrue(op.get("bytesAdded").asLong() > 0);
        assertTrue(op.get("durationMillis").asLong() >= 0);
        assertEquals(50, op.get("details").get("rowsWritten").asLong());
        assertEquals(before, query("select count(*), sum(id), count(distinct id) from t"), "no row lost or duplicated");

        CliRun second = tarn("optimize", "--lake", "lake", "default.t", "--json");

        assertEquals(0, second.exitCode(), second.err());
        JsonNode again = json(second).get("tables").get(0);
        assertEquals("NOTHING_TO_DO", again.get("status").asText());
        JsonNode noop = again.get("operations").get(0);
        assertEquals("SKIPPED", noop.get("outcome").asText());
        assertEquals(0, noop.get("versionsCommitted").size());
        assertFalse(noop.get("reason").asText().isEmpty());
        assertEquals(again.get("message").asText(), noop.get("reason").asText());
        assertTrue(query("describe history t").startsWith("version"), "history readable");
        assertEquals(7, query("describe history t").lines().count() - 1, "the second run committed nothing");
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }

    @Test
    void humanOutputSaysWhatHappened() {
        smallFiles("t", 3, false, "");

        CliRun r = tarn("optimize", "--lake", "lake", "t");

        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("default.t: done in "), r.out());
        assertTrue(r.out().contains("OPTIMIZE   performed committed version 4; 3 file(s) ("), r.out());
        CliRun again = tarn("optimize", "--lake", "lake", "t");
        assertTrue(again.out().startsWith("default.t: nothing to do in "), again.out());
    }

    @Test
    void optimizeWhereTouchesOnlyMatchingPartitionsAndTakesAPath() throws IOException {
        smallFiles("t", 4, true, "");
        Path table = dir.resolve("lake/default/t");

        CliRun r = tarn("optimize", "--lake", "lake", "lake/default/t", "--where", "p = 'a'", "--json");

        assertEquals(0, r.exitCode(), r.err());
        JsonNode t = json(r).get("tables").get(0);
        assertEquals(table.toString(), t.get("location").asText());
        JsonNode op = t.get("operations").get(0);
        assertEquals(4, op.get("filesRemoved").asLong(), "the four files of partition a only");
        assertEquals(1, op.get("details").get("partitionsOptimized").asLong());
        assertEquals("20,20\r\n", query("select count(*) filter (where p = 'a'), count(*) filter (where p = 'b') from t")
                .lines().skip(1).findFirst().orElseThrow() + "\r\n");
    }

    @Test
    void zOrderSortsAndKeepsRows() throws IOException {
        smallFiles("t", 4, false, "");
        CliRun r = tarn("optimize", "--lake", "lake", "default.t", "--zorder-by", "id,p", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode op = json(r).get("tables").get(0).get("operations").get(0);
        assertEquals("PERFORMED", op.get("outcome").asText());
        assertTrue(query("select count(*), count(distinct id) from t").contains("40,40"));
    }

    @Test
    void vacuumDryRunListsWhatVacuumThenDeletes() throws IOException {
        smallFiles("t", 3, false, "'delta.deletedFileRetentionDuration' = 'interval 0 hours'");
        assertEquals(0, tarn("optimize", "--lake", "lake", "default.t").exitCode());
        Path table = dir.resolve("lake/default/t");
        assertEquals(4, dataFiles(table).size());

        CliRun dry = tarn("vacuum", "--lake", "lake", "default.t", "--retain-hours", "0", "--dry-run", "--json");

        assertEquals(0, dry.exitCode(), dry.err());
        JsonNode doc = json(dry);
        assertTrue(doc.get("dryRun").asBoolean());
        JsonNode op = doc.get("tables").get(0).get("operations").get(0);
        assertEquals("PLANNED", op.get("outcome").asText());
        assertEquals(3, op.get("filesRemoved").asLong());
        assertEquals(3, op.get("details").get("files").size());
        assertEquals(0, op.get("versionsCommitted").size());
        assertEquals(4, dataFiles(table).size(), "a dry run deletes nothing");

        CliRun real = tarn("vacuum", "--lake", "lake", "default.t", "--retain-hours", "0", "--json");

        assertEquals(0, real.exitCode(), real.err());
        JsonNode done = json(real).get("tables").get(0).get("operations").get(0);
        assertEquals("PERFORMED", done.get("outcome").asText());
        assertEquals(3, done.get("filesRemoved").asLong());
        assertEquals(2, done.get("versionsCommitted").size(), "VACUUM START and VACUUM END");
        assertEquals(1, dataFiles(table).size());
        assertTrue(query("select count(*) from t").contains("30"));
    }

    @Test
    void vacuumRefusesARetentionShorterThanTheTables() {
        smallFiles("t", 1, false, "");
        CliRun r = tarn("vacuum", "--lake", "lake", "default.t", "--retain-hours", "1", "--json");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("Refusing to VACUUM"), r.err());
    }

    @Test
    void checkpointWritesOnceAndPurgeWithoutDeletionVectorsHasNothingToDo() throws IOException {
        smallFiles("t", 2, false, "");

        CliRun cp = tarn("checkpoint", "--lake", "lake", "default.t", "--json");

        assertEquals(0, cp.exitCode(), cp.err());
        JsonNode op = json(cp).get("tables").get(0).get("operations").get(0);
        assertEquals("CHECKPOINT", op.get("operation").asText());
        assertEquals("PERFORMED", op.get("outcome").asText());
        assertEquals(2, op.get("details").get("version").asLong());
        assertTrue(Files.exists(dir.resolve("lake/default/t/_delta_log/00000000000000000002.checkpoint.parquet")));
        CliRun again = tarn("checkpoint", "--lake", "lake", "default.t", "--json");
        assertEquals("NOTHING_TO_DO", json(again).get("tables").get(0).get("status").asText());

        CliRun purge = tarn("purge", "--lake", "lake", "default.t", "--json");
        assertEquals(0, purge.exitCode(), purge.err());
        JsonNode p = json(purge).get("tables").get(0);
        assertEquals("NOTHING_TO_DO", p.get("status").asText());
        assertEquals("PURGE", p.get("operations").get(0).get("operation").asText());
    }

    @Test
    void maintainPlansOnDryRunThenMaintainsEveryTable() throws IOException {
        smallFiles("many", 4, false, "'tarn.maintain.minSmallFiles' = '3'");
        smallFiles("few", 1, false, "");
        sql("create schema other; create table other.off (id bigint) tblproperties ('tarn.maintain.enabled' = 'false');"
                + " insert into other.off values (1)");

        CliRun dry = tarn("maintain", "--lake", "lake", "--dry-run", "--json");

        assertEquals(0, dry.exitCode(), dry.err());
        JsonNode doc = json(dry);
        assertTrue(doc.get("dryRun").asBoolean());
        assertEquals(List.of("default.few", "default.many", "other.off"), names(doc));
        JsonNode many = doc.get("tables").get(1);
        assertEquals("PLANNED", many.get("status").asText());
        JsonNode compact = step(many, "COMPACT");
        assertEquals("PLANNED", compact.get("outcome").asText());
        assertEquals(4, compact.get("filesRemoved").asLong());
        assertEquals("NOTHING_TO_DO", doc.get("tables").get(0).get("status").asText());
        assertEquals("NOTHING_TO_DO", doc.get("tables").get(2).get("status").asText());
        assertTrue(doc.get("tables").get(2).get("message").asText().contains("tarn.maintain.enabled"));
        assertEquals(4, dataFiles(dir.resolve("lake/default/many")).size(), "a dry run writes nothing");

        CliRun real = tarn("maintain", "--lake", "lake", "--json");

        assertEquals(0, real.exitCode(), real.err());
        JsonNode done = json(real).get("tables").get(1);
        assertEquals("DONE", done.get("status").asText());
        assertEquals("PERFORMED", step(done, "COMPACT").get("outcome").asText());
        assertEquals(1, step(done, "COMPACT").get("versionsCommitted").size());
        assertTrue(query("select count(*), count(distinct id) from many").contains("40,40"));

        CliRun text = tarn("maintain", "--lake", "lake");
        assertEquals(0, text.exitCode());
        assertTrue(text.out().contains("default.many: nothing to do"), text.out());
        assertTrue(text.out().contains("  COMPACT    skipped"), text.out());
    }

    private static List<String> names(JsonNode doc) {
        List<String> out = new ArrayList<>();
        doc.get("tables").forEach(t -> out.add(t.get("table").asText()));
        return out;
    }

    private static JsonNode step(JsonNode table, String operation) {
        for (JsonNode op : table.get("operations")) {
            if (op.get("operation").asText().equals(operation)) {
                return op;
            }
        }
        throw new AssertionError("no " + operation + " in " + table);
    }

    @Test
    void aConcurrentOptimizeThatWinsMakesTheLoserExit75WithoutLosingRows() throws IOException {
        smallFiles("t", 4, false, "");
        String before = query("select count(*), sum(id), count(distinct id) from t");
        // Just before the command commits, another process optimizes the same files and commits first.
        Runnable rival = () -> {
            CliRun other = tarn("optimize", "--lake", "lake", "default.t");
            assertEquals(0, other.exitCode(), other.err());
        };

        CliRun loser = tarnWith(BeforeCommitFileIO.once(new LocalFileIO(), rival), "optimize", "--lake", "lake",
                "default.t", "--json");

        assertEquals(75, loser.exitCode(), loser.out() + loser.err());
        JsonNode t = json(loser).get("tables").get(0);
        assertEquals("RETRYABLE_CONFLICT", t.get("status").asText());
        assertEquals("CONFLICT", t.get("operations").get(0).get("outcome").asText());
        assertEquals(75, json(loser).get("exitCode").asInt());
        assertTrue(loser.err().contains("retryable"), loser.err());
        assertEquals(before, query("select count(*), sum(id), count(distinct id) from t"));
        assertEquals(6, query("describe history t").lines().count() - 1, "only the winner's OPTIMIZE committed");

        CliRun retry = tarn("optimize", "--lake", "lake", "default.t", "--json");
        assertEquals(0, retry.exitCode());
        assertEquals("NOTHING_TO_DO", json(retry).get("tables").get(0).get("status").asText());
    }

    @Test
    void maintainReportsAConflictAs75AndStillRunsTheOtherTables() throws IOException {
        smallFiles("a", 4, false, "'tarn.maintain.minSmallFiles' = '3'");
        smallFiles("b", 4, false, "'tarn.maintain.minSmallFiles' = '3'");
        Runnable rival = () -> assertEquals(0, tarn("optimize", "--lake", "lake", "default.a").exitCode());

        CliRun r = tarnWith(BeforeCommitFileIO.once(new LocalFileIO(), rival), "maintain", "--lake", "lake", "--json");

        assertEquals(75, r.exitCode(), r.out() + r.err());
        JsonNode doc = json(r);
        assertEquals("RETRYABLE_CONFLICT", doc.get("tables").get(0).get("status").asText());
        assertEquals("CONFLICT", step(doc.get("tables").get(0), "COMPACT").get("outcome").asText());
        assertEquals("DONE", doc.get("tables").get(1).get("status").asText());
        assertTrue(query("select count(*), count(distinct id) from a").contains("40,40"));
    }

    @Test
    void failuresExit1WithTheErrorInTheDocument() throws IOException {
        smallFiles("t", 1, false, "");

        CliRun missing = tarn("optimize", "--lake", "lake", "default.nope", "--json");
        assertEquals(1, missing.exitCode());
        JsonNode doc = json(missing);
        assertEquals("TABLE_NOT_FOUND", doc.get("error").get("code").asText());
        assertEquals(0, doc.get("tables").size());
        assertTrue(missing.err().contains("default.nope"), missing.err());

        CliRun noLake = tarn("maintain", "--lake", "no-such-lake", "--json");
        assertEquals(1, noLake.exitCode());
        assertEquals("LAKE_NOT_FOUND", json(noLake).get("error").get("code").asText());
        assertFalse(Files.exists(dir.resolve("no-such-lake")), "maintenance never creates a lake");

        CliRun notDelta = tarn("checkpoint", "--lake", "lake", "./lake", "--json");
        assertEquals(1, notDelta.exitCode());
    }

    @Test
    void badUsageExits2() {
        smallFiles("t", 1, true, "");
        String[][] bad = {
            {"optimize", "default.t"},
            {"optimize", "--lake", "lake"},
            {"optimize", "--lake", "lake", "default.t", "--bogus"},
            {"optimize", "--lake", "lake", "default.t", "other.t"},
            {"optimize", "--lake", "lake", "a.b.c"},
            {"optimize", "--lake", "lake", "default.t", "--zorder-by", "id,"},
            {"optimize", "--lake", "lake", "default.t", "--where", "p = 'a' OR p = 'b'"},
            {"optimize", "--lake", "lake", "default.t", "--where", "id = 1"},
            {"optimize", "--lake", "lake", "default.t", "--full=yes"},
            {"vacuum", "--lake", "lake", "default.t", "--retain-hours", "-1"},
            {"vacuum", "--lake", "lake", "default.t", "--retain-hours", "soon"},
            {"purge", "--lake", "lake"},
            {"checkpoint", "--lake", "lake", "default.t", "--dry-run"},
            {"maintain", "--lake", "lake", "default.t"},
            {"maintain"},
        };
        for (String[] args : bad) {
            CliRun r = tarn(args);
            assertEquals(2, r.exitCode(), String.join(" ", args) + ": " + r.err());
            assertEquals("", r.out(), String.join(" ", args));
            assertTrue(r.err().contains("usage: tarn " + args[0]), r.err());
        }
    }

    @Test
    void helpListsTheCommands() {
        CliRun r = tarn("help");
        for (String c : List.of("optimize", "vacuum", "purge", "checkpoint", "maintain")) {
            assertTrue(r.out().contains("  " + c + " "), r.out());
        }
        CliRun maintain = tarn("help", "maintain");
        assertTrue(maintain.out().contains("tarn.maintain.purgeDeletedRatio (default 0.2)"), maintain.out());
    }
}
