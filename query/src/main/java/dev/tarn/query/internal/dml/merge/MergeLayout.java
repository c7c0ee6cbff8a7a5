package dev.tarn.query.internal.dml.merge;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.dml.merge.MergeSpec.Match;
import java.util.List;

/**
 * Where the joined query's columns are: the clause conditions, whether each side of a joined row exists, the target
 * row's file and position (and row id under row tracking), the target row as it was, and for every UPDATE or INSERT
 * clause the query columns holding each target column's new value.
 *
 * @param target the target's columns after the statement (schema evolution appends source columns)
 * @param clauses the WHEN clauses in statement order
 * @param targetPresent BOOLEAN column: the joined row has a target row
 * @param sourcePresent BOOLEAN column: the joined row has a source row
 * @param filePath the target row's data file ({@code _metadata.file_path})
 * @param rowIndex the target row's position in that file ({@code _metadata.row_index})
 * @param rowId the target row's stable row id, or -1 without row tracking
 * @param oldImage per target column, the column holding the target row's value (present with the change data
 *     feed, which records old rows), or -1 (no change data, or a column the statement adds: NULL in every old row)
 */
record MergeLayout(List<ResultColumn> target, List<ClauseLayout> clauses, int targetPresent, int sourcePresent,
                   int filePath, int rowIndex, int rowId, int[] oldImage) {
    MergeLayout {
        target = List.copyOf(target);
        clauses = List.copyOf(clauses);
        oldImage = oldImage.clone();
        if (oldImage.length != target.size()) {
            throw new IllegalArgumentException("old image has " + oldImage.length + " columns, target " + target.size());
        }
    }

    /** What a clause does. */
    enum Kind { UPDATE, DELETE, INSERT }

    /**
     * One clause.
     *
     * @param condition the BOOLEAN (never NULL) column of its AND condition, or -1 when it has none
     * @param image per target column the column holding the new value, or -1 for NULL; empty for DELETE
     * @param description the clause as SQL-ish text for operation parameters and messages
     */
    record ClauseLayout(Match match, Kind kind, int condition, int[] image, String description) {
        ClauseLayout {
            requireNonNull(match, "match is null");
            requireNonNull(kind, "kind is null");
            image = image.clone();
            requireNonNull(description, "description is null");
            if ((kind == Kind.DELETE) != (image.length == 0)) {
                throw new IllegalArgumentException("only DELETE clauses have no new image");
            }
        }

        @Override
        public int[] image() {
            return image.clone();
        }
    }

    @Override
    public int[] oldImage() {
        return oldImage.clone();
    }
}
