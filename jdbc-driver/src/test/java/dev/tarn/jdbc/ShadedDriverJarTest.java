package dev.tarn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-alone driver jar ({@code tarn-jdbc-<version>-all.jar}) works the way a BI tool uses it: alone in its own
 * class loader, found through {@link ServiceLoader}, with the commonly conflicting libraries relocated. Runs in the
 * verify phase, after the jar is built; {@code tarn.shaded-jar} names it.
 */
class ShadedDriverJarTest {
    private static final String SHADED = "dev.tarn.jdbc.shaded.";

    @TempDir
    Path temp;

    private static Path jar() {
        String name = System.getProperty("tarn.shaded-jar");
        assertNotNull(name, "tarn.shaded-jar names the stand-alone driver jar");
        Path jar = Path.of(name);
        assertTrue(Files.isRegularFile(jar), "missing " + jar + "; it is built in the package phase");
        return jar;
    }

    @Test
    void driverFromTheJarAloneCreatesWritesAndQueriesALake() throws Exception {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        // Parent is the platform loader: nothing from this module's test class path is visible, only the JDK.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar().toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            // Nothing may lean on the context loader to find the driver's own classes.
            Thread.currentThread().setContextClassLoader(ClassLoader.getPlatformClassLoader());
            List<Driver> drivers = new ArrayList<>();
            for (Driver d : ServiceLoader.load(Driver.class, loader)) {
                if (d.getClass().getClassLoader() == loader) {
                    drivers.add(d);
                }
            }
            assertEquals(1, drivers.size(), "only Tarn's driver is registered: " + drivers);
            Driver driver = drivers.get(0);
            assertEquals("dev.tarn.jdbc.TarnDriver", driver.getClass().getName());
            assertTrue(driver.acceptsURL("jdbc:tarn:/x"));
            assertFalse(driver.acceptsURL("jdbc:calcite:"));

            Path lake = temp.resolve("lake");
            try (Connection c = driver.connect("jdbc:tarn:" + lake + ";create=true", new Properties())) {
                assertNotNull(c);
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("create table sales (id int, region string, amount decimal(10,2), at timestamp)");
                    assertEquals(3, s.executeUpdate("insert into sales values "
                            + "(1, 'north', 10.50, timestamp '2024-01-02 03:04:05'), "
                            + "(2, 'south', 20.25, timestamp '2024-01-03 00:00:00'), "
                            + "(3, 'north', 1.00, null)"));
                }
                try (PreparedStatement p = c.prepareStatement(
                        "select region, count(*), sum(amount) from sales where id >= ? group by region order by region")) {
                    p.setInt(1, 1);
                    try (ResultSet rs = p.executeQuery()) {
                        assertTrue(rs.next());
                        assertEquals("north", rs.getString(1));
                        assertEquals(2, rs.getLong(2));
                        assertEquals(new BigDecimal("11.50"), rs.getBigDecimal(3));
                        assertTrue(rs.next());
                        assertEquals("south", rs.getString(1));
                        assertFalse(rs.next());
                    }
                }
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("describe history sales")) {
                    int commits = 0;
                    while (rs.next()) {
                        commits++;
                    }
                    assertEquals(2, commits, "create and insert each committed one version");
                }
                DatabaseMetaData md = c.getMetaData();
                try (ResultSet rs = md.getColumns(null, null, "sales", null)) {
                    List<String> names = new ArrayList<>();
                    while (rs.next()) {
                        names.add(rs.getString("COLUMN_NAME"));
                    }
                    assertEquals(List.of("id", "region", "amount", "at"), names);
                }
            }
            // The Delta log the relocated Jackson wrote is ordinary JSON.
            String commit = Files.readString(lake.resolve("default/sales/_delta_log/00000000000000000001.json"),
                    StandardCharsets.UTF_8);
            assertTrue(commit.contains("\"add\""), commit);

            // Relocated libraries are present only under Tarn's prefix, so the host's own copies never clash.
            for (String name : List.of("com.google.common.collect.ImmutableList",
                    "com.fasterxml.jackson.databind.ObjectMapper", "com.google.protobuf.Message",
                    "org.slf4j.LoggerFactory", "org.apache.hc.core5.http.HttpHost",
                    "org.apache.commons.lang3.StringUtils")) {
                assertThrows(ClassNotFoundException.class, () -> loader.loadClass(name), name);
                assertNotNull(loader.loadClass(SHADED + name), SHADED + name);
            }
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Test
    void withoutTheJavaNioOpeningConnectSaysWhichJvmOptionIsMissing() throws Exception {
        Path source = temp.resolve("Probe.java");
        Files.writeString(source, String.join("\n",
                "public class Probe {",
                "    public static void main(String[] args) {",
                "        try (java.sql.Connection c = java.sql.DriverManager.getConnection(args[0])) {",
                "            System.out.println(\"connected\");",
                "        } catch (java.sql.SQLException e) {",
                "            System.out.println(e.getSQLState() + \" \" + e.getMessage());",
                "        }",
                "    }",
                "}", ""), StandardCharsets.UTF_8);
        // A host JVM as a BI tool starts it: no --add-opens, only the driver jar on the class path.
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", jar().toString(), source.toString(), "jdbc:tarn:" + temp.resolve("lake") + ";create=true")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        assertTrue(output.startsWith("08001 Tarn needs the JVM option --add-opens=java.base/java.nio=ALL-UNNAMED"),
                output);
    }

    @Test
    void jarHasNoSignaturesNoModuleDescriptorAndOnlyTarnsDriverService() throws IOException {
        try (JarFile jar = new JarFile(jar().toFile())) {
            List<String> offending = new ArrayList<>();
            for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
                String n = e.getName();
                if (n.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)") || n.endsWith("module-info.class")
                        || n.startsWith("com/fasterxml/") || n.startsWith("com/google/common/")
                        || n.startsWith("com/google/protobuf/") || n.startsWith("org/slf4j/")
                        || n.startsWith("org/apache/hc/") || n.startsWith("org/apache/commons/")) {
                    offending.add(n);
                }
            }
            assertEquals(List.of(), offending);
            JarEntry services = jar.getJarEntry("META-INF/services/java.sql.Driver");
            assertNotNull(services);
            String text = new String(jar.getInputStream(services).readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals("dev.tarn.jdbc.TarnDriver", text);
            assertEquals("true", jar.getManifest().getMainAttributes().getValue("Multi-Release"));
        }
    }
}
