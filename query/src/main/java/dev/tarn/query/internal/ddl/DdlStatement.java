package dev.tarn.query.internal.ddl;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.types.DataType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The statements the DDL front end runs itself (Calcite's grammar lacks Spark's DDL). */
public sealed interface DdlStatement {

    /** Whether running the statement changes the lake (refused in read-only sessions). */
    boolean writes();

    record CreateSchema(String name, boolean ifNotExists) implements DdlStatement {
        public CreateSchema {
            requireNonNull(name, "name is null");
        }

        @Override
        public boolean writes() {
            return true;
        }
    }

    record DropSchema(String name, boolean ifExists, boolean cascade) implements DdlStatement {
        public DropSchema {
            requireNonNull(name, "name is null");
        }

        @Override
        public boolean writes() {
            return true;
        }
    }

    /**
     * A column of {@code CREATE TABLE}.
     *
     * @param metadata field metadata besides the comment: {@code delta.generationExpression},
     *     {@code delta.identity.*} (see {@link AlterTableParser#generatedColumn})
     */
    record ColumnDefinition(String name, DataType type, boolean nullable, Optional<String> comment,
                            Map<String, Object> metadata) {
        public ColumnDefinition {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
            requireNonNull(comment, "comment is null");
            metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        public ColumnDefinition(String name, DataType type, boolean nullable, Optional<String> comment) {
            this(name, type, nullable, comment, Map.of());
        }
    }

    /**
     * What {@code CREATE TABLE} and CTAS share after the column list.
     *
     * @param clusterBy liquid clustering columns ({@code CLUSTER BY (a, s.f)}) as logical paths; empty: none
     */
    record TableOptions(List<String> partitionColumns, Optional<String> comment, Map<String, String> properties,
                        List<List<String>> clusterBy) {
        public TableOptions {
            partitionColumns = List.copyOf(partitionColumns);
            requireNonNull(comment, "comment is null");
            properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
            clusterBy = clusterBy.stream().map(List::copyOf).toList();
        }

        public TableOptions(List<String> partitionColumns, Optional<String> comment, Map<String, String> properties) {
            this(partitionColumns, comment, properties, List.of());
        }
    }

    record CreateTable(TableName table, boolean ifNotExists, List<ColumnDefinition> columns, TableOptions options)
            implements DdlStatement {
        public CreateTable {
            requireNonNull(table, "table is null");
            columns = List.copyOf(columns);
            requireNonNull(options, "options is null");
        }

        @Override
        public boolean writes() {
            return true;
        }
    }

    /**
     * {@code CREATE TABLE ... AS <query>}.
     *
     * @param query the query's text, handed to the SQL engine
     * @param queryPosition where the query starts in the statement ({@code line L, column C}), for messages
     */
    record CreateTableAsSelect(TableName table, boolean ifNotExists, TableOptions options, String query,
                               String queryPosition) implements DdlStatement {
        public CreateTableAsSelect {
            requireNonNull(table, "table is null");
            requireNonNull(options, "options is null");
            requireNonNull(query, "query is null");
            requireNonNull(queryPosition, "queryPosition is null");
        }

        @Override
        public boolean writes() {
            return true;
        }
    }

    record DropTable(TableName table, boolean ifExists) implements DdlStatement {
        public DropTable {
            requireNonNull(table, "table is null");
        }

        @Override
        public boolean writes() {
            return true;
        }
    }

    record ShowSchemas() implements DdlStatement {
        @Override
        public boolean writes() {
            return false;
        }
    }

    record ShowTables(Optional<String> schema) implements DdlStatement {
        public ShowTables {
            requireNonNull(schema, "schema is null");
        }

        @Override
        public boolean writes() {
            return false;
        }
    }

    record Describe(TableName table) implements DdlStatement {
        public Describe {
            requireNonNull(table, "table is null");
        }

        @Override
        public boolean writes() {
            return false;
        }
    }

    /** {@code DESCRIBE HISTORY t [LIMIT n]}: the table's commits, newest first. */
    record DescribeHistory(TableName table, java.util.OptionalLong limit) implements DdlStatement {
        public DescribeHistory {
            requireNonNull(table, "table is null");
            requireNonNull(limit, "limit is null");
        }

        @Override
        public boolean writes() {
            return false;
        }
    }

    /** {@code DESCRIBE DETAIL t}: one row about the table's current version. */
    record DescribeDetail(TableName table) implements DdlStatement {
        public DescribeDetail {
            requireNonNull(table, "table is null");
        }

        @Override
        public boolean writes() {
            return false;
        }
    }

    /**
     * {@code CHECKPOINT [TABLE] t}: writes a checkpoint of the table's latest version (see
     * {@code dev.tarn.maintenance.CheckpointTask}) and returns its metrics as one row.
     */
    record Checkpoint(TableName table) implements DdlStatement {
        public Checkpoint {
            requireNonNull(table, "table is null");
        }

        @Override
        public boolean writes() {
            return true; // a checkpoint file is written into the table's log
        }
    }

    /**
     * {@code SET TIME ZONE 'zone'} / {@code SET TIME ZONE LOCAL} / {@code SET spark.sql.session.timeZone = zone}: the
     * session time zone (empty for LOCAL, the JVM's zone).
     */
    record SetTimeZone(Optional<String> zone) implements DdlStatement {
        public SetTimeZone {
            requireNonNull(zone, "zone is null");
        }

        @Override
        public boolean writes() {
            return false;
        }
    }

    /**
     * One {@code column op literal} condition of a maintenance statement's partition predicate, kept as written; the
     * executor types the literal by the partition column's type.
     */
    record PartitionCondition(String column, dev.tarn.txlog.skipping.Predicate.Op op, Token literal, boolean negative) {
        public PartitionCondition {
            requireNonNull(column, "column is null");
            requireNonNull(op, "op is null");
            requireNonNull(literal, "literal is null");
        }
    }

    /**
     * {@code OPTIMIZE t [WHERE partition predicate] [ZORDER BY (cols)] [FULL]}: compacts (or Z-orders, or on a
     * clustered table clusters) files with {@code dev.tarn.maintenance.OptimizeTask}; one row of metrics.
     */
    record Optimize(TableName table, List<PartitionCondition> where, List<String> zOrderBy, boolean full)
            implements DdlStatement {
        public Optimize {
            requireNonNull(table, "table is null");
            where = List.copyOf(requireNonNull(where, "where is null"));
            zOrderBy = List.copyOf(requireNonNull(zOrderBy, "zOrderBy is null"));
        }

        @Override
        public boolean writes() {
            return true;
        }
    }

    /**
     * {@code REORG TABLE t [WHERE partition predicate] APPLY (PURGE)}: rewrites files with deletion vectors with
     * {@code dev.tarn.maintenance.PurgeTask}; one row of metrics like OPTIMIZE.
     */
    record Purge(TableName table, List<PartitionCondition> where) implements DdlStatement {
        public Purge {
            requireNonNull(table, "table is null");
            where = List.copyOf(requireNonNull(where, "where is null"));
        }

        @Override
        public boolean writes() {
            return true;
        }
    }

    /**
     * {@code VACUUM t [LITE | FULL] [RETAIN n HOURS] [DRY RUN]} with {@code dev.tarn.maintenance.VacuumTask}.
     *
     * @param retention empty: the table's {@code delta.deletedFileRetentionDuration}
     * @param lite empty: FULL
     */
    record Vacuum(TableName table, Optional<java.time.Duration> retention, boolean dryRun, boolean lite)
            implements DdlStatement {
        public Vacuum {
            requireNonNull(table, "table is null");
            requireNonNull(retention, "retention is null");
        }

        @Override
        public boolean writes() {
            return true;
        }
    }

    /**
     * {@code SET spark.databricks.delta.retentionDurationCheck.enabled = true|false} (or
     * {@code tarn.vacuum.retentionCheck}): whether this session's VACUUM refuses a retention shorter than the table's.
     */
    /** {@code SET threads = n} (also {@code tarn.threads}): worker threads for this session's queries. */
    record SetThreads(int threads) implements DdlStatement {
        public SetThreads {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1");
            }
        }

        @Override
        public boolean writes() {
            return false;
        }
    }

    /** {@code SET memory_limit = '512MB'} (also {@code tarn.memory.limit}): this session's per-query memory limit. */
    record SetMemoryLimit(long bytes) implements DdlStatement {
        public SetMemoryLimit {
            if (bytes <= 0) {
                throw new IllegalArgumentException("bytes must be positive");
            }
        }

        @Override
        public boolean writes() {
            return false;
        }
    }

    /**
     * {@code SET statement_timeout = '30s'} (also {@code tarn.statement_timeout}): how long each of this session's
     * statements may run before it is cancelled; {@link java.time.Duration#ZERO} for no limit.
     */
    record SetStatementTimeout(java.time.Duration timeout) implements DdlStatement {
        public SetStatementTimeout {
            java.util.Objects.requireNonNull(timeout, "timeout is null");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("timeout must not be negative");
            }
        }

        @Override
        public boolean writes() {
            return false;
        }
    }

    record SetRetentionCheck(boolean enabled) implements DdlStatement {
        @Override
        public boolean writes() {
            return false;
        }
    }

    /**
     * {@code ALTER TABLE t CLUSTER BY (cols) | NONE} with {@code dev.tarn.maintenance.ClusteringSpec}.
     *
     * @param columns logical column paths; empty for NONE
     */
    record AlterClusterBy(TableName table, List<List<String>> columns) implements DdlStatement {
        public AlterClusterBy {
            requireNonNull(table, "table is null");
            columns = requireNonNull(columns, "columns is null").stream().map(List::copyOf).toList();
        }

        @Override
        public boolean writes() {
            return true;
        }
    }

    /** {@code ALTER TABLE t <action>} other than CLUSTER BY, run by {@link SchemaChanges}. */
    record AlterTable(TableName table, AlterAction action) implements DdlStatement {
        public AlterTable {
            requireNonNull(table, "table is null");
            requireNonNull(action, "action is null");
        }

        @Override
        public boolean writes() {
            return true;
        }
    }

    /**
     * {@code RESTORE [TABLE] t [TO] VERSION AS OF n | TIMESTAMP AS OF 'ts'} with {@link TableRestore}; one row of
     * metrics.
     *
     * @param version the version, or empty when {@code timestamp} is given
     */
    record Restore(TableName table, java.util.OptionalLong version, Optional<String> timestamp) implements DdlStatement {
        public Restore {
            requireNonNull(table, "table is null");
            requireNonNull(version, "version is null");
            requireNonNull(timestamp, "timestamp is null");
            if (version.isPresent() == timestamp.isPresent()) {
                throw new IllegalArgumentException("exactly one of version and timestamp");
            }
        }

        @Override
        public boolean writes() {
            return true;
        }
    }

    /**
     * {@code SET spark.databricks.delta.schema.autoMerge.enabled = true|false} (or {@code tarn.schema.autoMerge}):
     * whether this session's INSERTs add the extra columns of their query to the table (schema evolution).
     */
    record SetSchemaAutoMerge(boolean enabled) implements DdlStatement {
        @Override
        public boolean writes() {
            return false;
        }
    }

    record Use(String schema) implements DdlStatement {
        public Use {
            requireNonNull(schema, "schema is null");
        }

        @Override
        public boolean writes() {
            return false;
        }
    }
}
