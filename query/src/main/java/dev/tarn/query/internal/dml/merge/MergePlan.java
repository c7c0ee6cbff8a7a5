package dev.tarn.query.internal.dml.merge;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.catalog.DeltaTableHandle;
import dev.tarn.query.internal.catalog.TableHandle;
import dev.tarn.query.internal.ddl.DdlParser;
import dev.tarn.query.internal.dml.merge.MergeLayout.ClauseLayout;
import dev.tarn.query.internal.dml.merge.MergeSpec.Assignment;
import dev.tarn.query.internal.dml.merge.MergeSpec.Clause;
import dev.tarn.query.internal.dml.merge.MergeSpec.Match;
import dev.tarn.query.internal.scan.MetadataColumn;
import dev.tarn.query.internal.sql.PlannedStatement;
import dev.tarn.query.internal.sql.SessionState;
import dev.tarn.query.internal.sql.SqlEngine;
import dev.tarn.txlog.types.ArrayType;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.MapType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A MERGE planned as one query over the join of target and source, built as SQL text so that Calcite parses,
 * validates and plans every expression, the source and the join, and Tarn's operators run it:
 * <pre>
 * SELECT &lt;clause conditions IS TRUE&gt;, &lt;target row present&gt;, &lt;source row present&gt;,
 *        a.file, a.row_index [, a.row_id], [a.&lt;target columns&gt; for change data],
 *        &lt;each UPDATE and INSERT clause's new values, de-duplicated&gt;
 * FROM (SELECT &lt;target columns&gt;, _metadata.file_path AS file, _metadata.row_index AS row_index
 *       [, _metadata.row_id AS row_id] FROM target) AS a
 *   {INNER | LEFT | FULL} JOIN (SELECT &lt;source columns&gt;, TRUE AS marker FROM source) AS b ON cond
 * </pre>
 * The join is INNER with only MATCHED clauses, LEFT (target rows kept) with NOT MATCHED BY SOURCE clauses and no
 * NOT MATCHED ones, and FULL when NOT MATCHED clauses exist. The target is always the join's left, probing input,
 * so only the source is held in memory. {@link MergeLayout} says where each piece landed.
 */
final class MergePlan {
    static final String SOURCE_MARKER = "__tarn_merge_source";
    static final String CHANGE_DATA_FEED = "delta.enableChangeDataFeed";
    private static final String TARGET_FILE = "__tarn_merge_file";
    private static final String TARGET_POSITION = "__tarn_merge_row_index";
    private static final String TARGET_ROW_ID = "__tarn_merge_row_id";
    private static final String DEFAULT_TARGET_ALIAS = "__tarn_merge_target";
    private static final String DEFAULT_SOURCE_ALIAS = "__tarn_merge_source_rows";

    private final MergeSpec spec;
    private final DeltaTableHandle target;
    private final PlannedStatement query;
    private final String querySql;
    private final MergeLayout layout;
    private final Optional<StructType> evolvedSchema;
    private final String joinType;
    private final boolean changeFeed;

    private MergePlan(MergeSpec spec, DeltaTableHandle target, PlannedStatement query, String querySql,
                      MergeLayout layout, Optional<StructType> evolvedSchema, String joinType, boolean changeFeed) {
        this.spec = requireNonNull(spec, "spec is null");
        this.target = requireNonNull(target, "target is null");
        this.query = requireNonNull(query, "query is null");
        this.querySql = requireNonNull(querySql, "querySql is null");
        this.layout = requireNonNull(layout, "layout is null");
        this.evolvedSchema = requireNonNull(evolvedSchema, "evolvedSchema is null");
        this.joinType = requireNonNull(joinType, "joinType is null");
        this.changeFeed = changeFeed;
    }

    /** Whether the target has the change data feed enabled (the query then returns the old images). */
    boolean changeFeed() {
        return changeFeed;
    }

    MergeSpec spec() {
        return spec;
    }

    /** The target table, pinned at the snapshot the query reads. */
    DeltaTableHandle target() {
        return target;
    }

    /** The joined query; its columns follow {@link #layout()}. */
    PlannedStatement query() {
        return query;
    }

    String querySql() {
        return querySql;
    }

    MergeLayout layout() {
        return layout;
    }

    /** The target's new schema when the statement adds columns (schema evolution). */
    Optional<StructType> evolvedSchema() {
        return evolvedSchema;
    }

    /** INNER, LEFT or FULL. */
    String joinType() {
        return joinType;
    }

    static MergePlan build(MergeSpec spec, String statement, SessionState session, SqlEngine engine) {
        SessionState pinned = new SessionState(new PinnedCatalog(session.catalog()), session.currentSchema(),
                session.timeZone());
        DeltaTableHandle target = resolveTarget(spec, pinned);
        String targetAlias = spec.targetAlias().orElse(spec.target().path() ? DEFAULT_TARGET_ALIAS : spec.target().name());
        String sourceAlias = spec.sourceAlias().orElse(spec.sourceIsTable() && !isPath(spec.source().sql())
                ? lastPart(spec.source().sql()) : DEFAULT_SOURCE_ALIAS);
        if (targetAlias.equalsIgnoreCase(sourceAlias)) {
            throw new TarnException(ErrorCode.AMBIGUOUS_NAME, "MERGE target and source are both named '" + targetAlias
                    + "'; give one of them an alias (MERGE INTO t AS a USING s AS b ...)");
        }
        String sourceSuffix = spec.sourceAlias().isEmpty() && !spec.sourceIsTable() ? " AS " + quote(sourceAlias) : "";
        if (spec.sourceAlias().isPresent()) {
            sourceSuffix = " AS " + quote(sourceAlias);
            if (!spec.sourceColumnAliases().isEmpty()) {
                sourceSuffix += spec.sourceColumnAliases().stream().map(MergePlan::quote)
                        .reduce((x, y) -> x + ", " + y).map(s -> "(" + s + ")").orElse("");
            }
        }
        // The source's columns, for INSERT * / UPDATE SET * and schema evolution.
        QueryText probe = new QueryText().line("SELECT * FROM ", spec.source(), sourceSuffix);
        List<ResultColumn> sourceColumns = new ArrayList<>();
        for (ResultColumn c : plan(engine, probe, statement, pinned).columns()) {
            // A source's hidden _metadata (selected by a star inside a source subquery) is never a data column.
            if (!c.name().equalsIgnoreCase(MetadataColumn.NAME)) {
                sourceColumns.add(c);
            }
        }

        List<StructField> original = target.schema().fields();
        List<StructField> fields = new ArrayList<>(original);
        boolean star = spec.clauses().stream().anyMatch(c -> c.action() instanceof MergeSpec.UpdateStar
                || c.action() instanceof MergeSpec.InsertStar);
        if (spec.schemaEvolution() && star) {
            fields = evolve(target, sourceColumns);
        }
        Optional<StructType> evolved = fields.size() == original.size() ? Optional.empty()
                : Optional.of(new StructType(fields));
        List<ResultColumn> targetColumns = new ArrayList<>();
        for (StructField f : fields) {
            targetColumns.add(new ResultColumn(f.name(), f.type(), f.nullable()));
        }

        Select select = new Select();
        String a = quote(targetAlias) + ".";
        String b = quote(sourceAlias) + ".";
        List<ClauseLayout> clauses = new ArrayList<>();
        // Conditions first: they are what every row needs.
        int[] conditions = new int[spec.clauses().size()];
        for (int k = 0; k < conditions.length; k++) {
            Optional<MergeSpec.Text> c = spec.clauses().get(k).condition();
            conditions[k] = c.isEmpty() ? -1 : select.add("(", c.get(), ") IS TRUE");
        }
        int targetPresent = select.add(a + quote(TARGET_POSITION) + " IS NOT NULL");
        int sourcePresent = select.add(b + quote(SOURCE_MARKER) + " IS NOT NULL");
        int filePath = select.add(a + quote(TARGET_FILE));
        int rowIndex = select.add(a + quote(TARGET_POSITION));
        boolean rowTracking = MetadataColumn.of(target.snapshot()).type().field("row_id").isPresent();
        int rowId = rowTracking ? select.add(a + quote(TARGET_ROW_ID)) : -1;
        int[] oldImage = new int[fields.size()];
        Arrays.fill(oldImage, -1);
        boolean changeFeed = "true".equalsIgnoreCase(target.snapshot().configuration().get(CHANGE_DATA_FEED));
        // The old row goes through the join only where it is needed: for change data, and for the columns an UPDATE
        // keeps. (UPDATE SET * of a source with every column needs none of it: a narrower join.)
        if (changeFeed) {
            for (int i = 0; i < original.size(); i++) {
                oldImage[i] = select.add(a + quote(original.get(i).name()));
            }
        }
        Map<String, Integer> sourceByName = new LinkedHashMap<>();
        for (int i = 0; i < sourceColumns.size(); i++) {
            sourceByName.putIfAbsent(sourceColumns.get(i).name().toLowerCase(Locale.ROOT), i);
        }
        for (int k = 0; k < spec.clauses().size(); k++) {
            Clause clause = spec.clauses().get(k);
            MergeSpec.Action action = clause.action();
            int[] image = new int[0];
            MergeLayout.Kind kind;
            if (action instanceof MergeSpec.Delete) {
                kind = MergeLayout.Kind.DELETE;
            } else if (action instanceof MergeSpec.Update u) {
                kind = MergeLayout.Kind.UPDATE;
                image = new int[fields.size()];
                Arrays.fill(image, -1);
                boolean[] assigned = new boolean[fields.size()];
                for (Assignment as : u.assignments()) {
                    int column = assignedColumn(as, fields, targetAlias, spec, statement);
                    if (assigned[column]) {
                        throw new TarnException(ErrorCode.VALIDATION_ERROR, "MERGE UPDATE SET assigns column '"
                                + fields.get(column).name() + "' twice (" + DdlParser.positionOf(statement, as.offset()) + ")");
                    }
                    assigned[column] = true;
                    image[column] = select.add("(", as.expression(), ")");
                }
                for (int i = 0; i < original.size(); i++) {
                    if (!assigned[i]) {
                        image[i] = select.add(a + quote(original.get(i).name()));
                    }
                }
            } else if (action instanceof MergeSpec.UpdateStar) {
                kind = MergeLayout.Kind.UPDATE;
                image = new int[fields.size()];
                Arrays.fill(image, -1);
                for (int i = 0; i < fields.size(); i++) {
                    Integer s = sourceByName.get(fields.get(i).name().toLowerCase(Locale.ROOT));
                    if (s != null) {
                        image[i] = select.add(b + quote(sourceColumns.get(s).name()));
                    } else if (i < original.size() && spec.schemaEvolution()) {
                        image[i] = select.add(a + quote(original.get(i).name()));
                    } else if (!spec.schemaEvolution()) {
                        throw missingSourceColumn("UPDATE SET *", fields.get(i).name(), sourceColumns, target, clause,
                                statement);
                    }
                }
            } else if (action instanceof MergeSpec.Insert ins) {
                kind = MergeLayout.Kind.INSERT;
                image = new int[fields.size()];
                Arrays.fill(image, -1);
                boolean[] assigned = new boolean[fields.size()];
                for (int j = 0; j < ins.columns().size(); j++) {
                    int column = indexOf(fields, ins.columns().get(j));
                    if (column < 0) {
                        throw new TarnException(ErrorCode.COLUMN_NOT_FOUND, "MERGE INSERT names column '"
                                + ins.columns().get(j) + "', which table " + target.displayName() + " does not have ("
                                + DdlParser.positionOf(statement, clause.offset()) + ")");
                    }
                    if (assigned[column]) {
                        throw new TarnException(ErrorCode.VALIDATION_ERROR, "MERGE INSERT names column '"
                                + fields.get(column).name() + "' twice (" + DdlParser.positionOf(statement, clause.offset()) + ")");
                    }
                    assigned[column] = true;
                    image[column] = select.add("(", ins.values().get(j), ")");
                }
            } else {
                kind = MergeLayout.Kind.INSERT;
                image = new int[fields.size()];
                Arrays.fill(image, -1);
                for (int i = 0; i < fields.size(); i++) {
                    Integer s = sourceByName.get(fields.get(i).name().toLowerCase(Locale.ROOT));
                    if (s != null) {
                        image[i] = select.add(b + quote(sourceColumns.get(s).name()));
                    } else if (!spec.schemaEvolution()) {
                        throw missingSourceColumn("INSERT *", fields.get(i).name(), sourceColumns, target, clause,
                                statement);
                    }
                }
            }
            clauses.add(new ClauseLayout(clause.match(), kind, conditions[k], image, describe(clause)));
        }

        boolean matched = spec.clauses().stream().anyMatch(c -> c.match() == Match.MATCHED);
        boolean notMatched = spec.clauses().stream().anyMatch(c -> c.match() == Match.NOT_MATCHED);
        boolean bySource = spec.clauses().stream().anyMatch(c -> c.match() == Match.NOT_MATCHED_BY_SOURCE);
        String join = notMatched ? "FULL" : bySource ? "LEFT" : "INNER";

        QueryText query = new QueryText();
        select.appendTo(query);
        // The target's _metadata fields are taken apart before the join, which then carries three scalars per row
        // instead of the whole struct.
        StringBuilder targetSelect = new StringBuilder("FROM (SELECT ");
        for (StructField f : original) {
            targetSelect.append(quote(f.name())).append(", ");
        }
        targetSelect.append("`_metadata`.`file_path` AS ").append(quote(TARGET_FILE))
                .append(", `_metadata`.`row_index` AS ").append(quote(TARGET_POSITION));
        if (rowTracking) {
            targetSelect.append(", `_metadata`.`row_id` AS ").append(quote(TARGET_ROW_ID));
        }
        query.line(targetSelect + " FROM " + targetReference(spec, target) + ") AS " + quote(targetAlias));
        StringBuilder sourceSelect = new StringBuilder(join + " JOIN (SELECT ");
        for (ResultColumn c : sourceColumns) {
            sourceSelect.append(quote(c.name())).append(", ");
        }
        sourceSelect.append("TRUE AS ").append(quote(SOURCE_MARKER)).append(" FROM ");
        query.line(sourceSelect.toString(), spec.source(), sourceSuffix + ") AS " + quote(sourceAlias));
        query.line("ON ", spec.condition(), "");
        PlannedStatement planned = plan(engine, query, statement, pinned);
        if (planned.columns().size() != select.size()) {
            throw new TarnException(ErrorCode.INTERNAL_ERROR, "MERGE query returns " + planned.columns().size()
                    + " columns, expected " + select.size());
        }
        MergeLayout layout = new MergeLayout(targetColumns, clauses, targetPresent, sourcePresent, filePath, rowIndex,
                rowId, oldImage);
        return new MergePlan(spec, target, planned, query.toString(), layout, evolved, join, changeFeed);
    }

    private static PlannedStatement plan(SqlEngine engine, QueryText query, String statement, SessionState session) {
        try {
            PlannedStatement p = engine.plan(query.toString(), session);
            if (p.kind() != PlannedStatement.Kind.QUERY) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "A MERGE source must be a table, a query or VALUES");
            }
            return p;
        } catch (TarnException e) {
            throw query.translate(e, statement);
        }
    }

    private static DeltaTableHandle resolveTarget(MergeSpec spec, SessionState session) {
        var name = spec.target();
        Optional<TableHandle> handle = name.path() ? session.catalog().tableByPath(name.name())
                : session.catalog().table(name.schema().orElse(session.currentSchema()), name.name());
        if (handle.isEmpty()) {
            if (name.schema().isPresent() && !session.catalog().schemaExists(name.schema().get())) {
                throw new TarnException(ErrorCode.SCHEMA_NOT_FOUND, "Schema '" + name.schema().get()
                        + "' of MERGE target " + name + " not found");
            }
            throw new TarnException(ErrorCode.TABLE_NOT_FOUND, "MERGE target table '" + name + "' not found");
        }
        if (!(handle.get() instanceof DeltaTableHandle delta)) {
            throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT, "MERGE target " + name + " is not a Delta table");
        }
        if (delta.timeTravel().isPresent()) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Cannot MERGE INTO " + delta.displayName()
                    + ": time travel reads a past version; merge into the table itself");
        }
        return delta;
    }

    private static String targetReference(MergeSpec spec, DeltaTableHandle target) {
        var name = spec.target();
        if (name.path()) {
            return "delta." + quote(name.name());
        }
        return name.schema().map(s -> quote(s) + ".").orElse("") + quote(name.name());
    }

    /** The target column an UPDATE SET assignment names: {@code c}, or {@code alias.c} / {@code table.c}. */
    private static int assignedColumn(Assignment as, List<StructField> fields, String targetAlias, MergeSpec spec,
                                      String statement) {
        List<String> parts = as.column();
        String where = " (" + DdlParser.positionOf(statement, as.offset()) + ")";
        if (parts.size() > 2) {
            throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT, "MERGE UPDATE SET of a nested field ("
                    + String.join(".", parts) + ") is not supported; assign the whole column" + where);
        }
        if (parts.size() == 2 && !parts.get(0).equalsIgnoreCase(targetAlias)
                && !(spec.targetAlias().isPresent() && parts.get(0).equalsIgnoreCase(spec.target().name()))) {
            int column = indexOf(fields, parts.get(0));
            throw new TarnException(column >= 0 ? ErrorCode.UNSUPPORTED_STATEMENT : ErrorCode.COLUMN_NOT_FOUND,
                    "MERGE UPDATE SET can only assign columns of the target " + targetAlias + ", not "
                            + String.join(".", parts) + where);
        }
        String column = parts.get(parts.size() - 1);
        int index = indexOf(fields, column);
        if (index < 0) {
            throw new TarnException(ErrorCode.COLUMN_NOT_FOUND, "MERGE UPDATE SET assigns column '" + column
                    + "', which the target " + targetAlias + " does not have" + where);
        }
        return index;
    }

    private static TarnException missingSourceColumn(String action, String column, List<ResultColumn> sourceColumns,
                                                     DeltaTableHandle target, Clause clause, String statement) {
        return new TarnException(ErrorCode.COLUMN_NOT_FOUND, "MERGE " + action + " (" + DdlParser.positionOf(statement,
                clause.offset()) + ") needs a source column for every column of " + target.displayName()
                + ", but the source has no column '" + column + "' (source columns: "
                + sourceColumns.stream().map(ResultColumn::name).toList()
                + "); name the columns, or use MERGE WITH SCHEMA EVOLUTION to leave them unchanged (UPDATE) or NULL (INSERT)");
    }

    /**
     * The target's fields followed by the source's columns it lacks (nullable), as delta-spark's MERGE schema
     * evolution adds them. Under column mapping each new field gets the next column id and a fresh physical name
     * (PROTOCOL.md "Writer Requirements for Column Mapping").
     */
    private static List<StructField> evolve(DeltaTableHandle target, List<ResultColumn> sourceColumns) {
        List<StructField> fields = new ArrayList<>(target.schema().fields());
        Map<String, String> conf = target.snapshot().configuration();
        boolean mapping = !conf.getOrDefault("delta.columnMapping.mode", "none").equalsIgnoreCase("none");
        long[] nextId = {Long.parseLong(conf.getOrDefault("delta.columnMapping.maxColumnId", "0"))};
        for (ResultColumn c : sourceColumns) {
            if (indexOf(fields, c.name()) >= 0) {
                continue;
            }
            StructField f = new StructField(c.name(), c.type(), true);
            fields.add(mapping ? (StructField) withColumnMapping(f, nextId) : f);
        }
        return fields;
    }

    private static Object withColumnMapping(Object fieldOrType, long[] nextId) {
        if (fieldOrType instanceof StructField f) {
            Map<String, Object> metadata = new LinkedHashMap<>(f.metadata());
            metadata.put(StructField.COLUMN_MAPPING_ID, ++nextId[0]);
            metadata.put(StructField.COLUMN_MAPPING_PHYSICAL_NAME, "col-" + UUID.randomUUID());
            return new StructField(f.name(), (DataType) withColumnMapping(f.type(), nextId), f.nullable(), metadata);
        }
        if (fieldOrType instanceof StructType s) {
            List<StructField> out = new ArrayList<>();
            for (StructField f : s.fields()) {
                out.add((StructField) withColumnMapping(f, nextId));
            }
            return new StructType(out);
        }
        if (fieldOrType instanceof ArrayType a) {
            return new ArrayType((DataType) withColumnMapping(a.elementType(), nextId), a.containsNull());
        }
        if (fieldOrType instanceof MapType m) {
            return new MapType((DataType) withColumnMapping(m.keyType(), nextId),
                    (DataType) withColumnMapping(m.valueType(), nextId), m.valueContainsNull());
        }
        return fieldOrType;
    }

    /** The highest column id the fields use (for {@code delta.columnMapping.maxColumnId} after evolution). */
    static long maxColumnId(StructType schema) {
        long max = 0;
        for (StructField f : schema.fields()) {
            max = Math.max(max, maxColumnId(f));
        }
        return max;
    }

    private static long maxColumnId(StructField f) {
        long max = f.metadata().get(StructField.COLUMN_MAPPING_ID) instanceof Number n ? n.longValue() : 0;
        DataType t = f.type();
        while (t instanceof ArrayType || t instanceof MapType) {
            if (t instanceof ArrayType a) {
                t = a.elementType();
            } else {
                MapType m = (MapType) t;
                if (m.keyType() instanceof StructType k) {
                    max = Math.max(max, maxColumnId(k));
                }
                t = m.valueType();
            }
        }
        if (t instanceof StructType s) {
            max = Math.max(max, maxColumnId(s));
        }
        return max;
    }

    private static int indexOf(List<StructField> fields, String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private static String describe(Clause clause) {
        String action = clause.action() instanceof MergeSpec.Delete ? "DELETE"
                : clause.action() instanceof MergeSpec.UpdateStar ? "UPDATE SET *"
                : clause.action() instanceof MergeSpec.Update ? "UPDATE"
                : clause.action() instanceof MergeSpec.InsertStar ? "INSERT *" : "INSERT";
        return clause.match().sql() + clause.condition().map(c -> " AND " + c.sql()).orElse("") + " THEN " + action;
    }

    private static boolean isPath(String source) {
        return source.regionMatches(true, 0, "delta.", 0, 6) || source.regionMatches(true, 0, "delta .", 0, 7);
    }

    /** The last part of a (possibly quoted, dotted) table name, unquoted. */
    private static String lastPart(String name) {
        String s = name.strip();
        if (s.endsWith("`")) {
            int open = s.lastIndexOf('`', s.length() - 2);
            while (open > 0 && s.charAt(open - 1) == '`') {
                open = s.lastIndexOf('`', open - 2);
            }
            return s.substring(open + 1, s.length() - 1).replace("``", "`");
        }
        return s.substring(s.lastIndexOf('.') + 1).strip();
    }

    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    /** The select list: expressions de-duplicated by their text, each on its own line of the query. */
    private static final class Select {
        private final Map<String, Integer> indexes = new LinkedHashMap<>();
        private final List<Object[]> lines = new ArrayList<>();

        int add(String generated) {
            return indexes.computeIfAbsent("g:" + generated, k -> {
                lines.add(new Object[] {generated});
                return lines.size() - 1;
            });
        }

        int add(String prefix, MergeSpec.Text piece, String suffix) {
            return indexes.computeIfAbsent("u:" + prefix + piece.sql() + suffix, k -> {
                lines.add(new Object[] {prefix, piece, suffix});
                return lines.size() - 1;
            });
        }

        int size() {
            return lines.size();
        }

        void appendTo(QueryText query) {
            for (int i = 0; i < lines.size(); i++) {
                Object[] line = lines.get(i);
                String lead = i == 0 ? "SELECT " : ", ";
                String alias = " AS `__m" + i + "`";
                if (line.length == 1) {
                    query.line(lead + line[0] + alias);
                } else {
                    query.line(lead + line[0], (MergeSpec.Text) line[1], line[2] + alias);
                }
            }
        }
    }
}
