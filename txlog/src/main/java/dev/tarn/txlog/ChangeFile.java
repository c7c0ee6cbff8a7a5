package dev.tarn.txlog;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.action.DeletionVectorDescriptor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One file a change-data reader reads for one commit (PROTOCOL.md "Reader Requirements for AddCDCFile", "Change
 * Data Files"), and how its rows become change rows:
 * <ul>
 *   <li>{@link Kind#CHANGE_DATA}: a {@code cdc} file under {@code _change_data/}; every row is a change and carries
 *       its type in the {@code _change_type} column ({@code insert}, {@code delete}, {@code update_preimage},
 *       {@code update_postimage}). Partition columns come from {@link #partitionValues()}.</li>
 *   <li>{@link Kind#ADDED}: an {@code add} with {@code dataChange=true} in a commit without cdc files: its rows,
 *       except those {@link #deletionVector()} marks, are {@code insert}s.</li>
 *   <li>{@link Kind#REMOVED}: a {@code remove} with {@code dataChange=true} in such a commit: its rows, except those
 *       {@link #deletionVector()} already marked before the remove, are {@code delete}s.</li>
 *   <li>{@link Kind#DELETION_VECTOR_CHANGED}: an {@code add} and a {@code remove} of the same file in such a commit
 *       whose deletion vectors differ (PROTOCOL.md "Deletion Vectors": the file's rows did not change, only which
 *       are deleted): rows in {@link #deletionVector()} but not in {@link #previousDeletionVector()} are
 *       {@code delete}s, rows in the previous one but not the new one are {@code insert}s. Either may be null (no
 *       rows deleted).</li>
 * </ul>
 *
 * @param path the path as the log stores it (URI-encoded, relative to the table or absolute)
 * @param location the absolute location to read
 * @param partitionValues serialized partition values by physical partition column name
 * @param deletionVector see the kinds; null when none
 * @param previousDeletionVector the removed entry's deletion vector, {@link Kind#DELETION_VECTOR_CHANGED} only
 * @param stats the add's or remove's statistics JSON, null for cdc files or when absent
 */
public record ChangeFile(Kind kind, String path, String location, Map<String, String> partitionValues, long size,
                         DeletionVectorDescriptor deletionVector, DeletionVectorDescriptor previousDeletionVector,
                         String stats) {

    public enum Kind { CHANGE_DATA, ADDED, REMOVED, DELETION_VECTOR_CHANGED }

    /** The column of change data files that holds each row's change type. */
    public static final String CHANGE_TYPE_COLUMN = "_change_type";

    public ChangeFile {
        requireNonNull(kind, "kind is null");
        requireNonNull(path, "path is null");
        requireNonNull(location, "location is null");
        // LinkedHashMap: a null partition value is a null partition, which Map.copyOf rejects.
        partitionValues = Collections.unmodifiableMap(new LinkedHashMap<>(
                requireNonNull(partitionValues, "partitionValues is null")));
        if (size < 0) {
            throw new IllegalArgumentException("size is negative: " + size);
        }
        if (previousDeletionVector != null && kind != Kind.DELETION_VECTOR_CHANGED) {
            throw new IllegalArgumentException("only a " + Kind.DELETION_VECTOR_CHANGED
                    + " change has a previous deletion vector");
        }
    }
}
