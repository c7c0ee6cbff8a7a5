package dev.tarn.txlog.action;

import java.util.Map;

/** The checkpointMetadata action of a V2 checkpoint (PROTOCOL.md "Checkpoint Metadata"). */
public record CheckpointMetadata(long version, Map<String, String> tags) implements Action {
    public CheckpointMetadata {
        tags = tags == null ? Map.of() : AddFile.copy(tags);
    }

    @Override
    public String actionName() {
        return "checkpointMetadata";
    }
}
