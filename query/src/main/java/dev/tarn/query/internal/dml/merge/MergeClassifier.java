package dev.tarn.query.internal.dml.merge;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.dml.merge.MergeLayout.ClauseLayout;
import dev.tarn.query.internal.dml.merge.MergeLayout.Kind;
import dev.tarn.query.internal.dml.merge.MergeSpec.Match;
import dev.tarn.query.internal.expression.CastExpr;
import dev.tarn.query.internal.expression.Column;
import dev.tarn.query.internal.expression.ColumnRef;
import dev.tarn.query.internal.expression.EvalContext;
import dev.tarn.query.internal.expression.Values;
import dev.tarn.query.internal.operator.Batches;
import dev.tarn.query.internal.plan.TypeMapping;
import dev.tarn.query.internal.write.Selections;
import dev.tarn.txlog.types.DataType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Applies a MERGE's clauses to batches of the joined query, a batch at a time: each clause's condition is a BOOLEAN
 * column the query computed; the first clause (in statement order) whose kind fits the joined row (both sides,
 * source only, target only) and whose condition holds wins the row. Then, per clause, the winning rows are gathered
 * column by column: DELETE and UPDATE record the target rows' file positions, UPDATE and INSERT gather their new
 * values (cast to the target's types, NOT NULL checked) for the {@link MergeSink}, and with the change data feed
 * the old images of deleted and updated rows go to the sink as well.
 */
final class MergeClassifier {
    private final MergeLayout layout;
    private final List<ClauseLayout> clauses;
    private final int[][] images;
    private final int[] oldImage;
    private final List<ResultColumn> target;
    private final List<ResultColumn> queryColumns;
    private final boolean changeFeed;
    private final MergeSink sink;
    private final BufferAllocator allocator;
    private final EvalContext eval;
    private final TouchedRows touched = new TouchedRows();
    private final long[] rowsByClause;

    MergeClassifier(MergeLayout layout, List<ResultColumn> queryColumns, boolean changeFeed, MergeSink sink,
                    BufferAllocator allocator, EvalContext eval) {
        this.layout = requireNonNull(layout, "layout is null");
        this.clauses = layout.clauses();
        this.images = new int[clauses.size()][];
        for (int k = 0; k < images.length; k++) {
            images[k] = clauses.get(k).image();
        }
        this.oldImage = layout.oldImage();
        this.target = layout.target();
        this.queryColumns = List.copyOf(queryColumns);
        this.changeFeed = changeFeed;
        this.sink = requireNonNull(sink, "sink is null");
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.eval = requireNonNull(eval, "eval is null");
        this.rowsByClause = new long[clauses.size()];
    }

    /** The target rows deleted or updated so far, by file. */
    TouchedRows touched() {
        return touched;
    }

    /** Rows each clause applied to so far (a target row deleted through several matches counts once). */
    long[] rowsByClause() {
        return rowsByClause.clone();
    }

    void accept(VectorSchemaRoot batch) {
        int n = batch.getRowCount();
        if (n == 0) {
            return;
        }
        int[] chosen = choose(batch, n);
        int[] counts = new int[clauses.size()];
        for (int i = 0; i < n; i++) {
            if (chosen[i] >= 0) {
                counts[chosen[i]]++;
            }
        }
        for (int k = 0; k < clauses.size(); k++) {
            if (counts[k] == 0) {
                continue;
            }
            int[] rows = new int[counts[k]];
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (chosen[i] == k) {
                    rows[m++] = i;
                }
            }
            apply(k, batch, rows);
        }
    }

    /** Per row, the index of the clause that applies to it, or -1. */
    private int[] choose(VectorSchemaRoot batch, int n) {
        BitVector targetPresent = (BitVector) batch.getVector(layout.targetPresent());
        BitVector sourcePresent = (BitVector) batch.getVector(layout.sourcePresent());
        byte[] kind = new byte[n];
        for (int i = 0; i < n; i++) {
            boolean t = isTrue(targetPresent, i);
            boolean s = isTrue(sourcePresent, i);
            kind[i] = (byte) (t && s ? 1 : s ? 2 : t ? 3 : 0);
        }
        int[] chosen = new int[n];
        Arrays.fill(chosen, -1);
        for (int k = 0; k < clauses.size(); k++) {
            ClauseLayout c = clauses.get(k);
            byte want = (byte) (c.match() == Match.MATCHED ? 1 : c.match() == Match.NOT_MATCHED ? 2 : 3);
            BitVector condition = c.condition() < 0 ? null : (BitVector) batch.getVector(c.condition());
            for (int i = 0; i < n; i++) {
                if (chosen[i] < 0 && kind[i] == want && (condition == null || isTrue(condition, i))) {
                    chosen[i] = k;
                }
            }
        }
        return chosen;
    }

    private static boolean isTrue(BitVector v, int i) {
        return !v.isNull(i) && v.get(i) != 0;
    }

    private void apply(int k, VectorSchemaRoot batch, int[] rows) {
        ClauseLayout clause = clauses.get(k);
        if (clause.kind() == Kind.INSERT) {
            rowsByClause[k] += rows.length;
            try (VectorSchemaRoot inserted = image(batch, images[k], rows)) {
                sink.insert(inserted);
            }
            return;
        }
        rows = record(clause, batch, rows);
        rowsByClause[k] += rows.length;
        if (rows.length == 0) {
            return;
        }
        if (clause.kind() == Kind.DELETE) {
            if (changeFeed) {
                try (VectorSchemaRoot old = image(batch, oldImage, rows)) {
                    sink.oldImages(old, MergeSink.OldImage.DELETE);
                }
            }
            return;
        }
        try (VectorSchemaRoot updated = image(batch, images[k], rows);
             BigIntVector rowIds = layout.rowId() < 0 ? null
                     : (BigIntVector) Selections.copy(List.of(batch.getVector(layout.rowId())), rows, allocator).get(0)) {
            if (changeFeed) {
                try (VectorSchemaRoot old = image(batch, oldImage, rows)) {
                    sink.oldImages(old, MergeSink.OldImage.UPDATE_PREIMAGE);
                }
            }
            sink.insertUpdated(updated, rowIds);
        }
    }

    /**
     * Records the target rows a DELETE or UPDATE clause removes; returns the rows that were not already removed (a
     * target row several source rows match is deleted once). A row matched again by an UPDATE, or updated and then
     * matched again, fails the statement as in Spark.
     */
    private int[] record(ClauseLayout clause, VectorSchemaRoot batch, int[] rows) {
        VarCharVector paths = (VarCharVector) batch.getVector(layout.filePath());
        BigIntVector positions = (BigIntVector) batch.getVector(layout.rowIndex());
        TouchedRows.Action action = clause.kind() == Kind.DELETE ? TouchedRows.Action.DELETE : TouchedRows.Action.UPDATE;
        int[] kept = new int[rows.length];
        int m = 0;
        byte[] lastBytes = null;
        String lastPath = null;
        for (int row : rows) {
            byte[] bytes = paths.get(row);
            if (lastBytes == null || !Arrays.equals(bytes, lastBytes)) {
                lastBytes = bytes;
                lastPath = new String(bytes, StandardCharsets.UTF_8);
            }
            TouchedRows.Outcome outcome = touched.record(lastPath, positions.get(row), action);
            if (outcome == TouchedRows.Outcome.NEW) {
                kept[m++] = row;
            } else if (outcome == TouchedRows.Outcome.CONFLICT) {
                throw new TarnException(ErrorCode.MERGE_MULTIPLE_SOURCE_ROWS, "Cannot perform MERGE as multiple source rows "
                        + "matched and attempted to modify the same target row in the Delta table (row "
                        + positions.get(row) + " of file " + lastPath + "). By SQL semantics of MERGE, when multiple "
                        + "source rows match on the same target row, the result may be ambiguous as it is unclear which "
                        + "source row should be used to update or delete the matching target row. Preprocess the source "
                        + "table to eliminate the possibility of multiple matches.");
            }
        }
        return m == rows.length ? rows : Arrays.copyOf(kept, m);
    }

    /**
     * The listed rows as a batch of the target's columns: column {@code j} gathered from query column
     * {@code columns[j]} (NULL when -1), cast to the target column's type, and NOT NULL checked.
     */
    private VectorSchemaRoot image(VectorSchemaRoot batch, int[] columns, int[] rows) {
        int m = rows.length;
        VectorSchemaRoot out = Batches.newRoot(target, allocator);
        try {
            for (int j = 0; j < columns.length; j++) {
                FieldVector to = out.getVector(j);
                to.clear();
                if (columns[j] < 0) {
                    to.setInitialCapacity(Math.max(m, 1));
                    to.allocateNew();
                    to.setValueCount(m);
                } else {
                    gather(batch.getVector(columns[j]), queryColumns.get(columns[j]).type(), rows, j, to);
                }
                ResultColumn column = target.get(j);
                if (!column.nullable() && to.getNullCount() > 0) {
                    throw new TarnException(ErrorCode.NOT_NULL_VIOLATION, "Column '" + column.name()
                            + "' of the MERGE target is NOT NULL, but the statement writes NULL into it");
                }
            }
            out.setRowCount(m);
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /** Rows of {@code from} into {@code to}, cast from {@code type} to target column {@code j}'s type. */
    private void gather(FieldVector from, DataType type, int[] rows, int j, FieldVector to) {
        int m = rows.length;
        FieldVector gathered = Selections.copy(List.of(from), rows, allocator).get(0);
        if (TypeMapping.sameType(type, target.get(j).type())) {
            try (gathered) {
                gathered.makeTransferPair(to).transfer();
            }
            return;
        }
        try (VectorSchemaRoot one = new VectorSchemaRoot(List.of(gathered));
             Column cast = new CastExpr(new ColumnRef(0, type), target.get(j).type()).evaluate(withRows(one, m), eval)) {
            transfer(cast, to, m);
        }
    }

    private static VectorSchemaRoot withRows(VectorSchemaRoot root, int rows) {
        root.setRowCount(rows);
        return root;
    }

    private static void transfer(Column column, FieldVector to, int rows) {
        if (column.owned()) {
            column.vector().makeTransferPair(to).transfer();
        } else {
            to.setInitialCapacity(Math.max(rows, 1));
            to.allocateNew();
            for (int i = 0; i < rows; i++) {
                Values.copy(column.vector(), i, to, i);
            }
            to.setValueCount(rows);
        }
    }
}
