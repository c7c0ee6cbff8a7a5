package dev.tarn.shell.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.storage.fs.FileIO;
import dev.tarn.storage.fs.LocalFileIO;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * The process environment a command runs in: standard streams (always UTF-8), the working directory relative paths
 * resolve against, whether stdin and stdout are a terminal, whether stderr is one (asked only by commands that show
 * progress, as finding out may cost a process start), and the file system the maintenance commands reach the lake
 * through (tests hand in a fault-injecting one).
 */
public record Io(InputStream in, PrintStream out, PrintStream err, Path workingDirectory, boolean interactive,
                 BooleanSupplier stderrTerminal, FileIO fileIO) {
    public Io {
        requireNonNull(in, "in is null");
        requireNonNull(out, "out is null");
        requireNonNull(err, "err is null");
        workingDirectory = requireNonNull(workingDirectory, "workingDirectory is null").toAbsolutePath();
        requireNonNull(stderrTerminal, "stderrTerminal is null");
        requireNonNull(fileIO, "fileIO is null");
    }

    /** Local files; stderr is not a terminal. */
    public Io(InputStream in, PrintStream out, PrintStream err, Path workingDirectory, boolean interactive) {
        this(in, out, err, workingDirectory, interactive, () -> false, new LocalFileIO());
    }

    public Io withFileIO(FileIO io) {
        return new Io(in, out, err, workingDirectory, interactive, stderrTerminal, io);
    }

    public Io withStderrTerminal(BooleanSupplier terminal) {
        return new Io(in, out, err, workingDirectory, interactive, terminal, fileIO);
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
