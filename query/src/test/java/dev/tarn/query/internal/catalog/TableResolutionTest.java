package dev.tarn.query.internal.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tarn.error.TarnException;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.Session;
import dev.tarn.query.internal.Lakes;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.testdata.FaultInjectingFileIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Statements find their tables by name, ignoring case: a table named as written (or in lower case, as Tarn names new
 * tables) is found without listing its schema, so resolving it does not depend on how many tables the schema has;
 * a directory in other case is still found by listing.
 */
class TableResolutionTest {
    @TempDir
    Path dir;

    @Test
    void aTableNamedAsWrittenOrInLowerCaseIsFoundWithoutListingItsSchema() {
        FaultInjectingFileIO io = new FaultInjectingFileIO(new LocalFileIO());
        try (Database db = Database.open(DatabaseConfig.of(dir).withFileIO(io))) {
            Session s = db.newSession();
            run(s, "CREATE SCHEMA sales");
            for (int i = 0; i < 12; i++) {
                run(s, "CREATE TABLE sales.t" + i + " (a INT)");
            }
            run(s, "INSERT INTO sales.t7 VALUES (7)");
            String schemaDir = dir.resolve("sales").toString();
            io.failWhen(FaultInjectingFileIO.Operation.LIST, schemaDir::equals);
            assertEquals(List.of("[7]"), Lakes.rows(s.execute("SELECT a FROM sales.t7")));
            assertEquals(List.of("[7]"), Lakes.rows(s.execute("SELECT a FROM SALES.T7")));
            // A name matching no directory as written or in lower case needs the listing.
            assertThrows(RuntimeException.class, () -> Lakes.rows(s.execute("SELECT a FROM sales.nope")));
            io.clear();
            assertThrows(TarnException.class, () -> Lakes.rows(s.execute("SELECT a FROM sales.nope")));
        }
    }

    @Test
    void aTableDirectoryInOtherCaseIsFoundByAnyCase() throws Exception {
        try (Database db = Database.open(DatabaseConfig.of(dir))) {
            Session s = db.newSession();
            run(s, "CREATE TABLE orders (a INT)");
            run(s, "INSERT INTO orders VALUES (1)");
            // Another engine wrote the directory in mixed case.
            Files.move(dir.resolve("default").resolve("orders"), dir.resolve("default").resolve("Orders"));
            for (String name : List.of("Orders", "orders", "ORDERS", "default.oRdErS")) {
                assertEquals(List.of("[1]"), Lakes.rows(s.execute("SELECT a FROM " + name)), name);
            }
            // Names are one directory level: a path in a name is not a table.
            assertThrows(TarnException.class, () -> Lakes.rows(s.execute("SELECT a FROM `../default/Orders`")));
        }
    }

    private static void run(Session s, String sql) {
        s.execute(sql).close();
    }
}
