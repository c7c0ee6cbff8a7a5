package dev.tarn.testdata.tpch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.trino.tpch.TpchColumn;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Generated rows of one TPC-H table as Arrow batches. {@link #next()} refills and returns the same
 * {@link VectorSchemaRoot} each time (valid until the next call), or null at the end. Not thread-safe; generate
 * parts of a table on separate instances to use several threads.
 */
public final class TpchBatches implements AutoCloseable {
    private final String table;
    private final Iterator<? extends TpchEntity> rows;
    private final Filler<?> filler;
    private final int batchRows;
    private final VectorSchemaRoot root;
    private long rowCount;
    private boolean closed;

    <E extends TpchEntity> TpchBatches(TpchTable<E> table, double scale, int part, int partCount,
                                      BufferAllocator allocator, int batchRows) {
        requireNonNull(table, "table is null");
        requireNonNull(allocator, "allocator is null");
        if (batchRows < 1) {
            throw new IllegalArgumentException("batchRows must be positive: " + batchRows);
        }
        this.table = table.getTableName();
        this.batchRows = batchRows;
        this.root = VectorSchemaRoot.create(TpchGenerator.arrowSchema(this.table), allocator);
        Iterator<E> it = table.createGenerator(scale, part, partCount).iterator();
        this.rows = it;
        this.filler = new Filler<>(table.getColumns(), root.getFieldVectors());
    }

    /** The table's name ({@code lineitem}). */
    public String table() {
        return table;
    }

    /** Rows returned so far. */
    public long rowCount() {
        return rowCount;
    }

    /** The next batch of up to {@code batchRows} rows (the same root, refilled), or null when all are generated. */
    public VectorSchemaRoot next() {
        if (closed) {
            throw new IllegalStateException("TpchBatches for " + table + " is closed");
        }
        if (!rows.hasNext()) {
            return null;
        }
        for (FieldVector v : root.getFieldVectors()) {
            v.reset();
        }
        int n = 0;
        while (n < batchRows && rows.hasNext()) {
            fill(filler, rows.next(), n);
            n++;
        }
        root.setRowCount(n);
        rowCount += n;
        return root;
    }

    @SuppressWarnings("unchecked")
    private static <E extends TpchEntity> void fill(Filler<E> filler, TpchEntity row, int index) {
        filler.fill((E) row, index);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            root.close();
        }
    }

    /** Writes one generated row into the vectors, column by column with the column's typed accessor. */
    private static final class Filler<E extends TpchEntity> {
        private final List<TpchColumn<E>> columns;
        private final TpchColumnSpec.Kind[] kinds;
        private final FieldVector[] vectors;

        Filler(List<TpchColumn<E>> columns, List<FieldVector> vectors) {
            this.columns = columns;
            this.kinds = new TpchColumnSpec.Kind[columns.size()];
            this.vectors = vectors.toArray(new FieldVector[0]);
            for (int c = 0; c < kinds.length; c++) {
                kinds[c] = TpchGenerator.kindOf(columns.get(c));
            }
        }

        void fill(E row, int index) {
            for (int c = 0; c < kinds.length; c++) {
                TpchColumn<E> col = columns.get(c);
                switch (kinds[c]) {
                    case BIGINT -> ((BigIntVector) vectors[c]).setSafe(index, col.getIdentifier(row));
                    case INTEGER -> ((IntVector) vectors[c]).setSafe(index, col.getInteger(row));
                    // The generator keeps these as whole cents and hands them out divided by 100; rounding the
                    // double back to cents is exact.
                    case DECIMAL -> ((DecimalVector) vectors[c]).setSafe(index, Math.round(col.getDouble(row) * 100));
                    case DATE -> ((DateDayVector) vectors[c]).setSafe(index, col.getDate(row));
                    case STRING -> ((VarCharVector) vectors[c]).setSafe(index, col.getString(row).getBytes(UTF_8));
                }
            }
        }
    }
}
