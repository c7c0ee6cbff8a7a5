package dev.tarn.query.internal;

import static dev.tarn.query.internal.Lakes.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.Session;
import dev.tarn.query.internal.catalog.ManagingCatalogs;
import dev.tarn.query.internal.sql.CalciteSqlEngine;
import dev.tarn.testdata.SharedTestData;
import dev.tarn.txlog.CatalogCommits;
import dev.tarn.txlog.RatifiedCommit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalog-managed table (PROTOCOL.md "Catalog-managed tables") read through SQL: with its managing catalog the
 * ratified staged commits are part of the table; without one the table is refused.
 */
class CatalogManagedReadTest {
    @TempDir
    Path lake;

    private static final Path TABLE = SharedTestData.deltaTable("catalog-managed-unsupported");

    /** A catalog that ratified the table's two staged commits (versions 1 and 2), as its expectations say. */
    private static Optional<CatalogCommits> catalog(String location) throws IOException {
        if (!location.equals(TABLE.toString())) {
            return Optional.empty();
        }
        List<RatifiedCommit> commits = new ArrayList<>();
        try (Stream<Path> s = Files.list(TABLE.resolve("_delta_log/_staged_commits"))) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                commits.add(new RatifiedCommit(Long.parseLong(name.substring(0, 20)), name));
            }
        }
        return Optional.of(CatalogCommits.of(commits.get(commits.size() - 1).version(), commits));
    }

    @Test
    void readThroughItsCatalog() {
        ManagingCatalogs catalogs = location -> {
            try {
                return catalog(location);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        String sql = "SELECT COUNT(*) FROM delta.`" + TABLE + "`";
        try (Database db = DatabaseImpl.open(DatabaseConfig.of(lake), CalciteSqlEngine::new, catalogs);
             Session s = db.newSession()) {
            List<String> history = rows(s.execute("DESCRIBE HISTORY delta.`" + TABLE + "`"));
            assertEquals(3, history.size(), "versions 0 to 2, two of them only in the catalog");
            assertEquals(rows(s.execute("SELECT COUNT(*) FROM delta.`" + TABLE + "` VERSION AS OF 2")),
                    rows(s.execute(sql)));
        }
        try (Database db = Database.open(DatabaseConfig.of(lake)); Session s = db.newSession()) {
            TarnException e = assertThrows(TarnException.class, () -> s.execute(sql));
            assertEquals(ErrorCode.UNSUPPORTED_FEATURE, e.errorCode(), e.getMessage());
            assertTrue(e.getMessage().contains("catalogManaged"), e.getMessage());
        }
    }
}
