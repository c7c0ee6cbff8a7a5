package dev.tarn.query.internal.sql;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.catalog.TableHandle;
import dev.tarn.query.internal.dml.DmlStatement;
import dev.tarn.query.internal.dml.merge.MergeStatement;
import dev.tarn.query.internal.expression.ColumnRef;
import dev.tarn.query.internal.expression.Expr;
import dev.tarn.query.internal.operator.NotNullCheckOperator;
import dev.tarn.query.internal.operator.ProjectOperator;
import dev.tarn.query.internal.operator.ValuesOperator;
import dev.tarn.query.internal.plan.ExplainAnalyzeOperator;
import dev.tarn.query.internal.plan.KernelRexExecutor;
import dev.tarn.query.internal.plan.PlanNode;
import dev.tarn.query.internal.plan.RelToPhysical;
import dev.tarn.query.internal.plan.TypeMapping;
import dev.tarn.txlog.types.StructField;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.config.NullCollation;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexExecutor;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.runtime.CalciteException;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;
import org.apache.calcite.sql2rel.RelDecorrelator;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;
import org.apache.calcite.tools.RelBuilder;

/**
 * Tarn's SQL engine: Calcite parses (Spark-like dialect, see {@link SparkDialect}), validates against the lake's
 * catalog, converts to relational algebra and rewrites it with a heuristic planner; {@link RelToPhysical} turns the
 * result into Tarn's own vectorized operators. Calcite never executes anything (no Enumerable, no generated code);
 * metadata goes through shared reflective proxies ({@link SharedMetadataHandlers}) so cold planning does not compile
 * Janino handlers.
 * Thread-safe: all per-statement state lives in {@link #plan}.
 */
public final class CalciteSqlEngine implements SqlEngine {
    /**
     * Calcite's configuration, initialized on first planning only: statements that never reach Calcite (DDL, literal
     * INSERT, DML) do not load its operator tables, and a warm-up thread can load them while such statements run.
     */
    static final class Setup {
        static final SqlOperatorTable OPERATORS = SqlOperatorTables.chain(SqlStdOperatorTable.instance(),
                SqlOperatorTables.of(SqlLibraryOperators.CONCAT_FUNCTION, SqlLibraryOperators.LENGTH,
                        SqlLibraryOperators.IF, SqlLibraryOperators.NVL, SqlLibraryOperators.IFNULL,
                        SqlLibraryOperators.LEFT, SqlLibraryOperators.RIGHT, SqlLibraryOperators.LTRIM,
                        SqlLibraryOperators.RTRIM, SqlLibraryOperators.STARTS_WITH, SqlLibraryOperators.ENDS_WITH,
                        SqlLibraryOperators.REVERSE, SqlLibraryOperators.DATE_ADD_SPARK,
                        SqlLibraryOperators.DATE_SUB_SPARK, SqlLibraryOperators.ADD_MONTHS,
                        SqlLibraryOperators.TRY_CAST, SparkFunctions.DATEDIFF, SparkFunctions.DATE_TRUNC));

        static final SqlValidator.Config VALIDATOR = SqlValidator.Config.DEFAULT
                .withConformance(SparkDialect.CONFORMANCE)
                .withDefaultNullCollation(NullCollation.LOW)
                .withIdentifierExpansion(true)
                .withTypeCoercionEnabled(true);

        static final SqlToRelConverter.Config SQL_TO_REL = SqlToRelConverter.config()
                .withTrimUnusedFields(true)
                .withExpand(false)
                .withDecorrelationEnabled(true)
                .withInSubQueryThreshold(Integer.MAX_VALUE);

        static final CalciteConnectionConfig CONNECTION = connectionConfig();

        private Setup() {}

        private static CalciteConnectionConfig connectionConfig() {
            Properties p = new Properties();
            p.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "false");
            return new CalciteConnectionConfigImpl(p);
        }
    }

    /** The heuristic programs (rules from {@link CalciteRules}, not CoreRules), initialized on first planning. */
    private static final class Programs {
        static final HepProgram SUB_QUERIES = new HepProgramBuilder()
                .addRuleInstance(CalciteRules.FILTER_SUB_QUERY_TO_CORRELATE)
                .addRuleInstance(CalciteRules.PROJECT_SUB_QUERY_TO_CORRELATE)
                .addRuleInstance(CalciteRules.JOIN_SUB_QUERY_TO_CORRELATE)
                .build();

        /** Window functions (RexOver inside projections) become Window rels between two projections. */
        static final HepProgram WINDOWS = new HepProgramBuilder()
                .addRuleInstance(CalciteRules.PROJECT_TO_LOGICAL_PROJECT_AND_WINDOW)
                .build();

        static final HepProgram OPTIMIZE = new HepProgramBuilder()
                .addMatchOrder(HepMatchOrder.BOTTOM_UP)
                .addRuleCollection(List.of(
                        CalciteRules.UNION_TO_DISTINCT,
                        CalciteRules.INTERSECT_TO_DISTINCT,
                        CalciteRules.MINUS_TO_DISTINCT,
                        CalciteRules.UNION_MERGE,
                        CalciteRules.FILTER_MERGE,
                        CalciteRules.FILTER_INTO_JOIN,
                        CalciteRules.JOIN_CONDITION_PUSH,
                        CalciteRules.JOIN_PUSH_EXPRESSIONS,
                        CalciteRules.FILTER_PROJECT_TRANSPOSE,
                        CalciteRules.FILTER_AGGREGATE_TRANSPOSE,
                        CalciteRules.FILTER_SET_OP_TRANSPOSE,
                        CalciteRules.FILTER_REDUCE_EXPRESSIONS,
                        CalciteRules.PROJECT_REDUCE_EXPRESSIONS,
                        CalciteRules.PROJECT_MERGE,
                        CalciteRules.PROJECT_REMOVE,
                        CalciteRules.AGGREGATE_PROJECT_MERGE))
                .build();

        static final HepProgram AFTER_TRIM = new HepProgramBuilder()
                .addMatchOrder(HepMatchOrder.BOTTOM_UP)
                .addRuleCollection(List.of(
                        CalciteRules.FILTER_PROJECT_TRANSPOSE,
                        CalciteRules.PROJECT_MERGE,
                        CalciteRules.PROJECT_REMOVE))
                .build();

        private Programs() {}
    }

    /**
     * Queries shaped like typical first ones (filter, aggregation, casts), over the warm-up catalog's stand-in table
     * and over literals; planned only, nothing is read.
     */
    private static final List<String> WARM_UP = List.of(
            "SELECT kind, COUNT(*) AS n, SUM(id) AS total, MAX(CAST(amount AS STRING)) AS m FROM " + WARM_UP_TABLE
                    + " WHERE amount >= 0 AND kind <> 'z' AND created IS NOT NULL GROUP BY kind ORDER BY kind",
            "SELECT COUNT(*) AS n, SUM(a) AS total FROM (VALUES (1, 'x', 0.5), (2, 'y', 1.5)) AS t(a, b, c) "
                    + "WHERE c >= 0 GROUP BY a % 2");

    public CalciteSqlEngine() {}

    @Override
    public void warmUp(SessionState session) {
        for (String sql : WARM_UP) {
            plan(sql, session);
        }
    }

    /**
     * {@code EXPLAIN [ANALYZE] statement} (Spark's form) and the standard {@code EXPLAIN PLAN FOR statement}, both
     * answered with Tarn's physical plan.
     */
    private static final java.util.regex.Pattern EXPLAIN = java.util.regex.Pattern.compile(
            "^\\s*EXPLAIN(\\s+ANALYZE)?(\\s+PLAN\\s+FOR)?\\s+", java.util.regex.Pattern.CASE_INSENSITIVE);

    @Override
    public PlannedStatement plan(String sql, SessionState session) {
        requireNonNull(sql, "sql is null");
        requireNonNull(session, "session is null");
        java.util.regex.Matcher explain = EXPLAIN.matcher(sql);
        if (explain.find()) {
            return explain(plan(sql.substring(explain.end()), session), explain.group(1) != null, session);
        }
        java.util.Optional<PlannedStatement> dml = DmlStatement.plan(sql, session, this);
        if (dml.isPresent()) {
            return dml.get();
        }
        java.util.Optional<PlannedStatement> merge = MergeStatement.plan(sql, session, this);
        if (merge.isPresent()) {
            return merge.get();
        }
        PlannedStatement literalInsert = LiteralInsert.plan(sql, session);
        if (literalInsert != null) {
            return literalInsert; // INSERT ... VALUES of plain literals: neither Calcite's parser nor its planner
        }
        SqlNode parsed;
        try {
            parsed = SqlParser.create(SparkDialect.quoteDefaultSchema(sql), SparkDialect.PARSER).parseStmt();
        } catch (SqlParseException e) {
            throw SqlErrors.parse(e, sql);
        }
        if (!parsed.getKind().belongsTo(SqlKind.QUERY) && parsed.getKind() != SqlKind.INSERT) {
            throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT,
                    "Statement " + parsed.getKind() + " is not supported by the SQL engine");
        }
        parsed = SparkDialect.rewrite(parsed);
        List<String> sparkNames = SparkColumnNames.of(parsed);
        try {
            return planValidated(parsed, sql, session, sparkNames);
        } catch (CalciteContextException e) {
            throw SqlErrors.validation(e, sql, session.catalog());
        } catch (CalciteException e) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, e.getMessage(), e);
        }
    }

    private PlannedStatement planValidated(SqlNode parsed, String sql, SessionState session, List<String> sparkNames) {
        LakeSchemas schemas = new LakeSchemas(session.catalog());
        SchemaPlus root = schemas.root();
        JavaTypeFactoryImpl typeFactory = new JavaTypeFactoryImpl(TarnTypeSystem.INSTANCE) {
            // Strings are Unicode (Calcite's default is ISO-8859-1, which rejects most non-Latin literals).
            @Override
            public java.nio.charset.Charset getDefaultCharset() {
                return java.nio.charset.StandardCharsets.UTF_8;
            }
        };
        List<String> defaultPath = new ArrayList<>();
        for (String s : session.catalog().schemaNames()) {
            if (s.equalsIgnoreCase(session.currentSchema())) {
                defaultPath.add(s);
            }
        }
        CalciteCatalogReader reader = new CalciteCatalogReader(CalciteSchema.from(root), defaultPath, typeFactory,
                Setup.CONNECTION);
        SqlValidator validator = SqlValidatorUtil.newValidator(Setup.OPERATORS, reader, typeFactory, Setup.VALIDATOR);
        boolean selectStar = SparkDialect.hasSelectStar(parsed);
        SqlNode validated;
        CalciteContextException firstError = null;
        try {
            validated = validator.validate(parsed);
        } catch (CalciteContextException e) {
            // A star that included hidden columns may be what failed (INSERT INTO a SELECT * FROM b when their
            // _metadata types differ): retried below without them.
            if (schemas.hiddenNames().isEmpty() || !selectStar) {
                throw e;
            }
            validated = null;
            firstError = e;
        }
        // Hidden columns (Spark's _metadata) are selectable by name but not part of SELECT *: once validation has
        // resolved the tables, validate again with every star excluding them (validation rewrote the first tree).
        java.util.Set<String> hidden = schemas.hiddenNames();
        if (!hidden.isEmpty() && selectStar) {
            // A star over a subquery or CTE (already without the hidden columns) fails to exclude them, at the
            // star's position: keep that star whole and validate again, once per such star.
            java.util.Set<Long> kept = new java.util.HashSet<>();
            while (true) {
                java.util.Set<Long> excluded = new java.util.HashSet<>();
                SqlNode again = SparkDialect.excludeFromStars(reparse(sql), hidden, kept, excluded);
                SqlValidator second = SqlValidatorUtil.newValidator(Setup.OPERATORS, reader, typeFactory, Setup.VALIDATOR);
                try {
                    validated = second.validate(again);
                    validator = second;
                    break;
                } catch (CalciteContextException e) {
                    long at = SparkDialect.starKey(e.getPosLine(), e.getPosColumn());
                    if (excluded.contains(at) && kept.add(at)) {
                        continue;
                    }
                    // A star over tables none of which has the hidden columns: keep the first validation.
                    if (firstError != null) {
                        throw firstError;
                    }
                    break;
                }
            }
        }
        List<ResultColumn> parameters = parameters(validator.getParameterRowType(validated));

        // Constant folding with Tarn's kernels (never Calcite's code-generating executor).
        RexExecutor folding = new KernelRexExecutor(session.timeZone());
        HepPlanner planner = new HepPlanner(Programs.SUB_QUERIES);
        planner.setExecutor(folding);
        RexBuilder rexBuilder = new RexBuilder(typeFactory);
        RelOptCluster cluster = RelOptCluster.create(planner, rexBuilder);
        cluster.setMetadataQuerySupplier(
                () -> new RelMetadataQuery(SharedMetadataHandlers.INSTANCE));
        SqlToRelConverter converter = new SqlToRelConverter((rowType, queryString, schemaPath, viewPath) -> {
            throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT, "Views are not supported");
        }, validator, reader, cluster, StandardConvertletTable.INSTANCE, Setup.SQL_TO_REL);
        RelRoot relRoot = converter.convertQuery(validated, false, true);

        RelNode converted = ExistsToJoin.rewrite(relRoot.rel, rexBuilder);
        planner.setRoot(ValuesLiterals.normalize(converted, rexBuilder));
        RelNode rel = planner.findBestExp();
        RelBuilder relBuilder = RelFactories.LOGICAL_BUILDER.create(cluster, reader);
        rel = RelDecorrelator.decorrelateQuery(rel, relBuilder);
        rel = converter.trimUnusedFields(true, rel);
        rel = relRoot.withRel(rel).project();
        rel = pullCommonFactors(rel, rexBuilder);
        HepPlanner windows = new HepPlanner(Programs.WINDOWS);
        windows.setRoot(rel);
        rel = windows.findBestExp();

        HepPlanner optimizer = new HepPlanner(Programs.OPTIMIZE);
        optimizer.setExecutor(folding);
        optimizer.setRoot(rel);
        rel = optimizer.findBestExp();
        rel = dev.tarn.query.internal.optimizer.JoinReorder.reorder(rel, CalciteSqlEngine::handleOf);
        RelNode reduced = dev.tarn.query.internal.optimizer.SemiJoinReduction.apply(rel, CalciteSqlEngine::handleOf);
        if (reduced != rel) {
            // A semi join reads every column of the input it filters: trimming restores the scan's projection,
            // and filters go back below the projections it adds, onto their scans.
            HepPlanner trimmed = new HepPlanner(Programs.AFTER_TRIM);
            trimmed.setRoot(converter.trimUnusedFields(true, reduced));
            rel = trimmed.findBestExp();
        }

        RelToPhysical physical = new RelToPhysical(rexBuilder, CalciteSqlEngine::handleOf);
        if (rel instanceof TableModify modify) {
            return planInsert(modify, physical, parameters, session);
        }
        if (reduced == rel) {
            // Again after the rewrites, which leave joins carrying columns nobody reads (TPC-H Q13 built o_comment).
            rel = converter.trimUnusedFields(true, rel);
        }
        PlanNode plan = physical.convert(rel);
        plan = RelToPhysical.gathered(rename(plan, relRoot.validatedRowType, sparkNames));
        return new QueryStatement(plan, parameters, session.timeZone());
    }

    /**
     * Factors conjuncts common to every branch of an OR out of filter and join conditions (TPC-H Q19 repeats its
     * join key in each branch): only then can the key become a hash-join key instead of a cross product's filter.
     */
    private static RelNode pullCommonFactors(RelNode rel, RexBuilder rexBuilder) {
        return rel.accept(new RelShuttleImpl() {
            @Override
            public RelNode visit(LogicalFilter filter) {
                LogicalFilter f = (LogicalFilter) super.visit(filter);
                RexNode condition = RexUtil.pullFactors(rexBuilder, f.getCondition());
                return condition.equals(f.getCondition()) ? f : f.copy(f.getTraitSet(), f.getInput(), condition);
            }

            @Override
            public RelNode visit(LogicalJoin join) {
                LogicalJoin j = (LogicalJoin) super.visit(join);
                RexNode condition = RexUtil.pullFactors(rexBuilder, j.getCondition());
                return condition.equals(j.getCondition()) ? j
                        : j.copy(j.getTraitSet(), condition, j.getLeft(), j.getRight(), j.getJoinType(), j.isSemiJoinDone());
            }
        });
    }

    /**
     * EXPLAIN: the physical plan as rows of one STRING column {@code plan}, one operator per line, indented by depth.
     * EXPLAIN ANALYZE runs the query when the result is read and reports per-operator counters instead.
     */
    private static PlannedStatement explain(PlannedStatement inner, boolean analyze, SessionState session) {
        List<ResultColumn> columns = ExplainAnalyzeOperator.COLUMNS;
        if (inner instanceof QueryStatement query && analyze) {
            PlanNode plan = query.plan();
            return new QueryStatement(new PlanNode("ExplainAnalyze", columns, List.of(),
                    (ops, b) -> new ExplainAnalyzeOperator(plan, b)), inner.parameters(), session.timeZone());
        }
        if (analyze) {
            throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT,
                    "EXPLAIN ANALYZE runs queries only; use EXPLAIN to see the plan of an INSERT");
        }
        String text = inner instanceof QueryStatement query ? query.explain()
                : inner instanceof DmlStatement dml ? dml.explain()
                : inner instanceof MergeStatement merge ? merge.explain() : ((InsertStatement) inner).explain();
        List<List<Object>> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            rows.add(List.of(line));
        }
        return new QueryStatement(new PlanNode("Explain", columns, List.of(),
                (ops, b) -> new ValuesOperator(columns, rows)), inner.parameters(), session.timeZone());
    }

    private static SqlNode reparse(String sql) {
        try {
            return SparkDialect.rewrite(SqlParser.create(SparkDialect.quoteDefaultSchema(sql), SparkDialect.PARSER).parseStmt());
        } catch (SqlParseException e) {
            throw SqlErrors.parse(e, sql);
        }
    }

    private static TableHandle handleOf(TableScan scan) {
        return handleOf(scan.getTable());
    }

    private static TableHandle handleOf(RelOptTable table) {
        LakeSchemas.LakeTable t = table.unwrap(LakeSchemas.LakeTable.class);
        if (t == null) {
            throw new TarnException(ErrorCode.INTERNAL_ERROR, "Not a lake table: " + table.getQualifiedName());
        }
        return t.handle();
    }

    private static List<ResultColumn> parameters(RelDataType rowType) {
        List<ResultColumn> out = new ArrayList<>();
        int i = 1;
        for (RelDataTypeField f : rowType.getFieldList()) {
            out.add(new ResultColumn("?" + i++, TypeMapping.toTarn(f.getType()), true));
        }
        return out;
    }

    /**
     * Result columns carry the names the validator gave them (aliases and column names), except that unaliased
     * expressions, which Calcite calls EXPR$n, are named as Spark names them (see {@link SparkColumnNames}).
     */
    private static PlanNode rename(PlanNode plan, RelDataType validatedRowType, List<String> sparkNames) {
        List<RelDataTypeField> fields = validatedRowType.getFieldList();
        List<ResultColumn> columns = new ArrayList<>();
        boolean same = true;
        boolean useSpark = sparkNames.size() == fields.size();
        for (int i = 0; i < fields.size(); i++) {
            ResultColumn c = plan.columns().get(i);
            String name = fields.get(i).getName();
            if (useSpark && sparkNames.get(i) != null && name.startsWith("EXPR$")) {
                name = sparkNames.get(i);
            }
            ResultColumn renamed = new ResultColumn(name, c.type(), c.nullable());
            same &= renamed.equals(c);
            columns.add(renamed);
        }
        if (same) {
            return plan;
        }
        List<Expr> refs = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            refs.add(new ColumnRef(i, columns.get(i).type()));
        }
        return PlanNode.streaming("Output" + columns.stream().map(ResultColumn::name).toList(), columns, List.of(plan),
                0, (ops, b) -> new ProjectOperator(ops.get(0), refs, columns, b));
    }

    private PlannedStatement planInsert(TableModify modify, RelToPhysical physical, List<ResultColumn> parameters,
                                        SessionState session) {
        if (modify.getOperation() != TableModify.Operation.INSERT) {
            throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT, modify.getOperation() + " is not supported yet");
        }
        TableHandle target = handleOf(modify.getTable());
        List<ResultColumn> targetColumns = new ArrayList<>();
        for (StructField f : target.schema().fields()) {
            // Generated and identity columns may be left out: the write checks compute them, then check NOT NULL.
            targetColumns.add(new ResultColumn(f.name(), f.type(),
                    f.nullable() || dev.tarn.query.internal.write.WriteChecks.isComputed(f)));
        }
        PlanNode source = physical.convert(modify.getInput());
        if (source.columns().size() < targetColumns.size()) {
            throw new TarnException(ErrorCode.INTERNAL_ERROR, "INSERT source has " + source.columns().size()
                    + " columns, table " + target.displayName() + " has " + targetColumns.size());
        }
        if (source.columns().size() > targetColumns.size()) {
            // Calcite's target row ends with the hidden columns (NULL here); the table takes the visible ones.
            source = physical.castTo(source, targetColumns, true);
        }
        PlanNode shaped = physical.castTo(source, targetColumns);
        PlanNode checked = new PlanNode("NotNullCheck", targetColumns, List.of(RelToPhysical.gathered(shaped)),
                (ops, b) -> new NotNullCheckOperator(ops.get(0), target.displayName(), targetColumns));
        return new InsertStatement(target, checked, parameters, session.timeZone());
    }
}
