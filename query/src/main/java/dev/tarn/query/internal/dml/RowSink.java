package dev.tarn.query.internal.dml;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.sql.PlannedStatement;
import dev.tarn.txlog.types.StructField;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.memory.util.ByteFunctionHelpers;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Feeds the batches of a statement's row-finding query into a {@link RowLevelWrite}, a batch at a time: column 0
 * is {@code _metadata.file_path}, column 1 {@code _metadata.row_index}; the rest depends on the statement. Rows of
 * one file arrive in runs (the scan reads one file after another), so positions are handed over per run.
 */
final class RowSink {
    private RowSink() {}

    /**
     * DELETE: every row the query returns is deleted; with the change feed, columns 2.. are the table's columns,
     * recorded as {@code changeType}. Returns the rows matched.
     */
    static long deleteMatches(PlannedStatement query, List<?> values, RowLevelWrite w, ExecutionContext context,
                              ChangeType changeType) {
        long rows = 0;
        int columns = w.snapshot().schema().size();
        long[] buffer = new long[1024];
        try (Operator op = query.bindQuery(values)) {
            op.open(context);
            for (VectorSchemaRoot b = op.next(); b != null; b = op.next()) {
                context.checkCancelled();
                buffer = deletePositions(w, b, buffer);
                if (w.changeDataFeed() && b.getFieldVectors().size() >= 2 + columns) {
                    w.recordChanges(slice(b, 2, columns), changeType);
                }
                rows += b.getRowCount();
            }
        }
        return rows;
    }

    /**
     * UPDATE: columns are file path, row index, [row id,] the new values of every column, [the old values]. Each
     * row's old position is deleted and its new values written, keeping its row id. Returns the rows updated.
     */
    static long updateMatches(PlannedStatement query, List<?> values, RowLevelWrite w, ExecutionContext context,
                              boolean rowIds) {
        long rows = 0;
        List<StructField> fields = w.snapshot().schema().fields();
        int columns = fields.size();
        int newAt = rowIds ? 3 : 2;
        long[] buffer = new long[1024];
        try (Operator op = query.bindQuery(values)) {
            op.open(context);
            for (VectorSchemaRoot b = op.next(); b != null; b = op.next()) {
                context.checkCancelled();
                buffer = deletePositions(w, b, buffer);
                VectorSchemaRoot updated = slice(b, newAt, columns);
                checkNotNull(updated, fields, w.target().displayName());
                BigIntVector ids = rowIds ? (BigIntVector) b.getVector(2) : null;
                if (w.changeDataFeed()) {
                    w.recordChanges(slice(b, newAt + columns, columns), ChangeType.UPDATE_PREIMAGE);
                }
                w.insertUpdated(updated, ids);
                rows += b.getRowCount();
            }
        }
        return rows;
    }

    /** INSERT OVERWRITE / REPLACE WHERE: every row of {@code source} (already in table shape) is inserted. */
    static long insertAll(Operator source, RowLevelWrite w, ExecutionContext context) {
        long rows = 0;
        try (source) {
            source.open(context);
            for (VectorSchemaRoot b = source.next(); b != null; b = source.next()) {
                context.checkCancelled();
                w.insert(b);
                rows += b.getRowCount();
            }
        }
        return rows;
    }

    private static void checkNotNull(VectorSchemaRoot rows, List<StructField> fields, String table) {
        for (int c = 0; c < fields.size(); c++) {
            if (!fields.get(c).nullable() && rows.getVector(c).getNullCount() > 0) {
                throw new TarnException(ErrorCode.NOT_NULL_VIOLATION, "UPDATE " + table + " would set NOT NULL column "
                        + fields.get(c).name() + " to NULL");
            }
        }
    }

    /** A view of {@code count} columns of a batch from {@code from} (no copy). */
    static VectorSchemaRoot slice(VectorSchemaRoot b, int from, int count) {
        List<FieldVector> vectors = b.getFieldVectors().subList(from, from + count);
        List<Field> fields = vectors.stream().map(FieldVector::getField).toList();
        return new VectorSchemaRoot(fields, vectors, b.getRowCount());
    }

    /** Hands the batch's (file path, row index) pairs to the write, one run of equal paths at a time. */
    private static long[] deletePositions(RowLevelWrite w, VectorSchemaRoot b, long[] buffer) {
        VarCharVector paths = (VarCharVector) b.getVector(0);
        BigIntVector indexes = (BigIntVector) b.getVector(1);
        int n = b.getRowCount();
        int runStart = 0;
        for (int r = 1; r <= n; r++) {
            if (r < n && samePath(paths, runStart, r)) {
                continue;
            }
            int len = r - runStart;
            if (buffer.length < len) {
                buffer = new long[Math.max(len, buffer.length * 2)];
            }
            for (int k = 0; k < len; k++) {
                buffer[k] = indexes.get(runStart + k);
            }
            w.deleteRows(new String(paths.get(runStart), StandardCharsets.UTF_8), buffer, len);
            runStart = r;
        }
        return buffer;
    }

    private static boolean samePath(VarCharVector v, int a, int b) {
        return ByteFunctionHelpers.equal(v.getDataBuffer(), v.getStartOffset(a), v.getStartOffset(a + 1),
                v.getDataBuffer(), v.getStartOffset(b), v.getStartOffset(b + 1)) == 1;
    }
}
