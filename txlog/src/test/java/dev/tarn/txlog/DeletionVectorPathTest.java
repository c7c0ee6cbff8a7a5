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

    @Test
    void descriptorDerivedFields() {
        // PROTOCOL.md "JSON Example 1": random prefix "ab", UUID d2c639aa-8816-431a-aaf6-d3fe2512ff61.
        DeletionVectorDescriptor relative = new DeletionVectorDescriptor(StorageType.UUID_RELATIVE,
                "ab^-aqEH.-t@S}K{vb[*k^", 4, 40, 6, null);
        assertEquals("/t/ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin", relative.absolutePath("/t"));
        assertEquals("uab^-aqEH.-t@S}K{vb[*k^@4", relative.uniqueId());
        DeletionVectorDescriptor absolute = new DeletionVectorDescriptor(StorageType.ABSOLUTE_PATH,
                "file:/data/dv%20x.bin", 1, 40, 6, null);
        assertEquals("/data/dv x.bin", absolute.absolutePath("/t"));
        DeletionVectorDescriptor inline = new DeletionVectorDescriptor(StorageType.INLINE, "^Bg9^0rr910000000000iXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", null, 44, 6, null);
        assertEquals("i^Bg9^0rr910000000000iXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", inline.uniqueId());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> inline.absolutePath("/t"));
    }
}
