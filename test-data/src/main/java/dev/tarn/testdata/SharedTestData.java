package dev.tarn.testdata;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Locates the conformance data written by other engines ({@code ../shared/test-data}). CI passes it as the system
 * property {@value #PROPERTY}; a test that needs it fails, never skips, when it is missing.
 */
public final class SharedTestData {
    public static final String PROPERTY = "tarn.test-data";

    private SharedTestData() {}

    /**
     * The shared test-data directory: the system property when set; otherwise {@code shared/test-data} found beside
     * a parent of the working directory (a checkout with {@code ../shared} next to it).
     *
     * @throws IllegalStateException when the property names a missing directory, or nothing is found
     */
    public static Path root() {
        String configured = System.getProperty(PROPERTY, "").trim();
        if (configured.isEmpty()) {
            // Benchmarks and tools run outside Maven, where only the environment variable is set.
            String env = System.getenv("TARN_TEST_DATA");
            configured = env == null ? "" : env.trim();
        }
        if (!configured.isEmpty()) {
            Path p = Paths.get(configured).toAbsolutePath().normalize();
            if (!Files.isDirectory(p.resolve("delta-tables"))) {
                throw new IllegalStateException("System property " + PROPERTY + " (or TARN_TEST_DATA) is " + p
                        + " but that directory (with delta-tables/ inside) does not exist");
            }
            return p;
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared").resolve("test-data");
            if (Files.isDirectory(candidate.resolve("delta-tables"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("Conformance data not found: set the environment variable TARN_TEST_DATA (or -D"
                + PROPERTY + ") to the shared test-data directory");
    }

    public static Path deltaTables() {
        return root().resolve("delta-tables");
    }

    /** The directory of one conformance table, e.g. {@code deltaTable("dv-small")}. */
    public static Path deltaTable(String name) {
        Path p = deltaTables().resolve(name);
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("Conformance table " + name + " is missing at " + p);
        }
        return p;
    }

    public static Path tpch() {
        return root().resolve("tpch");
    }
}
