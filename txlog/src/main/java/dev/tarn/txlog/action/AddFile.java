package dev.tarn.txlog.action;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.internal.LogPaths;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The add action (PROTOCOL.md "Add File and Remove File"): a data file that is part of the table.
 *
 * @param path URI-encoded, relative to the table root or absolute
 * @param partitionValues serialized partition values by partition column (physical name under column mapping);
 *                        a null value means a null partition value
 * @param stats the statistics JSON ("Per-file Statistics"), or null
 * @param tags null-free, possibly empty
 * @param deletionVector null when the file has no deletion vector
 * @param baseRowId null unless row tracking assigned one ("Row Tracking")
 * @param defaultRowCommitVersion null unless row tracking assigned one
 * @param clusteringProvider null unless the file was written by clustering ("Clustered Table")
 */
public record AddFile(String path, Map<String, String> partitionValues, long size, long modificationTime,
                      boolean dataChange, String stats, Map<String, String> tags,
                      DeletionVectorDescriptor deletionVector, Long baseRowId, Long defaultRowCommitVersion,
                      String clusteringProvider) implements Action {

    public AddFile {
        requireNonNull(path, "path is null");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("path is empty");
        }
        partitionValues = copy(requireNonNull(partitionValues, "partitionValues is null"));
        tags = tags == null ? Map.of() : copy(tags);
        if (size < 0) {
            throw new IllegalArgumentException("size is negative: " + size);
        }
    }

    /** An add for a new file without deletion vector, row tracking or tags. */
    public static AddFile create(String relativePath, Map<String, String> partitionValues, long size,
                                 long modificationTime, boolean dataChange, String statsJson) {
        return new AddFile(relativePath, partitionValues, size, modificationTime, dataChange, statsJson, Map.of(),
                null, null, null, null);
    }

    static Map<String, String> copy(Map<String, String> map) {
        if (map.isEmpty()) {
            return Map.of(); // most files: no partition values or tags, so no map per file
        }
        // LinkedHashMap: partition values may be null (a null partition), which Map.copyOf rejects.
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    @Override
    public String actionName() {
        return "add";
    }

    /** The URI-decoded path. */
    public String decodedPath() {
        return LogPaths.decode(path);
    }

    public java.util.Optional<DeletionVectorDescriptor> deletionVectorDescriptor() {
        return java.util.Optional.ofNullable(deletionVector);
    }

    /** The DV unique id or null, the second half of the reconciliation key ("Action Reconciliation"). */
    public String deletionVectorUniqueId() {
        return deletionVector == null ? null : deletionVector.uniqueId();
    }

    public AddFile withDeletionVector(DeletionVectorDescriptor dv) {
        return new AddFile(path, partitionValues, size, modificationTime, true, stats, tags, dv, baseRowId,
                defaultRowCommitVersion, clusteringProvider);
    }

    public AddFile withDataChange(boolean newDataChange) {
        return new AddFile(path, partitionValues, size, modificationTime, newDataChange, stats, tags, deletionVector,
                baseRowId, defaultRowCommitVersion, clusteringProvider);
    }

    public AddFile withRowTracking(Long newBaseRowId, Long newDefaultRowCommitVersion) {
        return new AddFile(path, partitionValues, size, modificationTime, dataChange, stats, tags, deletionVector,
                newBaseRowId, newDefaultRowCommitVersion, clusteringProvider);
    }

    /**
     * A remove action for this file (logical delete), carrying its partition values, size, stats and DV so the
     * tombstone has "extended file metadata".
     */
    public RemoveFile toRemove(long deletionTimestamp, boolean removeDataChange) {
        return new RemoveFile(path, deletionTimestamp, removeDataChange, true, partitionValues, size, tags,
                deletionVector, baseRowId, defaultRowCommitVersion, stats);
    }
}
