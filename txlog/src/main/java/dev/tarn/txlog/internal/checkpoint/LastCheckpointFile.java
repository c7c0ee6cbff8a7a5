package dev.tarn.txlog.internal.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.txlog.LastCheckpoint;
import dev.tarn.txlog.internal.json.ActionJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads and writes {@code _last_checkpoint} (PROTOCOL.md "Last Checkpoint File"). The file is only a hint: a missing,
 * empty or unparsable one is treated as absent, never as an error, because listing the log finds checkpoints too.
 */
public final class LastCheckpointFile {
    public static final String NAME = "_last_checkpoint";
    private static final int MAX_REPLACE_ATTEMPTS = 10;

    private LastCheckpointFile() {}

    public static Optional<LastCheckpoint> read(FileIO io, String logDirectory) {
        String location = logDirectory + "/" + NAME;
        byte[] bytes;
        try {
            if (!io.exists(location)) {
                return Optional.empty();
            }
            bytes = io.newInputFile(location).readAllBytes();
        } catch (TarnException e) {
            return Optional.empty(); // deleted between exists and read, or unreadable: fall back to listing
        }
        try {
            JsonNode n = ActionJson.MAPPER.readTree(new String(bytes, StandardCharsets.UTF_8));
            if (n == null || !n.isObject() || !n.path("version").isIntegralNumber()) {
                return Optional.empty();
            }
            if (n.path("checksum").isTextual() && !n.get("checksum").asText().equals(JsonChecksum.of(n))) {
                return Optional.empty(); // "readers are encouraged to validate the checksum": a torn or edited hint
            }
            JsonNode v2 = n.get("v2Checkpoint");
            return Optional.of(new LastCheckpoint(n.get("version").asLong(), n.path("size").asLong(0),
                    n.path("parts").isIntegralNumber() ? Optional.of(n.get("parts").asInt()) : Optional.empty(),
                    n.path("sizeInBytes").isIntegralNumber() ? Optional.of(n.get("sizeInBytes").asLong()) : Optional.empty(),
                    n.path("numOfAddFiles").isIntegralNumber() ? Optional.of(n.get("numOfAddFiles").asLong()) : Optional.empty(),
                    v2 != null && v2.path("path").isTextual() ? Optional.of(v2.get("path").asText()) : Optional.empty()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Overwrites {@code _last_checkpoint}; written after the checkpoint itself is complete. */
    public static void write(FileIO io, String logDirectory, LastCheckpoint info) {
        write(io, logDirectory, info, null);
    }

    /**
     * Overwrites {@code _last_checkpoint} with {@code info}, the {@code v2Checkpoint} object of a V2 checkpoint
     * (null for none) and the {@code checksum} ("JSON checksum"). Written after the checkpoint itself is complete.
     *
     * <p>Readers never see a partial file: the content appears at once through put-if-absent. Replacing an older
     * hint deletes it first, so a reader may briefly find none and fall back to listing, which is always correct. A
     * newer hint written concurrently is left alone.
     */
    public static void write(FileIO io, String logDirectory, LastCheckpoint info, ObjectNode v2Checkpoint) {
        ObjectNode o = ActionJson.MAPPER.createObjectNode();
        o.put("version", info.version());
        o.put("size", info.size());
        info.parts().ifPresent(p -> o.put("parts", p));
        info.sizeInBytes().ifPresent(s -> o.put("sizeInBytes", s));
        info.numOfAddFiles().ifPresent(s -> o.put("numOfAddFiles", s));
        if (v2Checkpoint != null) {
            o.set("v2Checkpoint", v2Checkpoint);
        }
        o.put("checksum", JsonChecksum.of(o));
        byte[] content;
        try {
            content = ActionJson.MAPPER.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serialize _last_checkpoint", e);
        }
        String location = logDirectory + "/" + NAME;
        for (int attempt = 0; attempt < MAX_REPLACE_ATTEMPTS; attempt++) {
            if (io.createExclusive(location, content)) {
                return;
            }
            Optional<LastCheckpoint> current = read(io, logDirectory);
            if (current.isPresent() && current.get().version() > info.version()) {
                return;
            }
            io.delete(location);
        }
        throw new TarnException(ErrorCode.IO_ERROR, "Could not replace " + location + " after "
                + MAX_REPLACE_ATTEMPTS + " attempts: other writers kept replacing it");
    }
}
