package dev.tarn.txlog.internal.replay;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.action.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The protocol gate (PROTOCOL.md "Protocol Evolution", "Table Features", "Reader Version Requirements"): a reader
 * must refuse a table whose reader version it does not implement, and at reader version 3 any listed reader feature
 * it does not implement.
 */
public final class TableFeatures {
    /** Reader features Tarn implements (column mapping, DVs, timestamp_ntz, V2 checkpoints, type widening...). */
    public static final Set<String> SUPPORTED_READER_FEATURES = Set.of("deletionVectors", "columnMapping",
            "timestampNtz", "v2Checkpoint", "vacuumProtocolCheck", "typeWidening", "typeWidening-preview");

    public static final int MAX_READER_VERSION = 3;

    /**
     * The catalog-managed reader features (PROTOCOL.md "Catalog-managed tables"; {@code catalogOwned-preview} is
     * delta-spark 4.0's name for it). Readable only when the table's catalog supplies its ratified commits.
     */
    public static final Set<String> CATALOG_FEATURES = Set.of("catalogManaged", "catalogOwned-preview");

    /** Writer features Tarn knows how to honour when it writes. */
    public static final Set<String> SUPPORTED_WRITER_FEATURES = Set.of("appendOnly", "invariants", "deletionVectors",
            "timestampNtz", "v2Checkpoint", "vacuumProtocolCheck", "domainMetadata", "changeDataFeed",
            "columnMapping", "typeWidening", "typeWidening-preview", "inCommitTimestamp", "checkpointProtection",
            "rowTracking", "clustering", "checkConstraints", "generatedColumns", "identityColumns");

    public static final int MAX_WRITER_VERSION = 7;

    /** Writer features that constrain writes only when the schema or properties use them ("Active Features"). */
    private static final Set<String> ACTIVE_ONLY = Set.of("checkConstraints", "generatedColumns", "identityColumns",
            "allowColumnDefaults");

    private TableFeatures() {}

    /** The gate for a reader without a catalog: catalog-managed tables are refused. */
    public static void checkReadable(Protocol protocol, String table) {
        checkReadable(protocol, table, false);
    }

    /**
     * The gate; {@code catalogAttached} says the table's catalog supplies its ratified commits, which is what a
     * reader of a catalog-managed table must use ("Reader Requirements for Catalog-managed tables").
     */
    public static void checkReadable(Protocol protocol, String table, boolean catalogAttached) {
        if (protocol.minReaderVersion() > MAX_READER_VERSION) {
            List<String> unknown = unsupported(protocol.readerFeatures(), SUPPORTED_READER_FEATURES);
            throw new TarnException(ErrorCode.UNSUPPORTED_PROTOCOL, "Table " + table + " requires Delta reader version "
                    + protocol.minReaderVersion() + "; Tarn reads versions 1 to " + MAX_READER_VERSION
                    + (unknown.isEmpty() ? "" : " (it also lists unsupported reader features " + unknown + ")"));
        }
        if (protocol.hasReaderFeatures()) {
            List<String> unknown = unsupported(protocol.readerFeatures(), SUPPORTED_READER_FEATURES);
            if (catalogAttached) {
                unknown.removeAll(CATALOG_FEATURES);
            }
            if (!unknown.isEmpty()) {
                throw new TarnException(ErrorCode.UNSUPPORTED_FEATURE, "Table " + table
                        + " requires the unsupported Delta reader feature" + (unknown.size() > 1 ? "s " : " ")
                        + String.join(", ", unknown) + (unknown.contains("catalogManaged")
                        || unknown.contains("catalogOwned-preview")
                        ? " (a catalog-managed table must be read through its catalog, which supplies its ratified"
                        + " commits, not from the file system alone)" : ""));
            }
        }
    }

    /**
     * Writers must also implement every writer feature (PROTOCOL.md "Writer Version Requirements"). Invariants and
     * column defaults matter only when the table uses them ("Active Features"), so a table that merely supports them
     * stays writable.
     */
    public static void checkWritable(Protocol protocol, dev.tarn.txlog.action.Metadata metadata, String table) {
        for (String f : CATALOG_FEATURES) {
            if ((protocol.hasReaderFeatures() && protocol.readerFeatures().contains(f)) || protocol.supportsWriterFeature(f)) {
                // "Writer Requirements for Catalog-managed tables": commits must go through the catalog.
                throw new TarnException(ErrorCode.UNSUPPORTED_FEATURE, "Table " + table + " is catalog-managed"
                        + " (Delta feature " + f + "): its commits must go through its managing catalog, and Tarn"
                        + " does not commit through catalogs yet; the table is read-only for Tarn");
            }
        }
        checkReadable(protocol, table);
        if (protocol.minWriterVersion() > MAX_WRITER_VERSION) {
            throw new TarnException(ErrorCode.UNSUPPORTED_PROTOCOL, "Table " + table + " requires Delta writer version "
                    + protocol.minWriterVersion() + "; Tarn writes versions up to " + MAX_WRITER_VERSION);
        }
        List<String> unknown = new ArrayList<>();
        if (protocol.hasWriterFeatures()) {
            for (String f : unsupported(protocol.writerFeatures(), SUPPORTED_WRITER_FEATURES)) {
                if (!ACTIVE_ONLY.contains(f)) {
                    unknown.add(f);
                }
            }
        }
        if (metadata != null) {
            // CHECK constraints, generated and identity columns are enforced by the query module's write checks.
            String schema = metadata.schemaString();
            if (schema.contains("delta.invariants")) {
                unknown.add("invariants");
            }
            if (schema.contains("CURRENT_DEFAULT")) {
                unknown.add("allowColumnDefaults");
            }
        }
        if (!unknown.isEmpty()) {
            throw new TarnException(ErrorCode.UNSUPPORTED_FEATURE, "Table " + table + " requires the Delta writer feature"
                    + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown) + ", which Tarn cannot honour when writing");
        }
    }

    private static List<String> unsupported(Set<String> features, Set<String> supported) {
        List<String> out = new ArrayList<>();
        for (String f : features) {
            if (!supported.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }
}
