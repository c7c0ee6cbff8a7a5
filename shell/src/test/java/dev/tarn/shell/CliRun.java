package dev.tarn.shell;

import dev.tarn.shell.internal.Io;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** One in-process run of the command line with captured streams. */
record CliRun(int exitCode, String out, String err) {
    static CliRun withInput(Path workingDirectory, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        Io io = new Io(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), o, e, workingDirectory, false);
        int code = Main.run(args, io);
        o.flush();
        e.flush();
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static CliRun run(Path workingDirectory, String... args) {
        return withInput(workingDirectory, "", args);
    }
}
