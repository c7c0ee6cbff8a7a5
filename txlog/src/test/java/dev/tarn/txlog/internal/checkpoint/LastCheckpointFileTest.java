package dev.tarn.txlog.internal.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.testdata.FaultInjectingFileIO;
import dev.tarn.testdata.FaultInjectingFileIO.Operation;
import dev.tarn.txlog.LastCheckpoint;
import dev.tarn.txlog.internal.json.ActionJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code _last_checkpoint}: written whole (never through an overwriting stream), checksummed, never regressed. */
class LastCheckpointFileTest {
    @TempDir
    Path dir;

    private static LastCheckpoint info(long version) {
        return new LastCheckpoint(version, 3, Optional.empty(), Optional.of(100L), Optional.of(1L), Optional.empty());
    }

    @Test
    void replacesTheHintWithoutAnOverwritingStream() throws Exception {
        // Overwriting in place could expose a partial file; every write must go through put-if-absent.
        FaultInjectingFileIO io = new FaultInjectingFileIO(new LocalFileIO()).failWhen(Operation.WRITE, l -> true);
        LastCheckpointFile.write(io, dir.toString(), info(1));
        LastCheckpointFile.write(io, dir.toString(), info(2));
        assertEquals(2, LastCheckpointFile.read(io, dir.toString()).orElseThrow().version());
        JsonNode json = ActionJson.MAPPER.readTree(Files.readString(dir.resolve("_last_checkpoint")));
        assertEquals(JsonChecksum.of(json), json.get("checksum").asText());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void aNewerHintIsKept() {
        LocalFileIO io = new LocalFileIO();
        LastCheckpointFile.write(io, dir.toString(), info(5));
        LastCheckpointFile.write(io, dir.toString(), info(3));
        assertEquals(5, LastCheckpointFile.read(io, dir.toString()).orElseThrow().version());
    }

    @Test
    void aHintWhoseChecksumDoesNotMatchIsIgnored() throws Exception {
        LocalFileIO io = new LocalFileIO();
        LastCheckpointFile.write(io, dir.toString(), info(5));
        Path file = dir.resolve("_last_checkpoint");
        Files.writeString(file, Files.readString(file).replace("\"version\":5", "\"version\":6"));
        assertTrue(LastCheckpointFile.read(io, dir.toString()).isEmpty());
    }
}
