package dev.tarn.query.internal.dml;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.catalog.DeltaTableHandle;
import dev.tarn.query.internal.catalog.LakeCatalog;
import dev.tarn.query.internal.catalog.TableHandle;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.sql.PlannedStatement;
import dev.tarn.query.internal.sql.SessionState;
import dev.tarn.query.internal.sql.SqlEngine;
import dev.tarn.txlog.ScanFile;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A planned DELETE, UPDATE, TRUNCATE, INSERT OVERWRITE or INSERT ... REPLACE WHERE. Each execution resolves the
 * target afresh (so a prepared statement always changes the latest version), finds the affected rows with an
 * ordinary query over the target's {@code _metadata} columns, and commits them through one {@link RowLevelWrite}.
 * Returns the affected row count like JDBC's executeUpdate (rows deleted, updated or inserted; 0 for TRUNCATE).
 */
public final class DmlStatement implements PlannedStatement {
    private final DmlSyntax.Statement statement;
    private final SqlEngine engine;
    private final SessionState session;
    private final List<ResultColumn> parameters;

    private DmlStatement(DmlSyntax.Statement statement, SqlEngine engine, SessionState session) {
        this.statement = requireNonNull(statement, "statement is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.session = requireNonNull(session, "session is null");
        // Planning once up front reports errors at prepare time and tells how many parameters there are.
        this.parameters = new Run(null).parameters();
    }

    /** The row-level statement {@code sql} is, planned; empty when it is not one (then it is a query or INSERT). */
    public static Optional<PlannedStatement> plan(String sql, SessionState session, SqlEngine engine) {
        return DmlSyntax.parse(sql).map(s -> new DmlStatement(s, engine, session));
    }

    @Override
    public Kind kind() {
        return Kind.INSERT;
    }

    @Override
    public List<ResultColumn> parameters() {
        return parameters;
    }

    @Override
    public List<ResultColumn> columns() {
        return List.of();
    }

    @Override
    public Operator bindQuery(List<?> values) {
        throw new TarnException(ErrorCode.INTERNAL_ERROR, "bindQuery called on " + statement.kind());
    }

    @Override
    public long executeInsert(List<?> values, ExecutionContext context) {
        requireNonNull(values, "values is null");
        requireNonNull(context, "context is null");
        return new Run(context).execute(values);
    }

    /** Human-readable summary for EXPLAIN. */
    public String explain() {
        return statement.kind() + "[" + statement.table() + "]" + statement.condition().map(c -> " WHERE " + c).orElse("");
    }

    /** One planning (and, with a context, execution) of the statement against freshly resolved tables. */
    private final class Run {
        private final ExecutionContext context;
        private final DmlTarget target;
        private final SessionState pinned;

        Run(ExecutionContext context) {
            this.context = context;
            this.target = new DmlTarget(resolveTarget());
            this.pinned = new SessionState(target.pin(session.catalog()), session.currentSchema(), session.timeZone());
        }

        private DeltaTableHandle resolveTarget() {
            List<TableHandle> seen = new ArrayList<>();
            LakeCatalog c = session.catalog();
            LakeCatalog recording = new LakeCatalog() {
                @Override
                public List<String> schemaNames() {
                    return c.schemaNames();
                }

                @Override
                public boolean schemaExists(String schema) {
                    return c.schemaExists(schema);
                }

                @Override
                public List<String> tableNames(String schema) {
                    return c.tableNames(schema);
                }

                @Override
                public Optional<TableHandle> table(String schema, String name) {
                    Optional<TableHandle> h = c.table(schema, name);
                    h.ifPresent(seen::add);
                    return h;
                }

                @Override
                public Optional<TableHandle> tableByPath(String path) {
                    Optional<TableHandle> h = c.tableByPath(path);
                    h.ifPresent(seen::add);
                    return h;
                }
            };
            engine.plan("SELECT 1 FROM " + statement.table(),
                    new SessionState(recording, session.currentSchema(), session.timeZone()));
            if (seen.isEmpty() || !(seen.get(0) instanceof DeltaTableHandle d)) {
                throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT, statement.kind() + " cannot change "
                        + statement.table() + ": it is not a Delta table");
            }
            if (d.timeTravel().isPresent()) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "Cannot change " + d.displayName()
                        + ": time travel reads a past version; change the table itself");
            }
            return d;
        }

        List<ResultColumn> parameters() {
            return switch (statement.kind()) {
                case TRUNCATE -> List.of();
                case DELETE -> statement.condition().isEmpty() ? List.of() : plan(deleteQuery(false)).parameters();
                case UPDATE -> plan(updateQuery(false, false)).parameters();
                case INSERT_OVERWRITE -> plan(insertSql()).parameters();
                case REPLACE_WHERE -> {
                    List<ResultColumn> all = new ArrayList<>(plan(deleteQuery(false)).parameters());
                    all.addAll(plan(insertSql()).parameters());
                    yield all;
                }
            };
        }

        private PlannedStatement plan(String sql) {
            return engine.plan(sql, pinned);
        }

        long execute(List<?> values) {
            return switch (statement.kind()) {
                case DELETE -> delete(values);
                case TRUNCATE -> truncate();
                case UPDATE -> update(values);
                case INSERT_OVERWRITE -> overwrite(values, 0);
                case REPLACE_WHERE -> overwrite(values, plan(deleteQuery(false)).parameters().size());
            };
        }

        private Map<String, String> predicateParameter() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("predicate", "[\"" + statement.condition().orElse("true").replace("\\", "\\\\").replace("\"", "\\\"")
                    + "\"]");
            return p;
        }

        private long delete(List<?> values) {
            try (RowLevelWrite w = RowLevelWrite.begin(target.table(), "DELETE", predicateParameter(), context)) {
                if (statement.condition().isEmpty() && !w.changeDataFeed()) {
                    deleteAllFiles(w);
                } else {
                    RowSink.deleteMatches(plan(deleteQuery(w.changeDataFeed())), values, w, context,
                            ChangeType.DELETE);
                    target.registerReads(w);
                }
                return w.commit().deletedRows();
            }
        }

        private long truncate() {
            try (RowLevelWrite w = RowLevelWrite.begin(target.table(), "TRUNCATE", Map.of(), context)) {
                if (w.changeDataFeed()) {
                    RowSink.deleteMatches(plan(deleteQuery(true)), List.of(), w, context, ChangeType.DELETE);
                } else {
                    deleteAllFiles(w);
                }
                w.readWholeTable();
                w.commit();
                return 0;
            }
        }

        private void deleteAllFiles(RowLevelWrite w) {
            for (ScanFile f : w.files().values()) {
                w.deleteFile(f.location());
            }
            w.readWholeTable();
        }

        private long update(List<?> values) {
            Map<String, String> params = new LinkedHashMap<>(predicateParameter());
            try (RowLevelWrite w = RowLevelWrite.begin(target.table(), "UPDATE", params, context)) {
                long rows = RowSink.updateMatches(plan(updateQuery(w.rowTracking(), w.changeDataFeed())), values, w,
                        context, w.rowTracking());
                target.registerReads(w);
                w.setOperationMetrics(Map.of("numUpdatedRows", Long.toString(rows)));
                w.commit();
                return rows;
            }
        }

        /** INSERT OVERWRITE (no condition: every row) and REPLACE WHERE (rows matching the condition). */
        private long overwrite(List<?> values, int conditionParameters) {
            if (values.size() < conditionParameters) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "Expected at least " + conditionParameters
                        + " parameters but " + values.size() + " were given");
            }
            List<?> conditionValues = values.subList(0, conditionParameters);
            List<?> queryValues = values.subList(conditionParameters, values.size());
            Map<String, String> params = new LinkedHashMap<>();
            params.put("mode", "Overwrite");
            statement.condition().ifPresent(c -> params.putAll(predicateParameter()));
            statement.condition().ifPresent(c -> checkReplacedRowsMatch(c, conditionValues, queryValues));
            long[] inserted = {0};
            target.appender((source, ctx) -> {
                try (RowLevelWrite w = RowLevelWrite.begin(target.table(), "WRITE", params, ctx)) {
                    if (statement.condition().isEmpty()) {
                        if (w.changeDataFeed()) {
                            RowSink.deleteMatches(plan(deleteQuery(true)), List.of(), w, ctx, ChangeType.DELETE);
                        } else {
                            deleteAllFiles(w);
                        }
                        w.readWholeTable();
                    } else {
                        RowSink.deleteMatches(plan(deleteQuery(w.changeDataFeed())), conditionValues, w, ctx,
                                ChangeType.DELETE);
                        target.registerReads(w);
                    }
                    inserted[0] = RowSink.insertAll(source, w, ctx);
                    w.commit();
                    return inserted[0];
                }
            });
            return plan(insertSql()).executeInsert(queryValues, context);
        }

        /**
         * REPLACE WHERE writes only rows its condition accepts (as delta-spark's replaceWhere constraint check): a
         * row for which the condition is false or null fails the statement before anything is written.
         */
        private void checkReplacedRowsMatch(String condition, List<?> conditionValues, List<?> queryValues) {
            StringBuilder columns = new StringBuilder();
            for (StructField f : target.schema().fields()) {
                columns.append(columns.length() == 0 ? "" : ", ").append(quote(f.name()));
            }
            String sql = "SELECT COUNT(*) FROM (" + statement.query().orElseThrow() + ") AS __replaced(" + columns
                    + ") WHERE (" + condition + ") IS NOT TRUE";
            List<Object> values = new ArrayList<>(queryValues);
            values.addAll(conditionValues);
            long violations;
            try (Operator op = plan(sql).bindQuery(values)) {
                op.open(context);
                org.apache.arrow.vector.VectorSchemaRoot b = op.next();
                violations = ((org.apache.arrow.vector.BigIntVector) b.getVector(0)).get(0);
            }
            if (violations > 0) {
                throw new TarnException(ErrorCode.CHECK_VIOLATION, "INSERT INTO " + statement.table()
                        + " REPLACE WHERE " + condition + ": " + violations
                        + " of the rows to write do not satisfy the condition; they would not be replaced later");
            }
        }

        private String insertSql() {
            return "INSERT INTO " + statement.table() + " " + statement.query().orElseThrow();
        }

        /** {@code SELECT file_path, row_index [, table columns] FROM target WHERE condition}. */
        private String deleteQuery(boolean withColumns) {
            String q = statement.qualifier();
            StringBuilder sb = new StringBuilder("SELECT ").append(q).append("_metadata.file_path, ")
                    .append(q).append("_metadata.row_index");
            if (withColumns) {
                for (StructField f : target.schema().fields()) {
                    sb.append(", ").append(q).append(quote(f.name()));
                }
            }
            sb.append(" FROM ").append(statement.from());
            statement.condition().ifPresent(c -> sb.append(" WHERE ").append(c));
            return sb.toString();
        }

        /**
         * {@code SELECT file_path, row_index [, row_id], new values of every column [, old values] FROM target
         * WHERE condition}; new values are cast to the column types.
         */
        private String updateQuery(boolean rowTracking, boolean oldValues) {
            String q = statement.qualifier();
            Map<String, String> set = new LinkedHashMap<>();
            for (DmlSyntax.Assignment a : statement.assignments()) {
                StructField f = target.schema().fields().stream()
                        .filter(x -> x.name().equalsIgnoreCase(a.column())).findFirst()
                        .orElseThrow(() -> new TarnException(ErrorCode.COLUMN_NOT_FOUND, "UPDATE " + statement.table()
                                + " SET: column " + a.column() + " not found; columns are "
                                + target.schema().fields().stream().map(StructField::name).toList()));
                if (set.put(f.name().toLowerCase(Locale.ROOT), a.expression()) != null) {
                    throw new TarnException(ErrorCode.VALIDATION_ERROR, "UPDATE " + statement.table()
                            + " SET assigns column " + f.name() + " more than once");
                }
            }
            StringBuilder sb = new StringBuilder("SELECT ").append(q).append("_metadata.file_path, ")
                    .append(q).append("_metadata.row_index");
            if (rowTracking) {
                sb.append(", ").append(q).append("_metadata.row_id");
            }
            for (StructField f : target.schema().fields()) {
                String e = set.get(f.name().toLowerCase(Locale.ROOT));
                sb.append(", ");
                if (e == null) {
                    sb.append(q).append(quote(f.name()));
                } else {
                    String type = sqlType(f.type());
                    sb.append(type == null ? "(" + e + ")" : "CAST((" + e + ") AS " + type + ")");
                }
            }
            if (oldValues) {
                for (StructField f : target.schema().fields()) {
                    sb.append(", ").append(q).append(quote(f.name()));
                }
            }
            sb.append(" FROM ").append(statement.from());
            statement.condition().ifPresent(c -> sb.append(" WHERE ").append(c));
            return sb.toString();
        }
    }

    static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /** The Spark type name to cast an assigned value to, or null for nested types (assigned as they are). */
    static String sqlType(DataType type) {
        if (type instanceof DecimalType d) {
            return "DECIMAL(" + d.precision() + ", " + d.scale() + ")";
        }
        if (!(type instanceof PrimitiveType p)) {
            return null;
        }
        return switch (p) {
            case BOOLEAN -> "BOOLEAN";
            case BYTE -> "TINYINT";
            case SHORT -> "SMALLINT";
            case INTEGER -> "INT";
            case LONG -> "BIGINT";
            case FLOAT -> "FLOAT";
            case DOUBLE -> "DOUBLE";
            case STRING -> "STRING";
            case BINARY -> "BINARY";
            case DATE -> "DATE";
            case TIMESTAMP -> "TIMESTAMP";
            case TIMESTAMP_NTZ -> "TIMESTAMP_NTZ";
            case VOID -> null;
        };
    }
}
