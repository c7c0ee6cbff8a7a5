package dev.tarn.maintenance;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.StatsJson;
import dev.tarn.txlog.Transaction;
import dev.tarn.txlog.action.DomainMetadata;
import dev.tarn.txlog.action.Metadata;
import dev.tarn.txlog.action.Protocol;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Liquid clustering metadata (PROTOCOL.md "Clustered Table" and "Domain Metadata"): a clustered table supports the
 * {@code clustering} writer feature (which requires {@code domainMetadata}) and keeps its clustering columns in the
 * domain {@code delta.clustering} as {@code {"clusteringColumns":[["col"],["nested","field"]],"domainName":
 * "delta.clustering"}}: PHYSICAL column-name paths, exactly the shape delta-spark writes. {@code CLUSTER BY NONE}
 * keeps the feature and writes an empty list. Files written by clustering carry {@code clusteringProvider:
 * "liquid"} ({@link #PROVIDER}).
 *
 * <p>The SQL layer calls {@link #setClusteringColumns} for {@code CREATE TABLE ... CLUSTER BY (...)} and
 * {@code ALTER TABLE ... CLUSTER BY (...)}, and {@link #clearClusteringColumns} for {@code ALTER TABLE ... CLUSTER
 * BY NONE}, on the transaction that also carries the metadata, after {@link Transaction#updateMetadata} and any
 * explicit {@link Transaction#updateProtocol}.
 */
public final class ClusteringSpec {
    /** The domain holding the clustering columns. */
    public static final String DOMAIN = "delta.clustering";
    /** The writer feature of clustered tables. */
    public static final String FEATURE = "clustering";
    /** The writer feature {@link #FEATURE} depends on. */
    public static final String DOMAIN_METADATA_FEATURE = "domainMetadata";
    /** {@code clusteringProvider} of files written by liquid clustering. */
    public static final String PROVIDER = "liquid";
    /** delta-spark's limit ({@code spark.databricks.delta.clusteredTable.maxClusteringColumns}). */
    public static final int MAX_CLUSTERING_COLUMNS = 4;

    private ClusteringSpec() {}

    /**
     * Makes the transaction's table clustered by the given LOGICAL column paths (a top-level column is a one-element
     * path; {@code ["address", "city"]} is a struct field): resolves them to physical paths, raises the protocol to
     * support {@code clustering} and {@code domainMetadata}, and writes the {@code delta.clustering} domain.
     *
     * @throws TarnException COLUMN_NOT_FOUND for an unknown column; VALIDATION_ERROR for a partitioned table, a
     *     column listed twice, more than {@value #MAX_CLUSTERING_COLUMNS} columns, no columns, or a column whose
     *     type cannot be clustered on (structs, arrays, maps, and anything without min/max statistics)
     */
    public static void setClusteringColumns(Transaction tx, List<List<String>> logicalColumns) {
        requireNonNull(tx, "tx is null");
        requireNonNull(logicalColumns, "logicalColumns is null");
        Metadata metadata = metadata(tx);
        String table = tableName(tx);
        if (logicalColumns.isEmpty()) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "CLUSTER BY on table " + table + " needs at least one"
                    + " column; use CLUSTER BY NONE to stop clustering");
        }
        if (!metadata.partitionColumns().isEmpty()) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Table " + table + " is partitioned by "
                    + metadata.partitionColumns() + "; a table cannot be both partitioned and clustered");
        }
        if (logicalColumns.size() > MAX_CLUSTERING_COLUMNS) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "CLUSTER BY on table " + table + " lists "
                    + logicalColumns.size() + " columns; at most " + MAX_CLUSTERING_COLUMNS + " are allowed");
        }
        List<List<String>> physical = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (List<String> path : logicalColumns) {
            String shown = String.join(".", requireNonNull(path, "column path is null"));
            if (!seen.add(shown.toLowerCase(Locale.ROOT))) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "Clustering column '" + shown + "' of table "
                        + table + " is listed twice");
            }
            physical.add(resolve(metadata.schema(), path, table));
            checkHasStatistics(metadata, path, shown, table);
        }
        tx.updateProtocol(withClusteringFeatures(tx));
        tx.updateDomainMetadata(new DomainMetadata(DOMAIN, domainConfiguration(physical), false));
    }

    /**
     * {@code ALTER TABLE ... CLUSTER BY NONE}: the table stays a clustered table (the feature cannot be dropped this
     * way) with an empty column list, so new data is no longer clustered, as delta-spark does.
     */
    public static void clearClusteringColumns(Transaction tx) {
        requireNonNull(tx, "tx is null");
        Snapshot read = tx.readSnapshot();
        boolean clustered = read != null && read.domainMetadata().containsKey(DOMAIN);
        if (!clustered && !tx.protocol().supportsWriterFeature(FEATURE)) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "CLUSTER BY NONE on table " + tableName(tx)
                    + ": the table is not clustered");
        }
        tx.updateProtocol(withClusteringFeatures(tx));
        tx.updateDomainMetadata(new DomainMetadata(DOMAIN, domainConfiguration(List.of()), false));
    }

    /**
     * delta-spark's commitInfo for {@code ALTER TABLE ... CLUSTER BY}: operation {@code "CLUSTER BY"} with these
     * parameters, logical column names (dotted paths) joined by commas, before and after.
     */
    public static Map<String, String> clusterByOperationParameters(List<List<String>> oldLogical,
                                                                    List<List<String>> newLogical) {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("oldClusteringColumns", String.join(",", oldLogical.stream().map(c -> String.join(".", c)).toList()));
        p.put("newClusteringColumns", String.join(",", newLogical.stream().map(c -> String.join(".", c)).toList()));
        return p;
    }

    /** The domain configuration for physical column paths, as delta-spark writes it. */
    public static String domainConfiguration(List<List<String>> physicalColumns) {
        StringBuilder sb = new StringBuilder("{\"clusteringColumns\":[");
        for (int i = 0; i < physicalColumns.size(); i++) {
            sb.append(i > 0 ? ",[" : "[");
            List<String> path = physicalColumns.get(i);
            for (int j = 0; j < path.size(); j++) {
                if (j > 0) {
                    sb.append(',');
                }
                quote(path.get(j), sb);
            }
            sb.append(']');
        }
        sb.append("],\"domainName\":");
        quote(DOMAIN, sb);
        return sb.append('}').toString();
    }

    /**
     * The clustering columns of a snapshot as LOGICAL paths (for display and {@code clusterBy} operation
     * parameters); empty when the table is not clustered or was set to CLUSTER BY NONE.
     */
    public static List<List<String>> logicalColumns(Snapshot snapshot) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> physical : snapshot.clusteringColumns()) {
            out.add(logical(snapshot.schema(), physical, snapshot.tableLocation()));
        }
        return List.copyOf(out);
    }

    /** Whether the snapshot's table has clustering columns (a non-empty {@code delta.clustering} domain). */
    public static boolean isClustered(Snapshot snapshot) {
        return !snapshot.clusteringColumns().isEmpty();
    }

    private static Metadata metadata(Transaction tx) {
        Metadata m = tx.metadata();
        if (m == null) {
            throw new IllegalStateException("set the table metadata on the transaction before its clustering columns");
        }
        return m;
    }

    private static String tableName(Transaction tx) {
        Snapshot read = tx.readSnapshot();
        if (read != null) {
            return read.tableLocation();
        }
        Metadata m = tx.metadata();
        return m != null && m.name() != null ? m.name() : "(new table)";
    }

    /**
     * The protocol with {@code clustering} and {@code domainMetadata} supported. A new table gets delta-spark's
     * choice for its properties plus these two (e.g. (1,7) with exactly [domainMetadata, clustering]); an existing
     * one is upgraded (PROTOCOL.md "Table Features for New and Existing Tables").
     */
    private static Protocol withClusteringFeatures(Transaction tx) {
        Protocol current = tx.protocol();
        if (current != null && current.supportsWriterFeature(FEATURE)
                && current.supportsWriterFeature(DOMAIN_METADATA_FEATURE)) {
            return current;
        }
        if (tx.readSnapshot() == null) {
            Metadata m = metadata(tx);
            Map<String, String> conf = new HashMap<>(m.configuration());
            conf.put(Protocol.FEATURE_PROPERTY_PREFIX + DOMAIN_METADATA_FEATURE, "supported");
            conf.put(Protocol.FEATURE_PROPERTY_PREFIX + FEATURE, "supported");
            Protocol fresh = Protocol.forNewTable(conf, m.schema());
            boolean chosenForProperties = current == null
                    || current.equals(Protocol.forNewTable(m.configuration(), m.schema()));
            return chosenForProperties ? fresh : current.merge(fresh);
        }
        return current.merge(new Protocol(1, Protocol.TABLE_FEATURES_WRITER_VERSION, Set.of(),
                Set.of(DOMAIN_METADATA_FEATURE, FEATURE)));
    }

    /** Logical path to physical path, checking that the leaf can be clustered on. */
    private static List<String> resolve(StructType schema, List<String> path, String table) {
        String shown = String.join(".", path);
        if (path.isEmpty()) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Empty clustering column path for table " + table);
        }
        List<String> physical = new ArrayList<>();
        StructType current = schema;
        DataType leaf = null;
        for (int i = 0; i < path.size(); i++) {
            if (current == null) {
                throw new TarnException(ErrorCode.COLUMN_NOT_FOUND, "Clustering column '" + shown + "' of table "
                        + table + " does not exist: '" + String.join(".", path.subList(0, i)) + "' is not a struct");
            }
            Optional<StructField> f = current.field(path.get(i));
            if (f.isEmpty()) {
                throw new TarnException(ErrorCode.COLUMN_NOT_FOUND, "Clustering column '" + shown + "' does not exist"
                        + " in table " + table + "; its columns are " + schema.fieldNames());
            }
            physical.add(f.get().physicalName());
            leaf = f.get().type();
            current = leaf instanceof StructType s ? s : null;
        }
        if (!clusterable(leaf)) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Cannot cluster table " + table + " by column '" + shown
                    + "' of type " + leaf.simpleString() + ": clustering columns need min/max statistics (numbers,"
                    + " strings, dates, timestamps, decimals, booleans, binaries)");
        }
        return List.copyOf(physical);
    }

    /**
     * Clustering only helps when files keep min/max statistics of the column: writers collect them for the first
     * {@code delta.dataSkippingNumIndexedCols} leaf columns (PROTOCOL.md "Per-file Statistics"), as delta-spark
     * checks when clustering columns are set.
     */
    private static void checkHasStatistics(Metadata metadata, List<String> path, String shown, String table) {
        int limit = StatsJson.numIndexedCols(metadata.configuration());
        if (limit < 0) {
            return;
        }
        int index = leafIndex(metadata.schema(), path, 0, new int[] {0});
        if (index >= limit) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Cannot cluster table " + table + " by column '" + shown
                    + "': it is leaf column " + (index + 1) + " but statistics are collected only for the first "
                    + limit + " (delta.dataSkippingNumIndexedCols)");
        }
    }

    /** Position of the path's leaf among all leaf columns, depth first, as statistics count them; -1 if absent. */
    private static int leafIndex(StructType struct, List<String> path, int depth, int[] counter) {
        for (StructField f : struct.fields()) {
            boolean onPath = f.name().equalsIgnoreCase(path.get(depth));
            if (f.type() instanceof StructType s) {
                if (onPath && depth + 1 < path.size()) {
                    int found = leafIndex(s, path, depth + 1, counter);
                    if (found >= 0) {
                        return found;
                    }
                } else {
                    counter[0] += leafCount(s);
                }
                continue;
            }
            if (onPath && depth == path.size() - 1) {
                return counter[0];
            }
            counter[0]++;
        }
        return -1;
    }

    private static int leafCount(StructType struct) {
        int n = 0;
        for (StructField f : struct.fields()) {
            n += f.type() instanceof StructType s ? leafCount(s) : 1;
        }
        return n;
    }

    private static boolean clusterable(DataType type) {
        return type instanceof DecimalType || type instanceof PrimitiveType p && p != PrimitiveType.VOID;
    }

    private static List<String> logical(StructType schema, List<String> physical, String table) {
        List<String> out = new ArrayList<>();
        StructType current = schema;
        for (String part : physical) {
            StructField match = null;
            if (current != null) {
                for (StructField f : current.fields()) {
                    if (f.physicalName().equals(part)) {
                        match = f;
                    }
                }
            }
            if (match == null) {
                throw new TarnException(ErrorCode.CORRUPT_LOG, "Domain " + DOMAIN + " of table " + table
                        + " names clustering column " + physical + ", which is not in the schema");
            }
            out.add(match.name());
            current = match.type() instanceof StructType s ? s : null;
        }
        return List.copyOf(out);
    }

    private static void quote(String s, StringBuilder sb) {
        sb.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, sb);
        sb.append('"');
    }
}
