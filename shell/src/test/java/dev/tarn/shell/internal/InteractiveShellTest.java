package dev.tarn.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interactive shell driven through JLine's dumb terminal, and its piped-stdin mode. */
class InteractiveShellTest {
    @TempDir
    Path dir;

    private String runTerminal(String input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path history = dir.resolve("history");
        try (LakeOpener lake = LakeOpener.open(dir.resolve("lake"), null);
             Terminal terminal = new DumbTerminal("test", "dumb",
                     new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, StandardCharsets.UTF_8)) {
            int code = InteractiveShell.runTerminal(terminal, lake.session(), history, "Tarn test shell");
            assertEquals(0, code);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void multiLineStatementsMetaCommandsAndModes() throws Exception {
        String output = runTerminal(String.join("\n",
                "create table animals (",
                "  name string,",
                "  legs int);",
                "insert into animals values ('cat', 4), ('bird', 2);",
                ".tables",
                ".schema animals",
                "select name, legs",
                "from animals order by legs;",
                ".mode jsonl",
                "select name from animals where legs = 2;",
                ".mode csv",
                "select legs from animals order by legs;",
                "select * from no_such_table;",
                ".bogus",
                "select 'still running' as s;",
                ".quit",
                "select 'not reached' as s;",
                ""));
        assertTrue(output.contains("Tarn test shell"), output);
        assertTrue(output.contains("tarn:default> "), output);
        assertTrue(output.contains("...> "), "continuation prompt: " + output);
        assertTrue(output.contains("2 rows affected"), output);
        assertTrue(output.contains("\nanimals\n") || output.contains("> animals\n"), ".tables: " + output);
        assertTrue(output.contains("CREATE TABLE default.animals (\n  name STRING,\n  legs INT\n);"), output);
        assertTrue(output.contains(" name | legs"), output);
        assertTrue(output.contains(" bird |    2"), output);
        assertTrue(output.contains("(2 rows, "), output);
        assertTrue(output.contains("{\"name\":\"bird\"}"), output);
        assertTrue(output.contains("legs\r\n2\r\n4\r\n"), output);
        assertTrue(output.contains("[TARN-1002]"), output);
        assertTrue(output.contains("Unknown command .bogus"), output);
        assertTrue(output.contains("still running"), "the shell continues after errors: " + output);
        assertFalse(output.contains("not reached"), output);
        assertTrue(Files.readString(dir.resolve("history")).contains("insert into animals"));
    }

    @Test
    void endOfInputRunsTheLastStatementAndLeaves() throws Exception {
        String output = runTerminal("select 41 + 1 as answer");
        assertTrue(output.contains(" answer"), output);
        assertTrue(output.contains("42"), output);
    }

    @Test
    void pipedInputRunsStatementsWithoutPrompts() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (LakeOpener lake = LakeOpener.open(dir.resolve("lake"), null)) {
            PrintWriter o = new PrintWriter(out, true, StandardCharsets.UTF_8);
            PrintWriter e = new PrintWriter(err, true, StandardCharsets.UTF_8);
            code = InteractiveShell.runPiped(new ByteArrayInputStream(
                    ".mode csv\nselect 1 as a1;\nselect * from nowhere;\nselect 2 as two;\n"
                            .getBytes(StandardCharsets.UTF_8)), lake.session(), o, e);
            o.flush();
            e.flush();
        }
        assertEquals(1, code, "a failed statement makes the exit code 1");
        assertEquals("a1\r\n1\r\ntwo\r\n2\r\n", out.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("[TARN-1002]"));
    }
}
