package dev.tarn.shell.internal;

import java.util.List;

/** A {@code tarn <name>} subcommand. */
public interface Command {
    /** The word after {@code tarn}. */
    String name();

    /** One line for the command overview. */
    String summary();

    /** The full usage text. */
    String usage();

    /** Runs with the arguments after the name; returns the exit code. Throws on bad usage (exit code 2). */
    int run(List<String> args, Io io) throws UsageException;
}
