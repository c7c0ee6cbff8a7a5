package dev.tarn.shell.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.jdbc.internal.ServerMeta;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.server.AvaticaHandler;
import org.apache.calcite.avatica.server.AvaticaJsonHandler;
import org.apache.calcite.avatica.server.HttpServer;
import org.apache.calcite.avatica.server.ServerCustomizer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * An Avatica HTTP server (JSON serialization) over one lake: what {@code tarn serve} runs. Each remote connection
 * gets its own Tarn session ({@link ServerMeta}). Stopping it stops the HTTP server, then closes every session and
 * the database.
 */
public final class TarnServer implements AutoCloseable {
    /**
     * What to serve and how.
     *
     * @param lake the lake directory
     * @param bind the address to listen on
     * @param port the port, 0 for any free one
     * @param users who may connect, or null for no authentication
     * @param tlsKeystore a PKCS12 keystore for HTTPS, or null for plain HTTP
     * @param tlsPassword the keystore's password (with a keystore)
     * @param readOnly every statement that writes fails with READ_ONLY
     * @param idleTimeout connections idle this long are closed
     * @param statementTimeout the statement timeout of sessions whose client sets none ({@link Duration#ZERO}: none)
     */
    public record Options(Path lake, String bind, int port, PasswordFile users, Path tlsKeystore, String tlsPassword,
                          boolean readOnly, Duration idleTimeout, Duration statementTimeout) {
        public Options {
            requireNonNull(lake, "lake is null");
            requireNonNull(bind, "bind is null");
            requireNonNull(idleTimeout, "idleTimeout is null");
            requireNonNull(statementTimeout, "statementTimeout is null");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            if (tlsKeystore != null) {
                requireNonNull(tlsPassword, "tlsPassword is null");
            }
        }

        /** Options without a default statement timeout. */
        public Options(Path lake, String bind, int port, PasswordFile users, Path tlsKeystore, String tlsPassword,
                       boolean readOnly, Duration idleTimeout) {
            this(lake, bind, port, users, tlsKeystore, tlsPassword, readOnly, idleTimeout, Duration.ZERO);
        }
    }

    private final Options options;
    private final ServerMeta meta;
    private final HttpServer http;
    private final String host;
    private boolean closed;

    private TarnServer(Options options, ServerMeta meta, HttpServer http, String host) {
        this.options = options;
        this.meta = meta;
        this.http = http;
        this.host = host;
    }

    /** Opens the lake and starts listening; on failure nothing stays open. */
    public static TarnServer start(Options options) {
        String lakeUrl = "jdbc:tarn:" + options.lake().toAbsolutePath().normalize()
                + (options.readOnly() ? "" : ";create=true");
        ServerMeta meta = new ServerMeta(lakeUrl, options.readOnly(), options.idleTimeout(), options.statementTimeout());
        try {
            LocalService service = new LocalService(meta);
            AvaticaHandler handler = options.users() == null
                    ? new AvaticaJsonHandler(service)
                    : new BasicAuthJsonHandler(service, options.users());
            String bind = options.bind();
            // Avatica's builder listens on every interface unless the connector is given a host.
            ServerCustomizer<Server> onAddress = server -> {
                for (Connector c : server.getConnectors()) {
                    if (c instanceof ServerConnector sc) {
                        sc.setHost(bind);
                    }
                }
            };
            HttpServer.Builder<Server> builder = HttpServer.Builder.<Server>newBuilder()
                    .withHandler(handler)
                    .withPort(options.port())
                    .withServerCustomizers(List.of(onAddress), Server.class);
            if (options.tlsKeystore() != null) {
                java.io.File ks = options.tlsKeystore().toFile();
                builder.withTLS(ks, options.tlsPassword(), ks, options.tlsPassword(), "PKCS12");
            }
            HttpServer http = builder.build();
            http.start();
            return new TarnServer(options, meta, http, urlHost(bind));
        } catch (RuntimeException e) {
            try {
                meta.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static String urlHost(String bind) {
        try {
            InetAddress a = InetAddress.getByName(bind);
            if (a.isAnyLocalAddress()) {
                return InetAddress.getLoopbackAddress().getHostAddress();
            }
            String h = a.getHostAddress();
            return h.contains(":") ? "[" + h + "]" : h;
        } catch (UnknownHostException e) {
            return bind;
        }
    }

    public int port() {
        return http.getPort();
    }

    /** The URL for Avatica's remote driver ({@code org.apache.calcite.avatica.remote.Driver}). */
    public String jdbcUrl() {
        String scheme = options.tlsKeystore() == null ? "http" : "https";
        return "jdbc:avatica:remote:url=" + scheme + "://" + host + ":" + port() + ";serialization=json";
    }

    /** Remote connections open now. */
    public int openConnections() {
        return meta.openConnections();
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        http.join();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            http.stop();
        } finally {
            meta.close();
        }
    }
}
