package dev.tarn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The time_zone property: TIMESTAMP values (instants) are shown as wall-clock time in that zone and TIMESTAMP
 * parameters are read in it; TIMESTAMP_NTZ values never shift. (The JVM runs in UTC under surefire.)
 */
class TimeZoneTest {
    @TempDir
    Path lake;

    @Test
    void timestampsShowInTheConnectionZoneAndNtzNeverShifts() throws Exception {
        try (Connection utc = DriverManager.getConnection("jdbc:tarn:" + lake + ";create=true");
             Statement s = utc.createStatement()) {
            s.executeUpdate("create table z (id int, ts timestamp, ntz timestamp_ntz)");
            s.executeUpdate("insert into z values (1, TIMESTAMP '2024-01-01 12:00:00.000001', "
                    + "TIMESTAMP '2024-01-01 12:00:00.000001')");
        }
        try (Connection tokyo = DriverManager.getConnection("jdbc:tarn:" + lake + ";time_zone=Asia/Tokyo")) {
            try (PreparedStatement p = tokyo.prepareStatement("insert into z values (2, ?, ?)")) {
                p.setTimestamp(1, Timestamp.valueOf("2024-06-01 09:00:00"));
                p.setTimestamp(2, Timestamp.valueOf("2024-06-01 09:00:00"));
                p.executeUpdate();
            }
            try (Statement s = tokyo.createStatement();
                 ResultSet rs = s.executeQuery("select ts, ntz from z order by id")) {
                assertTrue(rs.next());
                assertEquals(Timestamp.valueOf("2024-01-01 21:00:00.000001"), rs.getTimestamp(1));
                assertEquals(Timestamp.valueOf("2024-01-01 12:00:00.000001"), rs.getTimestamp(2));
                assertTrue(rs.next());
                assertEquals(Timestamp.valueOf("2024-06-01 09:00:00"), rs.getTimestamp(1));
                assertEquals(Timestamp.valueOf("2024-06-01 09:00:00"), rs.getTimestamp(2));
            }
        }
        try (Connection utc = DriverManager.getConnection("jdbc:tarn:" + lake);
             Statement s = utc.createStatement();
             ResultSet rs = s.executeQuery("select ts, ntz from z where id = 2")) {
            assertTrue(rs.next());
            assertEquals(Timestamp.valueOf("2024-06-01 00:00:00"), rs.getTimestamp(1), "09:00 in Tokyo is 00:00 UTC");
            assertEquals(Timestamp.valueOf("2024-06-01 09:00:00"), rs.getTimestamp(2));
        }
    }
}
