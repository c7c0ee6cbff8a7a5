package dev.tarn.shell.internal;

import dev.tarn.query.QueryResult;
import java.io.IOException;

/** Writes statement outcomes in one output format. */
public interface ResultRenderer {
    /** Writes every row of a {@link QueryResult.Kind#ROWS} result, reading its batches to the end. */
    void renderRows(QueryResult result, Appendable out) throws IOException;

    /**
     * Writes what a statement without rows reports. csv and jsonl write nothing, so their output stays pure data.
     */
    void renderNoRows(QueryResult result, Appendable out) throws IOException;
}
