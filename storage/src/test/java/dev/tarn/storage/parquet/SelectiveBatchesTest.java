package dev.tarn.storage.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.storage.fs.LocalFileIO;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A row filter that keeps few rows makes the reader decode more rows per batch (up to eight times the requested
 * rows), so its batches are not mostly empty; the rows returned, their other columns (dictionary-coded values looked
 * up only for the kept rows, decimals widened as they are gathered, one-length strings) and their row indexes are
 * exactly those a full read keeps, also when the kept fraction jumps from none to all.
 */
class SelectiveBatchesTest {
    private static final int ROWS = 200_000;
    private static final int BATCH = 1024;

    @TempDir
    static Path dir;
    static String location;
    static final Schema SCHEMA = new Schema(List.of(
            new Field("id", FieldType.notNullable(new ArrowType.Int(64, true)), null),
            new Field("v", FieldType.notNullable(new ArrowType.Int(32, true)), null),
            new Field("name", FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
            new Field("amount", FieldType.nullable(new ArrowType.Decimal(12, 2, 128)), null)));

    @BeforeAll
    static void write() {
        location = dir.resolve("selective.parquet").toString();
        try (BufferAllocator allocator = new RootAllocator();
             VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator);
             ArrowParquetWriter w = ArrowParquetWriter.create(new LocalFileIO().newOutputFile(location), SCHEMA,
                     ParquetWriteOptions.defaults().withPageSizeBytes(8192))) {
            for (int start = 0; start < ROWS; start += 10_000) {
                root.allocateNew();
                for (int i = 0; i < 10_000; i++) {
                    int row = start + i;
                    ((BigIntVector) root.getVector(0)).setSafe(i, row);
                    ((IntVector) root.getVector(1)).setSafe(i, v(row));
                    if (row % 11 != 0) {
                        ((VarCharVector) root.getVector(2)).setSafe(i, ("s" + row % 7).getBytes());
                    }
                    if (amount(row) != null) {
                        ((DecimalVector) root.getVector(3)).setSafe(i, amount(row));
                    }
                }
                root.setRowCount(10_000);
                w.write(root);
            }
            w.finish();
        }
    }

    private static java.math.BigDecimal amount(long row) {
        return row % 13 == 0 ? null : java.math.BigDecimal.valueOf(row * 7 - 500_000, 2);
    }

    private static int v(long row) {
        return (int) (row * 7919 % 1000);
    }

    /** Keeps the rows whose staged {@code id} passes {@code keep}, reading column 0 as 8-byte values. */
    private static ParquetRowFilter idFilter(LongPredicate keep) {
        return new ParquetRowFilter() {
            @Override
            public int[] columns() {
                return new int[] {0};
            }

            @Override
            public int select(StagedColumn[] columns, int rows, int[] selection) {
                int n = 0;
                for (int i = 0; i < rows; i++) {
                    if (keep.test(columns[0].longValue(i))) {
                        selection[n++] = i;
                    }
                }
                return n;
            }
        };
    }

    private record Read(List<String> rows, int batches, int largest) {}

    private static Read read(ParquetRowFilter filter) {
        try (BufferAllocator allocator = new RootAllocator();
             ArrowParquetReader r = ArrowParquetReader.open(new LocalFileIO().newInputFile(location),
                     new ParquetReadRequest(SCHEMA, true, BATCH, g -> true, filter), allocator)) {
            List<String> rows = new ArrayList<>();
            int batches = 0;
            int largest = 0;
            for (VectorSchemaRoot b = r.next(); b != null; b = r.next()) {
                batches++;
                largest = Math.max(largest, b.getRowCount());
                for (int i = 0; i < b.getRowCount(); i++) {
                    VarCharVector name = (VarCharVector) b.getVector(2);
                    rows.add(((BigIntVector) b.getVector(0)).get(i) + "," + ((IntVector) b.getVector(1)).get(i) + ","
                            + (name.isNull(i) ? "null" : new String(name.get(i))) + ","
                            + ((DecimalVector) b.getVector(3)).getObject(i) + ","
                            + ((BigIntVector) b.getVector(4)).get(i));
                }
            }
            return new Read(rows, batches, largest);
        }
    }

    private static List<String> expected(LongPredicate keep) {
        List<String> rows = new ArrayList<>();
        for (long row = 0; row < ROWS; row++) {
            if (keep.test(row)) {
                rows.add(row + "," + v(row) + "," + (row % 11 == 0 ? "null" : "s" + row % 7) + "," + amount(row)
                        + "," + row);
            }
        }
        return rows;
    }

    @Test
    void aFilterKeepingFewRowsGetsFewerFullerBatches() {
        LongPredicate keep = id -> v(id) == 3;
        Read read = read(idFilter(keep));
        assertEquals(expected(keep), read.rows());
        // About 200 rows kept: one per requested batch's worth of rows without scaling, ~25 batches with it.
        assertTrue(read.batches() <= ROWS / BATCH / 4, read.batches() + " batches");
    }

    @Test
    void aJumpFromNoneToAllKeepsEveryRowAndBoundsTheBatches() {
        LongPredicate keep = id -> id % 5000 == 0 || id >= 120_000;
        Read read = read(idFilter(keep));
        assertEquals(expected(keep), read.rows());
        assertTrue(read.largest() <= ArrowParquetReader.MAX_BATCH_SCALE * BATCH, read.largest() + " rows");
    }

    /**
     * A filter asking for its second column with the rows its first kept (the dictionary-coded {@code v}, looked
     * up only for those rows) reads the right values there, and the rows it keeps come back whole.
     */
    @Test
    void aColumnAskedForWithTheRowsStillKeptHasTheirValues() {
        ParquetRowFilter twoSteps = new ParquetRowFilter() {
            @Override
            public int[] columns() {
                return new int[] {0, 1};
            }

            @Override
            public int select(StagedColumn[] columns, int rows, int[] selection) {
                throw new AssertionError("the reader asks for columns as the filter needs them");
            }

            @Override
            public int select(Columns columns, int rows, int[] selection) {
                StagedColumn id = columns.column(0, null, rows);
                int n = 0;
                for (int i = 0; i < rows; i++) {
                    if (id.longValue(i) % 3 == 0) {
                        selection[n++] = i;
                    }
                }
                StagedColumn v = columns.column(1, selection, n);
                int out = 0;
                for (int k = 0; k < n; k++) {
                    int r = selection[k];
                    assertEquals(v(id.longValue(r)), v.longValue(r), "row " + r);
                    if (v.longValue(r) < 40) {
                        selection[out++] = r;
                    }
                }
                return out;
            }
        };
        Read read = read(twoSteps);
        assertEquals(expected(id -> id % 3 == 0 && v(id) < 40), read.rows());
    }

    @Test
    void withoutAFilterBatchesHoldTheRequestedRows() {
        Read read = read(null);
        assertEquals(ROWS, read.rows().size());
        assertEquals(BATCH, read.largest());
    }
}
