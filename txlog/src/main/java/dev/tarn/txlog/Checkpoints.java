package dev.tarn.txlog;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.txlog.action.Action;
import dev.tarn.txlog.action.CheckpointMetadata;
import dev.tarn.txlog.action.RemoveFile;
import dev.tarn.txlog.internal.checkpoint.CheckpointSchema;
import dev.tarn.txlog.internal.checkpoint.CheckpointWriter;
import dev.tarn.txlog.internal.checkpoint.LastCheckpointFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Checkpoint writing (PROTOCOL.md "Checkpoints"). Tarn writes classic single-file Parquet checkpoints
 * ({@code <version>.checkpoint.parquet}); on tables with the {@code v2Checkpoint} feature the same file carries a
 * {@code checkpointMetadata} row, which makes it a V2-spec checkpoint under the classic name (allowed by
 * "Allowed combinations for checkpoint spec <-> checkpoint file naming"). {@code _last_checkpoint} is updated after.
 */
public final class Checkpoints {
    /** Default of {@code delta.checkpointInterval}. */
    public static final int DEFAULT_INTERVAL = 10;
    private static final long DEFAULT_TOMBSTONE_RETENTION_MS = TimeUnit.DAYS.toMillis(7);
    private static final Pattern INTERVAL = Pattern.compile(
            "(?i)\\s*(?:interval\\s+)?(\\d+)\\s*(second|seconds|minute|minutes|hour|hours|day|days|week|weeks)\\s*");

    private Checkpoints() {}

    /** Writes a classic checkpoint of the snapshot, then {@code _last_checkpoint}; returns what it recorded. */
    public static LastCheckpoint writeClassic(FileIO io, Snapshot snapshot) {
        requireNonNull(io, "io is null");
        requireNonNull(snapshot, "snapshot is null");
        String published = snapshot.tableLog().logDirectory() + "/" + String.format("%020d.json", snapshot.version());
        if (snapshot.tableLog().catalog().isPresent() && !io.exists(published)) {
            // "Maintenance Operations on Catalog-managed Tables": only published versions may be checkpointed.
            throw new TarnException(ErrorCode.UNSUPPORTED_FEATURE, "Cannot checkpoint version " + snapshot.version()
                    + " of catalog-managed table " + snapshot.tableLog().location() + ": it is not published to "
                    + published + " yet");
        }
        boolean v2 = snapshot.protocol().supportsWriterFeature("v2Checkpoint");
        List<Action> actions = new ArrayList<>();
        actions.add(snapshot.protocol());
        actions.add(snapshot.metadata());
        if (v2) {
            actions.add(new CheckpointMetadata(snapshot.version(), null));
        }
        actions.addAll(snapshot.setTransactions().values());
        actions.addAll(snapshot.domainMetadata().values());
        actions.addAll(snapshot.activeFiles());
        // Tombstones are kept until the retention period ends, so vacuum still sees them (PROTOCOL.md "Checkpoints").
        long cutoff = System.currentTimeMillis() - tombstoneRetentionMillis(snapshot);
        for (RemoveFile r : snapshot.tombstones()) {
            if (r.deletionTimestamp() == null || r.deletionTimestamp() > cutoff) {
                actions.add(r);
            }
        }
        List<Field> fields = new ArrayList<>(CheckpointSchema.writeSchema().getFields());
        if (v2) {
            fields.add(CheckpointSchema.checkpointMetadata());
        }
        String logDirectory = snapshot.tableLog().logDirectory();
        String location = logDirectory + "/" + String.format("%020d.checkpoint.parquet", snapshot.version());
        long size = CheckpointWriter.write(io, location, new Schema(fields), actions);
        if (size < 0) {
            size = io.newInputFile(location).length();
        }
        LastCheckpoint info = new LastCheckpoint(snapshot.version(), actions.size(), Optional.empty(),
                Optional.of(size), Optional.of((long) snapshot.activeFiles().size()), Optional.empty());
        Optional<LastCheckpoint> current = LastCheckpointFile.read(io, logDirectory);
        if (current.isEmpty() || current.get().version() <= snapshot.version()) {
            LastCheckpointFile.write(io, logDirectory, info);
        }
        return info;
    }

    /** The checkpoint interval of a table ({@code delta.checkpointInterval}, default 10). */
    public static int interval(Snapshot snapshot) {
        String v = snapshot.configuration().get("delta.checkpointInterval");
        if (v == null) {
            return DEFAULT_INTERVAL;
        }
        try {
            int i = Integer.parseInt(v.trim());
            return i > 0 ? i : DEFAULT_INTERVAL;
        } catch (NumberFormatException e) {
            return DEFAULT_INTERVAL;
        }
    }

    /**
     * Post-commit work: a checkpoint when the version is a multiple of the interval. The commit is already durable,
     * so a failed checkpoint is not the commit's failure: it is returned for the caller to report, and the next
     * interval tries again.
     */
    static Optional<TarnException> afterCommit(FileIO io, Snapshot snapshot) {
        if (snapshot.version() == 0 || snapshot.version() % interval(snapshot) != 0) {
            return Optional.empty();
        }
        try {
            writeClassic(io, snapshot);
            return Optional.empty();
        } catch (TarnException e) {
            return Optional.of(e);
        }
    }

    static long tombstoneRetentionMillis(Snapshot snapshot) {
        String v = snapshot.configuration().get("delta.deletedFileRetentionDuration");
        if (v == null) {
            return DEFAULT_TOMBSTONE_RETENTION_MS;
        }
        Matcher m = INTERVAL.matcher(v);
        if (!m.matches()) {
            return DEFAULT_TOMBSTONE_RETENTION_MS;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        if (unit.startsWith("second")) {
            return TimeUnit.SECONDS.toMillis(n);
        }
        if (unit.startsWith("minute")) {
            return TimeUnit.MINUTES.toMillis(n);
        }
        if (unit.startsWith("hour")) {
            return TimeUnit.HOURS.toMillis(n);
        }
        if (unit.startsWith("day")) {
            return TimeUnit.DAYS.toMillis(n);
        }
        return TimeUnit.DAYS.toMillis(7 * n);
    }
}
