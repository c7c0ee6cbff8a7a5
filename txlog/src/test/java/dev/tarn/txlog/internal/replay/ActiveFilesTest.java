package dev.tarn.txlog.internal.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.DeletionVectorDescriptor;
import dev.tarn.txlog.action.DeletionVectorDescriptor.StorageType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The column-kept active files must hold exactly what the record-keeping {@link FileMap} holds after the same
 * actions (PROTOCOL.md "Action Reconciliation": keyed by canonical path and DV unique id), in the same order, with
 * records built from the columns equal to the records put in.
 */
class ActiveFilesTest {
    private static final String TABLE = "/t";
    private static final DeletionVectorDescriptor DV = new DeletionVectorDescriptor(StorageType.UUID_RELATIVE,
            "ab^-aqEH.-t@S}K{vb[*k^", 4, 40, 3L, 9L);
    private static final DeletionVectorDescriptor INLINE_DV = new DeletionVectorDescriptor(StorageType.INLINE,
            "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", null, 40, 2L, null);

    private static AddFile file(String path, long size) {
        return AddFile.create(path, Map.of(), size, 1000 + size, true,
                "{\"numRecords\":" + size + ",\"minValues\":{\"id\":1}}");
    }

    private static FileKey key(AddFile a) {
        return FileKey.of(TABLE, a.path(), a.deletionVectorUniqueId());
    }

    @Test
    void recordsBuiltFromColumnsEqualTheRecordsPutIn() {
        Map<String, String> nullPartition = new LinkedHashMap<>();
        nullPartition.put("p", null);
        nullPartition.put("q", "x y");
        List<AddFile> files = List.of(
                file("plain.parquet", 1),
                new AddFile("p=a%20b/f%3A1.parquet", Map.of("p", "a b"), 2, 3, false, null, Map.of("k", "v"), DV,
                        7L, 8L, "liquid"),
                new AddFile("file:/t/abs.parquet", nullPartition, 0, 0, true, "{\"minValues\":{}}", Map.of(),
                        INLINE_DV, null, 4L, null),
                new AddFile("/elsewhere/é.parquet", Map.of("p", "a b"), 5, 6, true, "", null, null, 1L, null, null));
        ActiveFiles set = new ActiveFiles(TABLE);
        files.forEach(set::putUnique);
        set.freeze();
        assertEquals(files, set.list());
        assertEquals(files.size(), set.size());
        for (int i = 0; i < files.size(); i++) {
            assertEquals(files.get(i), set.list().get(i));
        }
        ActiveFiles.Cursor c = set.cursor();
        for (AddFile f : files) {
            assertTrue(c.next());
            assertEquals(f.size(), c.size());
            assertEquals(f.stats(), c.stats());
            assertEquals(f.partitionValues(), c.partitionValues());
            assertEquals(f.deletionVector(), c.deletionVector());
            assertEquals(f, c.add());
        }
        assertFalse(c.next());
        // numRecords: read from the bytes, from the JSON when not leading, -1 when absent or unparsable.
        c = set.cursor();
        c.next();
        assertEquals(1, c.numRecords());
        c.next();
        assertEquals(-1, c.numRecords());
        c.next();
        assertEquals(-1, c.numRecords());
        // The two rows with equal partition values share one dictionary entry.
        assertEquals(3, set.partitionDictionary().size());
    }

    @Test
    void laterCommitsMaskCheckpointRowsByCanonicalPathAndDeletionVector() {
        masksByCanonicalPathAndDeletionVector(false);
    }

    @Test
    void aRefreshMasksRowsOfItsSharedBaseThroughTheHashIndexTheSameWay() {
        masksByCanonicalPathAndDeletionVector(true);
    }

    private static void masksByCanonicalPathAndDeletionVector(boolean overlay) {
        ActiveFiles set = new ActiveFiles(TABLE);
        AddFile encoded = file("a%20b.parquet", 1);
        AddFile withDv = file("dv.parquet", 2).withDeletionVector(DV);
        AddFile absoluteInside = file("file:///t/abs.parquet", 3);
        AddFile plain = file("plain.parquet", 4);
        for (AddFile f : List.of(encoded, withDv, absoluteInside, plain)) {
            set.putUnique(f);
        }
        ActiveFiles base = null;
        if (overlay) {
            base = set.freeze();
            set = base.overlay();
        }
        // The decoded relative path is the key of the encoded one.
        set.remove(FileKey.of(TABLE, "a b.parquet", null));
        // Same path without the DV: another key, so the DV row stays.
        set.remove(FileKey.of(TABLE, "dv.parquet", null));
        // An absolute path inside the table is the key of its relative form.
        set.remove(FileKey.of(TABLE, "/t/abs.parquet", null));
        AddFile readded = file("plain.parquet", 4).withDataChange(false);
        set.put(key(readded), readded);
        set.freeze();
        assertEquals(List.of(withDv, readded), set.list());
        assertEquals(2, set.size());
        assertEquals(readded, set.list().get(1));
        assertEquals(withDv, set.list().get(0));
        if (base != null) {
            assertEquals(List.of(encoded, withDv, absoluteInside, plain), base.list(), "the base must not change");
        }
    }

    @Test
    void matchesTheRecordMapOverRandomCommitsOverlaysAndCompactions() {
        Random random = new Random(42);
        int baseFiles = 3 * AddColumns.CHUNK + 17; // several chunks, the last one partial
        FileMap<AddFile> oracle = new FileMap<>(ActiveFilesTest::key);
        ActiveFiles set = new ActiveFiles(TABLE);
        List<AddFile> pool = new ArrayList<>();
        for (int i = 0; i < baseFiles; i++) {
            AddFile f = file("f" + i + ".parquet", i);
            if (i % 97 == 0) {
                f = f.withDeletionVector(DV);
            }
            pool.add(f);
            oracle.putUnique(f);
            set.putUnique(f);
        }
        List<ActiveFiles> frozen = new ArrayList<>();
        List<List<AddFile>> expected = new ArrayList<>();
        for (int round = 0; round < 12; round++) {
            int changes = round % 4 == 3 ? 5000 : 1 + random.nextInt(60);
            for (int k = 0; k < changes; k++) {
                AddFile f = pool.get(random.nextInt(pool.size()));
                int what = random.nextInt(4);
                if (what == 0) {
                    oracle.remove(key(f));
                    set.remove(key(f));
                } else if (what == 1) {
                    // The same path without its DV (or with one): a different key.
                    AddFile other = f.deletionVector() == null ? f.withDeletionVector(INLINE_DV)
                            : new AddFile(f.path(), f.partitionValues(), f.size(), f.modificationTime(), true,
                            f.stats(), f.tags(), null, null, null, null);
                    oracle.put(key(other), other);
                    set.put(key(other), other);
                } else {
                    AddFile g = what == 2 ? f.withDataChange(random.nextBoolean())
                            : file("new" + round + "_" + k + ".parquet", k);
                    pool.add(g);
                    oracle.put(key(g), g);
                    set.put(key(g), g);
                }
            }
            oracle.freeze();
            set.freeze();
            List<AddFile> want = oracle.toList();
            assertEquals(want, set.list(), "round " + round);
            assertEquals(want.size(), set.size());
            for (int i = 0; i < want.size(); i += 1 + random.nextInt(200)) {
                assertEquals(want.get(i), set.list().get(i), "round " + round + " index " + i);
            }
            frozen.add(set);
            expected.add(want);
            oracle = oracle.overlay();
            set = set.overlay();
        }
        for (int i = 0; i < frozen.size(); i++) {
            assertEquals(expected.get(i), frozen.get(i).list(), "frozen set " + i + " must not change");
        }
    }

    @Test
    void frozenSetsRefuseChangesAndAnEmptyOneIsEmpty() {
        ActiveFiles set = new ActiveFiles(TABLE).freeze();
        assertEquals(0, set.size());
        assertTrue(set.list().isEmpty());
        assertFalse(set.cursor().next());
        assertThrows(IllegalStateException.class, () -> set.put(key(file("x", 1)), file("x", 1)));
        assertNull(set.overlay().baseBuilder());
        assertThrows(IndexOutOfBoundsException.class, () -> set.list().get(0));
    }
}
