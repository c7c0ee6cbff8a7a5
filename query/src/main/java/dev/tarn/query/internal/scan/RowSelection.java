package dev.tarn.query.internal.scan;

import static java.util.Objects.requireNonNull;

import dev.tarn.storage.deletionvector.RoaringBitmapArray;
import org.apache.arrow.vector.BigIntVector;

/**
 * Which rows of one data file a scan returns, by their position in the file (the reader's row-index column): all
 * but those a deletion vector marks for a table scan; for change data also "only these rows" (rows a new deletion
 * vector deletes, or an old one no longer deletes).
 */
public interface RowSelection {
    /**
     * Writes the batch positions of the rows to keep into {@code keep} (ascending) and returns how many there are.
     *
     * @param rowIndexes each batch row's position in the file
     */
    int select(BigIntVector rowIndexes, int[] keep);

    /** Every row except those in {@code deleted} (a deletion vector). */
    static RowSelection dropping(RoaringBitmapArray deleted) {
        requireNonNull(deleted, "deleted is null");
        return (rowIndexes, keep) -> {
            int rows = rowIndexes.getValueCount();
            if (rows == 0) {
                return 0;
            }
            long first = rowIndexes.get(0);
            if (rowIndexes.get(rows - 1) == first + rows - 1) {
                // Contiguous positions (the common case): one pass over the deleted values in range.
                return deleted.selectSurvivors(first, rows, keep);
            }
            return deleted.selectSurvivors(rowIndexes, keep);
        };
    }

    /** Only the rows in {@code rows}. */
    static RowSelection keepingOnly(RoaringBitmapArray rows) {
        requireNonNull(rows, "rows is null");
        return (rowIndexes, keep) -> {
            int n = 0;
            int count = rowIndexes.getValueCount();
            for (int r = 0; r < count; r++) {
                if (rows.contains(rowIndexes.get(r))) {
                    keep[n++] = r;
                }
            }
            return n;
        };
    }
}
