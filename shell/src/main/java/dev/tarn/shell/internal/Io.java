package dev.tarn.shell.internal;

import static java.util.Objects.requireNonNull;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The process environment a command runs in: standard streams (always UTF-8), the working directory relative paths
 * resolve against, and whether stdin and stdout are a terminal.
 */
public record Io(InputStream in, PrintStream out, PrintStream err, Path workingDirectory, boolean interactive) {
    public Io {
        requireNonNull(in, "in is null");
        requireNonNull(out, "out is null");
        requireNonNull(err, "err is null");
        workingDirectory = requireNonNull(workingDirectory, "workingDirectory is null").toAbsolutePath();
    }

    public PrintWriter outWriter() {
        return new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), false);
    }

    public PrintWriter errWriter() {
        return new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    }

    public Path resolve(String path) {
        return workingDirectory.resolve(path).normalize();
    }
}
