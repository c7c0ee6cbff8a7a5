package dev.tarn.txlog;

import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.Metadata;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Small helpers to build tables with hand-made log entries (data files need not exist for log tests). */
final class TestTables {
    static final StructType SCHEMA = StructType.of(
            new StructField("id", PrimitiveType.LONG, true),
            new StructField("part", PrimitiveType.STRING, true));

    private TestTables() {}

    static TableLog create(Path dir, Map<String, String> configuration) {
        TableLog log = TableLog.forPath(new LocalFileIO(), dir.toString());
        Transaction tx = log.newTransaction(null, "CREATE TABLE", Map.of("isManaged", "false"));
        tx.updateMetadata(Metadata.create(SCHEMA, List.of("part"), configuration, "t", null));
        tx.commit();
        return log;
    }

    static AddFile file(String name, String part, long minId, long maxId) {
        long rows = maxId - minId + 1;
        String stats = "{\"numRecords\":" + rows + ",\"minValues\":{\"id\":" + minId + "},\"maxValues\":{\"id\":" + maxId
                + "},\"nullCount\":{\"id\":0}}";
        String dir = PartitionPaths.directoryFor(List.of("part"), java.util.Collections.singletonMap("part", part));
        return AddFile.create(PartitionPaths.toLogPath(dir + name), java.util.Collections.singletonMap("part", part),
                1000, 1_700_000_000_000L, true, stats);
    }

    static CommitResult append(TableLog log, AddFile... files) {
        Transaction tx = log.newTransaction(log.latestSnapshot(), "WRITE", Map.of("mode", "Append"));
        tx.addFiles(List.of(files));
        return tx.commit();
    }
}
