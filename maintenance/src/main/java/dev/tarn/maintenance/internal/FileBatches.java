package dev.tarn.maintenance.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.deletionvector.RoaringBitmapArray;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.storage.parquet.ArrowParquetReader;
import dev.tarn.storage.parquet.ParquetReadRequest;
import dev.tarn.txlog.action.AddFile;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Streams the live rows of one data file in the layout of {@link DataLayout#physicalSchema()}, one reader batch at
 * a time: rows its deletion vector deletes are dropped (PROTOCOL.md "Deletion Vectors": the DV holds the row
 * indexes of deleted rows), and under row tracking the materialized row-id and row-commit-version columns are
 * filled where the file has no value yet (from {@code baseRowId + row index} and {@code defaultRowCommitVersion}).
 * Only one batch is in memory at a time.
 */
public final class FileBatches implements AutoCloseable {
    private final AddFile add;
    private final DataLayout layout;
    private final BufferAllocator allocator;
    private final RoaringBitmapArray deleted;
    private final ArrowParquetReader reader;
    private final int dataColumns;
    private VectorSchemaRoot owned;
    private long rowsRead;
    private long rowsDropped;

    public FileBatches(FileIO io, String tableLocation, DataLayout layout, AddFile add, BufferAllocator allocator) {
        this.add = requireNonNull(add, "add is null");
        this.layout = requireNonNull(layout, "layout is null");
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.deleted = add.deletionVector() == null || add.deletionVector().cardinality() == 0 ? null
                : TablePaths.loadDeletionVector(io, tableLocation, add.deletionVector());
        if (layout.materializesRowTracking() && (add.baseRowId() == null || add.defaultRowCommitVersion() == null)) {
            throw new TarnException(ErrorCode.CORRUPT_LOG, "File " + add.path() + " of table " + tableLocation
                    + " has no baseRowId/defaultRowCommitVersion although the table tracks row ids");
        }
        this.dataColumns = layout.physicalSchema().getFields().size();
        boolean rowIndex = deleted != null || layout.materializesRowTracking();
        this.reader = ArrowParquetReader.open(io.newInputFile(TablePaths.absolute(tableLocation, add.decodedPath())),
                ParquetReadRequest.of(layout.physicalSchema(), rowIndex), allocator);
    }

    /** The next batch of live rows (valid until the next call), or null at the end of the file. */
    public VectorSchemaRoot next() {
        releaseOwned();
        while (true) {
            VectorSchemaRoot batch = reader.next();
            if (batch == null) {
                return null;
            }
            int rows = batch.getRowCount();
            rowsRead += rows;
            BigIntVector rowIndex = deleted != null || layout.materializesRowTracking()
                    ? (BigIntVector) batch.getVector(dataColumns) : null;
            if (layout.materializesRowTracking()) {
                materialize(batch, rowIndex, rows);
            }
            List<FieldVector> vectors = new ArrayList<>(batch.getFieldVectors().subList(0, dataColumns));
            if (deleted == null) {
                return new VectorSchemaRoot(layout.physicalSchema().getFields(), vectors, rows);
            }
            int[] selection = new int[rows];
            int live = deleted.selectSurvivors(rowIndex, selection);
            rowsDropped += rows - live;
            if (live == 0) {
                continue;
            }
            if (live == rows) {
                return new VectorSchemaRoot(layout.physicalSchema().getFields(), vectors, rows);
            }
            owned = Batches.select(layout.physicalSchema(), vectors, selection, live, allocator);
            return owned;
        }
    }

    private void materialize(VectorSchemaRoot batch, BigIntVector rowIndex, int rows) {
        BigIntVector rowId = (BigIntVector) batch.getVector(dataColumns - 2);
        BigIntVector commitVersion = (BigIntVector) batch.getVector(dataColumns - 1);
        long base = add.baseRowId();
        long version = add.defaultRowCommitVersion();
        for (int i = 0; i < rows; i++) {
            if (rowId.isNull(i)) {
                rowId.setSafe(i, base + rowIndex.get(i));
            }
            if (commitVersion.isNull(i)) {
                commitVersion.setSafe(i, version);
            }
        }
        rowId.setValueCount(rows);
        commitVersion.setValueCount(rows);
    }

    /** Physical rows read so far, deleted ones included. */
    public long rowsRead() {
        return rowsRead;
    }

    /** Rows dropped so far because the deletion vector deletes them. */
    public long rowsDropped() {
        return rowsDropped;
    }

    private void releaseOwned() {
        if (owned != null) {
            owned.close();
            owned = null;
        }
    }

    @Override
    public void close() {
        releaseOwned();
        reader.close();
    }
}
