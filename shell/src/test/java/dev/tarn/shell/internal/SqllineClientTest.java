package dev.tarn.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sqlline.SqlLine;

/** sqlline, a real JDBC client, against {@code tarn serve} through Avatica's remote driver. */
class SqllineClientTest {
    @TempDir
    Path dir;

    @Test
    void sqllineRunsQueriesAndListsTablesAndColumns() throws Exception {
        try (TarnServer server = TarnServer.start(new TarnServer.Options(dir.resolve("lake"), "127.0.0.1", 0, null,
                null, null, false, Duration.ofMinutes(10)))) {
            Path script = dir.resolve("script.sql");
            Files.writeString(script, String.join("\n",
                    "create table sales (id int, amount double, region string);",
                    "insert into sales values (1, 2.5, 'north'), (2, 4.0, 'south'), (3, 1.5, 'north');",
                    "select region, sum(amount) as total from sales group by region order by region;",
                    "!tables",
                    "!columns sales",
                    "!quit",
                    ""));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SqlLine sqlline = new SqlLine();
            sqlline.setOutputStream(out);
            sqlline.setErrorStream(out);
            SqlLine.Status status = sqlline.begin(new String[] {
                "-d", "org.apache.calcite.avatica.remote.Driver",
                "-u", server.jdbcUrl(), "-n", "tarn", "-p", "unused",
                "--maxWidth=2000", "--color=false", "--showElapsedTime=false",
                "-f", script.toString()}, new ByteArrayInputStream(new byte[0]), false);
            String text = out.toString(StandardCharsets.UTF_8);
            assertEquals(SqlLine.Status.OK, status, text);
            // The query's rows, as sqlline's table output shows them.
            assertTrue(text.matches("(?s).*\\|\\s*north\\s*\\|\\s*4\\.0\\s*\\|.*"), text);
            assertTrue(text.matches("(?s).*\\|\\s*south\\s*\\|\\s*4\\.0\\s*\\|.*"), text);
            // !tables: the table with its schema and type.
            assertTrue(text.matches("(?s).*\\|\\s*default\\s*\\|\\s*sales\\s*\\|\\s*TABLE\\s*\\|.*"), text);
            // !columns: every column with its type name.
            assertTrue(text.matches("(?s).*\\|\\s*sales\\s*\\|\\s*amount\\s*\\|\\s*8\\s*\\|\\s*DOUBLE\\s*\\|.*"), text);
            assertTrue(text.matches("(?s).*\\|\\s*sales\\s*\\|\\s*region\\s*\\|\\s*12\\s*\\|\\s*STRING\\s*\\|.*"), text);
        }
    }
}
