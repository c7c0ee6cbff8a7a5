package dev.tarn.txlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.Metadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Optimistic concurrency: put-if-absent commits, conflict detection and blind-append retries. */
class ConcurrentCommitTest {
    private static final int THREADS = 8;

    @TempDir
    Path dir;

    private static <T> List<Future<T>> race(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CyclicBarrier barrier = new CyclicBarrier(tasks.size());
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> t : tasks) {
                futures.add(pool.submit(() -> {
                    barrier.await(10, TimeUnit.SECONDS);
                    return t.call();
                }));
            }
            for (Future<T> f : futures) {
                try {
                    f.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    // inspected by the caller
                }
            }
            return futures;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void exactlyOneCreatorWinsVersionZero() throws Exception {
        List<Callable<Long>> tasks = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            tasks.add(() -> {
                TableLog log = TableLog.forPath(new LocalFileIO(), dir.toString());
                Transaction tx = log.newTransaction(null, "CREATE TABLE", Map.of());
                tx.updateMetadata(Metadata.create(TestTables.SCHEMA, List.of("part"), Map.of(), null, null));
                return tx.commit().version();
            });
        }
        int won = 0;
        int conflicts = 0;
        for (Future<Long> f : race(tasks)) {
            try {
                assertEquals(0L, f.get());
                won++;
            } catch (java.util.concurrent.ExecutionException e) {
                TarnException te = (TarnException) e.getCause();
                assertEquals(ErrorCode.CONCURRENT_MODIFICATION, te.errorCode(), te.getMessage());
                assertTrue(te.getMessage().contains("version 0"), te.getMessage());
                conflicts++;
            }
        }
        assertEquals(1, won);
        assertEquals(THREADS - 1, conflicts);
        assertEquals(0, TableLog.forPath(new LocalFileIO(), dir.toString()).latestSnapshot().version());
    }

    @Test
    void concurrentBlindAppendsAllLand() throws Exception {
        TableLog log = TestTables.create(dir, Map.of("delta.checkpointInterval", "3"));
        Snapshot base = log.latestSnapshot();
        List<Callable<Long>> tasks = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            AddFile f = TestTables.file("f" + i + ".parquet", "p" + i, i * 10L, i * 10L + 9);
            tasks.add(() -> {
                Transaction tx = log.newTransaction(base, "WRITE", Map.of("mode", "Append"));
                tx.addFiles(List.of(f));
                CommitResult r = tx.commit();
                assertTrue(r.snapshot().activeFiles().contains(f));
                return r.version();
            });
        }
        Set<Long> versions = new HashSet<>();
        for (Future<Long> f : race(tasks)) {
            versions.add(f.get());
        }
        Set<Long> expected = new HashSet<>();
        for (long v = 1; v <= THREADS; v++) {
            expected.add(v);
        }
        assertEquals(expected, versions, "each append took its own version");
        Snapshot latest = TableLog.forPath(new LocalFileIO(), dir.toString()).latestSnapshot();
        assertEquals(THREADS, latest.version());
        assertEquals(THREADS, latest.activeFiles().size());
    }

    @Test
    void removingAFileAnotherWriterRemovedConflicts() {
        TableLog log = TestTables.create(dir, Map.of());
        AddFile a = TestTables.file("a.parquet", "x", 1, 5);
        AddFile b = TestTables.file("b.parquet", "x", 6, 9);
        TestTables.append(log, a, b);
        Snapshot read = log.latestSnapshot();

        Transaction loser = log.newTransaction(read, "DELETE", Map.of());
        loser.readFiles(List.of(a));
        loser.removeFiles(List.of(a.toRemove(1L, true)));
        Transaction winner = log.newTransaction(read, "DELETE", Map.of());
        winner.removeFiles(List.of(a.toRemove(2L, true)));
        assertEquals(2, winner.commit().version());

        TarnException e = assertThrows(TarnException.class, loser::commit);
        assertEquals(ErrorCode.CONCURRENT_MODIFICATION, e.errorCode());
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
        assertTrue(e.getMessage().contains("part=x/a.parquet"), e.getMessage());
        assertEquals(2, log.latestSnapshot().version(), "the loser wrote nothing");
    }

    @Test
    void metadataChangeConflictsWithAppend() {
        TableLog log = TestTables.create(dir, Map.of());
        Snapshot read = log.latestSnapshot();
        Transaction append = log.newTransaction(read, "WRITE", Map.of());
        append.addFiles(List.of(TestTables.file("a.parquet", "x", 1, 5)));
        Transaction alter = log.newTransaction(read, "SET TBLPROPERTIES", Map.of());
        alter.updateMetadata(read.metadata().withConfiguration(Map.of("delta.appendOnly", "true")));
        alter.commit();
        TarnException e = assertThrows(TarnException.class, append::commit);
        assertEquals(ErrorCode.CONCURRENT_MODIFICATION, e.errorCode());
        assertTrue(e.getMessage().contains("metadata"), e.getMessage());
    }

    @Test
    void blindAppendRetriesAfterAnUnrelatedWinner() {
        TableLog log = TestTables.create(dir, Map.of());
        Snapshot read = log.latestSnapshot();
        Transaction late = log.newTransaction(read, "WRITE", Map.of());
        AddFile mine = TestTables.file("mine.parquet", "x", 1, 5);
        late.addFiles(List.of(mine));
        TestTables.append(log, TestTables.file("theirs.parquet", "y", 6, 9));
        CommitResult r = late.commit();
        assertEquals(2, r.version());
        assertEquals(2, r.snapshot().activeFiles().size());
        assertEquals(0L, ((dev.tarn.txlog.action.CommitInfo) log.readCommit(2).get(0)).readVersion());
    }

    private Transaction deleteInPartitionA(TableLog log, AddFile target) {
        Transaction tx = log.newTransaction(log.latestSnapshot(), "DELETE", Map.of("predicate", "[\"part = 'a'\"]"));
        tx.readPredicate(new dev.tarn.txlog.skipping.Predicate.Comparison(
                dev.tarn.txlog.skipping.Predicate.Column.of("part"), dev.tarn.txlog.skipping.Predicate.Op.EQ,
                new dev.tarn.txlog.skipping.Predicate.Literal("a", dev.tarn.txlog.types.PrimitiveType.STRING)));
        tx.readFiles(List.of(target));
        tx.removeFiles(List.of(target.toRemove(1L, true)));
        return tx;
    }

    @Test
    void serializableDeleteConflictsOnlyWithAppendsItWouldHaveRead() {
        TableLog log = TestTables.create(dir, Map.of("delta.isolationLevel", "Serializable"));
        AddFile a = TestTables.file("a.parquet", "a", 1, 5);
        TestTables.append(log, a);

        Transaction delete = deleteInPartitionA(log, a);
        TestTables.append(log, TestTables.file("other.parquet", "b", 1, 5));
        assertEquals(3, delete.commit().version(), "an append to another partition does not conflict");

        AddFile a2 = TestTables.file("a2.parquet", "a", 6, 9);
        TestTables.append(log, a2);
        Transaction second = deleteInPartitionA(log, a2);
        TestTables.append(log, TestTables.file("a3.parquet", "a", 10, 12));
        TarnException e = assertThrows(TarnException.class, second::commit);
        assertEquals(ErrorCode.CONCURRENT_MODIFICATION, e.errorCode());
        assertTrue(e.getMessage().contains("a3.parquet"), e.getMessage());
    }

    @Test
    void writeSerializableDeleteIgnoresConcurrentAppends() {
        TableLog log = TestTables.create(dir, Map.of("delta.isolationLevel", "WriteSerializable"));
        AddFile a = TestTables.file("a.parquet", "a", 1, 5);
        TestTables.append(log, a);
        Transaction delete = deleteInPartitionA(log, a);
        TestTables.append(log, TestTables.file("a3.parquet", "a", 10, 12));
        CommitResult r = delete.commit();
        assertEquals(3, r.version());
        assertEquals("WriteSerializable", ((dev.tarn.txlog.action.CommitInfo) log.readCommit(3).get(0)).isolationLevel());
        assertEquals(1, r.snapshot().activeFiles().size());
    }

    @Test
    void defaultIsolationIsWriteSerializable() {
        TableLog log = TestTables.create(dir, Map.of());
        AddFile a = TestTables.file("a.parquet", "a", 1, 5);
        TestTables.append(log, a);
        Transaction delete = deleteInPartitionA(log, a);
        TestTables.append(log, TestTables.file("a3.parquet", "a", 10, 12));
        assertEquals(3, delete.commit().version(), "a blind append never conflicts under WriteSerializable");
        assertEquals("WriteSerializable", ((dev.tarn.txlog.action.CommitInfo) log.readCommit(3).get(0)).isolationLevel());
    }

    @Test
    void writeSerializableDeleteConflictsWithNonBlindAddsItWouldHaveRead() {
        TableLog log = TestTables.create(dir, Map.of());
        AddFile a = TestTables.file("a.parquet", "a", 1, 5);
        AddFile b = TestTables.file("b.parquet", "b", 1, 5);
        TestTables.append(log, a);
        TestTables.append(log, b);
        Transaction delete = deleteInPartitionA(log, a);
        // Another DML (not a blind append) moves rows into partition a: the delete would have read them.
        Transaction other = log.latestSnapshot().tableLog().newTransaction(log.latestSnapshot(), "UPDATE", Map.of());
        other.readFiles(List.of(b));
        other.removeFiles(List.of(b.toRemove(1L, true)));
        other.addFiles(List.of(TestTables.file("a4.parquet", "a", 1, 5)));
        other.commit();
        TarnException e = assertThrows(TarnException.class, delete::commit);
        assertEquals(ErrorCode.CONCURRENT_MODIFICATION, e.errorCode());
        assertTrue(e.getMessage().contains("a4.parquet"), e.getMessage());
    }
}
