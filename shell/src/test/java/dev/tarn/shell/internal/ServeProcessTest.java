package dev.tarn.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tarn serve} as users run it: a separate JVM stopped by SIGTERM, and HTTPS from a PKCS12 keystore. */
class ServeProcessTest {
    @TempDir
    Path dir;

    static {
        try {
            Class.forName("org.apache.calcite.avatica.remote.Driver");
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Test
    void sigtermStopsTheServerCleanly() throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(javaBin.toString(), "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.tarn.shell.Main", "serve", "--lake",
                dir.resolve("lake").toString(), "--port", "0"));
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("err.txt").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String url = out.readLine();
            assertTrue(url != null && url.matches("jdbc:avatica:remote:url=http://127\\.0\\.0\\.1:\\d+;serialization=json"),
                    url + " / " + Files.readString(dir.resolve("err.txt")));
            // A client still connected when the server is told to stop.
            Connection client = DriverManager.getConnection(url);
            Statement statement = client.createStatement();
            statement.execute("create table t (x int)");
            statement.execute("insert into t values (1)");
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server did not stop");
            String err = Files.readString(dir.resolve("err.txt"));
            assertTrue(err.contains("tarn serve: stopped"), err);
            // The lake was closed cleanly: the data is there for the next opener.
            try (Connection c = DriverManager.getConnection("jdbc:tarn:" + dir.resolve("lake"));
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select x from t")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1));
            }
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void servesHttpsFromAPkcs12Keystore() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process kt = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "tarn", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String ktOut = new String(kt.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, kt.waitFor(), ktOut);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), dir, false);
        CompletableFuture<TarnServer> started = new CompletableFuture<>();
        Map<String, String> env = Map.of(ServeCommand.TLS_PASSWORD_ENV, "changeit");
        ServeCommand command = new ServeCommand(env::get, started::complete);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> exit = pool.submit(() -> command.run(List.of("--lake", "lake", "--port", "0",
                    "--tls-keystore", "server.p12"), io));
            TarnServer server = started.get(60, TimeUnit.SECONDS);
            String url = out.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
            assertTrue(url.matches("jdbc:avatica:remote:url=https://127\\.0\\.0\\.1:\\d+;serialization=json"), url);
            String trusted = url + ";truststore=" + keystore + ";truststore_password=changeit";
            try (Connection c = DriverManager.getConnection(trusted); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select 'over tls'")) {
                assertTrue(rs.next());
                assertEquals("over tls", rs.getString(1));
            }
            server.close();
            assertEquals(0, exit.get(30, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }
}
