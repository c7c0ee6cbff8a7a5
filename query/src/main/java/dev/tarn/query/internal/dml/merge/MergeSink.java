package dev.tarn.query.internal.dml.merge;

import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Where the classified rows of a MERGE go. Batches passed in belong to the caller and are valid only during the
 * call; their columns follow the target's columns (after schema evolution), cast and NOT NULL checked. The writer
 * behind it records inserted rows as {@code insert} and updated rows as {@code update_postimage} change data itself.
 */
interface MergeSink {
    /** Kinds of old row images (PROTOCOL.md "Change Data Files", {@code _change_type}). */
    enum OldImage { DELETE, UPDATE_PREIMAGE }

    /** Inserted rows (fresh row ids under row tracking). */
    void insert(VectorSchemaRoot rows);

    /** New versions of updated rows, keeping their original row ids ({@code rowIds} null without row tracking). */
    void insertUpdated(VectorSchemaRoot rows, BigIntVector rowIds);

    /** The rows as they were before a DELETE or UPDATE (only called with the change data feed enabled). */
    void oldImages(VectorSchemaRoot rows, OldImage kind);
}
