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
import dev.tarn.txlog.internal.checkpoint.V2CheckpointWriter;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Checkpoint writing (PROTOCOL.md "Checkpoints"). Tarn writes classic single-file Parquet checkpoints
 * ({@code <version>.checkpoint.parquet}); on tables with the {@code v2Checkpoint} feature the same file carries a
 * {@code checkpointMetadata} row, which makes it a V2-spec checkpoint under the classic name (allowed by
 * "Allowed combinations for checkpoint spec <-> checkpoint file naming"). Tables whose
 * {@code delta.checkpointPolicy} is {@code v2} get UUID-named V2 checkpoints with sidecars ({@link #writeV2}).
 * {@code _last_checkpoint} is updated after. Multi-part checkpoints are not written (deprecated by the protocol).
 */
public final class Checkpoints {
    /** Default of {@code delta.checkpointInterval}. */
    public static final int DEFAULT_INTERVAL = 10;
    private static final long DEFAULT_TOMBSTONE_RETENTION_MS = TimeUnit.DAYS.toMillis(7);
    private static final Pattern INTERVAL = Pattern.compile(
            "(?i)\\s*(?:interval\\s+)?(\\d+)\\s*(second|seconds|minute|minutes|hour|hours|day|days|week|weeks)\\s*");

    private Checkpoints() {}

    /** Top-level file format of a UUID-named V2 checkpoint. */
    public enum TopLevelFormat { JSON, PARQUET }

    /** File actions per sidecar file when not given. */
    public static final int DEFAULT_ACTIONS_PER_SIDECAR = 1_000_000;

    /**
     * Writes the checkpoint the table asks for: a UUID-named V2 checkpoint with sidecars when
     * {@code delta.checkpointPolicy} is {@code v2} and the protocol supports {@code v2Checkpoint}, else a classic
     * one ({@link #writeClassic}).
     */
    public static LastCheckpoint write(FileIO io, Snapshot snapshot) {
        requireNonNull(snapshot, "snapshot is null");
        if ("v2".equalsIgnoreCase(snapshot.configuration().get("delta.checkpointPolicy"))
                && snapshot.protocol().supportsWriterFeature("v2Checkpoint")) {
            return writeV2(io, snapshot, TopLevelFormat.JSON, DEFAULT_ACTIONS_PER_SIDECAR);
        }
        return writeClassic(io, snapshot);
    }

    /** Writes a classic checkpoint of the snapshot, then {@code _last_checkpoint}; returns what it recorded. */
    public static LastCheckpoint writeClassic(FileIO io, Snapshot snapshot) {
        requireNonNull(io, "io is null");
        requireNonNull(snapshot, "snapshot is null");
        checkPublished(io, snapshot);
        boolean v2 = snapshot.protocol().supportsWriterFeature("v2Checkpoint");
        List<Action> head = new ArrayList<>();
        List<Action> nonFile = nonFileActions(snapshot);
        head.add(nonFile.get(0));
        head.add(nonFile.get(1));
        if (v2) {
            head.add(new CheckpointMetadata(snapshot.version(), null));
        }
        head.addAll(nonFile.subList(2, nonFile.size()));
        List<Action> actions = concat(head, fileActions(snapshot));
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
                Optional.of(size), Optional.of((long) snapshot.activeFileCount()), Optional.empty());
        Optional<LastCheckpoint> current = LastCheckpointFile.read(io, logDirectory);
        if (current.isEmpty() || current.get().version() <= snapshot.version()) {
            LastCheckpointFile.write(io, logDirectory, info);
        }
        return info;
    }

    /**
     * Writes a UUID-named V2 checkpoint (PROTOCOL.md "V2 Spec", "UUID-named checkpoint"): add and remove actions in
     * Parquet sidecars under {@code _delta_log/_sidecars/} of at most {@code actionsPerSidecar} actions each, the
     * top-level {@code <version>.checkpoint.<uuid>.json|parquet} with checkpointMetadata, the sidecar actions and
     * the other actions, then {@code _last_checkpoint} with its {@code v2Checkpoint} field. Only for tables that
     * support the {@code v2Checkpoint} feature ("Handling Backward compatibility while moving to UUID-named v2
     * Checkpoints").
     */
    public static LastCheckpoint writeV2(FileIO io, Snapshot snapshot, TopLevelFormat format, int actionsPerSidecar) {
        requireNonNull(io, "io is null");
        requireNonNull(snapshot, "snapshot is null");
        requireNonNull(format, "format is null");
        if (!snapshot.protocol().supportsWriterFeature("v2Checkpoint")) {
            throw new TarnException(ErrorCode.UNSUPPORTED_FEATURE, "Cannot write a V2 checkpoint of table "
                    + snapshot.tableLog().location() + ": its protocol does not support the v2Checkpoint feature");
        }
        checkPublished(io, snapshot);
        return V2CheckpointWriter.write(io, snapshot.tableLog().logDirectory(), snapshot.version(),
                nonFileActions(snapshot), fileActions(snapshot), format == TopLevelFormat.PARQUET, actionsPerSidecar);
    }

    /** Protocol, metaData, then txn and domainMetadata actions. */
    private static List<Action> nonFileActions(Snapshot snapshot) {
        List<Action> actions = new ArrayList<>();
        actions.add(snapshot.protocol());
        actions.add(snapshot.metadata());
        actions.addAll(snapshot.setTransactions().values());
        actions.addAll(snapshot.domainMetadata().values());
        return actions;
    }

    /**
     * Active files, then tombstones still within the retention period (kept so vacuum sees them). The active files
     * stay the snapshot's lazily built list, so the writer holds one add record at a time, not a million.
     */
    private static List<Action> fileActions(Snapshot snapshot) {
        List<Action> kept = new ArrayList<>();
        long cutoff = System.currentTimeMillis() - tombstoneRetentionMillis(snapshot);
        for (RemoveFile r : snapshot.tombstones()) {
            if (r.deletionTimestamp() == null || r.deletionTimestamp() > cutoff) {
                kept.add(r);
            }
        }
        return concat(snapshot.activeFiles(), kept);
    }

    /** A read-only random-access view of one list followed by another. */
    private static List<Action> concat(List<? extends Action> first, List<? extends Action> second) {
        final class Concat extends AbstractList<Action> implements RandomAccess {
            @Override
            public Action get(int index) {
                int n = first.size();
                return index < n ? first.get(index) : second.get(index - n);
            }

            @Override
            public int size() {
                return first.size() + second.size();
            }
        }
        return new Concat();
    }

    /** "Maintenance Operations on Catalog-managed Tables": only published versions may be checkpointed. */
    private static void checkPublished(FileIO io, Snapshot snapshot) {
        String published = snapshot.tableLog().logDirectory() + "/" + String.format("%020d.json", snapshot.version());
        if (snapshot.tableLog().catalog().isPresent() && !io.exists(published)) {
            throw new TarnException(ErrorCode.UNSUPPORTED_FEATURE, "Cannot checkpoint version " + snapshot.version()
                    + " of catalog-managed table " + snapshot.tableLog().location() + ": it is not published to "
                    + published + " yet");
        }
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
            write(io, snapshot);
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
