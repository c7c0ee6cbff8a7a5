package dev.tarn.shell.internal;

import dev.tarn.error.TarnException;
import dev.tarn.query.StatementTimeout;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code tarn serve}: an Avatica HTTP server over a lake for JDBC clients using Avatica's remote driver. The first
 * line on stdout is the JDBC URL; it serves until stopped (Ctrl-C or SIGTERM shut it down cleanly).
 */
public final class ServeCommand implements Command {
    static final String USAGE = String.join("\n",
            "usage: tarn serve --lake DIR [--port N] [--bind ADDRESS] [--auth-file FILE] [--tls-keystore FILE]",
            "                  [--read-only] [--idle-timeout SECONDS] [--statement-timeout DURATION]",
            "",
            "  --lake DIR            the lake directory (created when absent unless --read-only)",
            "  --port N              the port (default 8765; 0 picks a free one)",
            "  --bind ADDRESS        the address to listen on (default 127.0.0.1); any other than loopback",
            "                        needs --auth-file",
            "  --auth-file FILE      HTTP BASIC users, written by 'tarn passwd'",
            "  --tls-keystore FILE   serve HTTPS with this PKCS12 keystore; its password is read from the",
            "                        environment variable TARN_TLS_PASSWORD",
            "  --read-only           every statement that writes fails with READ_ONLY",
            "  --idle-timeout S      close connections unused for S seconds (default 600)",
            "  --statement-timeout D cancel statements running longer than D (e.g. 30s, 5min; default none) in",
            "                        sessions whose client sets no statement_timeout of its own",
            "",
            "Prints the JDBC URL for Avatica's remote driver (org.apache.calcite.avatica.remote.Driver) as the first",
            "line of output, e.g. jdbc:avatica:remote:url=http://127.0.0.1:8765;serialization=json",
            "With --auth-file, clients add ;authentication=BASIC;avatica_user=U;avatica_password=P to the URL.",
            "Clients that may idle past --idle-timeout add ;transparent_reconnection=true to get a new session.",
            "Avatica's remote driver keeps Statement.setQueryTimeout to itself: clients bound their statements with",
            "the connection property statement_timeout (e.g. 30s) or SET statement_timeout = '30s'.");

    static final String TLS_PASSWORD_ENV = "TARN_TLS_PASSWORD";

    private final Function<String, String> env;
    private final Consumer<TarnServer> started;

    public ServeCommand() {
        this(System::getenv, server -> { });
    }

    /** For tests: the environment to read and a callback once the server listens. */
    ServeCommand(Function<String, String> env, Consumer<TarnServer> started) {
        this.env = env;
        this.started = started;
    }

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "serve a lake to JDBC clients over HTTP (Avatica remote driver)";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public int run(List<String> args, Io io) throws UsageException {
        String lake = null;
        int port = 8765;
        String bind = "127.0.0.1";
        String authFile = null;
        String keystore = null;
        boolean readOnly = false;
        long idleSeconds = 600;
        Duration statementTimeout = Duration.ZERO;
        ArgReader r = new ArgReader(args, "tarn serve");
        while (r.hasNext()) {
            String opt = r.nextOption();
            switch (opt) {
                case "--lake" -> lake = r.value(opt);
                case "--port" -> port = parseInt(opt, r.value(opt), 0, 65535);
                case "--bind" -> bind = r.value(opt);
                case "--auth-file" -> authFile = r.value(opt);
                case "--tls-keystore" -> keystore = r.value(opt);
                case "--read-only" -> {
                    r.noValue(opt);
                    readOnly = true;
                }
                case "--idle-timeout" -> idleSeconds = parseInt(opt, r.value(opt), 1, Integer.MAX_VALUE);
                case "--statement-timeout" -> {
                    String v = r.value(opt);
                    try {
                        statementTimeout = StatementTimeout.parse(v);
                    } catch (TarnException e) {
                        throw new UsageException("tarn serve: --statement-timeout '" + v + "' is not a duration;"
                                + " use milliseconds or a number with a unit ms, s, min or h (e.g. 30s)");
                    }
                }
                default -> throw new UsageException("tarn serve: unknown option '" + opt + "'");
            }
        }
        if (lake == null || lake.isEmpty()) {
            throw new UsageException("tarn serve: --lake DIR is required");
        }
        if (!isLoopback(bind) && authFile == null) {
            throw new UsageException("tarn serve: --bind " + bind + " is not a loopback address; serving to the "
                    + "network needs --auth-file (create one with 'tarn passwd --auth-file FILE USER')");
        }
        String tlsPassword = null;
        if (keystore != null) {
            tlsPassword = env.apply(TLS_PASSWORD_ENV);
            if (tlsPassword == null) {
                throw new UsageException("tarn serve: --tls-keystore needs the keystore password in the environment "
                        + "variable " + TLS_PASSWORD_ENV);
            }
            if (!Files.isRegularFile(io.resolve(keystore))) {
                throw new UsageException("tarn serve: keystore " + io.resolve(keystore) + " does not exist");
            }
        }
        Path lakePath = io.resolve(lake);
        TarnServer server;
        try {
            PasswordFile users = null;
            if (authFile != null) {
                users = PasswordFile.read(io.resolve(authFile));
                if (users.isEmpty()) {
                    io.err().println("tarn serve: auth file " + io.resolve(authFile)
                            + " has no users; add one with 'tarn passwd'");
                    io.err().flush();
                    return 1;
                }
            }
            server = TarnServer.start(new TarnServer.Options(lakePath, bind, port, users,
                    keystore == null ? null : io.resolve(keystore), tlsPassword, readOnly,
                    Duration.ofSeconds(idleSeconds), statementTimeout));
        } catch (TarnException e) {
            io.err().println("tarn serve: lake " + lakePath + ": " + e.formattedMessage());
            io.err().flush();
            return 1;
        } catch (RuntimeException e) {
            io.err().println("tarn serve: cannot start the server on " + bind + ":" + port + ": " + e.getMessage());
            io.err().flush();
            return 1;
        }
        Thread hook = new Thread(() -> {
            server.close();
            io.err().println("tarn serve: stopped");
            io.err().flush();
        }, "tarn-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        io.out().println(server.jdbcUrl());
        io.out().flush();
        io.err().println("tarn serve: serving lake " + lakePath + (readOnly ? " read-only" : "")
                + (authFile != null ? " with BASIC authentication" : "") + "; Ctrl-C stops");
        io.err().flush();
        started.accept(server);
        try {
            server.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook closes the server.
            return 0;
        }
        server.close();
        return 0;
    }

    static boolean isLoopback(String host) {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static int parseInt(String opt, String value, int min, int max) throws UsageException {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("tarn serve: " + opt + " needs a whole number from " + min + " to " + max
                + ", got '" + value + "'");
    }
}
