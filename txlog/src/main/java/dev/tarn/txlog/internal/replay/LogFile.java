package dev.tarn.txlog.internal.replay;

import static java.util.Objects.requireNonNull;

import dev.tarn.storage.fs.FileEntry;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file of {@code _delta_log} that log replay understands, recognized by its name (PROTOCOL.md "Delta Log Entries",
 * "Checkpoints", "Checkpoint Naming Scheme", "Log Compaction Files"). Everything else in the directory (hidden files,
 * {@code .crc} files, {@code _last_checkpoint}, unknown files, directories) is not a LogFile.
 */
public record LogFile(Kind kind, long version, FileEntry entry, int part, int numParts) {

    public enum Kind { COMMIT, CLASSIC_CHECKPOINT, MULTI_PART_CHECKPOINT, UUID_CHECKPOINT_JSON, UUID_CHECKPOINT_PARQUET, COMPACTION }

    private static final Pattern COMMIT = Pattern.compile("(\\d{20})\\.json");
    private static final Pattern CLASSIC = Pattern.compile("(\\d{20})\\.checkpoint\\.parquet");
    private static final Pattern MULTI = Pattern.compile("(\\d{20})\\.checkpoint\\.(\\d{10})\\.(\\d{10})\\.parquet");
    private static final Pattern UUID_NAMED = Pattern.compile(
            "(\\d{20})\\.checkpoint\\.[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\.(json|parquet)");
    private static final Pattern COMPACTED = Pattern.compile("(\\d{20})\\.(\\d{20})\\.compacted\\.json");

    public LogFile {
        requireNonNull(kind, "kind is null");
        requireNonNull(entry, "entry is null");
    }

    /** Recognizes a listed entry; null for anything log replay must ignore. */
    public static LogFile parse(FileEntry entry) {
        String name = entry.name();
        if (entry.directory() || name.startsWith(".") || name.startsWith("_")) {
            return null;
        }
        Matcher m = COMMIT.matcher(name);
        if (m.matches()) {
            return new LogFile(Kind.COMMIT, Long.parseLong(m.group(1)), entry, 1, 1);
        }
        m = CLASSIC.matcher(name);
        if (m.matches()) {
            return new LogFile(Kind.CLASSIC_CHECKPOINT, Long.parseLong(m.group(1)), entry, 1, 1);
        }
        m = MULTI.matcher(name);
        if (m.matches()) {
            int part = Integer.parseInt(m.group(2));
            int parts = Integer.parseInt(m.group(3));
            if (part < 1 || part > parts) {
                return null;
            }
            return new LogFile(Kind.MULTI_PART_CHECKPOINT, Long.parseLong(m.group(1)), entry, part, parts);
        }
        m = UUID_NAMED.matcher(name);
        if (m.matches()) {
            Kind k = m.group(2).equals("json") ? Kind.UUID_CHECKPOINT_JSON : Kind.UUID_CHECKPOINT_PARQUET;
            return new LogFile(k, Long.parseLong(m.group(1)), entry, 1, 1);
        }
        m = COMPACTED.matcher(name);
        if (m.matches()) {
            return new LogFile(Kind.COMPACTION, Long.parseLong(m.group(1)), entry, 1, 1);
        }
        return null;
    }

    public boolean isCheckpoint() {
        return kind != Kind.COMMIT && kind != Kind.COMPACTION;
    }

    public String location() {
        return entry.location();
    }

    public String name() {
        return entry.name();
    }

    /** The 20-digit file name of a commit (PROTOCOL.md "Delta Log Entries"). */
    public static String commitName(long version) {
        return String.format("%020d.json", version);
    }
}
