package dev.tarn.query.internal.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.expression.Values;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Typed gathers produce the values (and NULLs) a per-value copy would, across vector kinds and batches. */
class GatherTest {
    private static final List<ResultColumn> COLUMNS = List.of(
            new ResultColumn("i", PrimitiveType.INTEGER, true),
            new ResultColumn("l", PrimitiveType.LONG, true),
            new ResultColumn("m", new DecimalType(15, 2), true),
            new ResultColumn("s", PrimitiveType.STRING, true),
            new ResultColumn("b", PrimitiveType.BOOLEAN, true),
            new ResultColumn("t", PrimitiveType.DATE, true),
            new ResultColumn("n", PrimitiveType.SHORT, true));

    private final RootAllocator allocator = new RootAllocator();

    @AfterEach
    void close() {
        assertEquals(0, allocator.getAllocatedMemory());
        allocator.close();
    }

    private VectorSchemaRoot batch(SplittableRandom random, int n, boolean nulls) {
        VectorSchemaRoot root = Batches.newRoot(COLUMNS, allocator);
        List<Values.Writer> writers = new ArrayList<>();
        for (FieldVector v : root.getFieldVectors()) {
            writers.add(Values.writer(v));
        }
        for (int i = 0; i < n; i++) {
            Object[] row = {(long) random.nextInt(), random.nextLong(), BigDecimal.valueOf(random.nextLong(-99999, 99999), 2),
                    "x".repeat(random.nextInt(40)) + "é" + i, random.nextBoolean(), random.nextInt(20000),
                    (long) random.nextInt(-300, 300)};
            for (int c = 0; c < row.length; c++) {
                writers.get(c).set(i, nulls && random.nextInt(4) == 0 ? null : row[c]);
            }
        }
        for (FieldVector v : root.getFieldVectors()) {
            v.setValueCount(n);
        }
        root.setRowCount(n);
        return root;
    }

    @Test
    void gathersMatchPerValueReadsWithNullsAndNegativeRows() {
        SplittableRandom random = new SplittableRandom(3);
        List<VectorSchemaRoot> sources = List.of(batch(random, 5000, true), batch(random, 3000, false),
                batch(random, 10, true));
        VectorSchemaRoot target = Batches.newRoot(COLUMNS, allocator);
        // Sources reused across gathers (as a join's build side is) count each vector's NULLs once.
        Gather.Sources[] cached = new Gather.Sources[COLUMNS.size()];
        try {
            for (int round = 0; round < 5; round++) {
                int count = round == 0 ? 0 : 12_000; // beyond the target's initial capacity
                int[] batches = new int[count];
                int[] rows = new int[count];
                for (int i = 0; i < count; i++) {
                    batches[i] = random.nextInt(sources.size());
                    rows[i] = random.nextInt(10) == 0 ? -1 : random.nextInt(sources.get(batches[i]).getRowCount());
                }
                for (int c = 0; c < COLUMNS.size(); c++) {
                    FieldVector[] from = new FieldVector[sources.size()];
                    for (int b = 0; b < from.length; b++) {
                        from[b] = sources.get(b).getVector(c);
                    }
                    FieldVector to = target.getVector(c);
                    if (round % 2 == 0) {
                        Gather.rows(from, batches, rows, count, to);
                    } else {
                        if (cached[c] == null) {
                            cached[c] = new Gather.Sources(from);
                        }
                        Gather.rows(cached[c], batches, rows, count, to);
                    }
                    assertEquals(count, to.getValueCount());
                    Values.Reader actual = Values.reader(to);
                    for (int i = 0; i < count; i++) {
                        Object expected = rows[i] < 0 ? null : Values.reader(from[batches[i]]).get(rows[i]);
                        assertEquals(expected, actual.get(i), "column " + c + " row " + i);
                    }
                }
            }
            // Single source: a filter's selection.
            int[] selection = {4999, 0, 17, 17, 2};
            Batches.copyRows(sources.get(0), selection, selection.length, target);
            for (int c = 0; c < COLUMNS.size(); c++) {
                List<Object> expected = new ArrayList<>();
                List<Object> actual = new ArrayList<>();
                for (int i = 0; i < selection.length; i++) {
                    expected.add(Values.reader(sources.get(0).getVector(c)).get(selection[i]));
                    actual.add(Values.reader(target.getVector(c)).get(i));
                }
                assertEquals(expected, actual, Arrays.toString(selection));
            }
        } finally {
            target.close();
            sources.forEach(VectorSchemaRoot::close);
        }
    }

    @Test
    void singleSourceRunsOfConsecutiveRowsCopyLikePerValueReads() {
        SplittableRandom random = new SplittableRandom(7);
        List<VectorSchemaRoot> sources = List.of(batch(random, 4000, true), batch(random, 4000, false));
        VectorSchemaRoot target = Batches.newRoot(COLUMNS, allocator);
        try {
            for (VectorSchemaRoot source : sources) {
                // A filter keeping most rows: runs of consecutive rows, single rows, repeats and padding rows.
                int[] rows = new int[5000];
                int count = 0;
                int r = 0;
                while (count < rows.length - 60 && r < 4000) {
                    int run = random.nextInt(1, 50);
                    for (int k = 0; k < run && r < 4000; k++) {
                        rows[count++] = r++;
                    }
                    r += random.nextInt(3);
                    if (random.nextInt(5) == 0) {
                        rows[count++] = -1;
                    }
                    if (random.nextInt(7) == 0 && r > 0) {
                        rows[count++] = r - 1;
                    }
                }
                for (int c = 0; c < COLUMNS.size(); c++) {
                    FieldVector from = source.getVector(c);
                    FieldVector to = target.getVector(c);
                    Gather.rows(from, rows, count, to);
                    assertEquals(count, to.getValueCount());
                    Values.Reader expected = Values.reader(from);
                    Values.Reader actual = Values.reader(to);
                    for (int i = 0; i < count; i++) {
                        assertEquals(rows[i] < 0 ? null : expected.get(rows[i]), actual.get(i), "column " + c + " row " + i);
                    }
                }
            }
        } finally {
            target.close();
            sources.forEach(VectorSchemaRoot::close);
        }
    }
}
