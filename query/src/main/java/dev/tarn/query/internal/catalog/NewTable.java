package dev.tarn.query.internal.catalog;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.maintenance.ClusteringSpec;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.write.DataFileWriter;
import dev.tarn.query.internal.write.TableLayout;
import dev.tarn.query.internal.write.WrittenFiles;
import dev.tarn.query.internal.write.WriteSettings;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.txlog.TableLog;
import dev.tarn.txlog.Transaction;
import dev.tarn.txlog.action.Metadata;
import dev.tarn.txlog.action.Protocol;
import dev.tarn.txlog.types.ArrayType;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.MapType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A table about to be created: its version 0 holds protocol, metadata and (for CREATE TABLE AS SELECT) the add
 * actions of its first data, all in one commit, so the table appears only if the whole statement succeeds.
 */
public final class NewTable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FileIO io;
    private final String location;
    private final String displayName;
    private final StructType schema;
    private final List<String> partitionColumns;
    private final Map<String, String> configuration;
    private final String description;
    private final WriteSettings settings;
    private final List<List<String>> clusteringColumns;

    private NewTable(FileIO io, String location, String displayName, StructType schema, List<String> partitionColumns,
                     Map<String, String> configuration, String description, WriteSettings settings,
                     List<List<String>> clusteringColumns) {
        this.io = io;
        this.location = location;
        this.displayName = displayName;
        this.schema = schema;
        this.partitionColumns = List.copyOf(partitionColumns);
        this.configuration = configuration;
        this.description = description;
        this.settings = settings;
        this.clusteringColumns = clusteringColumns.stream().map(List::copyOf).toList();
    }

    /**
     * A new table definition. With {@code delta.columnMapping.mode} name or id, every field (nested ones too) gets a
     * column id and a physical name, and {@code delta.columnMapping.maxColumnId} records the largest id
     * (PROTOCOL.md "Column Mapping" / "Writer Requirements for Column Mapping").
     */
    public static NewTable of(FileIO io, String location, String displayName, StructType schema,
                              List<String> partitionColumns, Map<String, String> configuration, String description,
                              WriteSettings settings) {
        requireNonNull(io, "io is null");
        requireNonNull(location, "location is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(configuration, "configuration is null");
        requireNonNull(settings, "settings is null");
        Map<String, String> config = new LinkedHashMap<>(configuration);
        // As on Databricks, new tables delete rows with deletion vectors unless told otherwise.
        config.putIfAbsent("delta.enableDeletionVectors", "true");
        if ("true".equalsIgnoreCase(config.get("delta.enableRowTracking"))) {
            // Row ids survive UPDATE and MERGE through these columns (PROTOCOL.md "Row Tracking"), named as
            // delta-spark names them.
            config.putIfAbsent("delta.rowTracking.materializedRowIdColumnName", "_row-id-col-" + UUID.randomUUID());
            config.putIfAbsent("delta.rowTracking.materializedRowCommitVersionColumnName",
                    "_row-commit-version-col-" + UUID.randomUUID());
        }
        String mode = config.getOrDefault("delta.columnMapping.mode", "none").toLowerCase(Locale.ROOT);
        StructType finalSchema = schema;
        if (!mode.equals("none")) {
            long[] nextId = {0};
            finalSchema = (StructType) assignColumnMapping(schema, nextId);
            config.put("delta.columnMapping.maxColumnId", Long.toString(nextId[0]));
        }
        return new NewTable(io, location, displayName, finalSchema, partitionColumns, config, description, settings,
                List.of());
    }

    /**
     * The same table, liquid-clustered by these logical column paths ({@code CREATE TABLE ... CLUSTER BY}): version 0
     * then also carries the {@code clustering} and {@code domainMetadata} features and the {@code delta.clustering}
     * domain, as delta-spark writes them (see {@link ClusteringSpec}); empty: not clustered.
     */
    public NewTable withClusteringColumns(List<List<String>> logicalColumns) {
        requireNonNull(logicalColumns, "logicalColumns is null");
        return new NewTable(io, location, displayName, schema, partitionColumns, configuration, description, settings,
                logicalColumns);
    }

    private static DataType assignColumnMapping(DataType type, long[] nextId) {
        if (type instanceof StructType s) {
            List<StructField> fields = new ArrayList<>();
            for (StructField f : s.fields()) {
                Map<String, Object> metadata = new LinkedHashMap<>(f.metadata());
                metadata.put(StructField.COLUMN_MAPPING_ID, ++nextId[0]);
                metadata.put(StructField.COLUMN_MAPPING_PHYSICAL_NAME, "col-" + UUID.randomUUID());
                fields.add(new StructField(f.name(), assignColumnMapping(f.type(), nextId), f.nullable(), metadata));
            }
            return new StructType(fields);
        }
        if (type instanceof ArrayType a) {
            return new ArrayType(assignColumnMapping(a.elementType(), nextId), a.containsNull());
        }
        if (type instanceof MapType m) {
            return new MapType(assignColumnMapping(m.keyType(), nextId), assignColumnMapping(m.valueType(), nextId),
                    m.valueContainsNull());
        }
        return type;
    }

    public StructType schema() {
        return schema;
    }

    /** Commits version 0 with no data. */
    public void create(String operation) {
        Transaction txn = begin(operation);
        txn.commit();
    }

    /**
     * Writes {@code source} (opened and closed here) into data files, then commits version 0 with them; on any
     * failure the files are deleted and no commit exists.
     */
    public long createWithData(String operation, Operator source, ExecutionContext context) {
        TableLayout layout = new TableLayout(schema, partitionColumns);
        DataFileWriter writer = new DataFileWriter(io, location, layout, configuration, settings,
                context.allocator());
        WrittenFiles files = DataFileWriter.writeAll(writer, source, context);
        try {
            context.checkCancelled();
            Transaction txn = begin(operation);
            txn.addFiles(files.adds());
            txn.setOperationMetrics(Map.of("numFiles", Long.toString(files.adds().size()),
                    "numOutputRows", Long.toString(files.rows()), "numOutputBytes", Long.toString(files.bytes())));
            txn.commit();
            return files.rows();
        } catch (RuntimeException e) {
            files.delete(io);
            throw e;
        }
    }

    private Transaction begin(String operation) {
        Metadata metadata;
        try {
            metadata = Metadata.create(schema, partitionColumns, configuration, null, description);
        } catch (IllegalArgumentException e) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Cannot create table " + displayName + ": "
                    + e.getMessage(), e);
        }
        // Plus the features generated, identity and CHECK-constrained columns need.
        Protocol protocol = dev.tarn.query.internal.write.WriteChecks.requiredProtocol(configuration, schema);
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("isManaged", "false");
        parameters.put("description", description);
        parameters.put("partitionBy", json(partitionColumns));
        if (!clusteringColumns.isEmpty()) {
            // delta-spark's CREATE TABLE parameters name the clustering columns as a JSON list of dotted names.
            parameters.put("clusterBy", json(clusteringColumns.stream().map(c -> String.join(".", c)).toList()));
        }
        parameters.put("properties", json(configuration));
        Transaction txn = TableLog.forPath(io, location).newTransaction(null, operation, parameters);
        txn.updateProtocol(protocol);
        txn.updateMetadata(metadata);
        if (!clusteringColumns.isEmpty()) {
            try {
                ClusteringSpec.setClusteringColumns(txn, clusteringColumns);
            } catch (TarnException e) {
                throw new TarnException(e.errorCode(), "Cannot create table " + displayName + ": " + e.getMessage(), e);
            }
        }
        return txn;
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
