package dev.tarn.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.TarnException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default lifecycle: every test gets its own empty lake, deleted afterwards. */
@TarnLake
class PerTestLakeTest {
    private static final Set<Path> SEEN = new HashSet<>();

    @RepeatedTest(2)
    void everyTestStartsWithAnEmptyLake(Connection connection, Path lake) throws SQLException {
        assertTrue(SEEN.add(lake), "a new lake each time");
        try (Statement s = connection.createStatement()) {
            // Would fail with TABLE_ALREADY_EXISTS if the lake were shared.
            s.execute("create table t (x int)");
            s.execute("insert into t values (1)");
        }
        assertTrue(Files.isDirectory(lake.resolve("default").resolve("t").resolve("_delta_log")));
    }

    @Test
    void connectionsAndTheDataSourceShareTheLake(Connection first, Connection second, DataSource dataSource,
                                                 Lake lake) throws SQLException {
        assertNotEquals(first, second);
        try (Statement s = first.createStatement()) {
            s.execute("create table shared (v string)");
            s.execute("insert into shared values ('hello')");
        }
        try (Statement s = second.createStatement(); ResultSet rs = s.executeQuery("select v from shared")) {
            assertTrue(rs.next());
            assertEquals("hello", rs.getString(1));
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from shared")) {
            assertTrue(rs.next());
            assertEquals(1, rs.getLong(1));
        }
        assertTrue(lake.url().startsWith("jdbc:tarn:"));
        assertFalse(dev.tarn.jdbc.internal.SharedDatabases.INSTANCE.syncs(
                new dev.tarn.jdbc.internal.ConnectionSettings.DirectoryLake(lake.path())),
                "a test lake's commits skip fsync");
    }

    @Test
    void tablesCanBeCopiedInWhileConnected(Connection connection, Lake lake) throws SQLException {
        lake.copyTable(Path.of("src/test/resources/tables/animals"), "zoo.animals");
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("select sum(legs) from zoo.animals")) {
            assertTrue(rs.next());
            assertEquals(12, rs.getLong(1));
        }
        TarnException twice = assertThrows(TarnException.class,
                () -> lake.copyTable(Path.of("src/test/resources/tables/animals"), "zoo.animals"));
        assertTrue(twice.getMessage().contains("already exists"), twice.getMessage());
        TarnException notATable = assertThrows(TarnException.class,
                () -> lake.copyTable(Path.of("src/test/resources"), "x"));
        assertTrue(notATable.getMessage().contains("not a Delta table"), notATable.getMessage());
    }

    @Test
    void junitTempDirStillWorks(@TempDir Path temp, Path lake) {
        assertNotEquals(temp, lake);
        assertFalse(lake.startsWith(temp));
    }

    @AfterAll
    static void lakesAreDeleted() {
        assertEquals(2, SEEN.size());
        for (Path p : SEEN) {
            assertFalse(Files.exists(p), "deleted after its test: " + p);
        }
    }
}
