package dev.tarn.txlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.txlog.action.CommitInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In-commit timestamps on write (PROTOCOL.md "Writer Requirements for In-Commit Timestamps"). */
class InCommitTimestampWriteTest {
    private static final String ENABLE = "delta.enableInCommitTimestamps";
    private static final String SINCE_VERSION = "delta.inCommitTimestampEnablementVersion";
    private static final String SINCE_TIMESTAMP = "delta.inCommitTimestampEnablementTimestamp";

    @TempDir
    Path dir;

    private static long ict(TableLog log, long version) {
        CommitInfo ci = (CommitInfo) log.readCommit(version).get(0);
        return ci.inCommitTimestamp();
    }

    @Test
    void aTableCreatedWithThemNeedsNoEnablementProperties() {
        TableLog log = TestTables.create(dir, Map.of(ENABLE, "true"));
        assertFalse(log.latestSnapshot().configuration().containsKey(SINCE_VERSION));
        assertTrue(log.latestSnapshot().protocol().supportsWriterFeature("inCommitTimestamp"));
    }

    @Test
    void enablingLaterRecordsWhereTheyStart() throws Exception {
        TableLog log = TestTables.create(dir, Map.of());
        TestTables.append(log, TestTables.file("a.parquet", "x", 1, 1));
        // The previous commit's file time lies in the future: the enabling commit must still come after it.
        long future = System.currentTimeMillis() + 60_000;
        Files.setLastModifiedTime(dir.resolve("_delta_log/00000000000000000001.json"), FileTime.fromMillis(future));

        Snapshot before = log.latestSnapshot();
        Transaction enable = log.newTransaction(before, "SET TBLPROPERTIES", Map.of());
        Map<String, String> conf = new HashMap<>(before.configuration());
        conf.put(ENABLE, "true");
        enable.updateMetadata(before.metadata().withConfiguration(conf));
        CommitResult r = enable.commit();
        assertEquals(2, r.version());
        assertTrue(log.readCommit(2).get(0) instanceof CommitInfo, "commitInfo is the first action");
        long enabledAt = ict(log, 2);
        assertEquals(future + 1, enabledAt, "one millisecond after the previous commit's file time");
        Map<String, String> after = log.latestSnapshot().configuration();
        assertEquals("2", after.get(SINCE_VERSION));
        assertEquals(Long.toString(enabledAt), after.get(SINCE_TIMESTAMP));
        assertTrue(log.latestSnapshot().protocol().supportsWriterFeature("inCommitTimestamp"));
        assertNull(((CommitInfo) log.readCommit(1).get(0)).inCommitTimestamp());

        // Later commits keep increasing and do not move the enablement point.
        CommitResult next = TestTables.append(log, TestTables.file("b.parquet", "x", 2, 2));
        assertEquals(enabledAt + 1, ict(log, next.version()));
        assertEquals("2", log.latestSnapshot().configuration().get(SINCE_VERSION));
        assertEquals(enabledAt + 1, log.latestSnapshot().timestamp());
        assertEquals(2, log.snapshotAsOf(enabledAt).version());
        assertEquals(3, log.snapshotAsOf(enabledAt + 1).version());
    }
}
