package dev.tarn.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConnectionSettingsTest {
    @Test
    void pathLakeWithDefaults() {
        ConnectionSettings s = ConnectionSettings.parse("jdbc:tarn:/data/lake", new Properties());
        assertEquals(new ConnectionSettings.DirectoryLake(Path.of("/data/lake")), s.lake());
        assertEquals("default", s.schema());
        assertFalse(s.readOnly());
        assertEquals(ZoneId.of("UTC"), s.timeZone());
        assertFalse(s.create(), "a path lake must exist unless create=true");
        assertEquals(Long.MAX_VALUE, s.memoryLimitBytes());
        assertEquals(Runtime.getRuntime().availableProcessors(), s.threads());
    }

    @Test
    void relativePathsResolveAgainstTheWorkingDirectory() {
        ConnectionSettings s = ConnectionSettings.parse("jdbc:tarn:rel/lake", null);
        assertEquals(Path.of("rel/lake").toAbsolutePath().normalize(),
                ((ConnectionSettings.DirectoryLake) s.lake()).path());
    }

    @Test
    void memoryLakesAreCreated() {
        ConnectionSettings s = ConnectionSettings.parse("jdbc:tarn:mem:abc", null);
        assertEquals(new ConnectionSettings.MemoryLake("abc"), s.lake());
        assertTrue(s.create());
    }

    @Test
    void urlPropertiesWinOverPropertiesObject() {
        Properties p = new Properties();
        p.setProperty("schema", "from_props");
        p.setProperty("THREADS", "3");
        p.setProperty("user", "ignored");
        ConnectionSettings s = ConnectionSettings.parse(
                "jdbc:tarn:/l;schema=from_url;read_only=TRUE;time_zone=Europe/Berlin;memory_limit=64m;create=true;"
                        + "statement_timeout=90s", p);
        assertEquals("from_url", s.schema());
        assertEquals(3, s.threads());
        assertTrue(s.readOnly());
        assertEquals(ZoneId.of("Europe/Berlin"), s.timeZone());
        assertEquals(64L << 20, s.memoryLimitBytes());
        assertTrue(s.create());
        assertEquals(java.time.Duration.ofSeconds(90), s.statementTimeout());
        assertEquals(java.time.Duration.ZERO, ConnectionSettings.parse("jdbc:tarn:/l", null).statementTimeout());
    }

    @Test
    void commitsAreForcedToDiskExceptForMemoryLakesUnlessSaidOtherwise() {
        assertTrue(ConnectionSettings.parse("jdbc:tarn:/l", null).sync());
        assertFalse(ConnectionSettings.parse("jdbc:tarn:mem:t", null).sync());
        assertFalse(ConnectionSettings.parse("jdbc:tarn:/l;sync=false", null).sync());
        assertTrue(ConnectionSettings.parse("jdbc:tarn:mem:t;SYNC=true", null).sync());
        TarnException e = assertThrows(TarnException.class,
                () -> ConnectionSettings.parse("jdbc:tarn:/l;sync=sometimes", null));
        assertEquals(ErrorCode.INVALID_VALUE, e.errorCode());
    }

    @Test
    void byteSizes() {
        assertEquals(1024, ConnectionSettings.parseBytes("1k"));
        assertEquals(2L << 30, ConnectionSettings.parseBytes("2G"));
        assertEquals(12345, ConnectionSettings.parseBytes("12345"));
        assertThrows(TarnException.class, () -> ConnectionSettings.parseBytes("-1"));
        assertThrows(TarnException.class, () -> ConnectionSettings.parseBytes("lots"));
    }

    @Test
    void badValuesNameTheProperty() {
        for (String url : new String[] {"jdbc:tarn:/l;read_only=maybe", "jdbc:tarn:/l;threads=0",
            "jdbc:tarn:/l;time_zone=Nowhere/Land", "jdbc:tarn:/l;memory_limit=0", "jdbc:tarn:/l;oops",
            "jdbc:tarn:", "jdbc:tarn:mem:", "jdbc:tarn:/l;statement_timeout=soon"}) {
            TarnException e = assertThrows(TarnException.class, () -> ConnectionSettings.parse(url, null), url);
            assertEquals(ErrorCode.INVALID_VALUE, e.errorCode(), url);
        }
    }
}
