package dev.tarn.shell.internal;

import dev.tarn.error.TarnException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code tarn passwd --auth-file FILE USER}: adds a user to (or changes their password in) the file
 * {@code tarn serve --auth-file} reads. The password comes from the console without echo, or else from the first
 * line of stdin.
 */
public final class PasswdCommand implements Command {
    static final String USAGE = String.join("\n",
            "usage: tarn passwd --auth-file FILE USER",
            "",
            "Sets USER's password in FILE (created when absent) for 'tarn serve --auth-file FILE'. The password is",
            "read from the terminal without echo, or from the first line of stdin when it is not a terminal.",
            "Stored as a salted PBKDF2WithHmacSHA256 hash.");

    @Override
    public String name() {
        return "passwd";
    }

    @Override
    public String summary() {
        return "add a user or change a password in a 'serve --auth-file' file";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public int run(List<String> args, Io io) throws UsageException {
        String file = null;
        String user = null;
        ArgReader r = new ArgReader(args, "tarn passwd");
        while (r.hasNext()) {
            String opt = r.nextOption();
            if (opt.equals("--auth-file")) {
                file = r.value(opt);
            } else if (opt.startsWith("-")) {
                throw new UsageException("tarn passwd: unknown option '" + opt + "'");
            } else if (user == null) {
                user = opt;
            } else {
                throw new UsageException("tarn passwd: one USER only, got '" + user + "' and '" + opt + "'");
            }
        }
        if (file == null || user == null) {
            throw new UsageException("tarn passwd: --auth-file FILE and USER are required");
        }
        Path path = io.resolve(file);
        char[] password = null;
        try {
            password = readPassword(io, user);
            if (password == null || password.length == 0) {
                io.err().println("tarn passwd: the password is empty; nothing changed");
                io.err().flush();
                return 1;
            }
            PasswordFile.readOrEmpty(path).withUser(user, password).write(path);
            io.err().println("tarn passwd: password for " + user + " set in " + path);
            io.err().flush();
            return 0;
        } catch (TarnException e) {
            io.err().println("tarn passwd: " + e.formattedMessage());
            io.err().flush();
            return 1;
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    private static char[] readPassword(Io io, String user) {
        Console console = io.interactive() ? System.console() : null;
        if (console != null) {
            char[] first = console.readPassword("Password for %s: ", user);
            char[] again = console.readPassword("Again: ");
            if (first == null || again == null || !Arrays.equals(first, again)) {
                if (first != null) {
                    Arrays.fill(first, '\0');
                }
                throw new TarnException(dev.tarn.error.ErrorCode.INVALID_VALUE, "The passwords do not match");
            }
            Arrays.fill(again, '\0');
            return first;
        }
        try {
            String line = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8)).readLine();
            return line == null ? null : line.toCharArray();
        } catch (IOException e) {
            throw new TarnException(dev.tarn.error.ErrorCode.IO_ERROR, "Cannot read the password: " + e.getMessage(),
                    e);
        }
    }
}
