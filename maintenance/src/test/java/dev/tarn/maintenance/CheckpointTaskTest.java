package dev.tarn.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.testdata.CountingFileIO;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import dev.tarn.txlog.Transaction;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.Metadata;
import dev.tarn.txlog.action.Protocol;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTaskTest {

    @Test
    void checkpointsTheLatestVersionAndASecondRunIsANoOp(@TempDir Path dir) throws Exception {
        String table = dir.resolve("t").toString();
        TableLog log = TableLog.forPath(new LocalFileIO(), table);
        StructType schema = StructType.of(new StructField("id", PrimitiveType.LONG, true));
        Transaction create = log.newTransaction(null, "CREATE TABLE", Map.of());
        create.updateProtocol(Protocol.forNewTable(Map.of()));
        create.updateMetadata(Metadata.create(schema, List.of(), Map.of(), null, null));
        create.commit();
        for (int i = 0; i < 3; i++) {
            Transaction append = log.newTransaction(log.latestSnapshot(), "WRITE", Map.of("mode", "Append"));
            append.addFiles(List.of(AddFile.create("part-" + i + ".parquet", Map.of(), 100 + i, 1000L, true,
                    "{\"numRecords\":1}")));
            append.commit();
        }

        CheckpointResult first = new CheckpointTask(log).run();
        assertTrue(first.written());
        assertEquals(3, first.version());
        assertEquals(3, first.liveFiles());
        assertTrue(Files.exists(dir.resolve("t/_delta_log/00000000000000000003.checkpoint.parquet")));
        assertEquals(3, log.readLastCheckpoint().orElseThrow().version());

        CheckpointResult second = new CheckpointTask(log).run();
        assertFalse(second.written());
        assertTrue(second.skipReason().contains("already checkpointed"), second.skipReason());

        // A fresh reader loads the table from the checkpoint without reading the commits it covers.
        CountingFileIO counting = new CountingFileIO(new LocalFileIO());
        Snapshot reloaded = TableLog.forPath(counting, table).latestSnapshot();
        assertEquals(3, reloaded.version());
        Set<String> paths = reloaded.activeFiles().stream().map(AddFile::path).collect(Collectors.toSet());
        assertEquals(Set.of("part-0.parquet", "part-1.parquet", "part-2.parquet"), paths);
        assertEquals(0, counting.openCount(l -> l.endsWith(".json") && !l.endsWith("_last_checkpoint")),
                "commits before the checkpoint are not read: " + counting.openedFiles());
    }

    @Test
    void honoursTheV2CheckpointPolicy(@TempDir Path dir) throws Exception {
        String table = dir.resolve("v2").toString();
        TableLog log = TableLog.forPath(new LocalFileIO(), table);
        Map<String, String> conf = Map.of("delta.checkpointPolicy", "v2");
        Transaction create = log.newTransaction(null, "CREATE TABLE", Map.of());
        create.updateProtocol(Protocol.forNewTable(conf));
        create.updateMetadata(Metadata.create(StructType.of(new StructField("id", PrimitiveType.LONG, true)),
                List.of(), conf, null, null));
        create.commit();
        Transaction append = log.newTransaction(log.latestSnapshot(), "WRITE", Map.of("mode", "Append"));
        append.addFiles(List.of(AddFile.create("part-0.parquet", Map.of(), 10, 1000L, true, "{\"numRecords\":1}")));
        append.commit();

        CheckpointResult result = new CheckpointTask(log).run();
        assertTrue(result.written());
        try (var files = Files.list(dir.resolve("v2/_delta_log"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().anyMatch(n -> n.matches("00000000000000000001\\.checkpoint\\.[0-9a-f-]{36}\\.(json|parquet)")),
                    "a UUID-named V2 checkpoint: " + names);
        }
        assertEquals(1, TableLog.forPath(new LocalFileIO(), table).latestSnapshot().activeFiles().size());
        assertFalse(new CheckpointTask(log).run().written(), "the second run finds the V2 checkpoint");
    }
}
