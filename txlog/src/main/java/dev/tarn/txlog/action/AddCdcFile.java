package dev.tarn.txlog.action;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** The cdc action (PROTOCOL.md "Add CDC File"): a change data file of one commit; not part of the table state. */
public record AddCdcFile(String path, Map<String, String> partitionValues, long size, boolean dataChange,
                         Map<String, String> tags) implements Action {
    public AddCdcFile {
        requireNonNull(path, "path is null");
        partitionValues = AddFile.copy(requireNonNull(partitionValues, "partitionValues is null"));
        tags = tags == null ? Map.of() : AddFile.copy(tags);
    }

    @Override
    public String actionName() {
        return "cdc";
    }
}
