package dev.tarn.query.internal.ddl;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.ResultColumn;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import dev.tarn.txlog.Transaction;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.RemoveFile;
import dev.tarn.txlog.types.PrimitiveType;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code RESTORE TABLE t TO VERSION AS OF n | TIMESTAMP AS OF 'ts'} as delta-spark runs it: one commit (operation
 * RESTORE) that adds, with {@code dataChange} true, every file of the target version that is not live now and
 * removes every live file the target version did not have. A file is its path together with its deletion vector,
 * so the same path with another DV counts as a different file (PROTOCOL.md "Deletion Vectors": the pair identifies
 * the logical file). The target version's metadata comes back too; the protocol is never lowered.
 */
final class TableRestore {
    static final List<ResultColumn> COLUMNS = List.of(
            new ResultColumn("table_size_after_restore", PrimitiveType.LONG, false),
            new ResultColumn("num_of_files_after_restore", PrimitiveType.LONG, false),
            new ResultColumn("num_removed_files", PrimitiveType.LONG, false),
            new ResultColumn("num_restored_files", PrimitiveType.LONG, false),
            new ResultColumn("removed_files_size", PrimitiveType.LONG, false),
            new ResultColumn("restored_files_size", PrimitiveType.LONG, false));

    private TableRestore() {}

    static ValueTable run(DdlStatement.Restore statement, TableLog log, String table, ZoneId zone) {
        Snapshot current = log.latestSnapshot();
        Snapshot target;
        String timestamp = null;
        if (statement.version().isPresent()) {
            long v = statement.version().getAsLong();
            if (v > current.version()) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "Cannot restore table " + table + " to version " + v
                        + ": its latest version is " + current.version());
            }
            target = log.snapshotAt(v);
        } else {
            timestamp = statement.timestamp().get();
            long millis;
            try {
                millis = TimeTravelSyntax.parseInstant(timestamp.strip(), zone).toEpochMilli();
            } catch (RuntimeException e) {
                throw new TarnException(ErrorCode.INVALID_VALUE, "Cannot restore table " + table + ": '" + timestamp
                        + "' is not a timestamp such as '2026-01-01 10:00:00'", e);
            }
            target = log.snapshotAsOf(millis);
        }
        Map<String, AddFile> now = new LinkedHashMap<>();
        for (AddFile a : current.activeFiles()) {
            now.put(key(a), a);
        }
        Map<String, AddFile> then = new LinkedHashMap<>();
        for (AddFile a : target.activeFiles()) {
            then.put(key(a), a);
        }
        FileIO io = log.fileIO();
        List<AddFile> restored = new ArrayList<>();
        long restoredSize = 0;
        for (Map.Entry<String, AddFile> e : then.entrySet()) {
            if (!now.containsKey(e.getKey())) {
                AddFile a = e.getValue();
                String location = absolute(log.location(), a.decodedPath());
                if (!io.exists(location)) {
                    throw new TarnException(ErrorCode.VALIDATION_ERROR, "Cannot restore table " + table + " to version "
                            + target.version() + ": its data file " + a.path() + " no longer exists (removed by "
                            + "VACUUM?)");
                }
                // Restored files are new data to readers of the change; they keep the row ids they had.
                restored.add(a.withDataChange(true));
                restoredSize += a.size();
            }
        }
        long nowMillis = System.currentTimeMillis();
        List<RemoveFile> removed = new ArrayList<>();
        long removedSize = 0;
        for (Map.Entry<String, AddFile> e : now.entrySet()) {
            if (!then.containsKey(e.getKey())) {
                removed.add(e.getValue().toRemove(nowMillis, true));
                removedSize += e.getValue().size();
            }
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("version", Long.toString(target.version()));
        if (timestamp != null) {
            parameters.put("timestamp", timestamp);
        }
        Transaction txn = log.newTransaction(current, "RESTORE", parameters);
        txn.readWholeTable();
        if (!target.metadata().equals(current.metadata())) {
            txn.updateMetadata(target.metadata());
        }
        txn.updateProtocol(current.protocol().merge(target.protocol()));
        txn.removeFiles(removed);
        txn.addFiles(restored);
        long sizeAfter = target.activeFiles().stream().mapToLong(AddFile::size).sum();
        long filesAfter = target.activeFiles().size();
        Map<String, String> metrics = new LinkedHashMap<>();
        metrics.put("tableSizeAfterRestore", Long.toString(sizeAfter));
        metrics.put("numOfFilesAfterRestore", Long.toString(filesAfter));
        metrics.put("numRemovedFiles", Long.toString(removed.size()));
        metrics.put("numRestoredFiles", Long.toString(restored.size()));
        metrics.put("removedFilesSize", Long.toString(removedSize));
        metrics.put("restoredFilesSize", Long.toString(restoredSize));
        txn.setOperationMetrics(metrics);
        txn.commit();
        List<Object> row = List.of(sizeAfter, filesAfter, (long) removed.size(), (long) restored.size(), removedSize,
                restoredSize);
        return new ValueTable(COLUMNS, List.of(row));
    }

    private static String key(AddFile a) {
        String dv = a.deletionVectorUniqueId();
        return a.path() + (dv == null ? "" : "#" + dv);
    }

    private static String absolute(String table, String path) {
        if (path.contains(":/") || path.startsWith("/")) {
            return path.startsWith("file:") ? java.net.URI.create(path).getPath() : path;
        }
        return (table.endsWith("/") ? table : table + "/") + path;
    }
}
