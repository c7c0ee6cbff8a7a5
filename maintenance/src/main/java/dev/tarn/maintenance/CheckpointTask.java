package dev.tarn.maintenance;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.Checkpoints;
import dev.tarn.txlog.LastCheckpoint;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;

/**
 * Writes a checkpoint (classic, or V2 when {@code delta.checkpointPolicy} is {@code v2}) of a table's latest version so readers replay one Parquet file instead of every JSON commit
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
        // The snapshot was rebuilt from a checkpoint of its own version: one exists and is readable.
        if (snapshot.checkpointVersion() == snapshot.version()) {
            return CheckpointResult.skipped(log.location(), snapshot.version(),
                    "version " + snapshot.version() + " is already checkpointed", elapsedMillis(started));
        }
        LastCheckpoint written = Checkpoints.write(log.fileIO(), snapshot);
        return CheckpointResult.written(log.location(), written.version(), written.size(),
                written.sizeInBytes().orElse(-1L), snapshot.activeFiles().size(), elapsedMillis(started));
    }

    private static long elapsedMillis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
