package dev.tarn.query.internal.sql;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.catalog.DeltaTableHandle;
import dev.tarn.query.internal.catalog.LakeCatalog;
import dev.tarn.query.internal.catalog.TableHandle;
import dev.tarn.txlog.action.Metadata;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Schema evolution for {@code INSERT INTO t <query>} when the session asked for it ({@code SET
 * spark.databricks.delta.schema.autoMerge.enabled = true}): a query with more columns than the table adds the extra
 * ones (named and typed as the query returns them, nullable) to the end of the table's schema, in the same commit as
 * the rows, as delta-spark's mergeSchema does. Without it, such an INSERT is an error.
 */
public final class SchemaEvolution {
    private SchemaEvolution() {}

    /**
     * The session state to plan {@code sql} with: when it is an INSERT without a column list whose query returns
     * more columns than the target table, one whose catalog resolves the target to the table with the evolved
     * schema; otherwise empty (plan as usual).
     */
    public static Optional<SessionState> forInsert(String sql, SessionState state, SqlEngine engine) {
        requireNonNull(sql, "sql is null");
        requireNonNull(state, "state is null");
        String quoted = SparkDialect.quoteDefaultSchema(sql);
        SqlNode parsed;
        try {
            parsed = SqlParser.create(quoted, SparkDialect.PARSER).parseStmt();
        } catch (SqlParseException e) {
            return Optional.empty(); // the engine reports it
        }
        if (!(parsed instanceof SqlInsert insert) || insert.getTargetColumnList() != null
                || !(insert.getTargetTable() instanceof SqlIdentifier target)) {
            return Optional.empty();
        }
        Optional<TableHandle> resolved = resolve(target, state);
        if (resolved.isEmpty() || !(resolved.get() instanceof DeltaTableHandle handle)) {
            return Optional.empty();
        }
        String source = sourceText(quoted, insert.getSource().getParserPosition());
        if (source == null) {
            return Optional.empty();
        }
        PlannedStatement planned = engine.plan(source, state);
        List<ResultColumn> columns = planned.columns();
        StructType schema = handle.schema();
        if (columns.size() <= schema.size()) {
            return Optional.empty();
        }
        Metadata metadata = handle.snapshot().metadata();
        Map<String, String> configuration = new LinkedHashMap<>(metadata.configuration());
        boolean mapped = !configuration.getOrDefault(Metadata.COLUMN_MAPPING_MODE, "none").equalsIgnoreCase("none");
        long maxId = Long.parseLong(configuration.getOrDefault(Metadata.COLUMN_MAPPING_MAX_ID, "0").trim());
        List<StructField> fields = new ArrayList<>(schema.fields());
        for (ResultColumn c : columns.subList(schema.size(), columns.size())) {
            if (schema.field(c.name()).isPresent() || fields.stream().anyMatch(f -> f.name().equalsIgnoreCase(c.name()))) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "Schema evolution cannot add column " + c.name()
                        + " to table " + handle.displayName() + ": the INSERT's query returns that name twice or the table"
                        + " has it already; alias the extra columns with new names");
            }
            if (c.type() == PrimitiveType.VOID) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "Schema evolution cannot add column " + c.name()
                        + " to table " + handle.displayName() + ": its type is unknown (NULL); CAST it to a type");
            }
            Map<String, Object> md = new LinkedHashMap<>();
            if (mapped) {
                md.put(StructField.COLUMN_MAPPING_ID, ++maxId);
                md.put(StructField.COLUMN_MAPPING_PHYSICAL_NAME, "col-" + UUID.randomUUID());
            }
            if (c.type().isNested() && mapped) {
                throw new TarnException(ErrorCode.UNSUPPORTED_FEATURE, "Schema evolution cannot add nested column "
                        + c.name() + " to column-mapped table " + handle.displayName() + "; use ALTER TABLE ADD COLUMNS");
            }
            fields.add(new StructField(c.name(), c.type(), true, md));
        }
        if (mapped) {
            configuration.put(Metadata.COLUMN_MAPPING_MAX_ID, Long.toString(maxId));
        }
        Metadata evolved = metadata.withSchema(new StructType(fields)).withConfiguration(configuration);
        DeltaTableHandle evolvedHandle = handle.withEvolvedMetadata(evolved);
        return Optional.of(new SessionState(new EvolvedCatalog(state.catalog(), evolvedHandle), state.currentSchema(),
                state.timeZone()));
    }

    /**
     * The INSERT's query: from where the parser says it starts to the end of the statement (it is the statement's
     * last part), without a trailing semicolon.
     */
    private static String sourceText(String sql, SqlParserPos pos) {
        int line = 1;
        int offset = 0;
        while (line < pos.getLineNum() && offset < sql.length()) {
            if (sql.charAt(offset++) == '\n') {
                line++;
            }
        }
        offset += pos.getColumnNum() - 1;
        if (offset < 0 || offset >= sql.length()) {
            return null;
        }
        String text = sql.substring(offset).strip();
        if (text.endsWith(";")) {
            text = text.substring(0, text.length() - 1).strip();
        }
        return text;
    }

    private static Optional<TableHandle> resolve(SqlIdentifier target, SessionState state) {
        List<String> names = target.names;
        if (names.size() == 1) {
            return state.catalog().table(state.currentSchema(), names.get(0));
        }
        if (names.size() == 2) {
            if (names.get(0).equalsIgnoreCase(LakeSchemas.PATH_SCHEMA)) {
                return state.catalog().tableByPath(names.get(1));
            }
            return state.catalog().table(names.get(0), names.get(1));
        }
        return Optional.empty();
    }

    /** The session's catalog, except that the INSERT's target resolves to its evolved handle. */
    private static final class EvolvedCatalog implements LakeCatalog {
        private final LakeCatalog delegate;
        private final DeltaTableHandle target;

        EvolvedCatalog(LakeCatalog delegate, DeltaTableHandle target) {
            this.delegate = delegate;
            this.target = target;
        }

        @Override
        public List<String> schemaNames() {
            return delegate.schemaNames();
        }

        @Override
        public boolean schemaExists(String schema) {
            return delegate.schemaExists(schema);
        }

        @Override
        public List<String> tableNames(String schema) {
            return delegate.tableNames(schema);
        }

        @Override
        public Optional<TableHandle> table(String schema, String table) {
            return swap(delegate.table(schema, table));
        }

        @Override
        public Optional<TableHandle> tableByPath(String path) {
            return swap(delegate.tableByPath(path));
        }

        private Optional<TableHandle> swap(Optional<TableHandle> h) {
            if (h.isPresent() && h.get() instanceof DeltaTableHandle d && d.timeTravel().isEmpty()
                    && d.location().equals(target.location()) && d.version() == target.version()
                    && d.displayName().toLowerCase(Locale.ROOT).equals(target.displayName().toLowerCase(Locale.ROOT))) {
                return Optional.of(target);
            }
            return h;
        }
    }
}
