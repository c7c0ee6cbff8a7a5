package dev.tarn.query.internal.write;

import dev.tarn.storage.fs.FileIO;
import dev.tarn.txlog.action.AddFile;
import java.util.List;

/**
 * Data files written but not yet committed.
 *
 * @param adds one add action per file, paths relative to the table
 * @param absoluteLocations the same files' locations, for cleanup when the commit does not happen
 * @param rows rows written
 * @param bytes bytes written
 * @param identityHighWaterMarks the table schema with the identity high-water marks advanced by the values the
 *     writer assigned, when it assigned any: commit it with {@link WriteChecks#recordHighWaterMarks}
 */
public record WrittenFiles(List<AddFile> adds, List<String> absoluteLocations, long rows, long bytes,
                           java.util.Optional<dev.tarn.txlog.types.StructType> identityHighWaterMarks) {
    public WrittenFiles {
        adds = List.copyOf(adds);
        absoluteLocations = List.copyOf(absoluteLocations);
        java.util.Objects.requireNonNull(identityHighWaterMarks, "identityHighWaterMarks is null");
    }

    public WrittenFiles(List<AddFile> adds, List<String> absoluteLocations, long rows, long bytes) {
        this(adds, absoluteLocations, rows, bytes, java.util.Optional.empty());
    }

    /** Deletes the files; used when the statement fails before or during its commit. */
    public void delete(FileIO io) {
        for (String location : absoluteLocations) {
            try {
                io.delete(location);
            } catch (RuntimeException e) {
                // Best effort: an uncommitted file is invisible to readers and VACUUM removes it later.
            }
        }
    }
}
