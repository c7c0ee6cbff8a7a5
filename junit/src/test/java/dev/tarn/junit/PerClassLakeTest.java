package dev.tarn.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** One lake for the class, starting from a copy of a prepared table. */
@TarnLake(lifecycle = TarnLake.Lifecycle.PER_CLASS, copyFrom = "src/test/resources/tables/animals")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PerClassLakeTest {
    private static Path lakeSeenByBeforeAll;

    @BeforeAll
    static void prepare(Connection connection, Path lake) throws SQLException {
        lakeSeenByBeforeAll = lake;
        try (Statement s = connection.createStatement()) {
            s.execute("insert into animals values ('spider', 8)");
        }
    }

    @Test
    @Order(1)
    void copiedTableIsThere(Connection connection, Path lake) throws SQLException {
        assertEquals(lakeSeenByBeforeAll, lake);
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("select count(*), sum(legs) from animals")) {
            assertTrue(rs.next());
            assertEquals(4, rs.getLong(1));
            assertEquals(20, rs.getLong(2));
            s.execute("create table later (x int)");
        }
    }

    @Test
    @Order(2)
    void laterTestsSeeEarlierChanges(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("select count(*) from later")) {
            assertTrue(rs.next());
            assertEquals(0, rs.getLong(1));
        }
    }
}
