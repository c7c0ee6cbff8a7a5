package dev.tarn.query.internal.ddl;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.maintenance.CheckpointResult;
import dev.tarn.maintenance.CheckpointTask;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.catalog.DeltaLakeCatalog;
import dev.tarn.query.internal.catalog.DeltaTableHandle;
import dev.tarn.query.internal.catalog.NewTable;
import dev.tarn.query.internal.ddl.DdlStatement.ColumnDefinition;
import dev.tarn.query.internal.ddl.DdlStatement.TableOptions;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.sql.PlannedStatement;
import dev.tarn.query.internal.sql.SqlEngine;
import dev.tarn.storage.fs.FileEntry;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.txlog.types.ArrayType;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.MapType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** Runs DDL, SHOW, DESCRIBE and USE against the lake. */
public final class DdlExecutor {
    private final DeltaLakeCatalog catalog;
    private final Supplier<SqlEngine> engine;
    /**
     * Session-scoped (each session has its own executor): whether VACUUM refuses a retention shorter than the
     * table's {@code delta.deletedFileRetentionDuration}; cleared by {@code SET ...retentionDurationCheck.enabled}.
     */
    private volatile boolean retentionCheck = true;
    /** Session-scoped: whether INSERTs evolve the table's schema ({@code SET ...schema.autoMerge.enabled}). */
    private volatile boolean schemaAutoMerge;

    public DdlExecutor(DeltaLakeCatalog catalog, Supplier<SqlEngine> engine) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.engine = requireNonNull(engine, "engine is null");
    }

    /** Runs the statement; returns rows for SHOW and DESCRIBE, empty otherwise. */
    public Optional<ValueTable> execute(DdlStatement statement, DdlSession session, ExecutionContext context) {
        if (statement instanceof DdlStatement.CreateSchema s) {
            createSchema(s);
        } else if (statement instanceof DdlStatement.DropSchema s) {
            dropSchema(s, session);
        } else if (statement instanceof DdlStatement.CreateTable s) {
            createTable(s, session);
        } else if (statement instanceof DdlStatement.CreateTableAsSelect s) {
            createTableAsSelect(s, session, context);
        } else if (statement instanceof DdlStatement.DropTable s) {
            dropTable(s, session);
        } else if (statement instanceof DdlStatement.ShowSchemas) {
            return Optional.of(showSchemas().toValueTable());
        } else if (statement instanceof DdlStatement.ShowTables s) {
            return Optional.of(showTables(s, session).toValueTable());
        } else if (statement instanceof DdlStatement.Describe s) {
            return Optional.of(describe(s, session).toValueTable());
        } else if (statement instanceof DdlStatement.DescribeHistory s) {
            return Optional.of(TableDescriptions.history(existing(s.table(), session), s.limit()));
        } else if (statement instanceof DdlStatement.DescribeDetail s) {
            Target t = target(s.table(), session);
            return Optional.of(TableDescriptions.detail(existing(s.table(), session),
                    t.pathNamed() ? Optional.empty() : Optional.of(t.displayName())));
        } else if (statement instanceof DdlStatement.Checkpoint s) {
            return Optional.of(checkpoint(s, session));
        } else if (statement instanceof DdlStatement.Optimize s) {
            return Optional.of(MaintenanceStatements.optimize(s, maintenanceTarget(s.table(), session)));
        } else if (statement instanceof DdlStatement.Purge s) {
            return Optional.of(MaintenanceStatements.purge(s, maintenanceTarget(s.table(), session)));
        } else if (statement instanceof DdlStatement.Vacuum s) {
            return Optional.of(MaintenanceStatements.vacuum(s, maintenanceTarget(s.table(), session), retentionCheck));
        } else if (statement instanceof DdlStatement.AlterClusterBy s) {
            MaintenanceStatements.alterClusterBy(s, maintenanceTarget(s.table(), session));
        } else if (statement instanceof DdlStatement.AlterTable s) {
            SchemaChanges.run(s, existing(s.table(), session), context);
        } else if (statement instanceof DdlStatement.Restore s) {
            Target t = target(s.table(), session);
            return Optional.of(TableRestore.run(s, maintenanceTarget(s.table(), session).log(), t.displayName(),
                    session.sqlState().timeZone()));
        } else if (statement instanceof DdlStatement.SetSchemaAutoMerge s) {
            schemaAutoMerge = s.enabled();
        } else if (statement instanceof DdlStatement.SetRetentionCheck s) {
            retentionCheck = s.enabled();
        } else if (statement instanceof DdlStatement.SetThreads s) {
            session.setThreads(s.threads());
        } else if (statement instanceof DdlStatement.SetMemoryLimit s) {
            session.setMemoryLimit(s.bytes());
        } else if (statement instanceof DdlStatement.SetStatementTimeout s) {
            session.setStatementTimeout(s.timeout());
        } else if (statement instanceof DdlStatement.SetTimeZone s) {
            session.setTimeZone(zone(s));
        } else if (statement instanceof DdlStatement.Use s) {
            session.setCurrentSchema(s.schema());
        } else {
            throw new IllegalStateException("Unknown DDL statement " + statement);
        }
        return Optional.empty();
    }

    /** Whether this session asked for schema evolution on INSERT. */
    public boolean schemaAutoMerge() {
        return schemaAutoMerge;
    }

    static final List<ResultColumn> CHECKPOINT_COLUMNS = List.of(
            new ResultColumn("table", PrimitiveType.STRING, false),
            new ResultColumn("version", PrimitiveType.LONG, false),
            new ResultColumn("written", PrimitiveType.BOOLEAN, false),
            new ResultColumn("actions", PrimitiveType.LONG, false),
            new ResultColumn("sizeInBytes", PrimitiveType.LONG, false),
            new ResultColumn("liveFiles", PrimitiveType.LONG, false),
            new ResultColumn("skipReason", PrimitiveType.STRING, true),
            new ResultColumn("durationMillis", PrimitiveType.LONG, false));

    /** Runs the maintenance checkpoint task on the table (through its managing catalog, if any). */
    private ValueTable checkpoint(DdlStatement.Checkpoint s, DdlSession session) {
        Target t = target(s.table(), session);
        if (!exists(t)) {
            throw new TarnException(ErrorCode.TABLE_NOT_FOUND, "Table " + t.displayName() + " not found");
        }
        CheckpointResult r = new CheckpointTask(catalog.log(t.location())).run();
        List<Object> row = new ArrayList<>();
        row.add(t.displayName());
        row.add(r.version());
        row.add(r.written());
        row.add(r.actions());
        row.add(r.sizeInBytes());
        row.add(r.liveFiles());
        row.add(r.skipReason());
        row.add(r.durationMillis());
        return new ValueTable(CHECKPOINT_COLUMNS, List.of(row));
    }

    /** The log and display name of an existing table, for a maintenance task. */
    private MaintenanceStatements.Target maintenanceTarget(TableName name, DdlSession session) {
        Target t = target(name, session);
        if (!exists(t)) {
            throw new TarnException(ErrorCode.TABLE_NOT_FOUND, "Table " + t.displayName() + " not found");
        }
        return new MaintenanceStatements.Target(catalog.log(t.location()), t.displayName());
    }

    private static java.time.ZoneId zone(DdlStatement.SetTimeZone s) {
        if (s.zone().isEmpty()) {
            return java.time.ZoneId.systemDefault();
        }
        try {
            return java.time.ZoneId.of(s.zone().get().strip());
        } catch (java.time.DateTimeException e) {
            throw new TarnException(ErrorCode.INVALID_VALUE, "Unknown time zone '" + s.zone().get()
                    + "': use a region such as 'America/Los_Angeles', 'UTC' or an offset such as '+02:00'", e);
        }
    }

    private void createSchema(DdlStatement.CreateSchema s) {
        checkName(s.name(), "schema");
        if (catalog.schemaExists(s.name())) {
            if (s.ifNotExists()) {
                return;
            }
            throw new TarnException(ErrorCode.SCHEMA_ALREADY_EXISTS, "Schema " + s.name() + " already exists");
        }
        Path dir = catalog.lake().resolve(s.name().toLowerCase(Locale.ROOT));
        try {
            // Schemas are directories of the (local) lake; FileIO has no verb for an empty directory.
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new TarnException(ErrorCode.IO_ERROR, "Cannot create the directory of schema " + s.name() + ": " + dir, e);
        }
    }

    private void dropSchema(DdlStatement.DropSchema s, DdlSession session) {
        Optional<String> dir = catalog.schemaDirectoryName(s.name());
        if (dir.isEmpty()) {
            if (s.ifExists()) {
                return;
            }
            throw new TarnException(ErrorCode.SCHEMA_NOT_FOUND, "Schema " + s.name() + " not found");
        }
        if (dir.get().equalsIgnoreCase(DeltaLakeCatalog.DEFAULT_SCHEMA)) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Schema default cannot be dropped");
        }
        List<String> tables = catalog.tableNames(dir.get());
        if (!tables.isEmpty() && !s.cascade()) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Schema " + dir.get() + " is not empty (it holds "
                    + tables.size() + " table(s): " + String.join(", ", tables) + "); use DROP SCHEMA ... CASCADE");
        }
        String schemaDirectory = catalog.lake().resolve(dir.get()).toString();
        deleteTree(catalog.fileIO(), schemaDirectory);
        catalog.forget(schemaDirectory);
        if (session.currentSchema().equalsIgnoreCase(dir.get())) {
            session.setCurrentSchema(DeltaLakeCatalog.DEFAULT_SCHEMA);
        }
    }

    /** Where a named table is or would be, after checking its schema exists. */
    private record Target(String location, String displayName, boolean pathNamed) {}

    private Target target(TableName name, DdlSession session) {
        if (name.path()) {
            String location = DeltaLakeCatalog.normalizePath(name.name());
            return new Target(location, "delta.`" + location + "`", true);
        }
        String schema = name.schema().orElse(session.currentSchema());
        String schemaDir = catalog.schemaDirectoryName(schema).orElseThrow(() -> new TarnException(
                ErrorCode.SCHEMA_NOT_FOUND, "Schema " + schema + " not found (for table " + name + ")"));
        Optional<String> existing = catalog.tableLocation(schemaDir, name.name());
        String location = existing.orElseGet(() -> catalog.newTableLocation(schemaDir, name.name()));
        return new Target(location, schemaDir + "." + Path.of(location).getFileName(), false);
    }

    private boolean exists(Target t) {
        return catalog.fileIO().exists(t.location() + "/_delta_log") && !catalog.fileIO()
                .list(t.location() + "/_delta_log").isEmpty();
    }

    private void createTable(DdlStatement.CreateTable s, DdlSession session) {
        if (!s.table().path()) {
            checkName(s.table().name(), "table");
        }
        Target t = target(s.table(), session);
        if (exists(t)) {
            if (s.ifNotExists()) {
                return;
            }
            throw new TarnException(ErrorCode.TABLE_ALREADY_EXISTS, "Table " + t.displayName() + " already exists");
        }
        List<StructField> fields = new ArrayList<>();
        for (ColumnDefinition c : s.columns()) {
            Map<String, Object> metadata = new LinkedHashMap<>();
            c.comment().ifPresent(comment -> metadata.put(StructField.COMMENT, comment));
            metadata.putAll(c.metadata());
            fields.add(new StructField(c.name(), c.type(), c.nullable(), metadata));
        }
        NewTable table = newTable(t, new StructType(fields), s.options());
        try {
            table.create("CREATE TABLE");
        } catch (TarnException e) {
            if (s.ifNotExists() && exists(t)) {
                return; // created concurrently
            }
            removeLeftovers(t);
            throw alreadyExistsIfCreatedConcurrently(e, t);
        }
    }

    private void createTableAsSelect(DdlStatement.CreateTableAsSelect s, DdlSession session, ExecutionContext context) {
        if (!s.table().path()) {
            checkName(s.table().name(), "table");
        }
        Target t = target(s.table(), session);
        if (exists(t)) {
            if (s.ifNotExists()) {
                return;
            }
            throw new TarnException(ErrorCode.TABLE_ALREADY_EXISTS, "Table " + t.displayName() + " already exists");
        }
        PlannedStatement planned;
        try {
            planned = engine.get().plan(TimeTravelSyntax.rewrite(s.query(), session.sqlState().timeZone()),
                    session.sqlState());
        } catch (TarnException e) {
            // The engine's positions count from the start of the query, not of the whole statement.
            throw new TarnException(e.errorCode(), e.getMessage() + " (in the query of CREATE TABLE "
                    + t.displayName() + " ... AS, which starts at " + s.queryPosition()
                    + ")", e);
        }
        if (planned.kind() != PlannedStatement.Kind.QUERY) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "CREATE TABLE ... AS needs a query, not " + planned.kind());
        }
        if (!planned.parameters().isEmpty()) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "CREATE TABLE ... AS cannot take ? parameters");
        }
        List<StructField> fields = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ResultColumn c : planned.columns()) {
            if (!seen.add(c.name().toLowerCase(Locale.ROOT))) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "The query of CREATE TABLE " + t.displayName()
                        + " returns column " + c.name() + " twice; give the columns distinct aliases");
            }
            // Spark makes every column of a CTAS table nullable.
            fields.add(new StructField(c.name(), c.type(), true));
        }
        NewTable table = newTable(t, new StructType(fields), s.options());
        Operator source = planned.bindQuery(List.of());
        try {
            table.createWithData("CREATE TABLE AS SELECT", source, context);
        } catch (RuntimeException e) {
            source.close();
            removeLeftovers(t);
            throw e instanceof TarnException te ? alreadyExistsIfCreatedConcurrently(te, t) : e;
        }
    }

    /** After a failed create: empty directories the attempt left behind go, anything with files stays. */
    private void removeLeftovers(Target t) {
        if (t.pathNamed() || exists(t)) {
            return;
        }
        try {
            deleteEmptyDirectories(catalog.fileIO(), t.location());
        } catch (TarnException e) {
            // Not empty (someone else's files, or a concurrent creator): leave it.
        }
    }

    private TarnException alreadyExistsIfCreatedConcurrently(TarnException e, Target t) {
        if (e.errorCode() == ErrorCode.CONCURRENT_MODIFICATION || e.errorCode() == ErrorCode.CONCURRENT_METADATA_CHANGE
                || e.errorCode() == ErrorCode.CONCURRENT_PROTOCOL_CHANGE
                || e.errorCode() == ErrorCode.COMMIT_CONFLICT_RETRIES_EXHAUSTED) {
            return new TarnException(ErrorCode.TABLE_ALREADY_EXISTS, "Table " + t.displayName()
                    + " was created by another writer at the same time", e);
        }
        return e;
    }

    private NewTable newTable(Target t, StructType schema, TableOptions options) {
        if (schema.size() == 0) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Table " + t.displayName() + " needs at least one column");
        }
        List<String> partitionColumns = new ArrayList<>();
        for (String p : options.partitionColumns()) {
            Optional<StructField> f = schema.field(p);
            if (f.isEmpty()) {
                throw new TarnException(ErrorCode.COLUMN_NOT_FOUND, "Partition column " + p + " of table "
                        + t.displayName() + " is not one of its columns " + schema.fieldNames());
            }
            DataType type = f.get().type();
            if (type.isNested() || type == PrimitiveType.VOID) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "Partition column " + p + " of table "
                        + t.displayName() + " has type " + type.sqlName() + ", which cannot be a partition column");
            }
            partitionColumns.add(f.get().name());
        }
        if (!partitionColumns.isEmpty() && partitionColumns.size() == schema.size()) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Table " + t.displayName()
                    + " cannot be partitioned by all of its columns");
        }
        Map<String, String> configuration = TableProperties.validate(options.properties());
        boolean columnMapping = !configuration.getOrDefault("delta.columnMapping.mode", "none").equalsIgnoreCase("none");
        checkColumns(schema, "", t, columnMapping);
        // Generation expressions and CHECK constraints must compile over the columns before the table exists.
        dev.tarn.query.internal.write.WriteChecks.forTable(schema, configuration, t.displayName(),
                dev.tarn.query.internal.write.WriteChecks.Mode.INSERT);
        return NewTable.of(catalog.fileIO(), t.location(), t.displayName(), schema, partitionColumns, configuration,
                options.comment().orElse(null), catalog.writeSettings()).withClusteringColumns(options.clusterBy());
    }

    /** Characters Delta does not allow in column names unless column mapping is on (they break Parquet schemas). */
    private static final String INVALID_NAME_CHARACTERS = " ,;{}()\n\t=";

    /**
     * Rejects VOID columns (Spark refuses to create them: there is nothing to store) and, without column mapping,
     * names with characters Parquet cannot hold.
     */
    private static void checkColumns(DataType type, String prefix, Target t, boolean columnMapping) {
        if (type instanceof StructType s) {
            for (StructField f : s.fields()) {
                String name = prefix + f.name();
                if (!columnMapping) {
                    for (char c : f.name().toCharArray()) {
                        if (INVALID_NAME_CHARACTERS.indexOf(c) >= 0) {
                            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Column name '" + name + "' of table "
                                    + t.displayName() + " contains one of ' ,;{}()\\n\\t='; rename it or create the"
                                    + " table with TBLPROPERTIES ('delta.columnMapping.mode' = 'name')");
                        }
                    }
                }
                if (f.type() == PrimitiveType.VOID) {
                    throw new TarnException(ErrorCode.VALIDATION_ERROR, "Column " + name + " of table "
                            + t.displayName() + " has type VOID; give it a type, e.g. CAST(NULL AS STRING)");
                }
                checkColumns(f.type(), name + ".", t, columnMapping);
            }
        } else if (type instanceof ArrayType a) {
            checkColumns(a.elementType(), prefix, t, columnMapping);
        } else if (type instanceof MapType m) {
            checkColumns(m.keyType(), prefix, t, columnMapping);
            checkColumns(m.valueType(), prefix, t, columnMapping);
        }
    }

    private void dropTable(DdlStatement.DropTable s, DdlSession session) {
        if (s.table().path()) {
            throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT, "DROP TABLE does not delete tables named by path ("
                    + s.table() + "); delete the directory instead");
        }
        Target t = target(s.table(), session);
        if (!exists(t)) {
            if (s.ifExists()) {
                return;
            }
            throw new TarnException(ErrorCode.TABLE_NOT_FOUND, "Table " + t.displayName() + " not found");
        }
        deleteTree(catalog.fileIO(), t.location());
        catalog.forget(t.location());
    }

    /**
     * Deletes a directory and everything below it through FileIO: the log first, so that a drop interrupted
     * half-way leaves no table that appears valid but lacks data files, then the files, then the empty directories.
     */
    static void deleteTree(FileIO io, String directory) {
        List<FileEntry> files = new ArrayList<>(io.listRecursively(directory));
        files.sort((a, b) -> Boolean.compare(!a.location().contains("/_delta_log/"), !b.location().contains("/_delta_log/")));
        for (FileEntry f : files) {
            io.delete(f.location());
        }
        deleteEmptyDirectories(io, directory);
    }

    private static void deleteEmptyDirectories(FileIO io, String directory) {
        for (FileEntry e : io.list(directory)) {
            if (e.directory()) {
                deleteEmptyDirectories(io, e.location());
            }
        }
        io.delete(directory);
    }

    private StringTable showSchemas() {
        List<List<String>> rows = new ArrayList<>();
        for (String s : catalog.schemaNames()) {
            rows.add(List.of(s));
        }
        return new StringTable(List.of("namespace"), rows);
    }

    private StringTable showTables(DdlStatement.ShowTables s, DdlSession session) {
        String schema = s.schema().orElse(session.currentSchema());
        String dir = catalog.schemaDirectoryName(schema).orElseThrow(() -> new TarnException(
                ErrorCode.SCHEMA_NOT_FOUND, "Schema " + schema + " not found"));
        List<List<String>> rows = new ArrayList<>();
        for (String t : catalog.tableNames(dir)) {
            rows.add(List.of(dir, t));
        }
        return new StringTable(List.of("namespace", "tableName"), rows);
    }

    /** A handle on the latest version of a table that must exist. */
    private DeltaTableHandle existing(TableName name, DdlSession session) {
        Target t = target(name, session);
        if (!exists(t)) {
            throw new TarnException(ErrorCode.TABLE_NOT_FOUND, "Table " + t.displayName() + " not found");
        }
        return catalog.open(t.location(), t.displayName());
    }

    private StringTable describe(DdlStatement.Describe s, DdlSession session) {
        DeltaTableHandle h = existing(s.table(), session);
        List<List<String>> rows = new ArrayList<>();
        for (StructField f : h.schema().fields()) {
            rows.add(row(f.name(), f.type().sqlName(), f.comment()));
        }
        if (!h.partitionColumns().isEmpty()) {
            // Spark's layout: a header row, a column-title row, then the partition columns.
            rows.add(row("# Partition Information", "", ""));
            rows.add(row("# col_name", "data_type", "comment"));
            for (String p : h.partitionColumns()) {
                StructField f = h.schema().field(p).orElseThrow();
                rows.add(row(f.name(), f.type().sqlName(), f.comment()));
            }
        }
        return new StringTable(List.of("col_name", "data_type", "comment"), rows);
    }

    private static List<String> row(String a, String b, String c) {
        List<String> r = new ArrayList<>(3);
        r.add(a);
        r.add(b);
        r.add(c);
        return r;
    }

    private static void checkName(String name, String what) {
        if (name.contains("/") || name.contains("\\") || name.startsWith(".") || name.startsWith("_")
                || name.isBlank()) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Invalid " + what + " name '" + name
                    + "': it may not contain '/' or '\\' nor start with '.' or '_'");
        }
    }
}
