package dev.tarn.txlog.action;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.internal.LogPaths;
import java.util.Map;

/**
 * The remove action (PROTOCOL.md "Add File and Remove File"): a logical delete of a file, kept as a tombstone
 * until vacuum may delete it. Optional fields are null when absent.
 */
public record RemoveFile(String path, Long deletionTimestamp, boolean dataChange, Boolean extendedFileMetadata,
                         Map<String, String> partitionValues, Long size, Map<String, String> tags,
                         DeletionVectorDescriptor deletionVector, Long baseRowId, Long defaultRowCommitVersion,
                         String stats) implements Action {

    public RemoveFile {
        requireNonNull(path, "path is null");
        partitionValues = partitionValues == null ? null : AddFile.copy(partitionValues);
        tags = tags == null ? Map.of() : AddFile.copy(tags);
    }

    @Override
    public String actionName() {
        return "remove";
    }

    public String decodedPath() {
        return LogPaths.decode(path);
    }

    public String deletionVectorUniqueId() {
        return deletionVector == null ? null : deletionVector.uniqueId();
    }
}
