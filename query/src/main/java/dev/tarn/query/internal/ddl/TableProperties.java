package dev.tarn.query.internal.ddl;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The {@code delta.*} table properties a table may be created with, as delta-spark knows them (its DeltaConfigs),
 * each with the check its value must pass. Other keys (without the {@code delta.} prefix) are user properties and
 * pass through unchanged. Keys are stored with delta-spark's spelling whatever case the statement used.
 */
public final class TableProperties {
    private static final Pattern INTERVAL = Pattern.compile(
            "(?i)^\\s*(interval\\s+)?\\d+\\s+(microsecond|millisecond|second|minute|hour|day|week)s?\\s*$");
    private static final Set<String> FEATURE_NAMES = Set.of(
            "appendOnly", "invariants", "checkConstraints", "changeDataFeed", "generatedColumns", "columnMapping",
            "identityColumns", "deletionVectors", "rowTracking", "timestampNtz", "domainMetadata", "v2Checkpoint",
            "icebergCompatV1", "icebergCompatV2", "clustering", "vacuumProtocolCheck", "inCommitTimestamp",
            "typeWidening", "typeWidening-preview", "variantType", "variantType-preview", "allowColumnDefaults");

    private record Property(String key, Predicate<String> valid, String expected) {}

    private static final Map<String, Property> KNOWN = new LinkedHashMap<>();

    static {
        bool("delta.appendOnly");
        bool("delta.enableChangeDataFeed");
        bool("delta.enableDeletionVectors");
        bool("delta.enableRowTracking");
        bool("delta.enableInCommitTimestamps");
        bool("delta.enableTypeWidening");
        bool("delta.enableExpiredLogCleanup");
        bool("delta.checkpoint.writeStatsAsJson");
        bool("delta.checkpoint.writeStatsAsStruct");
        bool("delta.compatibility.symlinkFormatManifest.enabled");
        bool("delta.randomizeFilePrefixes");
        bool("delta.autoOptimize.optimizeWrite");
        bool("delta.enableIcebergCompatV1");
        bool("delta.enableIcebergCompatV2");
        bool("delta.tuneFileSizesForRewrites");
        add("delta.autoOptimize.autoCompact", v -> Set.of("true", "false", "auto", "legacy")
                .contains(v.toLowerCase(Locale.ROOT)), "true, false, auto or legacy");
        add("delta.checkpointInterval", v -> isLong(v) && Long.parseLong(v) > 0, "a positive integer");
        add("delta.dataSkippingNumIndexedCols", v -> isLong(v) && Long.parseLong(v) >= -1, "an integer >= -1");
        add("delta.dataSkippingStatsColumns", v -> !v.isBlank(), "a comma-separated list of columns");
        add("delta.randomPrefixLength", v -> isLong(v) && Long.parseLong(v) > 0, "a positive integer");
        add("delta.targetFileSize", v -> isLong(v) && Long.parseLong(v) > 0, "a positive number of bytes");
        add("delta.minReaderVersion", v -> isLong(v) && Long.parseLong(v) >= 1 && Long.parseLong(v) <= 3,
                "1, 2 or 3");
        add("delta.minWriterVersion", v -> isLong(v) && Long.parseLong(v) >= 2 && Long.parseLong(v) <= 7,
                "an integer from 2 to 7");
        add("delta.columnMapping.mode", v -> Set.of("none", "name", "id").contains(v.toLowerCase(Locale.ROOT)),
                "none, name or id");
        add("delta.columnMapping.maxColumnId", v -> isLong(v) && Long.parseLong(v) >= 0, "a non-negative integer");
        add("delta.checkpointPolicy", v -> Set.of("classic", "v2").contains(v.toLowerCase(Locale.ROOT)),
                "classic or v2");
        add("delta.isolationLevel", v -> Set.of("Serializable", "WriteSerializable").contains(v),
                "Serializable or WriteSerializable");
        interval("delta.logRetentionDuration");
        interval("delta.deletedFileRetentionDuration");
        interval("delta.setTransactionRetentionDuration");
        interval("delta.checkpointRetentionDuration");
        add("delta.universalFormat.enabledFormats", v -> true, "a comma-separated list of formats");
        add("delta.parquet.compression.codec", v -> Set.of("zstd", "snappy", "gzip", "uncompressed", "lz4")
                .contains(v.toLowerCase(Locale.ROOT)), "zstd, snappy, gzip, lz4 or uncompressed");
    }

    private TableProperties() {}

    private static void add(String key, Predicate<String> valid, String expected) {
        KNOWN.put(key.toLowerCase(Locale.ROOT), new Property(key, valid, expected));
    }

    private static void bool(String key) {
        add(key, v -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false"), "true or false");
    }

    private static void interval(String key) {
        add(key, v -> INTERVAL.matcher(v).matches(), "an interval such as 'interval 30 days'");
    }

    private static boolean isLong(String v) {
        try {
            Long.parseLong(v.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Checks the statement's properties and returns them as they go into {@code metaData.configuration}:
     * known {@code delta.*} keys in delta-spark's spelling, booleans lower-cased; others unchanged.
     *
     * @throws TarnException INVALID_TABLE_PROPERTY for an unknown {@code delta.*} key or a bad value
     */
    public static Map<String, String> validate(Map<String, String> properties) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : properties.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            String lower = key.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("delta.")) {
                out.put(key, value);
                continue;
            }
            if (lower.startsWith("delta.feature.")) {
                String feature = key.substring("delta.feature.".length());
                if (!FEATURE_NAMES.contains(feature)) {
                    throw new TarnException(ErrorCode.INVALID_TABLE_PROPERTY, "Unknown table feature '" + feature
                            + "' in table property " + key + "; known features: " + FEATURE_NAMES);
                }
                if (!value.equalsIgnoreCase("supported") && !value.equalsIgnoreCase("enabled")) {
                    throw new TarnException(ErrorCode.INVALID_TABLE_PROPERTY, "Table property " + key
                            + " must be 'supported', got '" + value + "'");
                }
                out.put(key, "supported");
                continue;
            }
            if (lower.startsWith("delta.constraints.")) {
                throw new TarnException(ErrorCode.INVALID_TABLE_PROPERTY, "Table property " + key
                        + " cannot be set directly; use ALTER TABLE ... ADD CONSTRAINT name CHECK (expression)");
            }
            Property p = KNOWN.get(lower);
            if (p == null) {
                throw new TarnException(ErrorCode.INVALID_TABLE_PROPERTY, "Unknown Delta table property " + key
                        + "; Delta properties are: " + String.join(", ", KNOWN.values().stream().map(Property::key).toList())
                        + " and delta.feature.<name>");
            }
            String v = value.trim();
            if (!p.valid().test(v)) {
                throw new TarnException(ErrorCode.INVALID_TABLE_PROPERTY, "Table property " + p.key() + " must be "
                        + p.expected() + ", got '" + value + "'");
            }
            boolean isBool = v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false");
            out.put(p.key(), isBool ? v.toLowerCase(Locale.ROOT) : v);
        }
        return out;
    }
}
