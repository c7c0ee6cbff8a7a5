package dev.tarn.txlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.action.Action;
import dev.tarn.txlog.action.AddCdcFile;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.CommitInfo;
import dev.tarn.txlog.action.DeletionVectorDescriptor;
import dev.tarn.txlog.action.DeletionVectorDescriptor.StorageType;
import dev.tarn.txlog.action.RemoveFile;
import dev.tarn.txlog.internal.json.ActionJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TableLog#changes}: which files make up each commit's change data, and when there is none to read. */
class ChangeDataFeedTest {
    private static final Map<String, String> CDF = Map.of("delta.enableChangeDataFeed", "true");
    private static final DeletionVectorDescriptor DV1 = new DeletionVectorDescriptor(StorageType.UUID_RELATIVE,
            "ab^-aqEH.-t@S}K{vb[*k^", 1, 36, 2L, null);
    private static final DeletionVectorDescriptor DV2 = new DeletionVectorDescriptor(StorageType.UUID_RELATIVE,
            "ab^-aqEH.-t@S}K{vb[*k^", 43, 38, 3L, null);

    @TempDir
    Path dir;

    private void commit(long version, Action... actions) throws Exception {
        StringBuilder sb = new StringBuilder(ActionJson.toLine(new CommitInfo(null, 1L, "TEST", Map.of(), null,
                "Serializable", false, Map.of(), "test", "t" + version))).append('\n');
        for (Action a : actions) {
            sb.append(ActionJson.toLine(a)).append('\n');
        }
        Files.writeString(dir.resolve(String.format("_delta_log/%020d.json", version)), sb.toString());
    }

    private static RemoveFile remove(AddFile a, boolean dataChange) {
        return a.toRemove(1L, dataChange);
    }

    @Test
    void addsAndRemovesAreInsertsAndDeletes() throws Exception {
        TableLog log = TestTables.create(dir, CDF);
        AddFile a = TestTables.file("a.parquet", "x", 1, 10);
        AddFile b = TestTables.file("b.parquet", "y", 11, 20);
        TestTables.append(log, a);
        commit(2, remove(a, true), b);
        List<CommitChanges> changes = log.changes(1, 2);
        assertEquals(List.of(1L, 2L), changes.stream().map(CommitChanges::version).toList());
        ChangeFile inserted = changes.get(0).files().get(0);
        assertEquals(ChangeFile.Kind.ADDED, inserted.kind());
        assertEquals(dir + "/part=x/a.parquet", inserted.location());
        assertEquals(Map.of("part", "x"), inserted.partitionValues());
        List<ChangeFile> second = changes.get(1).files();
        assertEquals(List.of(ChangeFile.Kind.ADDED, ChangeFile.Kind.REMOVED), second.stream().map(ChangeFile::kind).toList());
        assertEquals("part=x/a.parquet", second.get(1).path());
        assertEquals(Map.of("part", "x"), second.get(1).partitionValues());
        assertTrue(changes.get(1).metadata().configuration().containsKey("delta.enableChangeDataFeed"));
    }

    @Test
    void cdcFilesReplaceTheCommitsAddsAndRemoves() throws Exception {
        TableLog log = TestTables.create(dir, CDF);
        AddFile a = TestTables.file("a.parquet", "x", 1, 10);
        TestTables.append(log, a);
        AddFile rewritten = TestTables.file("a2.parquet", "x", 1, 10);
        commit(2, remove(a, true), rewritten, new AddCdcFile("_change_data/part=x/cdc-1.parquet", Map.of("part", "x"),
                100, false, null));
        List<ChangeFile> files = log.changes(2, 2).get(0).files();
        assertEquals(1, files.size());
        assertEquals(ChangeFile.Kind.CHANGE_DATA, files.get(0).kind());
        assertEquals(dir + "/_change_data/part=x/cdc-1.parquet", files.get(0).location());
        assertEquals(Map.of("part", "x"), files.get(0).partitionValues());
        assertEquals(Map.of("part", "x"), log.changes(2, 2).get(0).partitionValues(files.get(0), java.time.ZoneOffset.UTC));
    }

    @Test
    void rewritesWithoutDataChangeHaveNoChanges() throws Exception {
        TableLog log = TestTables.create(dir, CDF);
        AddFile a = TestTables.file("a.parquet", "x", 1, 10);
        TestTables.append(log, a);
        commit(2, remove(a, false), TestTables.file("compacted.parquet", "x", 1, 10).withDataChange(false));
        assertEquals(List.of(), log.changes(2, 2).get(0).files());
    }

    @Test
    void anAddAndARemoveOfOneFileAreADeletionVectorChange() throws Exception {
        TableLog log = TestTables.create(dir, CDF);
        AddFile a = TestTables.file("a.parquet", "x", 1, 10);
        TestTables.append(log, a);
        AddFile withDv1 = a.withDeletionVector(DV1);
        commit(2, remove(a, true), withDv1);
        AddFile withDv2 = a.withDeletionVector(DV2);
        commit(3, remove(withDv1, true), withDv2);
        commit(4, remove(withDv2, true), a); // every deleted row restored
        commit(5, remove(a, true), a); // re-added unchanged: no rows changed
        List<CommitChanges> changes = log.changes(2, 5);
        ChangeFile v2 = changes.get(0).files().get(0);
        assertEquals(ChangeFile.Kind.DELETION_VECTOR_CHANGED, v2.kind());
        assertNull(v2.previousDeletionVector());
        assertEquals(DV1, v2.deletionVector());
        ChangeFile v3 = changes.get(1).files().get(0);
        assertEquals(DV1, v3.previousDeletionVector());
        assertEquals(DV2, v3.deletionVector());
        ChangeFile v4 = changes.get(2).files().get(0);
        assertEquals(DV2, v4.previousDeletionVector());
        assertNull(v4.deletionVector());
        assertEquals(List.of(), changes.get(3).files());
    }

    @Test
    void theRangeStopsAtTheLatestVersionAndCannotStartAfterIt() {
        TableLog log = TestTables.create(dir, CDF);
        TestTables.append(log, TestTables.file("a.parquet", "x", 1, 10));
        assertEquals(List.of(0L, 1L), log.changes(0, 99).stream().map(CommitChanges::version).toList());
        assertEquals(1, log.changes(1).size());
        assertEquals(ErrorCode.VERSION_NOT_FOUND, assertThrows(TarnException.class, () -> log.changes(2, 3)).errorCode());
        assertEquals(ErrorCode.VALIDATION_ERROR, assertThrows(TarnException.class, () -> log.changes(1, 0)).errorCode());
    }

    @Test
    void versionsWithoutChangeDataFeedAreRefused() throws Exception {
        TableLog log = TestTables.create(dir, Map.of());
        TestTables.append(log, TestTables.file("a.parquet", "x", 1, 10));
        Transaction enable = log.newTransaction(log.latestSnapshot(), "SET TBLPROPERTIES", Map.of());
        Map<String, String> conf = new HashMap<>(log.latestSnapshot().configuration());
        conf.putAll(CDF);
        enable.updateMetadata(log.latestSnapshot().metadata().withConfiguration(conf));
        enable.commit();
        TestTables.append(log, TestTables.file("b.parquet", "x", 1, 10));
        TarnException e = assertThrows(TarnException.class, () -> log.changes(0, 3));
        assertEquals(ErrorCode.VALIDATION_ERROR, e.errorCode());
        assertTrue(e.getMessage().contains("version 0"), e.getMessage());
        assertEquals(List.of(2L, 3L), log.changes(2, 3).stream().map(CommitChanges::version).toList());
    }

    @Test
    void inCommitTimestampsAreTheCommitTimestamps() {
        Map<String, String> conf = new HashMap<>(CDF);
        conf.put("delta.enableInCommitTimestamps", "true");
        TableLog log = TestTables.create(dir, conf);
        TestTables.append(log, TestTables.file("a.parquet", "x", 1, 10));
        for (CommitChanges c : log.changes(0, 1)) {
            assertEquals(((CommitInfo) log.readCommit(c.version()).get(0)).inCommitTimestamp(), c.timestamp());
        }
    }

    @Test
    void rangesByTimestamp() throws Exception {
        TableLog log = TestTables.create(dir, CDF);
        TestTables.append(log, TestTables.file("a.parquet", "x", 1, 10));
        TestTables.append(log, TestTables.file("b.parquet", "x", 1, 10));
        long[] mtimes = {1_000_000, 2_000_000, 3_000_000};
        for (int v = 0; v < 3; v++) {
            Files.setLastModifiedTime(dir.resolve(String.format("_delta_log/%020d.json", v)),
                    java.nio.file.attribute.FileTime.fromMillis(mtimes[v]));
        }
        assertEquals(List.of(1L, 2L), versions(log.changesBetweenTimestamps(1_000_001, 3_000_000)));
        assertEquals(List.of(1L), versions(log.changesBetweenTimestamps(2_000_000, 2_999_999)));
        assertEquals(List.of(0L, 1L, 2L), versions(log.changesBetweenTimestamps(0, Long.MAX_VALUE)));
        assertEquals(List.of(), log.changesBetweenTimestamps(2_000_001, 2_999_999));
        assertEquals(ErrorCode.VERSION_NOT_FOUND,
                assertThrows(TarnException.class, () -> log.changesBetweenTimestamps(3_000_001, 4_000_000)).errorCode());
        assertEquals(ErrorCode.VERSION_NOT_FOUND,
                assertThrows(TarnException.class, () -> log.changesBetweenTimestamps(0, 999_999)).errorCode());
        assertEquals(ErrorCode.VALIDATION_ERROR,
                assertThrows(TarnException.class, () -> log.changesBetweenTimestamps(2, 1)).errorCode());
    }

    private static List<Long> versions(List<CommitChanges> changes) {
        return changes.stream().map(CommitChanges::version).toList();
    }
}
