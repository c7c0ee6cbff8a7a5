package dev.tarn.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.CommitInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PurgeTaskTest {

    private static AddFile fileStartingAt(TableLog log, long id) {
        return log.latestSnapshot().activeFiles().stream()
                .filter(a -> a.stats().contains("\"minValues\":{\"id\":" + id + ",")).findFirst().orElseThrow();
    }

    @Test
    void rewritesFilesWithDeletedRowsAndDropsThoseRows(@TempDir Path dir) {
        TableLog log = TestTables.create(dir.resolve("t"), false, Map.of("delta.enableDeletionVectors", "true"));
        TestTables.append(log, null, TestTables.range(0, 100));
        TestTables.append(log, null, TestTables.range(100, 200));
        TestTables.append(log, null, TestTables.range(200, 300));
        TestTables.deleteRows(log, fileStartingAt(log, 0), 5);
        TestTables.deleteRows(log, fileStartingAt(log, 100), TestTables.range(0, 50));
        List<String> expected = TestTables.rows(log.latestSnapshot());
        assertEquals(249, expected.size());

        // Only files with at least 10% deleted rows: the second one.
        RewriteResult partial = new PurgeTask(log, PurgeOptions.defaults().withMinDeletedRowsRatio(0.1)).run();
        assertEquals(1, partial.filesRemoved());
        assertEquals(50, partial.deletedRowsDropped());
        assertEquals(expected, TestTables.rows(log.latestSnapshot()));

        RewriteResult all = new PurgeTask(log, PurgeOptions.defaults()).run();
        assertTrue(all.committed());
        assertEquals(1, all.filesRemoved());
        assertEquals(1, all.deletedRowsDropped());
        Snapshot after = log.latestSnapshot();
        for (AddFile a : after.activeFiles()) {
            assertNull(a.deletionVector(), a.path());
        }
        assertEquals(expected, TestTables.rows(after));
        CommitInfo info = (CommitInfo) log.readCommit(after.version()).get(0);
        assertEquals("REORG", info.operation());
        assertEquals("true", info.operationParameters().get("applyPurge"));

        RewriteResult again = new PurgeTask(log, PurgeOptions.defaults()).run();
        assertFalse(again.committed());
        assertTrue(again.skipReason().orElseThrow().contains("nothing to purge"));
        assertEquals(after.version(), log.latestSnapshot().version());
    }
}
