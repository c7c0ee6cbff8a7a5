package dev.tarn.maintenance;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.Checkpoints;
import dev.tarn.txlog.LastCheckpoint;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import java.util.Optional;

/**
 * Writes a checkpoint of a table's latest version so readers replay one Parquet file instead of every JSON commit
 * (PROTOCOL.md "Checkpoints"). Idempotent: when {@code _last_checkpoint} already names the latest version, nothing is
 * written and the result says why. Safe to run concurrently with writers: a checkpoint only summarizes a committed
 * version and never changes the table's contents.
 */
public final class CheckpointTask {
    private final TableLog log;

    public CheckpointTask(TableLog log) {
        this.log = requireNonNull(log, "log is null");
    }

    public CheckpointResult run() {
        long started = System.nanoTime();
        Snapshot snapshot = log.latestSnapshot();
        Optional<LastCheckpoint> existing = log.readLastCheckpoint();
        if (existing.isPresent() && existing.get().version() == snapshot.version()
                && log.fileIO().exists(checkpointLocation(snapshot.version()))) {
            return CheckpointResult.skipped(log.location(), snapshot.version(),
                    "version " + snapshot.version() + " is already checkpointed", elapsedMillis(started));
        }
        LastCheckpoint written = Checkpoints.writeClassic(log.fileIO(), snapshot);
        return CheckpointResult.written(log.location(), written.version(), written.size(),
                written.sizeInBytes().orElse(-1L), snapshot.activeFiles().size(), elapsedMillis(started));
    }

    private String checkpointLocation(long version) {
        return log.logDirectory() + "/" + String.format("%020d.checkpoint.parquet", version);
    }

    private static long elapsedMillis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
