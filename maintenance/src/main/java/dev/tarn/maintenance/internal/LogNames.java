package dev.tarn.maintenance.internal;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of files in {@code _delta_log} (PROTOCOL.md "Delta Log Entries", "Checkpoints", "Log Compaction Files",
 * "Version Checksum File"): what kind of file a name is and which version it belongs to.
 */
public final class LogNames {
    public enum Kind { COMMIT, CLASSIC_CHECKPOINT, MULTI_PART_CHECKPOINT, V2_CHECKPOINT, COMPACTION, CHECKSUM }

    /** A parsed log file name; {@code parts} is the part count of a multi-part checkpoint, else 1. */
    public record LogName(Kind kind, long version, int part, int parts) {}

    private static final Pattern COMMIT = Pattern.compile("(\\d{20})\\.json");
    private static final Pattern CLASSIC = Pattern.compile("(\\d{20})\\.checkpoint\\.parquet");
    private static final Pattern MULTI = Pattern.compile("(\\d{20})\\.checkpoint\\.(\\d{10})\\.(\\d{10})\\.parquet");
    private static final Pattern V2 = Pattern.compile("(\\d{20})\\.checkpoint\\.[0-9a-fA-F-]{36}\\.(json|parquet)");
    private static final Pattern COMPACTION = Pattern.compile("(\\d{20})\\.(\\d{20})\\.compacted\\.json");
    private static final Pattern CHECKSUM = Pattern.compile("(\\d{20})\\.crc");

    private LogNames() {}

    /** The parsed name, or null for files that are not log entries ({@code _last_checkpoint}, temp files...). */
    public static LogName parse(String name) {
        Matcher m;
        if ((m = COMMIT.matcher(name)).matches()) {
            return new LogName(Kind.COMMIT, Long.parseLong(m.group(1)), 1, 1);
        }
        if ((m = CLASSIC.matcher(name)).matches()) {
            return new LogName(Kind.CLASSIC_CHECKPOINT, Long.parseLong(m.group(1)), 1, 1);
        }
        if ((m = MULTI.matcher(name)).matches()) {
            return new LogName(Kind.MULTI_PART_CHECKPOINT, Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
        }
        if ((m = V2.matcher(name)).matches()) {
            return new LogName(Kind.V2_CHECKPOINT, Long.parseLong(m.group(1)), 1, 1);
        }
        if ((m = COMPACTION.matcher(name)).matches()) {
            // Named by its last version: it is only useful together with the commits up to there.
            return new LogName(Kind.COMPACTION, Long.parseLong(m.group(2)), 1, 1);
        }
        if ((m = CHECKSUM.matcher(name)).matches()) {
            return new LogName(Kind.CHECKSUM, Long.parseLong(m.group(1)), 1, 1);
        }
        return null;
    }

    /** The version of commit 0 or of the oldest checkpoint, when {@code names} hold either. */
    public static OptionalLong earliestReconstructable(Iterable<String> names) {
        long best = Long.MAX_VALUE;
        java.util.Map<Long, java.util.Set<Integer>> multi = new java.util.HashMap<>();
        java.util.Map<Long, Integer> multiParts = new java.util.HashMap<>();
        for (String n : names) {
            LogName l = parse(n);
            if (l == null) {
                continue;
            }
            switch (l.kind()) {
                case COMMIT -> {
                    if (l.version() == 0) {
                        best = 0;
                    }
                }
                case CLASSIC_CHECKPOINT, V2_CHECKPOINT -> best = Math.min(best, l.version());
                case MULTI_PART_CHECKPOINT -> {
                    multi.computeIfAbsent(l.version(), k -> new java.util.HashSet<>()).add(l.part());
                    multiParts.put(l.version(), l.parts());
                }
                default -> { }
            }
        }
        for (var e : multi.entrySet()) {
            if (e.getValue().size() == multiParts.get(e.getKey())) {
                best = Math.min(best, e.getKey());
            }
        }
        return best == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(best);
    }
}
