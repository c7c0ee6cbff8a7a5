package dev.tarn.query.internal.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.QueryResult;
import dev.tarn.query.Session;
import dev.tarn.storage.deletionvector.RoaringBitmapArray;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.testdata.CountingFileIO;
import dev.tarn.testdata.SharedTestData;
import dev.tarn.txlog.TableLog;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.DeletionVectorDescriptor;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deletion vectors are read once per database, however often their table is scanned. */
class DeletionVectorCacheTest {
    @TempDir
    Path lake;

    private static long count(Session session, String sql) {
        long rows = 0;
        try (QueryResult r = session.execute(sql)) {
            for (VectorSchemaRoot b = r.nextBatch(); b != null; b = r.nextBatch()) {
                rows += b.getRowCount();
            }
        }
        return rows;
    }

    @Test
    void aSecondScanDoesNotReadTheDeletionVectorFilesAgain() {
        Path table = SharedTestData.deltaTable("dv-with-checkpoint");
        CountingFileIO io = new CountingFileIO(new LocalFileIO());
        String sql = "SELECT * FROM delta.`" + table + "`";
        try (Database db = Database.open(DatabaseConfig.of(lake).withFileIO(io)); Session session = db.newSession()) {
            long first = count(session, sql);
            long dvReads = io.openCount(l -> l.contains("deletion_vector_"));
            assertTrue(dvReads > 0, "the first scan reads the deletion vectors");
            long dataReads = io.dataFilesOpened();
            io.reset();
            assertEquals(first, count(session, sql), "same rows");
            assertEquals(0, io.openCount(l -> l.contains("deletion_vector_")), "no DV file read again");
            assertEquals(dataReads, io.dataFilesOpened(), "the data files are still read");
            try (Session other = db.newSession()) {
                assertEquals(first, count(other, sql));
            }
            assertEquals(0, io.openCount(l -> l.contains("deletion_vector_")), "the cache is the database's");
        }
        try (Database fresh = Database.open(DatabaseConfig.of(lake).withFileIO(io)); Session s = fresh.newSession()) {
            io.reset();
            count(s, sql);
            assertTrue(io.openCount(l -> l.contains("deletion_vector_")) > 0, "another database has its own cache");
        }
    }

    @Test
    void entriesAreKeyedByTableAndDeletionVectorAndBoundedByWeight() {
        Path table = SharedTestData.deltaTable("dv-with-checkpoint");
        CountingFileIO io = new CountingFileIO(new LocalFileIO());
        List<DeletionVectorDescriptor> dvs = TableLog.forPath(io, table.toString()).latestSnapshot().activeFiles()
                .stream().map(AddFile::deletionVector).filter(d -> d != null && !d.isInline()).toList();
        assertTrue(!dvs.isEmpty(), "the table has DV files");
        long distinct = dvs.stream().map(DeletionVectorDescriptor::uniqueId).distinct().count();
        DeletionVectorCache cache = new DeletionVectorCache(DeletionVectorCache.DEFAULT_MAX_BYTES);
        io.reset();
        for (DeletionVectorDescriptor dv : dvs) {
            RoaringBitmapArray bits = cache.get(io, table.toString(), dv, "t");
            assertEquals(dv.cardinality(), bits.cardinality());
            assertEquals(bits, cache.get(io, table.toString(), dv, "t"));
        }
        assertEquals(distinct, io.openCount(l -> l.contains("deletion_vector_")), "each DV read once");
        assertEquals(distinct, cache.size());
        DeletionVectorCache tiny = new DeletionVectorCache(0);
        io.reset();
        tiny.get(io, table.toString(), dvs.get(0), "t");
        assertEquals(0, tiny.size());
        tiny.get(io, table.toString(), dvs.get(0), "t");
        assertEquals(2, io.openCount(l -> l.contains("deletion_vector_")), "a zero-weight cache keeps nothing");
        assertEquals(0, tiny.size());
    }
}
