package dev.tarn.txlog.action;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * The sidecar action of a V2 checkpoint (PROTOCOL.md "Sidecar File Information"): a Parquet file in
 * {@code _delta_log/_sidecars/} holding some of the checkpoint's add and remove actions. {@code path} is a URI,
 * relative to {@code _delta_log/_sidecars/} or absolute.
 */
public record Sidecar(String path, long sizeInBytes, long modificationTime, Map<String, String> tags)
        implements Action {
    public Sidecar {
        requireNonNull(path, "path is null");
        tags = tags == null ? Map.of() : AddFile.copy(tags);
    }

    @Override
    public String actionName() {
        return "sidecar";
    }
}
