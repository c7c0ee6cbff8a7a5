package dev.tarn.txlog.action;

import dev.tarn.txlog.types.ArrayType;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.MapType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The protocol action (PROTOCOL.md "Protocol Evolution"): the reader and writer versions a client must support,
 * and for reader version 3 / writer version 7 the explicit table features ("Table Features"). Feature sets are
 * empty, never null; they are written only when the versions call for them.
 */
public record Protocol(int minReaderVersion, int minWriterVersion, Set<String> readerFeatures,
                       Set<String> writerFeatures) implements Action {

    /** Table property prefix that requests a feature: {@code delta.feature.deletionVectors = supported}. */
    public static final String FEATURE_PROPERTY_PREFIX = "delta.feature.";

    /** Features readers must also know (PROTOCOL.md "Valid Feature Names in Table Features"). */
    public static final Set<String> READER_WRITER_FEATURES = Set.of("columnMapping", "deletionVectors", "timestampNtz",
            "v2Checkpoint", "vacuumProtocolCheck", "typeWidening", "typeWidening-preview", "variantType",
            "variantType-preview", "variantShredding-preview", "catalogManaged", "catalogOwned-preview");

    /** First reader version that lists reader features explicitly. */
    public static final int TABLE_FEATURES_READER_VERSION = 3;
    /** First writer version that lists writer features explicitly. */
    public static final int TABLE_FEATURES_WRITER_VERSION = 7;

    public Protocol {
        if (minReaderVersion < 1) {
            throw new IllegalArgumentException("minReaderVersion must be positive, got " + minReaderVersion);
        }
        if (minWriterVersion < 1) {
            throw new IllegalArgumentException("minWriterVersion must be positive, got " + minWriterVersion);
        }
        readerFeatures = Collections.unmodifiableSet(new LinkedHashSet<>(
                readerFeatures == null ? Set.of() : readerFeatures));
        writerFeatures = Collections.unmodifiableSet(new LinkedHashSet<>(
                writerFeatures == null ? Set.of() : writerFeatures));
    }

    public Protocol(int minReaderVersion, int minWriterVersion) {
        this(minReaderVersion, minWriterVersion, Set.of(), Set.of());
    }

    @Override
    public String actionName() {
        return "protocol";
    }

    public boolean hasReaderFeatures() {
        return minReaderVersion >= TABLE_FEATURES_READER_VERSION;
    }

    public boolean hasWriterFeatures() {
        return minWriterVersion >= TABLE_FEATURES_WRITER_VERSION;
    }

    /** Whether the writer feature is supported, explicitly (writer version 7) or implied by a legacy version. */
    public boolean supportsWriterFeature(String feature) {
        if (hasWriterFeatures()) {
            return writerFeatures.contains(feature);
        }
        return switch (feature) {
            case "appendOnly", "invariants" -> minWriterVersion >= 2;
            case "checkConstraints" -> minWriterVersion >= 3;
            case "changeDataFeed", "generatedColumns" -> minWriterVersion >= 4;
            case "columnMapping" -> minWriterVersion >= 5;
            case "identityColumns" -> minWriterVersion >= 6;
            default -> false;
        };
    }

    /**
     * The protocol delta-spark chooses for a new table (PROTOCOL.md "Table Features for New and Existing Tables"):
     * (1,2) for a plain table; features enabled by table properties or needed by the schema raise it to the legacy
     * version that implies them when one exists (change data feed: writer 4; column mapping: (2,5)), and to (3,7)
     * with explicit feature lists when a feature has no legacy version (deletion vectors, timestamp without time
     * zone, row tracking, V2 checkpoints, in-commit timestamps, domain metadata). Writer-only features keep the
     * legacy reader version: (1,7) or (2,7).
     */
    public static Protocol forNewTable(Map<String, String> configuration) {
        return forNewTable(configuration, new StructType(List.of()));
    }

    /** As {@link #forNewTable(Map)}, also looking at the schema (TIMESTAMP_NTZ columns need {@code timestampNtz}). */
    public static Protocol forNewTable(Map<String, String> configuration, StructType schema) {
        Set<String> reader = new LinkedHashSet<>();
        Set<String> writer = new LinkedHashSet<>();
        int legacyReader = 1;
        int legacyWriter = 2;
        boolean needsFeatures = false;
        if (isTrue(configuration, "delta.enableChangeDataFeed")) {
            legacyWriter = Math.max(legacyWriter, 4);
            writer.add("changeDataFeed");
        }
        String mapping = configuration.getOrDefault("delta.columnMapping.mode", "none").toLowerCase(Locale.ROOT);
        if (!mapping.equals("none")) {
            legacyReader = Math.max(legacyReader, 2);
            legacyWriter = Math.max(legacyWriter, 5);
            reader.add("columnMapping");
            writer.add("columnMapping");
        }
        if (isTrue(configuration, "delta.enableDeletionVectors")) {
            needsFeatures = true;
            reader.add("deletionVectors");
            writer.add("deletionVectors");
        }
        if (containsNtz(schema)) {
            needsFeatures = true;
            reader.add("timestampNtz");
            writer.add("timestampNtz");
        }
        if (isTrue(configuration, "delta.enableRowTracking")) {
            needsFeatures = true;
            writer.add("domainMetadata");
            writer.add("rowTracking");
        }
        if ("v2".equalsIgnoreCase(configuration.get("delta.checkpointPolicy"))) {
            needsFeatures = true;
            reader.add("v2Checkpoint");
            writer.add("v2Checkpoint");
        }
        if (isTrue(configuration, "delta.enableInCommitTimestamps")) {
            needsFeatures = true;
            writer.add("inCommitTimestamp");
        }
        if (isTrue(configuration, "delta.appendOnly")) {
            writer.add("appendOnly");
        }
        // "delta.feature.<name>" = "supported" asks for a feature explicitly (PROTOCOL.md "Table Features for New and
        // Existing Tables"); it always means explicit feature lists.
        for (Map.Entry<String, String> e : configuration.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).startsWith(FEATURE_PROPERTY_PREFIX)) {
                String feature = e.getKey().substring(FEATURE_PROPERTY_PREFIX.length());
                needsFeatures = true;
                writer.add(feature);
                if (READER_WRITER_FEATURES.contains(feature)) {
                    reader.add(feature);
                }
            }
        }
        if (!needsFeatures) {
            return new Protocol(legacyReader, legacyWriter);
        }
        // As delta-spark 3.x: only the features the table uses are listed (not the legacy appendOnly/invariants).
        Set<String> allWriter = new LinkedHashSet<>(writer);
        boolean readerFeaturesNeeded = !reader.isEmpty() && !(reader.size() == 1 && reader.contains("columnMapping"));
        if (!readerFeaturesNeeded) {
            // Writer-only features: reader version stays at its legacy value (delta-spark writes (1,7) / (2,7)).
            return new Protocol(legacyReader, TABLE_FEATURES_WRITER_VERSION, Set.of(), allWriter);
        }
        return new Protocol(TABLE_FEATURES_READER_VERSION, TABLE_FEATURES_WRITER_VERSION, reader, allWriter);
    }

    /**
     * This protocol raised to also support everything {@code required} needs (PROTOCOL.md "Table Features for New
     * and Existing Tables"): the larger legacy versions while neither side lists features, otherwise explicit
     * feature lists holding both sides' features, legacy ones expanded to the features their versions imply.
     */
    public Protocol merge(Protocol required) {
        if (!hasReaderFeatures() && !hasWriterFeatures() && !required.hasReaderFeatures() && !required.hasWriterFeatures()) {
            return new Protocol(Math.max(minReaderVersion, required.minReaderVersion),
                    Math.max(minWriterVersion, required.minWriterVersion));
        }
        Set<String> writer = new LinkedHashSet<>(impliedWriterFeatures());
        for (String f : required.impliedWriterFeatures()) {
            // (1,2), the baseline of every new table, implies these; they are not requirements of any property.
            if (required.hasWriterFeatures() || !(f.equals("appendOnly") || f.equals("invariants"))) {
                writer.add(f);
            }
        }
        Set<String> reader = new LinkedHashSet<>(impliedReaderFeatures());
        reader.addAll(required.impliedReaderFeatures());
        boolean readerListed = hasReaderFeatures() || required.hasReaderFeatures();
        if (!readerListed) {
            return new Protocol(Math.max(minReaderVersion, required.minReaderVersion), TABLE_FEATURES_WRITER_VERSION,
                    Set.of(), writer);
        }
        return new Protocol(TABLE_FEATURES_READER_VERSION, TABLE_FEATURES_WRITER_VERSION, reader, writer);
    }

    private Set<String> impliedWriterFeatures() {
        if (hasWriterFeatures()) {
            return writerFeatures;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String f : List.of("appendOnly", "invariants", "checkConstraints", "changeDataFeed", "generatedColumns",
                "columnMapping", "identityColumns")) {
            if (supportsWriterFeature(f)) {
                out.add(f);
            }
        }
        return out;
    }

    private Set<String> impliedReaderFeatures() {
        if (hasReaderFeatures()) {
            return readerFeatures;
        }
        return minReaderVersion >= 2 ? Set.of("columnMapping") : Set.of();
    }

    private static boolean isTrue(Map<String, String> configuration, String key) {
        return "true".equalsIgnoreCase(configuration.getOrDefault(key, "false").trim());
    }

    private static boolean containsNtz(DataType type) {
        if (type == PrimitiveType.TIMESTAMP_NTZ) {
            return true;
        }
        if (type instanceof StructType s) {
            for (StructField f : s.fields()) {
                if (containsNtz(f.type())) {
                    return true;
                }
            }
        } else if (type instanceof ArrayType a) {
            return containsNtz(a.elementType());
        } else if (type instanceof MapType m) {
            return containsNtz(m.keyType()) || containsNtz(m.valueType());
        }
        return false;
    }
}
