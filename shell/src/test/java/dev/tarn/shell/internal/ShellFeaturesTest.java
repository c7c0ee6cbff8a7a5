package dev.tarn.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a shell user sees: output modes, fitting to the terminal, meta commands, start-up files, completion. */
class ShellFeaturesTest {
    @TempDir
    Path dir;

    private static final String SETUP = String.join("\n",
            "create table animals (name string comment 'common name', legs int);",
            "insert into animals values ('cat', 4), ('bird', 2);",
            "");

    private String terminal(String input, int width) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LakeOpener lake = LakeOpener.open(dir.resolve("lake"), null);
             Terminal terminal = new DumbTerminal("test", "dumb",
                     new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, StandardCharsets.UTF_8)) {
            if (width > 0) {
                terminal.setSize(new Size(width, 24));
            }
            InteractiveShell.runTerminal(terminal, lake.session(), null, null,
                    new InteractiveShell.Options(null, dir, null));
        }
        return out.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    @Test
    void everyOutputMode() throws Exception {
        String output = terminal(SETUP + String.join("\n",
                "select name, legs from animals order by legs;",
                ".mode tsv",
                "select name, legs from animals order by legs;",
                ".mode json",
                "select name, legs from animals order by legs;",
                ".mode markdown",
                "select name, legs from animals order by legs;",
                ".mode vertical",
                "select name, legs from animals where legs = 4;",
                "\\x",
                ".mode",
                ".mode yaml",
                ""), 0);
        assertTrue(output.matches("(?s).* name \\| legs\n------\\+------\n bird \\|    2\n cat  \\|    4\n"
                + "\\(2 rows, \\d+ ms\\)\n.*"), output);
        assertTrue(output.contains("name\tlegs\nbird\t2\ncat\t4\n"), output);
        assertTrue(output.contains("[\n{\"name\":\"bird\",\"legs\":2},\n{\"name\":\"cat\",\"legs\":4}\n]\n"), output);
        assertTrue(output.contains("| name | legs |\n| --- | ---: |\n| bird | 2 |\n| cat | 4 |\n"), output);
        assertTrue(output.contains("-[ RECORD 1 ]"), output);
        assertTrue(output.contains("name | cat\nlegs | 4\n(1 row, "), output);
        assertTrue(output.contains("Expanded display is off."), output);
        assertTrue(output.contains("mode: markdown"), "\\x returns to the mode before vertical: " + output);
        assertTrue(output.contains("unknown format 'yaml'"), output);
    }

    @Test
    void wideResultsFitTheTerminal() throws Exception {
        String output = terminal(String.join("\n",
                "select 'a' as id, '" + "x".repeat(200) + "' as description, 'tail' as t;",
                ""), 40);
        List<String> lines = output.lines().filter(l -> l.contains("|") || l.contains("-+-")).toList();
        assertFalse(lines.isEmpty(), output);
        for (String line : lines) {
            assertTrue(TableRenderer.displayWidth(line) <= 40, "too wide: '" + line + "'");
        }
        assertTrue(output.contains("x\u2026 |"), "cut cells end in an ellipsis: " + output);
        assertTrue(output.contains("tail"), output);
    }

    @Test
    void metaCommands() throws Exception {
        Path script = dir.resolve("more.sql");
        Files.writeString(script, "insert into animals values ('ant', 6);\n.tables\n");
        String output = terminal(SETUP + String.join("\n",
                ".describe animals",
                "\\d animals",
                ".maxrows 1",
                "select name from animals order by name;",
                ".maxrows 0",
                ".output result.txt",
                "select count(*) as n from animals;",
                ".output",
                ".read more.sql",
                "select count(*) as after_read from animals;",
                ".timer on",
                "select 1 as x1;",
                ".timer off",
                ".explain",
                "select 1;",
                ".help",
                ""), 0);
        assertTrue(output.contains(" column | type   | nullable | comment"), output);
        assertTrue(output.contains(" name   | STRING | yes      | common name"), output);
        assertEquals(2, output.split(" legs   \\| INT    \\| yes", -1).length - 1, "\\d and .describe: " + output);
        assertTrue(output.contains(" bird\n(1 row, more not shown (.maxrows 1), "), output);
        assertTrue(output.contains(" after_read\n------------\n          3\n"), output);
        assertFalse(output.contains(" n\n"), "redirected output stays off the terminal: " + output);
        String file = Files.readString(dir.resolve("result.txt"));
        assertTrue(file.contains(" n\n---\n 2\n(1 row, "), file);
        assertTrue(output.contains("\nanimals\n"), ".read ran .tables: " + output);
        assertTrue(output.contains("timing: "), output);
        // .explain runs the next statement as EXPLAIN: the user sees the plan, not the result.
        assertTrue(output.contains("The next statement runs as EXPLAIN."), output);
        assertTrue(output.contains(" plan\n"), output);
        assertTrue(output.contains("Values[1 rows]"), output);
        assertTrue(output.contains(".bail on|off"), output);
    }

    @Test
    void historyListsCommitsThroughTheEngineAndDescribeStillShowsColumns() throws Exception {
        String output = terminal(SETUP + String.join("\n",
                "insert into animals values ('ant', 6);",
                ".mode csv",
                ".history animals",
                ".history default.animals 1",
                ".history missing",
                ".history animals x",
                ".history",
                ".mode table",
                ".describe animals",
                ""), 0);
        // Prompts share lines with the output on a dumb terminal; the header is where a result starts.
        List<String> lines = output.lines().toList();
        List<Integer> headers = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).endsWith("version,timestamp,operation,operationParameters,readVersion,isolationLevel,"
                    + "isBlindAppend,operationMetrics,engineInfo")) {
                headers.add(i);
            }
        }
        assertEquals(2, headers.size(), output);
        int full = headers.get(0);
        // Newest first: the second INSERT, the first, the CREATE TABLE.
        assertTrue(lines.get(full + 1).startsWith("2,") && lines.get(full + 1).contains(",WRITE,"), output);
        assertTrue(lines.get(full + 2).startsWith("1,") && lines.get(full + 2).contains(",WRITE,"), output);
        assertTrue(lines.get(full + 3).startsWith("0,") && lines.get(full + 3).contains(",CREATE TABLE,"), output);
        int limited = headers.get(1);
        assertTrue(lines.get(limited + 1).startsWith("2,"), output);
        assertFalse(lines.get(limited + 2).matches("\\d+,.*"), "LIMIT 1 shows one commit: " + output);
        assertTrue(output.contains(".history: no table default.missing"), output);
        assertEquals(2, output.split("\\.history: expected a table name", -1).length - 1, output);
        assertTrue(output.contains(" name   | STRING | yes      | common name"), ".describe unchanged: " + output);
        assertTrue(output.contains(" legs   | INT    | yes"), output);
    }

    @Test
    void bailStopsAtTheFirstError() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (LakeOpener lake = LakeOpener.open(dir.resolve("lake"), null)) {
            PrintWriter o = new PrintWriter(out, true, StandardCharsets.UTF_8);
            PrintWriter e = new PrintWriter(err, true, StandardCharsets.UTF_8);
            code = InteractiveShell.runPiped(new ByteArrayInputStream(
                    ".bail on\nselect 1 as a;\nselect * from nowhere;\nselect 2 as b;\n"
                            .getBytes(StandardCharsets.UTF_8)), lake.session(), o, e,
                    new InteractiveShell.Options(null, dir, null));
        }
        assertEquals(1, code);
        // Piped output is not a terminal: csv unless asked otherwise.
        assertEquals("a\r\n1\r\n", out.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("[TARN-1002]"));
    }

    @Test
    void startUpFileFromOptionEnvironmentOrNone() throws Exception {
        Path rc = dir.resolve("tarnrc");
        Files.writeString(rc, ".mode jsonl\n");
        assertEquals("{\"a\":1}\n", shell(List.of("--lake", "lake", "--rc", "tarnrc"), name -> null));
        assertEquals("{\"a\":1}\n", shell(List.of("--lake", "lake"), name -> name.equals("TARN_RC") ? "tarnrc" : null));
        assertEquals("a\r\n1\r\n", shell(List.of("--lake", "lake", "--no-rc"), name -> "tarnrc"));
    }

    private String shell(List<String> args, java.util.function.Function<String, String> env) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream("select 1 as a;\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()), dir,
                false);
        assertEquals(0, new ShellCommand(env).run(args, io));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void completionOffersCommandsKeywordsAndLakeNames() throws Exception {
        try (LakeOpener lake = LakeOpener.open(dir.resolve("lake"), null)) {
            SqlCompleter completer = new SqlCompleter(lake.session());
            DefaultParser parser = new DefaultParser();
            assertFalse(complete(completer, parser, "select * from ").contains("animals"));
            lake.session().execute("create table animals (name string, legs int)").close();
            assertFalse(complete(completer, parser, "select * from ").contains("animals"),
                    "names are loaded once, until a statement runs");
            completer.invalidate();
            List<String> names = complete(completer, parser, "select le");
            assertTrue(names.containsAll(List.of("animals", "default.animals", "legs", "name", "default")), names.toString());
            assertTrue(names.contains("select"), "keywords follow the case typed: " + names);
            assertTrue(complete(completer, parser, "SEL").contains("SELECT"));
            List<String> commands = complete(completer, parser, ".de");
            assertTrue(commands.contains(".describe") && !commands.contains("SELECT"), commands.toString());
        }
    }

    private static List<String> complete(SqlCompleter completer, DefaultParser parser, String line) {
        List<Candidate> candidates = new ArrayList<>();
        completer.complete(null, parser.parse(line, line.length()), candidates);
        return candidates.stream().map(Candidate::value).toList();
    }

    @Test
    void progressNoteIsDrawnAndErased() throws Exception {
        StringWriter text = new StringWriter();
        Progress p = new Progress(new PrintWriter(text), 50);
        p.start(System.nanoTime());
        Thread.sleep(400);
        p.stop();
        String s = text.toString();
        assertTrue(s.startsWith("\rrunning... "), s);
        assertTrue(s.endsWith("\r"), "the note is erased: " + s);
        StringWriter quick = new StringWriter();
        Progress q = new Progress(new PrintWriter(quick), 5_000);
        q.start(System.nanoTime());
        q.stop();
        assertEquals("", quick.toString(), "fast statements draw nothing");
    }
}
