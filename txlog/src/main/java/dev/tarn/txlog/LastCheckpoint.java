package dev.tarn.txlog;

import java.util.Optional;

/**
 * The content of {@code _delta_log/_last_checkpoint} (PROTOCOL.md "Last Checkpoint File Schema"): a hint naming the
 * newest checkpoint. Readers use it when valid and fall back to listing when it is missing, empty or corrupt.
 *
 * @param size the number of actions in the checkpoint
 */
public record LastCheckpoint(long version, long size, Optional<Integer> parts, Optional<Long> sizeInBytes,
                             Optional<Long> numOfAddFiles, Optional<String> v2CheckpointPath) {
    public LastCheckpoint {
        if (version < 0) {
            throw new IllegalArgumentException("version is negative: " + version);
        }
        java.util.Objects.requireNonNull(parts, "parts is null");
        java.util.Objects.requireNonNull(sizeInBytes, "sizeInBytes is null");
        java.util.Objects.requireNonNull(numOfAddFiles, "numOfAddFiles is null");
        java.util.Objects.requireNonNull(v2CheckpointPath, "v2CheckpointPath is null");
    }
}
