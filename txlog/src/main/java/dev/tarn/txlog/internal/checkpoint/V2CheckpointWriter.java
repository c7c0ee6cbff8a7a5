package dev.tarn.txlog.internal.checkpoint;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.FileEntry;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.txlog.LastCheckpoint;
import dev.tarn.txlog.action.Action;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.CheckpointMetadata;
import dev.tarn.txlog.action.RemoveFile;
import dev.tarn.txlog.action.Sidecar;
import dev.tarn.txlog.internal.json.ActionJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Writes a UUID-named V2 checkpoint (PROTOCOL.md "V2 Spec", "UUID-named checkpoint", "Sidecar Files"): the add and
 * remove actions go to Parquet sidecar files in {@code _delta_log/_sidecars/}, then the top-level file
 * {@code <version>.checkpoint.<uuid>.json} (or {@code .parquet}) holds the one {@code checkpointMetadata} action,
 * a {@code sidecar} action per sidecar and every non-file action. Every file gets a fresh UUID name and is
 * published with put-if-absent, and the top-level file is written last, so a reader never sees a checkpoint whose
 * sidecars are missing. {@code _last_checkpoint} then carries the {@code v2Checkpoint} object as delta-spark
 * writes it: the top-level file's name, size and modification time, and, while they are few, the non-file actions
 * and the sidecar files.
 */
public final class V2CheckpointWriter {
    /** delta-spark embeds non-file actions and sidecar lists in {@code _last_checkpoint} only up to this many. */
    private static final int LAST_CHECKPOINT_EMBED_LIMIT = 30;

    private V2CheckpointWriter() {}

    /**
     * @param nonFileActions protocol, metaData, txn and domainMetadata actions
     * @param fileActions active adds and retained tombstones
     * @param parquetTopLevel write the top-level file as Parquet instead of JSON
     * @param actionsPerSidecar the most file actions one sidecar holds (at least 1)
     */
    public static LastCheckpoint write(FileIO io, String logDirectory, long version, List<Action> nonFileActions,
                                       List<Action> fileActions, boolean parquetTopLevel, int actionsPerSidecar) {
        if (actionsPerSidecar < 1) {
            throw new IllegalArgumentException("actionsPerSidecar must be positive, got " + actionsPerSidecar);
        }
        String sidecarDirectory = logDirectory + "/" + CheckpointReader.SIDECAR_DIRECTORY;
        Schema sidecarSchema = new Schema(List.of(CheckpointSchema.add(), CheckpointSchema.remove()));
        int parts = (fileActions.size() + actionsPerSidecar - 1) / actionsPerSidecar;
        List<String> sidecarNames = new ArrayList<>();
        long totalBytes = 0;
        for (int part = 0; part < parts; part++) {
            List<Action> slice = fileActions.subList(part * actionsPerSidecar,
                    Math.min(fileActions.size(), (part + 1) * actionsPerSidecar));
            String name = String.format("%020d.checkpoint.%010d.%010d.%s.parquet", version, part + 1, parts,
                    UUID.randomUUID());
            long size = CheckpointWriter.write(io, sidecarDirectory + "/" + name, sidecarSchema, slice);
            if (size < 0) {
                throw new TarnException(ErrorCode.IO_ERROR, "Sidecar " + sidecarDirectory + "/" + name
                        + " already exists although its name holds a fresh UUID");
            }
            sidecarNames.add(name);
            totalBytes += size;
        }
        List<Sidecar> sidecars = new ArrayList<>();
        if (!sidecarNames.isEmpty()) {
            Map<String, FileEntry> listed = new java.util.HashMap<>();
            io.list(sidecarDirectory).forEach(e -> listed.put(e.name(), e));
            for (String name : sidecarNames) {
                FileEntry e = listed.get(name);
                if (e == null) {
                    throw new TarnException(ErrorCode.IO_ERROR, "Sidecar " + sidecarDirectory + "/" + name
                            + " vanished right after it was written");
                }
                sidecars.add(new Sidecar(name, e.size(), e.modificationTimeMillis(), null));
            }
        }

        List<Action> topLevel = new ArrayList<>();
        CheckpointMetadata checkpointMetadata = new CheckpointMetadata(version, null);
        topLevel.add(checkpointMetadata);
        topLevel.addAll(sidecars);
        topLevel.addAll(nonFileActions);
        String name = String.format("%020d.checkpoint.%s.%s", version, UUID.randomUUID(),
                parquetTopLevel ? "parquet" : "json");
        String location = logDirectory + "/" + name;
        long topSize;
        if (parquetTopLevel) {
            List<Field> fields = new ArrayList<>(CheckpointSchema.writeSchema().getFields());
            fields.add(CheckpointSchema.checkpointMetadata());
            fields.add(CheckpointSchema.sidecar());
            topSize = CheckpointWriter.write(io, location, new Schema(fields), topLevel);
        } else {
            StringBuilder sb = new StringBuilder();
            for (Action a : topLevel) {
                sb.append(ActionJson.toLine(a)).append('\n');
            }
            byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
            topSize = io.createExclusive(location, bytes) ? bytes.length : -1;
        }
        if (topSize < 0) {
            throw new TarnException(ErrorCode.IO_ERROR, "Checkpoint " + location
                    + " already exists although its name holds a fresh UUID");
        }
        totalBytes += topSize;
        long topModified = io.list(logDirectory).stream().filter(e -> e.name().equals(name))
                .mapToLong(FileEntry::modificationTimeMillis).findFirst().orElse(System.currentTimeMillis());

        ObjectNode v2 = ActionJson.MAPPER.createObjectNode();
        v2.put("path", name);
        v2.put("sizeInBytes", topSize);
        v2.put("modificationTime", topModified);
        List<Action> embedded = new ArrayList<>(nonFileActions);
        embedded.add(checkpointMetadata);
        if (embedded.size() <= LAST_CHECKPOINT_EMBED_LIMIT) {
            ArrayNode actions = v2.putArray("nonFileActions");
            for (Action a : embedded) {
                actions.addObject().set(a.actionName(), ActionJson.toNode(a));
            }
        }
        if (sidecars.size() <= LAST_CHECKPOINT_EMBED_LIMIT) {
            ArrayNode files = v2.putArray("sidecarFiles");
            for (Sidecar s : sidecars) {
                files.addObject().put("path", s.path()).put("sizeInBytes", s.sizeInBytes())
                        .put("modificationTime", s.modificationTime());
            }
        }
        long adds = fileActions.stream().filter(a -> a instanceof AddFile).count();
        long size = topLevel.size() + fileActions.size();
        LastCheckpoint info = new LastCheckpoint(version, size, Optional.empty(), Optional.of(totalBytes),
                Optional.of(adds), Optional.of(name));
        Optional<LastCheckpoint> current = LastCheckpointFile.read(io, logDirectory);
        if (current.isEmpty() || current.get().version() <= version) {
            LastCheckpointFile.write(io, logDirectory, info, v2);
        }
        return info;
    }

    /** Whether an action belongs in sidecars (PROTOCOL.md "V2 Spec": add and remove file actions). */
    public static boolean isFileAction(Action a) {
        return a instanceof AddFile || a instanceof RemoveFile;
    }
}
