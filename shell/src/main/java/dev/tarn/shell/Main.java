package dev.tarn.shell;

import dev.tarn.query.Database;
import dev.tarn.shell.internal.Command;
import dev.tarn.shell.internal.GenTpchCommand;
import dev.tarn.shell.internal.Io;
import dev.tarn.shell.internal.PasswdCommand;
import dev.tarn.shell.internal.ServeCommand;
import dev.tarn.shell.internal.ShellCommand;
import dev.tarn.shell.internal.SqlCommand;
import dev.tarn.shell.internal.UsageException;
import dev.tarn.shell.internal.maintenance.CheckpointCommand;
import dev.tarn.shell.internal.maintenance.MaintainCommand;
import dev.tarn.shell.internal.maintenance.OptimizeCommand;
import dev.tarn.shell.internal.maintenance.PurgeCommand;
import dev.tarn.shell.internal.maintenance.VacuumCommand;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code tarn} command line: {@code tarn <command> [options]}, where no command (or options only) opens the
 * interactive shell. Exit codes: 0 success, 1 a statement or the lake failed, 2 bad usage, 75 (maintenance commands)
 * a concurrent writer won a race and running again is safe. Subcommands register in
 * {@link #COMMANDS}; each parses its own options.
 */
public final class Main {
    private static final Command SHELL = new ShellCommand();
    private static final Map<String, Command> COMMANDS = commands(SHELL, new SqlCommand(), new ServeCommand(), new PasswdCommand(),
            new GenTpchCommand(), new OptimizeCommand(), new VacuumCommand(), new PurgeCommand(), new CheckpointCommand(),
            new MaintainCommand());

    private Main() {}

    private static Map<String, Command> commands(Command... commands) {
        Map<String, Command> m = new LinkedHashMap<>();
        for (Command c : commands) {
            m.put(c.name(), c);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("shell") || args[0].equals("sql") || args[0].equals("serve")
                || args[0].startsWith("-") && !isHelp(args[0])) {
            // Commands that run SQL: the engine warms up while the JVM sets up the terminal and opens the lake.
            Database.startWarmup();
        }
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        Io io = new Io(System.in, out, err, Path.of("").toAbsolutePath(), isTerminal())
                .withStderrTerminal(Main::isStderrTerminal);
        int code;
        try {
            code = run(args, io);
        } finally {
            out.flush();
            err.flush();
        }
        System.exit(code);
    }

    /**
     * Whether stdin and stdout are a terminal. Up to JDK 21 that is what a non-null console means; from JDK 22 the
     * console may exist regardless and {@code Console.isTerminal()} says it.
     */
    private static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /**
     * Whether stderr is a terminal, which the JDK cannot tell; JLine's exec provider asks the system. Only commands
     * that show progress ask, since it may start a process.
     */
    private static boolean isStderrTerminal() {
        try {
            return org.jline.terminal.spi.TerminalProvider.load("exec")
                    .isSystemStream(org.jline.terminal.spi.SystemStream.Error);
        } catch (java.io.IOException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Runs a command line and returns its exit code; used by {@link #main} and by tests. */
    public static int run(String[] args, Io io) {
        List<String> list = List.of(args);
        Command command;
        List<String> rest;
        if (list.isEmpty() || list.get(0).startsWith("-") && !isHelp(list.get(0))) {
            command = SHELL;
            rest = list;
        } else if (isHelp(list.get(0)) || list.get(0).equals("help")) {
            if (list.size() > 1 && COMMANDS.containsKey(list.get(1))) {
                io.out().println(COMMANDS.get(list.get(1)).usage());
            } else {
                io.out().println(overview());
            }
            io.out().flush();
            return 0;
        } else {
            command = COMMANDS.get(list.get(0));
            if (command == null) {
                io.err().println("tarn: unknown command '" + list.get(0) + "'");
                io.err().println(overview());
                io.err().flush();
                return 2;
            }
            rest = list.subList(1, list.size());
        }
        if (!rest.isEmpty() && isHelp(rest.get(0))) {
            io.out().println(command.usage());
            io.out().flush();
            return 0;
        }
        try {
            return command.run(rest, io);
        } catch (UsageException e) {
            io.err().println(e.getMessage());
            io.err().println(command.usage());
            io.err().flush();
            return 2;
        }
    }

    private static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.equals("-h");
    }

    static String overview() {
        StringBuilder sb = new StringBuilder("usage: tarn [command] [options]\n\ncommands:\n");
        for (String name : List.of("shell", "sql")) {
            Command c = COMMANDS.get(name);
            sb.append(String.format("  %-10s %s%n", c.name(), c.summary()));
        }
        for (Map.Entry<String, Command> e : COMMANDS.entrySet()) {
            if (!e.getKey().equals("shell") && !e.getKey().equals("sql")) {
                sb.append(String.format("  %-10s %s%n", e.getKey(), e.getValue().summary()));
            }
        }
        sb.append("\nRun 'tarn help <command>' for a command's options.");
        return sb.toString();
    }
}
