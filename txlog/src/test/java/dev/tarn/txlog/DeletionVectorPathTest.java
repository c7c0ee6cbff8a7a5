package dev.tarn.txlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.testdata.ExpectedTable;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.DeletionVectorDescriptor;
import dev.tarn.txlog.action.DeletionVectorDescriptor.StorageType;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DV descriptors from real tables resolve to the DV files that exist beside the data (Z85-decoded UUIDs). */
class DeletionVectorPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"dv-small", "dv-short", "dv-with-checkpoint", "dv-partitioned-checkpoint", "dv-colmap-name",
            "dv-log-replay-keys", "dv-large-time-travel", "dv-dbr-many-versions", "log-compaction-dv-cdf"})
    void onDiskDeletionVectorsResolveToExistingFiles(String table) {
        var dir = ExpectedTable.named(table).tableDir();
        Snapshot s = TableLog.forPath(new LocalFileIO(), dir.toString()).latestSnapshot();
        long withDv = 0;
        for (AddFile a : s.activeFiles()) {
            DeletionVectorDescriptor dv = a.deletionVector();
            if (dv == null || dv.storageType() != StorageType.UUID_RELATIVE) {
                continue;
            }
            withDv++;
            String path = dv.absolutePath(s.tableLocation());
            assertTrue(Files.isRegularFile(Paths.get(path)), "DV file of " + a.path() + " at " + path);
            assertTrue(dv.uniqueId().startsWith("u" + dv.pathOrInlineDv()));
        }
        assertTrue(withDv > 0, "table " + table + " has files with deletion vectors");
    }

    @Test
    void inlineDeletionVectorsHaveNoFile() {
        var dir = ExpectedTable.named("cdf-inline-dv").tableDir();
        TableLog log = TableLog.forPath(new LocalFileIO(), dir.toString());
        long inline = Stream.iterate(0L, v -> v + 1).limit(log.latestSnapshot().version() + 1)
                .flatMap(v -> log.snapshotAt(v).activeFiles().stream())
                .filter(a -> a.deletionVector() != null && a.deletionVector().isInline())
                .count();
        assertTrue(inline > 0);
        assertEquals(StorageType.INLINE, StorageType.fromCode("i"));
    }
}
