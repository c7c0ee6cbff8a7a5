package dev.tarn.txlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.storage.deletionvector.DeletionVectorFiles;
import dev.tarn.storage.deletionvector.RoaringBitmapArray;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.storage.parquet.ArrowParquetReader;
import dev.tarn.storage.parquet.ParquetReadRequest;
import dev.tarn.testdata.ExpectedTable;
import dev.tarn.testdata.ExpectedTable.Expectation;
import dev.tarn.txlog.action.DeletionVectorDescriptor;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code cdf} expectation of the shared conformance tables, at the level the log decides: for each commit of
 * the range, how many rows of each change type its change files yield must equal the expected rows of that
 * {@code _commit_version} and {@code _change_type}. Counting needs no values: cdc files by their
 * {@code _change_type} column, added and removed files by their row count minus deletion-vector cardinality,
 * deletion-vector changes by the difference of the two bitmaps. Row values are the query module's to check.
 */
class ChangeDataFeedConformanceTest {
    private static final LocalFileIO IO = new LocalFileIO();

    static Stream<Expectation> cdfExpectations() {
        return ExpectedTable.all().stream().flatMap(t -> t.expectations().stream()).filter(e -> e.kind().equals("cdf"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cdfExpectations")
    void changeCountsPerVersionAndType(Expectation e) {
        TableLog log = ConformanceCatalog.log(e.table());
        long start = e.json().path("start_version").asLong();
        long end = e.json().path("end_version").asLong();
        List<CommitChanges> changes = log.changes(start, end);
        assertEquals(end - start + 1, changes.size(), "one entry per commit");

        List<String> columns = e.columnNames();
        int typeColumn = columns.indexOf("_change_type");
        int versionColumn = columns.indexOf("_commit_version");
        Map<String, Long> expected = new TreeMap<>();
        for (JsonNode row : e.rows()) {
            expected.merge(row.get(versionColumn).asLong() + ":" + row.get(typeColumn).asText(), 1L, Long::sum);
        }

        Map<String, Long> actual = new TreeMap<>();
        try (BufferAllocator allocator = new RootAllocator()) {
            for (int i = 0; i < changes.size(); i++) {
                CommitChanges c = changes.get(i);
                assertEquals(start + i, c.version());
                boolean cdc = c.files().stream().anyMatch(f -> f.kind() == ChangeFile.Kind.CHANGE_DATA);
                for (ChangeFile f : c.files()) {
                    assertTrue(java.nio.file.Files.isRegularFile(java.nio.file.Path.of(f.location())), f.location());
                    if (cdc) {
                        assertEquals(ChangeFile.Kind.CHANGE_DATA, f.kind(), "a commit with cdc files uses only them");
                    }
                    Map<String, Object> partitions = c.partitionValues(f, java.time.ZoneOffset.UTC);
                    assertEquals(c.metadata().partitionColumns(), List.copyOf(partitions.keySet()));
                    partitions.values().forEach(v -> assertTrue(v != null, "partition value of " + f.path()));
                    count(log, f, c.version(), allocator, actual);
                }
            }
        }
        actual.values().removeIf(n -> n == 0);
        assertEquals(expected, actual, "rows per version:change_type");
        checkTimestamps(e, changes);
    }

    /** Where the table records in-commit timestamps, they are the commits' timestamps. */
    private static void checkTimestamps(Expectation e, List<CommitChanges> changes) {
        for (Expectation other : ExpectedTable.named(e.table()).expectations()) {
            JsonNode icts = other.json().path("checks").path("in_commit_timestamps");
            for (CommitChanges c : changes) {
                JsonNode ict = icts.get(Long.toString(c.version()));
                if (ict != null) {
                    assertEquals(ict.asLong(), c.timestamp(), "timestamp of version " + c.version());
                }
            }
        }
    }

    private static void count(TableLog log, ChangeFile f, long version, BufferAllocator allocator, Map<String, Long> out) {
        switch (f.kind()) {
            case CHANGE_DATA -> {
                Schema schema = new Schema(List.of(new Field(ChangeFile.CHANGE_TYPE_COLUMN,
                        FieldType.nullable(ArrowType.Utf8.INSTANCE), null)));
                try (ArrowParquetReader r = ArrowParquetReader.open(IO.newInputFile(f.location()),
                        ParquetReadRequest.of(schema, false), allocator)) {
                    for (VectorSchemaRoot batch = r.next(); batch != null; batch = r.next()) {
                        VarCharVector types = (VarCharVector) batch.getVector(0);
                        for (int i = 0; i < batch.getRowCount(); i++) {
                            assertFalse(types.isNull(i), "_change_type is set in " + f.location());
                            out.merge(version + ":" + types.getObject(i), 1L, Long::sum);
                        }
                    }
                }
            }
            case ADDED -> out.merge(version + ":insert", rows(f, allocator) - cardinality(f.deletionVector()), Long::sum);
            case REMOVED -> out.merge(version + ":delete", rows(f, allocator) - cardinality(f.deletionVector()), Long::sum);
            case DELETION_VECTOR_CHANGED -> {
                RoaringBitmapArray now = bitmap(log, f.deletionVector());
                RoaringBitmapArray before = bitmap(log, f.previousDeletionVector());
                long deleted = java.util.Arrays.stream(now.toArray()).filter(r -> !before.contains(r)).count();
                long restored = java.util.Arrays.stream(before.toArray()).filter(r -> !now.contains(r)).count();
                out.merge(version + ":delete", deleted, Long::sum);
                out.merge(version + ":insert", restored, Long::sum);
            }
            default -> throw new AssertionError(f.kind());
        }
    }

    private static long rows(ChangeFile f, BufferAllocator allocator) {
        try (ArrowParquetReader r = ArrowParquetReader.open(IO.newInputFile(f.location()),
                ParquetReadRequest.of(new Schema(List.of()), false), allocator)) {
            return r.fileInfo().totalRows();
        }
    }

    private static long cardinality(DeletionVectorDescriptor dv) {
        return dv == null ? 0 : dv.cardinality();
    }

    private static RoaringBitmapArray bitmap(TableLog log, DeletionVectorDescriptor dv) {
        if (dv == null) {
            return RoaringBitmapArray.empty();
        }
        if (dv.isInline()) {
            return DeletionVectorFiles.decodeInline(dv.pathOrInlineDv(), dv.sizeInBytes(), dv.cardinality());
        }
        return DeletionVectorFiles.read(IO.newInputFile(dv.absolutePath(log.location())),
                dv.offset() == null ? 1 : dv.offset(), dv.sizeInBytes(), dv.cardinality());
    }
}
