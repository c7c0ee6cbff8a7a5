package dev.tarn.maintenance;

import java.util.List;
import java.util.Locale;

/**
 * The table properties that steer {@link MaintainTask}, with their defaults: the one place they are defined.
 * Sizes and intervals that Delta already defines ({@code delta.targetFileSize}, {@code delta.checkpointInterval},
 * {@code delta.deletedFileRetentionDuration}) are read from the Delta properties, not repeated here.
 */
public final class MaintainSettings {
    /** Whether {@code maintain} touches the table at all. */
    public static final MaintainSetting<Boolean> ENABLED = new MaintainSetting<>("tarn.maintain.enabled", true,
            MaintainSettings::bool, "false leaves the table alone");
    /** Compaction trigger. */
    public static final MaintainSetting<Integer> MIN_SMALL_FILES = new MaintainSetting<>("tarn.maintain.minSmallFiles",
            10, s -> positiveInt(s), "compact (OPTIMIZE) when one partition has at least this many files smaller"
            + " than the target file size (delta.targetFileSize, default 128 MiB); on a clustered table, recluster"
            + " everything (OPTIMIZE FULL) when that many clustered files are small");
    /** Clustering trigger. */
    public static final MaintainSetting<Integer> MIN_UNCLUSTERED_FILES = new MaintainSetting<>(
            "tarn.maintain.minUnclusteredFiles", 1, s -> positiveInt(s), "on a clustered table, cluster (incremental"
            + " OPTIMIZE) when at least this many files have not been written by clustering yet");
    /** Purge trigger. */
    public static final MaintainSetting<Double> PURGE_DELETED_RATIO = new MaintainSetting<>(
            "tarn.maintain.purgeDeletedRatio", 0.2, s -> ratio(s), "purge (REORG ... APPLY (PURGE)) the files whose"
            + " deletion vectors delete at least this share of their rows (0 < ratio <= 1)");
    /** Checkpoint switch. */
    public static final MaintainSetting<Boolean> CHECKPOINT = new MaintainSetting<>("tarn.maintain.checkpoint", true,
            MaintainSettings::bool, "write a checkpoint when at least delta.checkpointInterval (default 10) versions"
            + " were committed since the last one");
    /** Vacuum switch. */
    public static final MaintainSetting<Boolean> VACUUM = new MaintainSetting<>("tarn.maintain.vacuum", true,
            MaintainSettings::bool, "vacuum files unreferenced for longer than delta.deletedFileRetentionDuration"
            + " (default 7 days; never a shorter retention)");

    /** Every setting, in the order the policy applies them. */
    public static final List<MaintainSetting<?>> ALL = List.of(ENABLED, PURGE_DELETED_RATIO, MIN_SMALL_FILES,
            MIN_UNCLUSTERED_FILES, CHECKPOINT, VACUUM);

    private MaintainSettings() {}

    private static Boolean bool(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    private static Integer positiveInt(String s) {
        int n;
        try {
            n = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a positive whole number");
        }
        if (n < 1) {
            throw new IllegalArgumentException("expected a positive whole number");
        }
        return n;
    }

    private static Double ratio(String s) {
        double d;
        try {
            d = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number above 0 and at most 1");
        }
        if (!(d > 0 && d <= 1)) {
            throw new IllegalArgumentException("expected a number above 0 and at most 1");
        }
        return d;
    }
}
