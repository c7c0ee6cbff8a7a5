package dev.tarn.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import dev.tarn.txlog.Transaction;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.CommitInfo;
import dev.tarn.txlog.skipping.Predicate;
import dev.tarn.txlog.types.PrimitiveType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZOrderTest {

    /** 20 files of 500 ids each, ids 0..9999 in random order, so every file spans nearly the whole range. */
    private static TableLog randomTable(Path dir) {
        TableLog log = TestTables.create(dir, false, Map.of());
        List<Long> ids = new ArrayList<>();
        for (long i = 0; i < 10_000; i++) {
            ids.add(i);
        }
        Collections.shuffle(ids, new Random(42));
        List<AddFile> files = new ArrayList<>();
        for (int f = 0; f < 20; f++) {
            long[] chunk = ids.subList(f * 500, f * 500 + 500).stream().mapToLong(Long::longValue).toArray();
            files.add(TestTables.writeFile(log, null, chunk));
        }
        Transaction tx = log.newTransaction(log.latestSnapshot(), "WRITE", Map.of("mode", "Append"));
        tx.addFiles(files);
        tx.commit();
        return log;
    }

    private static int filesForPoint(Snapshot s, long id) {
        return s.scanBuilder().withFilter(new Predicate.Comparison(Predicate.Column.of("id"), Predicate.Op.EQ,
                new Predicate.Literal(id, PrimitiveType.LONG))).build().files().size();
    }

    @Test
    void zOrderingMakesPointLookupsReadFarFewerFiles(@TempDir Path dir) throws Exception {
        TableLog log = randomTable(dir.resolve("t"));
        Snapshot before = log.latestSnapshot();
        List<String> rows = TestTables.rows(before);
        assertEquals(20, filesForPoint(before, 1234), "random order: every file may hold any id");
        long total = before.sizeInBytes();
        Path spill = dir.resolve("spill");

        // A tiny sort budget forces sorted runs on disk and a merge: the external sort path.
        RewriteResult result = new OptimizeTask(log, OptimizeOptions.defaults().withZOrderBy(List.of("id"))
                .withTargetFileSize(total / 8).withSortMemoryBytes(32 * 1024).withSpillDirectory(spill.toString())).run();

        assertTrue(result.committed(), result.toString());
        assertEquals(20, result.filesRemoved());
        Snapshot after = log.latestSnapshot();
        assertTrue(after.activeFiles().size() >= 3, "files of about the target size (" + total / 8 + "): "
                + after.activeFiles().stream().map(a -> a.size()).toList());
        long full = after.activeFiles().stream().filter(a -> a.size() >= total / 16 && a.size() <= total / 8 * 3 / 2).count();
        assertTrue(full >= after.activeFiles().size() - 1, "all files but the last are near the target: "
                + after.activeFiles().stream().map(a -> a.size()).toList());
        assertEquals(rows, TestTables.rows(after), "no row lost or duplicated");
        for (long probe : new long[] {0, 1234, 5000, 9999}) {
            assertTrue(filesForPoint(after, probe) <= 2, "id " + probe + " needs " + filesForPoint(after, probe) + " files");
        }
        CommitInfo info = (CommitInfo) log.readCommit(after.version()).get(0);
        assertEquals("[\"id\"]", info.operationParameters().get("zOrderBy"));
        try (Stream<Path> left = Files.list(spill)) {
            assertEquals(0, left.count(), "spilled runs are deleted");
        }
    }

    @Test
    void zOrderByTwoColumnsInMemoryKeepsEveryRow(@TempDir Path dir) {
        TableLog log = randomTable(dir.resolve("t"));
        List<String> rows = TestTables.rows(log.latestSnapshot());
        RewriteResult result = new OptimizeTask(log, OptimizeOptions.defaults()
                .withZOrderBy(List.of("id", "payload")).withTargetFileSize(log.latestSnapshot().sizeInBytes() / 4)).run();
        assertTrue(result.committed());
        assertEquals(10_000, result.rowsWritten());
        assertEquals(rows, TestTables.rows(log.latestSnapshot()));
        assertTrue(filesForPoint(log.latestSnapshot(), 1234) < 20);
    }

    @Test
    void badZOrderColumnsAreRejected(@TempDir Path dir) {
        TableLog log = TestTables.create(dir.resolve("t"), true, Map.of());
        TestTables.append(log, "a", TestTables.range(0, 10));
        TarnException missing = assertThrows(TarnException.class, () -> new OptimizeTask(log,
                OptimizeOptions.defaults().withZOrderBy(List.of("nope"))).run());
        assertEquals(ErrorCode.COLUMN_NOT_FOUND, missing.errorCode());
        assertTrue(missing.getMessage().contains("'nope'"), missing.getMessage());
        TarnException partition = assertThrows(TarnException.class, () -> new OptimizeTask(log,
                OptimizeOptions.defaults().withZOrderBy(List.of("part"))).run());
        assertEquals(ErrorCode.VALIDATION_ERROR, partition.errorCode());
        assertTrue(partition.getMessage().contains("partition column"), partition.getMessage());
    }
}
