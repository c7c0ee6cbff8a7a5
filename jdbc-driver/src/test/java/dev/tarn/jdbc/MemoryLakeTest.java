package dev.tarn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.jdbc.internal.ConnectionSettings.DirectoryLake;
import dev.tarn.jdbc.internal.ConnectionSettings.MemoryLake;
import dev.tarn.jdbc.internal.SharedDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** {@code jdbc:tarn:mem:<name>} lakes: shared while open, deleted when the last connection closes. */
class MemoryLakeTest {
    @Test
    void connectionsToTheSameNameShareOneLakeThatIsDeletedAtTheEnd() throws Exception {
        Path dir;
        try (Connection a = DriverManager.getConnection("jdbc:tarn:mem:shared-test")) {
            dir = SharedDatabases.INSTANCE.memoryLakeDirectory("shared-test");
            assertNotNull(dir);
            try (Statement s = a.createStatement()) {
                s.executeUpdate("create table t (x int)");
                s.executeUpdate("insert into t values (42)");
            }
            try (Connection b = DriverManager.getConnection("jdbc:tarn:mem:shared-test");
                 Statement s = b.createStatement(); ResultSet rs = s.executeQuery("select x from t")) {
                assertTrue(rs.next());
                assertEquals(42, rs.getInt(1));
            }
            assertTrue(Files.isDirectory(dir), "still open through the first connection");
            try (Connection other = DriverManager.getConnection("jdbc:tarn:mem:another-test");
                 Statement s = other.createStatement()) {
                assertThrows(SQLException.class, () -> s.executeQuery("select x from t"), "names are separate lakes");
            }
        }
        assertFalse(Files.exists(dir), "the last close deletes the lake");
        assertNull(SharedDatabases.INSTANCE.memoryLakeDirectory("shared-test"));
        try (Connection again = DriverManager.getConnection("jdbc:tarn:mem:shared-test");
             Statement s = again.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> s.executeQuery("select x from t"));
            assertEquals("42P01", e.getSQLState(), "a new lake starts empty");
        }
    }

    @Test
    void memoryLakesSkipFsyncAndDirectoryLakesChooseWithTheSyncProperty(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:tarn:mem:sync-test")) {
            assertFalse(SharedDatabases.INSTANCE.syncs(new MemoryLake("sync-test")));
        }
        Path durable = tmp.resolve("durable");
        try (Connection c = DriverManager.getConnection("jdbc:tarn:" + durable + ";create=true")) {
            assertTrue(SharedDatabases.INSTANCE.syncs(new DirectoryLake(durable)));
        }
        Path quick = tmp.resolve("quick");
        try (Connection c = DriverManager.getConnection("jdbc:tarn:" + quick + ";create=true;sync=false");
             Statement s = c.createStatement()) {
            assertFalse(SharedDatabases.INSTANCE.syncs(new DirectoryLake(quick)));
            s.executeUpdate("create table t (x int)");
            s.executeUpdate("insert into t values (7)");
        }
        // Without fsync the commits are still complete files that a later open reads.
        try (Connection c = DriverManager.getConnection("jdbc:tarn:" + quick);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select x from t")) {
            assertTrue(rs.next());
            assertEquals(7, rs.getInt(1));
        }
    }

    @Test
    void closingTwiceReleasesOnce() throws Exception {
        Connection a = DriverManager.getConnection("jdbc:tarn:mem:twice-test");
        Connection b = DriverManager.getConnection("jdbc:tarn:mem:twice-test");
        Path dir = SharedDatabases.INSTANCE.memoryLakeDirectory("twice-test");
        a.close();
        a.close();
        assertTrue(Files.isDirectory(dir), "b still holds the lake");
        b.close();
        assertFalse(Files.exists(dir));
    }
}
