package dev.tarn.query.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.TableAppender;
import dev.tarn.query.internal.catalog.DeltaTableHandle;
import dev.tarn.query.internal.expression.Values;
import dev.tarn.query.internal.operator.Batches;
import dev.tarn.query.internal.sql.ParameterBinder;
import dev.tarn.query.internal.write.DataFileWriter;
import dev.tarn.query.internal.write.WrittenFiles;
import dev.tarn.txlog.types.ArrowTypes;
import dev.tarn.txlog.types.StructField;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Streams appended batches straight into the table's Parquet writer (no SQL, no copy unless rows are split by
 * partition) and commits the files once, on close, on top of the snapshot the appender opened with; a blind append
 * does not conflict with commits made meanwhile. Rows appended one by one are collected into batches first.
 */
final class TableAppenderImpl implements TableAppender {
    private final DeltaTableHandle table;
    private final List<ResultColumn> columns;
    private final List<Field> fields;
    private final BufferAllocator allocator;
    private final ZoneId zone;
    private final Runnable onClose;
    private final DataFileWriter writer;
    private VectorSchemaRoot rowBuffer;
    private List<Values.Writer> rowWriters;
    private int bufferedRows;
    private long rowCount;
    private boolean failed;
    private boolean aborted;
    private boolean closed;

    TableAppenderImpl(DeltaTableHandle table, BufferAllocator allocator, ZoneId zone, Runnable onClose) {
        this.table = requireNonNull(table, "table is null");
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.zone = requireNonNull(zone, "zone is null");
        this.onClose = requireNonNull(onClose, "onClose is null");
        List<ResultColumn> cols = new ArrayList<>();
        List<Field> fs = new ArrayList<>();
        for (StructField f : table.schema().fields()) {
            cols.add(new ResultColumn(f.name(), f.type(), f.nullable()));
            fs.add(ArrowTypes.toArrowField(f.name(), f.type(), true));
        }
        this.columns = List.copyOf(cols);
        this.fields = List.copyOf(fs);
        this.writer = table.newWriter(allocator);
    }

    @Override
    public List<ResultColumn> columns() {
        return columns;
    }

    @Override
    public void append(VectorSchemaRoot batch) {
        requireNonNull(batch, "batch is null");
        checkUsable();
        checkShape(batch);
        flushRows();
        write(batch);
    }

    @Override
    public void appendRow(Object... values) {
        requireNonNull(values, "values is null");
        checkUsable();
        if (values.length != columns.size()) {
            throw new TarnException(ErrorCode.TYPE_MISMATCH, "A row for " + table.displayName() + " needs "
                    + columns.size() + " values (" + names() + "), but " + values.length + " were given");
        }
        if (rowBuffer == null) {
            rowBuffer = Batches.newRoot(columns, allocator);
            rowWriters = rowBuffer.getFieldVectors().stream().map(Values::writer).toList();
        }
        // Convert every value before writing any, so a bad row leaves the buffer as it was.
        Object[] converted = new Object[values.length];
        for (int c = 0; c < values.length; c++) {
            ResultColumn column = columns.get(c);
            converted[c] = ParameterBinder.convert("Column '" + column.name() + "' of " + table.displayName(),
                    values[c], column.type(), zone);
            if (converted[c] == null && !column.nullable()) {
                throw new TarnException(ErrorCode.NOT_NULL_VIOLATION, "Column '" + column.name() + "' of table "
                        + table.displayName() + " is NOT NULL, but the row gives NULL");
            }
        }
        for (int c = 0; c < converted.length; c++) {
            rowWriters.get(c).set(bufferedRows, converted[c]);
        }
        bufferedRows++;
        if (bufferedRows == Batches.BATCH_ROWS) {
            flushRows();
        }
    }

    @Override
    public long rowCount() {
        return rowCount + bufferedRows;
    }

    @Override
    public void abort() {
        if (closed) {
            return;
        }
        aborted = true;
        close();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (failed || aborted) {
                writer.close();
                return;
            }
            WrittenFiles files;
            try {
                flushRows();
                files = writer.finish();
            } catch (RuntimeException e) {
                writer.close();
                throw e;
            }
            table.commitAppend(files);
        } finally {
            try {
                if (rowBuffer != null) {
                    rowBuffer.close();
                }
                allocator.close();
            } finally {
                onClose.run();
            }
        }
    }

    private void flushRows() {
        if (bufferedRows == 0) {
            return;
        }
        for (FieldVector v : rowBuffer.getFieldVectors()) {
            v.setValueCount(bufferedRows);
        }
        rowBuffer.setRowCount(bufferedRows);
        bufferedRows = 0;
        write(rowBuffer);
        for (FieldVector v : rowBuffer.getFieldVectors()) {
            v.reset();
        }
    }

    private void write(VectorSchemaRoot batch) {
        try {
            writer.write(batch);
            rowCount += batch.getRowCount();
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    private void checkShape(VectorSchemaRoot batch) {
        List<FieldVector> vectors = batch.getFieldVectors();
        if (vectors.size() != fields.size()) {
            throw new TarnException(ErrorCode.TYPE_MISMATCH, "A batch for " + table.displayName() + " needs "
                    + fields.size() + " columns (" + names() + "), but it has " + vectors.size());
        }
        for (int c = 0; c < fields.size(); c++) {
            Field want = fields.get(c);
            Field got = vectors.get(c).getField();
            if (!sameType(want, got)) {
                throw new TarnException(ErrorCode.TYPE_MISMATCH, "Column " + (c + 1) + " ('" + columns.get(c).name()
                        + "', " + columns.get(c).type().sqlName() + ") of " + table.displayName()
                        + " needs Arrow type " + want.getType() + ", but the batch's column '" + got.getName()
                        + "' is " + got.getType());
            }
            if (!columns.get(c).nullable() && vectors.get(c).getNullCount() > 0) {
                throw new TarnException(ErrorCode.NOT_NULL_VIOLATION, "Column '" + columns.get(c).name()
                        + "' of table " + table.displayName() + " is NOT NULL, but the batch has NULLs in it");
            }
        }
    }

    private static boolean sameType(Field want, Field got) {
        if (!want.getType().equals(got.getType()) || want.getChildren().size() != got.getChildren().size()) {
            return false;
        }
        for (int i = 0; i < want.getChildren().size(); i++) {
            if (!sameType(want.getChildren().get(i), got.getChildren().get(i))) {
                return false;
            }
        }
        return true;
    }

    private String names() {
        return String.join(", ", columns.stream().map(ResultColumn::name).toList());
    }

    private void checkUsable() {
        if (closed) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "The appender for " + table.displayName()
                    + " is closed");
        }
        if (failed) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "An earlier append to " + table.displayName()
                    + " failed; this appender can only be closed (nothing is committed)");
        }
    }
}
