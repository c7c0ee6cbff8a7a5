package dev.tarn.maintenance;

import dev.tarn.storage.deletionvector.DeletionVectorFileWriter;
import dev.tarn.storage.deletionvector.DeletionVectorFiles;
import dev.tarn.storage.deletionvector.RoaringBitmapArray;
import dev.tarn.storage.deletionvector.StoredDeletionVector;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.storage.parquet.ArrowParquetReader;
import dev.tarn.storage.parquet.ArrowParquetWriter;
import dev.tarn.storage.parquet.DataFileStatistics;
import dev.tarn.storage.parquet.ParquetReadRequest;
import dev.tarn.storage.parquet.ParquetWriteOptions;
import dev.tarn.txlog.CommitResult;
import dev.tarn.txlog.PartitionPaths;
import dev.tarn.txlog.ScanFile;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.StatsJson;
import dev.tarn.txlog.TableLog;
import dev.tarn.txlog.Transaction;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.DeletionVectorDescriptor;
import dev.tarn.txlog.action.Metadata;
import dev.tarn.txlog.action.Protocol;
import dev.tarn.txlog.types.ArrowTypes;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Real Delta tables for maintenance tests: Parquet files written with {@link ArrowParquetWriter}, committed with
 * {@link Transaction}. Schema: {@code id long, payload string} (data columns), optionally partitioned by
 * {@code part string}.
 */
final class TestTables {
    static final StructType SCHEMA = StructType.of(
            new StructField("id", PrimitiveType.LONG, true),
            new StructField("payload", PrimitiveType.STRING, true),
            new StructField("part", PrimitiveType.STRING, true));
    static final StructType DATA = StructType.of(
            new StructField("id", PrimitiveType.LONG, true),
            new StructField("payload", PrimitiveType.STRING, true));

    private TestTables() {}

    static TableLog create(Path dir, boolean partitioned, Map<String, String> configuration) {
        TableLog log = TableLog.forPath(new LocalFileIO(), dir.toString());
        Transaction tx = log.newTransaction(null, "CREATE TABLE", Map.of("isManaged", "false"));
        tx.updateProtocol(Protocol.forNewTable(configuration));
        tx.updateMetadata(Metadata.create(partitioned ? SCHEMA : DATA, partitioned ? List.of("part") : List.of(),
                configuration, "t", null));
        tx.commit();
        return log;
    }

    /** Writes a data file with the given ids (payload "p<id>") into partition {@code part} (null: unpartitioned). */
    static AddFile writeFile(TableLog log, String part, long[] ids) {
        String dir = part == null ? "" : PartitionPaths.directoryFor(List.of("part"), Collections.singletonMap("part", part));
        String relative = dir + "part-00000-" + UUID.randomUUID() + ".c000.zstd.parquet";
        String location = log.location() + "/" + relative;
        try (BufferAllocator allocator = new RootAllocator();
             VectorSchemaRoot root = VectorSchemaRoot.create(ArrowTypes.toPhysicalArrowSchema(DATA), allocator)) {
            BigIntVector id = (BigIntVector) root.getVector(0);
            VarCharVector payload = (VarCharVector) root.getVector(1);
            id.allocateNew(ids.length);
            payload.allocateNew(ids.length);
            for (int i = 0; i < ids.length; i++) {
                id.set(i, ids[i]);
                payload.setSafe(i, ("p" + ids[i]).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            root.setRowCount(ids.length);
            DataFileStatistics stats;
            try (ArrowParquetWriter w = ArrowParquetWriter.create(log.fileIO().newOutputFile(location),
                    root.getSchema(), ParquetWriteOptions.defaults())) {
                w.write(root);
                stats = w.finish();
            }
            Map<String, String> pv = part == null ? Map.of() : Collections.singletonMap("part", part);
            return AddFile.create(PartitionPaths.toLogPath(relative), pv, stats.fileSizeBytes(),
                    System.currentTimeMillis(), true, StatsJson.of(DATA, stats, 32));
        }
    }

    static CommitResult append(TableLog log, String part, long[] ids) {
        Transaction tx = log.newTransaction(log.latestSnapshot(), "WRITE", Map.of("mode", "Append"));
        tx.addFiles(List.of(writeFile(log, part, ids)));
        return tx.commit();
    }

    static long[] range(long from, long toExclusive) {
        long[] out = new long[(int) (toExclusive - from)];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    /** Marks rows (by position in the file) of a live file deleted with an on-disk deletion vector. */
    static CommitResult deleteRows(TableLog log, AddFile file, long... rowIndexes) {
        RoaringBitmapArray bitmap = RoaringBitmapArray.of(rowIndexes);
        UUID uuid = UUID.randomUUID();
        String dvLocation = log.location() + "/" + DeletionVectorFiles.fileName(uuid);
        StoredDeletionVector stored;
        try (DeletionVectorFileWriter w = DeletionVectorFileWriter.create(log.fileIO().newOutputFile(dvLocation))) {
            stored = w.add(bitmap);
        }
        DeletionVectorDescriptor dv = new DeletionVectorDescriptor(DeletionVectorDescriptor.StorageType.UUID_RELATIVE,
                DeletionVectorFiles.encodePath("", uuid), stored.offset(), stored.sizeInBytes(), stored.cardinality(), null);
        Snapshot s = log.latestSnapshot();
        Transaction tx = log.newTransaction(s, "DELETE", Map.of("predicate", "[]"));
        tx.readFiles(List.of(file));
        tx.removeFiles(List.of(file.toRemove(System.currentTimeMillis(), true)));
        tx.addFiles(List.of(file.withDeletionVector(dv)));
        return tx.commit();
    }

    /** Removes a file entirely (a DELETE of all its rows). */
    static CommitResult removeFile(TableLog log, AddFile file) {
        return removeFile(log, file, System.currentTimeMillis());
    }

    static CommitResult removeFile(TableLog log, AddFile file, long deletionTimestamp) {
        Transaction tx = log.newTransaction(log.latestSnapshot(), "DELETE", Map.of("predicate", "[]"));
        tx.readFiles(List.of(file));
        tx.removeFiles(List.of(file.toRemove(deletionTimestamp, true)));
        return tx.commit();
    }

    /**
     * The live ids of a snapshot, each prefixed with its partition, sorted: read independently of the code under
     * test (Parquet reader with row index, deletion vector applied by hand).
     */
    static List<String> rows(Snapshot snapshot) {
        return rows(snapshot, false);
    }

    /** Like {@link #rows(Snapshot)}, with every data column of each row (comma-separated) after the partition. */
    static List<String> rowsAllColumns(Snapshot snapshot) {
        return rows(snapshot, true);
    }

    private static List<String> rows(Snapshot snapshot, boolean allColumns) {
        List<String> out = new ArrayList<>();
        FileIO io = snapshot.tableLog().fileIO();
        try (BufferAllocator allocator = new RootAllocator()) {
            for (ScanFile f : snapshot.scanBuilder().build().files()) {
                RoaringBitmapArray deleted = RoaringBitmapArray.empty();
                DeletionVectorDescriptor dv = f.add().deletionVector();
                if (dv != null) {
                    deleted = dv.isInline()
                            ? DeletionVectorFiles.decodeInline(dv.pathOrInlineDv(), dv.sizeInBytes(), dv.cardinality())
                            : DeletionVectorFiles.read(io.newInputFile(dv.absolutePath(snapshot.tableLocation())),
                                    dv.offset() == null ? 1 : dv.offset(), dv.sizeInBytes(), dv.cardinality());
                }
                var schema = ArrowTypes.toPhysicalArrowSchema(dataSchema(snapshot));
                try (ArrowParquetReader r = ArrowParquetReader.open(io.newInputFile(f.location()),
                        ParquetReadRequest.of(allColumns ? schema : new org.apache.arrow.vector.types.pojo.Schema(
                                List.of(schema.getFields().get(0))), true), allocator)) {
                    for (VectorSchemaRoot b = r.next(); b != null; b = r.next()) {
                        int columns = b.getFieldVectors().size() - 1;
                        BigIntVector index = (BigIntVector) b.getVector(columns);
                        for (int i = 0; i < b.getRowCount(); i++) {
                            if (!deleted.contains(index.get(i))) {
                                String part = String.join(",", f.partitionValues().values().stream()
                                        .map(String::valueOf).toList());
                                StringBuilder row = new StringBuilder(part).append('/');
                                for (int c = 0; c < columns; c++) {
                                    Object v = b.getVector(c).getObject(i);
                                    row.append(c == 0 ? "" : ",").append(v instanceof byte[] bytes
                                            ? java.util.Arrays.toString(bytes) : v);
                                }
                                out.add(row.toString());
                            }
                        }
                    }
                }
            }
        }
        Collections.sort(out);
        return out;
    }

    static StructType dataSchema(Snapshot snapshot) {
        List<StructField> data = new ArrayList<>();
        for (StructField f : snapshot.schema().fields()) {
            if (!snapshot.partitionColumns().contains(f.name())) {
                data.add(f);
            }
        }
        return new StructType(data);
    }

    /** Row count of one data file, read directly. */
    static long physicalRows(FileIO io, String location) {
        try (BufferAllocator allocator = new RootAllocator();
             ArrowParquetReader r = ArrowParquetReader.open(io.newInputFile(location),
                     ParquetReadRequest.of(ArrowTypes.toPhysicalArrowSchema(DATA), false), allocator)) {
            return r.fileInfo().totalRows();
        }
    }
}
