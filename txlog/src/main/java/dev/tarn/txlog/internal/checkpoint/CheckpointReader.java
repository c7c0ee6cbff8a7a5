package dev.tarn.txlog.internal.checkpoint;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.txlog.action.Action;
import dev.tarn.txlog.action.Sidecar;
import dev.tarn.txlog.internal.LogPaths;
import dev.tarn.txlog.internal.json.ActionJson;
import dev.tarn.txlog.internal.replay.AddColumns;
import dev.tarn.txlog.internal.replay.CheckpointInstance;
import dev.tarn.txlog.internal.replay.LogFile;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads every action of a checkpoint (PROTOCOL.md "Checkpoints"): a classic or multi-part Parquet checkpoint
 * ("V1 Spec"), or a V2 checkpoint ("V2 Spec") whose top-level file (JSON or Parquet) holds the non-file actions and
 * {@code sidecar} actions naming Parquet files in {@code _delta_log/_sidecars/} that hold the add and remove actions
 * ("Sidecar Files"). A V2-spec checkpoint may also sit under a classic name, so sidecars are followed wherever they
 * appear.
 */
public final class CheckpointReader {
    public static final String SIDECAR_DIRECTORY = "_sidecars";

    private CheckpointReader() {}

    public static void read(FileIO io, String tableLocation, String logDirectory, CheckpointInstance checkpoint,
                            Consumer<Action> sink) {
        read(io, tableLocation, logDirectory, checkpoint, sink, null);
    }

    /**
     * Like {@link #read(FileIO, String, String, CheckpointInstance, Consumer)}, appending the well-formed add rows
     * of Parquet parts and sidecars to {@code adds} by column instead of passing records to the sink (when not
     * null; see {@link ParquetCheckpoints#readActions(FileIO, String, Consumer, AddColumns.Builder)}).
     */
    public static void read(FileIO io, String tableLocation, String logDirectory, CheckpointInstance checkpoint,
                            Consumer<Action> sink, AddColumns.Builder adds) {
        List<Sidecar> sidecars = new ArrayList<>();
        Consumer<Action> topLevel = a -> {
            if (a instanceof Sidecar s) {
                sidecars.add(s);
            } else {
                sink.accept(a);
            }
        };
        for (LogFile f : checkpoint.files()) {
            if (!io.exists(f.location())) {
                throw new TarnException(ErrorCode.MISSING_CHECKPOINT_PART, "Checkpoint file " + f.location()
                        + " of version " + checkpoint.version() + " disappeared while reading table " + tableLocation);
            }
            if (f.kind() == LogFile.Kind.UUID_CHECKPOINT_JSON) {
                ActionJson.parseFile(io.newInputFile(f.location()).readAllBytes(), f.location()).forEach(topLevel);
            } else {
                ParquetCheckpoints.readActions(io, f.location(), topLevel, adds);
            }
        }
        for (Sidecar s : sidecars) {
            String decoded = LogPaths.decode(s.path());
            String location = LogPaths.isAbsolute(decoded) ? decoded
                    : logDirectory + "/" + SIDECAR_DIRECTORY + "/" + decoded;
            if (!io.exists(location)) {
                throw new TarnException(ErrorCode.MISSING_CHECKPOINT_PART, "Sidecar file " + location
                        + " named by the V2 checkpoint at version " + checkpoint.version() + " of table "
                        + tableLocation + " does not exist");
            }
            ParquetCheckpoints.readActions(io, location, a -> {
                if (!(a instanceof Sidecar)) {
                    sink.accept(a);
                }
            }, adds);
        }
    }
}
