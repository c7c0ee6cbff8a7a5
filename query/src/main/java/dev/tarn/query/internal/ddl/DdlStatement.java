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

    /** A column of {@code CREATE TABLE}. */
    record ColumnDefinition(String name, DataType type, boolean nullable, Optional<String> comment) {
        public ColumnDefinition {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
            requireNonNull(comment, "comment is null");
        }
    }

    /** What {@code CREATE TABLE} and CTAS share after the column list. */
    record TableOptions(List<String> partitionColumns, Optional<String> comment, Map<String, String> properties) {
        public TableOptions {
            partitionColumns = List.copyOf(partitionColumns);
            requireNonNull(comment, "comment is null");
            properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
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
