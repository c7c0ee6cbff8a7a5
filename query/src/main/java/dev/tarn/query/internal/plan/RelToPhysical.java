package dev.tarn.query.internal.plan;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.catalog.PushedFilter;
import dev.tarn.query.internal.catalog.TableHandle;
import dev.tarn.query.internal.expression.CastExpr;
import dev.tarn.query.internal.expression.Expr;
import dev.tarn.query.internal.optimizer.CardinalityEstimator;
import dev.tarn.query.internal.operator.Accumulators;
import dev.tarn.query.internal.operator.Bindings;
import dev.tarn.query.internal.operator.FilterOperator;
import dev.tarn.query.internal.operator.GatherOperator;
import dev.tarn.query.internal.operator.ParallelAggregateOperator;
import dev.tarn.query.internal.operator.ParallelSortOperator;
import dev.tarn.query.internal.operator.HashAggregateOperator;
import dev.tarn.query.internal.operator.HashJoinOperator;
import dev.tarn.query.internal.operator.LimitOperator;
import dev.tarn.query.internal.operator.MarkJoinOperator;
import dev.tarn.query.internal.operator.ProjectOperator;
import dev.tarn.query.internal.operator.ScanOperator;
import dev.tarn.query.internal.operator.SortOperator;
import dev.tarn.query.internal.operator.UnionAllOperator;
import dev.tarn.query.internal.operator.ValuesOperator;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.StructField;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rex.RexWindowBound;
import dev.tarn.query.internal.operator.WindowOperator;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Converts an optimized logical Calcite plan into Tarn's physical plan. A filter and projection directly over a
 * table scan become the scan's column list and pushed filters (the filter still runs over the scanned rows).
 *
 * <p>Parallelism: scans, filters, projections and the probe side of hash joins (except FULL joins) form pipelines
 * ({@link PlanNode#isPipeline()}); hash aggregation and sort consume a pipeline with one partial operator per worker
 * ({@link ParallelAggregateOperator}, {@link ParallelSortOperator}), and every other consumer of a pipeline (the
 * plan's root, join build sides, union inputs, windows, limits) reads it through an order-preserving
 * {@link GatherOperator}. How many workers run is the session's thread count, decided per execution.
 */
public final class RelToPhysical {
    private final RexBuilder rexBuilder;
    private final Function<TableScan, TableHandle> tables;
    /** A semi/anti join whose right input is estimated this many times its left input builds on the left. */
    static final double MARK_JOIN_RATIO = 4;
    /**
     * A LEFT/RIGHT join whose other input is estimated at this many times its preserved input builds on the
     * preserved one ({@link HashJoinOperator.Mode#BUILD_OUTER}) where its row order does not matter.
     */
    static final double BUILD_OUTER_RATIO = 2;
    /** Joins whose consumers ignore the order of their rows (inputs of aggregations, through filters/projections). */
    private final java.util.Set<RelNode> orderFree = java.util.Collections.newSetFromMap(
            new java.util.IdentityHashMap<>());
    private CardinalityEstimator estimator;
    /** The filters made so far, by node (identity): their input, predicate and output columns. */
    private final java.util.Map<PlanNode, FilterParts> filters = new java.util.IdentityHashMap<>();

    private record FilterParts(PlanNode input, Expr predicate, int[] outputs) {}
    /** The subplans to share (see {@link SharedSubplans}), found by the first {@link #convert}, and their nodes. */
    private java.util.Map<RelNode, String> sharedKeys;
    private final java.util.Map<String, PlanNode> sharedNodes = new java.util.HashMap<>();

    /** @param tables the pinned handle of each scanned table (resolved once per statement plan) */
    public RelToPhysical(RexBuilder rexBuilder, Function<TableScan, TableHandle> tables) {
        this.rexBuilder = rexBuilder;
        this.tables = tables;
    }

    /** The plan of a whole statement's rows: {@link #convert} with a pipeline at the top gathered. */
    public PlanNode convertRoot(RelNode rel) {
        return gathered(convert(rel));
    }

    /** {@code node} read through a parallel gather when it is a pipeline, else itself. */
    public static PlanNode gathered(PlanNode node) {
        if (!node.isPipeline()) {
            return node;
        }
        return PlanNode.region("Gather", node.columns(), node, (pipeline, b) -> new GatherOperator(pipeline));
    }

    /**
     * {@code node} for a consumer that keeps all of its rows (a hash join's build side, a shared result): a gather
     * that never holds its workers back ({@link GatherOperator#readingWhole}) when it is a pipeline, else itself.
     */
    static PlanNode gatheredWhole(PlanNode node) {
        if (!node.isPipeline()) {
            return node;
        }
        return PlanNode.region("Gather", node.columns(), node, (pipeline, b) -> GatherOperator.readingWhole(pipeline));
    }

    /**
     * The physical plan of {@code rel}. The first call (with a statement's whole plan) also finds the subplans it
     * computes more than once; each is computed once per execution and read again where it repeats.
     */
    public PlanNode convert(RelNode rel) {
        if (sharedKeys == null) {
            sharedKeys = SharedSubplans.find(rel);
        }
        String key = sharedKeys.get(rel);
        if (key == null) {
            return convertNode(rel);
        }
        PlanNode owner = sharedNodes.get(key);
        if (owner != null) {
            return PlanNode.reuse("Reuse[" + owner.description() + "]", owner);
        }
        owner = PlanNode.shared("Shared#" + (sharedNodes.size() + 1), gatheredWhole(convertNode(rel)));
        sharedNodes.put(key, owner);
        return owner;
    }

    private PlanNode convertNode(RelNode rel) {
        if (rel instanceof Project project) {
            if (project.getInput() instanceof TableScan scan) {
                return scanWithPushdown(project, null, scan);
            }
            if (project.getInput() instanceof Filter filter && filter.getInput() instanceof TableScan scan) {
                return scanWithPushdown(project, filter, scan);
            }
            if (project.getInput() instanceof Filter filter && filter.getInput() instanceof Project inner
                    && inner.getInput() instanceof TableScan scan
                    && inner.getProjects().stream().allMatch(e -> e instanceof RexInputRef)) {
                // A projection over a filter over a column selection (as trimming unused fields leaves it): both
                // over the scan, so the columns only the filter reads need not leave it.
                RexNode condition = org.apache.calcite.plan.RelOptUtil.pushPastProject(filter.getCondition(), inner);
                Filter below = org.apache.calcite.rel.logical.LogicalFilter.create(scan, condition);
                List<RexNode> exprs = org.apache.calcite.plan.RelOptUtil.pushPastProject(project.getProjects(), inner);
                Project merged = org.apache.calcite.rel.logical.LogicalProject.create(below, List.of(), exprs,
                        project.getRowType(), java.util.Set.of());
                return scanWithPushdown(merged, below, scan);
            }
            if (project.getInput() instanceof Join join && returnsBothSides(join)) {
                // The join returns only the columns the projection reads.
                ImmutableBitSet used = org.apache.calcite.plan.RelOptUtil.InputFinder.bits(project.getProjects(),
                        null);
                Pruned pruned = convertPruned(join, used);
                List<RexNode> exprs = project.getProjects().stream().map(e -> remap(e, pruned.index())).toList();
                return project(pruned.node(), exprs, project.getRowType());
            }
            return project(convert(project.getInput()), project.getProjects(), project.getRowType());
        }
        if (rel instanceof Filter filter) {
            if (filter.getInput() instanceof TableScan scan) {
                return scanWithPushdown(null, filter, scan);
            }
            if (filter.getInput() instanceof Project project && project.getInput() instanceof TableScan scan
                    && project.getProjects().stream().allMatch(e -> e instanceof RexInputRef)) {
                // A column selection under a filter (as trimming unused fields leaves it): the same rows as the
                // selection over the filter, so the filter still reaches the scan.
                RexNode condition = org.apache.calcite.plan.RelOptUtil.pushPastProject(filter.getCondition(), project);
                Filter below = org.apache.calcite.rel.logical.LogicalFilter.create(scan, condition);
                return scanWithPushdown(project, below, scan);
            }
            return filter(convert(filter.getInput()), filter.getCondition());
        }
        if (rel instanceof TableScan scan) {
            return scanWithPushdown(null, null, scan);
        }
        if (rel instanceof Aggregate aggregate) {
            return aggregate(aggregate);
        }
        if (rel instanceof Sort sort) {
            return sort(sort);
        }
        if (rel instanceof Values values) {
            return values(values);
        }
        if (rel instanceof Join join) {
            return join(join);
        }
        if (rel instanceof Window window) {
            return window(window);
        }
        if (rel instanceof Union union && union.all) {
            List<PlanNode> inputs = new ArrayList<>();
            List<ResultColumn> columns = columnsOf(union.getRowType());
            for (RelNode in : union.getInputs()) {
                inputs.add(gathered(castTo(convert(in), columns)));
            }
            return new PlanNode("UnionAll", columns, inputs, (ops, b) -> new UnionAllOperator(ops, columns));
        }
        if ((rel instanceof org.apache.calcite.rel.core.Intersect || rel instanceof org.apache.calcite.rel.core.Minus)
                && ((org.apache.calcite.rel.core.SetOp) rel).all) {
            return setOpAll((org.apache.calcite.rel.core.SetOp) rel);
        }
        throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT,
                "Not supported by Tarn's executor yet: " + rel.getRelTypeName() + " (" + rel.explain().trim() + ")");
    }

    public static List<ResultColumn> columnsOf(RelDataType rowType) {
        List<ResultColumn> out = new ArrayList<>();
        for (RelDataTypeField f : rowType.getFieldList()) {
            out.add(new ResultColumn(f.getName(), TypeMapping.toTarn(f.getType()), f.getType().isNullable()));
        }
        return out;
    }

    private static List<DataType> types(List<ResultColumn> columns) {
        return columns.stream().map(ResultColumn::type).toList();
    }

    /** Adds a projection casting each column to {@code target}'s type when any differs (names follow target). */
    public PlanNode castTo(PlanNode input, List<ResultColumn> target) {
        return castTo(input, target, input.columns().size() != target.size());
    }

    /** As {@link #castTo(PlanNode, List)}; {@code always} projects even when no column needs a cast. */
    public PlanNode castTo(PlanNode input, List<ResultColumn> target, boolean always) {
        List<Expr> exprs = new ArrayList<>();
        boolean needed = always;
        for (int i = 0; i < target.size(); i++) {
            ResultColumn in = input.columns().get(i);
            Expr ref = new dev.tarn.query.internal.expression.ColumnRef(i, in.type());
            if (!TypeMapping.sameType(in.type(), target.get(i).type())) {
                ref = new CastExpr(ref, target.get(i).type());
                needed = true;
            }
            exprs.add(ref);
        }
        if (!needed) {
            return input;
        }
        return PlanNode.streaming("Cast", target, List.of(input), 0,
                (ops, b) -> new ProjectOperator(ops.get(0), exprs, target, b));
    }

    private PlanNode project(PlanNode input, List<RexNode> projects, RelDataType rowType) {
        PlanNode selected = selectFromFilter(input, projects, rowType);
        if (selected != null) {
            return selected;
        }
        List<ResultColumn> columns = new ArrayList<>(columnsOf(rowType));
        CommonSubexpressions.Split split = CommonSubexpressions.split(projects, input.columns().size());
        if (split != null) {
            // The shared computations become columns of a projection below (the input's columns pass through).
            RexCompiler lower = new RexCompiler(rexBuilder, types(input.columns()));
            List<Expr> lowerExprs = new ArrayList<>();
            List<ResultColumn> lowerColumns = new ArrayList<>(input.columns());
            for (int i = 0; i < input.columns().size(); i++) {
                lowerExprs.add(new dev.tarn.query.internal.expression.ColumnRef(i, input.columns().get(i).type()));
            }
            for (RexNode shared : split.shared()) {
                Expr e = lower.compile(shared);
                lowerExprs.add(e);
                lowerColumns.add(new ResultColumn("$shared" + (lowerColumns.size() - input.columns().size()), e.type(),
                        shared.getType().isNullable()));
            }
            String lowerDesc = "Project" + lowerExprs.stream().map(Expr::describe).toList();
            List<ResultColumn> lowerOut = List.copyOf(lowerColumns);
            input = PlanNode.streaming(lowerDesc, lowerOut, List.of(input), 0,
                    (ops, b) -> new ProjectOperator(ops.get(0), lowerExprs, lowerOut, b));
            projects = split.rewritten();
        }
        RexCompiler compiler = new RexCompiler(rexBuilder, types(input.columns()));
        List<Expr> exprs = new ArrayList<>();
        for (int i = 0; i < projects.size(); i++) {
            Expr e = compiler.compile(projects.get(i));
            DataType want = columns.get(i).type();
            if (!TypeMapping.sameType(e.type(), want)) {
                e = new CastExpr(e, want);
            } else if (e instanceof dev.tarn.query.internal.expression.ColumnRef) {
                // A column passed through keeps the table's exact type (nested field metadata included).
                ResultColumn c = columns.get(i);
                columns.set(i, new ResultColumn(c.name(), e.type(), c.nullable()));
            }
            exprs.add(e);
        }
        String desc = "Project" + exprs.stream().map(Expr::describe).toList();
        return PlanNode.streaming(desc, columns, List.of(input), 0,
                (ops, b) -> new ProjectOperator(ops.get(0), exprs, columns, b));
    }

    private PlanNode filter(PlanNode input, RexNode condition) {
        Expr predicate = new RexCompiler(rexBuilder, types(input.columns())).compile(condition);
        return filter(input, predicate, null, input.columns());
    }

    /** A filter returning input columns {@code outputs} (null: all), remembered so a column selection can join it. */
    private PlanNode filter(PlanNode input, Expr predicate, int[] outputs, List<ResultColumn> columns) {
        String description = "Filter[" + predicate.describe() + "]"
                + (outputs == null ? "" : " columns=" + java.util.Arrays.toString(outputs));
        PlanNode node = PlanNode.streaming(description, columns, List.of(input), 0,
                (ops, b) -> new FilterOperator(ops.get(0), predicate, b, outputs, columns));
        filters.put(node, new FilterParts(input, predicate, outputs));
        return node;
    }

    /**
     * A projection of input columns only (no casts) over a filter this converter made: the filter returning those
     * columns, which then copies only them from the rows it keeps. Null when the projection is anything else.
     */
    private PlanNode selectFromFilter(PlanNode input, List<RexNode> projects, RelDataType rowType) {
        FilterParts f = filters.get(input);
        if (f == null) {
            return null;
        }
        List<ResultColumn> wanted = columnsOf(rowType);
        int[] outputs = new int[projects.size()];
        List<ResultColumn> columns = new ArrayList<>();
        for (int i = 0; i < outputs.length; i++) {
            if (!(projects.get(i) instanceof RexInputRef ref)) {
                return null;
            }
            outputs[i] = f.outputs() == null ? ref.getIndex() : f.outputs()[ref.getIndex()];
            ResultColumn in = f.input().columns().get(outputs[i]);
            if (!TypeMapping.sameType(in.type(), wanted.get(i).type())) {
                return null;
            }
            columns.add(new ResultColumn(wanted.get(i).name(), in.type(), wanted.get(i).nullable()));
        }
        return filter(f.input(), f.predicate(), outputs, columns);
    }

    private PlanNode scanWithPushdown(Project project, Filter filter, TableScan scan) {
        TableHandle handle = tables.apply(scan);
        List<StructField> fields = new ArrayList<>(handle.schema().fields());
        if (handle instanceof HiddenColumns hidden) {
            fields.addAll(hidden.hiddenColumns());
        }
        List<DataType> tableTypes = fields.stream().map(StructField::type).toList();
        TreeSet<Integer> used = new TreeSet<>();
        if (project != null) {
            for (RexNode e : project.getProjects()) {
                collectInputs(e, used);
            }
        } else {
            for (int i = 0; i < fields.size(); i++) {
                used.add(i);
            }
        }
        List<PushedFilter> pushed = List.of();
        boolean[] exact = new boolean[0];
        // The filter's conjuncts the scan does not apply exactly (null: none, the scan's rows need no filter).
        RexNode remaining = null;
        if (filter != null) {
            List<FilterPushdown.Conjunct> conjuncts = FilterPushdown.conjuncts(rexBuilder, filter.getCondition(),
                    tableTypes);
            pushed = conjuncts.stream().map(FilterPushdown.Conjunct::pushed).filter(java.util.Objects::nonNull)
                    .toList();
            exact = handle.appliesExactly(pushed);
            List<RexNode> rest = new ArrayList<>();
            boolean anyExact = false;
            int k = 0;
            for (FilterPushdown.Conjunct c : conjuncts) {
                if (c.pushed() != null && exact[k++]) {
                    anyExact = true;
                } else {
                    rest.add(c.condition());
                }
            }
            remaining = !anyExact ? filter.getCondition()
                    : rest.isEmpty() ? null : RexUtil.composeConjunction(rexBuilder, rest);
            if (remaining != null) {
                collectInputs(remaining, used);
            }
        }
        if (used.isEmpty() && !fields.isEmpty()) {
            // A scan needs at least one column to carry row counts: one its exact filters read anyway, else the first.
            int carrier = 0;
            for (int k = 0; k < exact.length; k++) {
                if (exact[k]) {
                    carrier = pushed.get(k).column();
                    break;
                }
            }
            used.add(carrier);
        }
        int[] projected = used.stream().mapToInt(Integer::intValue).toArray();
        int[] newIndex = new int[fields.size()];
        List<ResultColumn> scanColumns = new ArrayList<>();
        for (int i = 0; i < projected.length; i++) {
            newIndex[projected[i]] = i;
            StructField f = fields.get(projected[i]);
            scanColumns.add(new ResultColumn(f.name(), f.type(), f.nullable()));
        }
        List<PushedFilter> filters = pushed;
        List<String> filterText = new ArrayList<>();
        for (int k = 0; k < filters.size(); k++) {
            PushedFilter f = filters.get(k);
            filterText.add(fields.get(f.column()).name() + " " + f.op()
                    + (f.comparesColumns() ? " " + fields.get(f.otherColumn()).name()
                            : f.values().isEmpty() ? "" : " " + f.values())
                    + (exact[k] ? " (exact)" : ""));
        }
        PlanNode node = PlanNode.scan("Scan[" + handle.displayName() + " columns="
                + scanColumns.stream().map(ResultColumn::name).toList() + " filters=" + filterText + "]",
                scanColumns, (ops, b) -> new ScanOperator(handle.scan(projected, filters), scanColumns));
        RexShuttle remap = new RexShuttle() {
            @Override
            public RexNode visitInputRef(RexInputRef ref) {
                return new RexInputRef(newIndex[ref.getIndex()], ref.getType());
            }
        };
        if (remaining != null) {
            node = filter(node, remaining.accept(remap));
        }
        if (project != null) {
            List<RexNode> exprs = new ArrayList<>();
            for (RexNode e : project.getProjects()) {
                exprs.add(e.accept(remap));
            }
            return project(node, exprs, project.getRowType());
        }
        return node;
    }

    /**
     * Records the joins under an aggregation's input, through filters, projections and both sides of joins: the
     * order of their output rows changes no result, so an outer join may return its unmatched rows last.
     */
    private void markOrderFree(RelNode rel) {
        if (rel instanceof Join join) {
            orderFree.add(join);
            markOrderFree(join.getLeft());
            markOrderFree(join.getRight());
        } else if (rel instanceof Filter || rel instanceof Project) {
            markOrderFree(rel.getInput(0));
        }
    }

    private static void collectInputs(RexNode e, TreeSet<Integer> used) {
        e.accept(new RexShuttle() {
            @Override
            public RexNode visitInputRef(RexInputRef ref) {
                used.add(ref.getIndex());
                return ref;
            }
        });
    }

    private PlanNode aggregate(Aggregate aggregate) {
        // Aggregating straight over a scan or a join (Calcite merges the pruning projection into the aggregate): read
        // (or join) only the columns the aggregate uses.
        RelNode in = aggregate.getInput();
        int[] map = null;
        if (in instanceof TableScan || (in instanceof Filter f && f.getInput() instanceof TableScan)
                || (in instanceof Join j && returnsBothSides(j))) {
            TreeSet<Integer> used = new TreeSet<>(aggregate.getGroupSet().asList());
            for (AggregateCall call : aggregate.getAggCallList()) {
                used.addAll(call.getArgList());
                if (call.filterArg >= 0) {
                    used.add(call.filterArg);
                }
            }
            List<Integer> positions = new ArrayList<>(used);
            map = new int[in.getRowType().getFieldCount()];
            for (int i = 0; i < positions.size(); i++) {
                map[positions.get(i)] = i;
            }
            in = org.apache.calcite.plan.RelOptUtil.createProject(in, positions);
        }
        markOrderFree(in);
        PlanNode input = convert(in);
        int[] groups = aggregate.getGroupSet().toArray();
        if (map != null) {
            for (int i = 0; i < groups.length; i++) {
                groups[i] = map[groups[i]];
            }
        }
        List<HashAggregateOperator.Call> calls = new ArrayList<>();
        // Per aggregate call: its index in calls, or -1 for GROUPING()/GROUPING_ID() (computed per grouping set).
        List<Integer> callIndex = new ArrayList<>();
        for (AggregateCall call : aggregate.getAggCallList()) {
            org.apache.calcite.sql.SqlKind kind = call.getAggregation().getKind();
            if (kind == org.apache.calcite.sql.SqlKind.GROUPING || kind == org.apache.calcite.sql.SqlKind.GROUPING_ID) {
                callIndex.add(-1);
                continue;
            }
            callIndex.add(calls.size());
            Accumulators.Function f = switch (kind) {
                case COUNT -> Accumulators.Function.COUNT;
                case SUM -> Accumulators.Function.SUM;
                case SUM0 -> Accumulators.Function.SUM0;
                case MIN -> Accumulators.Function.MIN;
                case MAX -> Accumulators.Function.MAX;
                case AVG -> Accumulators.Function.AVG;
                case LITERAL_AGG -> Accumulators.Function.LITERAL;
                case SINGLE_VALUE -> Accumulators.Function.SINGLE_VALUE;
                default -> throw new TarnException(ErrorCode.FUNCTION_NOT_FOUND,
                        "Aggregate function " + call.getAggregation().getName() + " is not supported by Tarn's executor yet");
            };
            List<Integer> args = call.getArgList();
            int filterArg = call.filterArg;
            if (map != null) {
                int[] m = map;
                args = args.stream().map(a -> m[a]).toList();
                filterArg = filterArg >= 0 ? m[filterArg] : -1;
            }
            if (args.size() > 1 && f != Accumulators.Function.COUNT) {
                throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT,
                        "Aggregate " + call + " with several arguments is not supported yet");
            }
            int arg = args.isEmpty() ? -1 : args.get(0);
            int[] more = args.size() > 1 ? args.subList(1, args.size()).stream().mapToInt(Integer::intValue).toArray()
                    : new int[0];
            Object literal = f == Accumulators.Function.LITERAL
                    ? RexCompiler.literalValue((RexLiteral) call.rexList.get(0)) : null;
            calls.add(new HashAggregateOperator.Call(f, arg, call.isDistinct(), filterArg,
                    arg < 0 ? null : input.columns().get(arg).type(), TypeMapping.toTarn(call.getType()), literal, more));
        }
        List<ResultColumn> columns = columnsOf(aggregate.getRowType());
        if (aggregate.getGroupType() == Aggregate.Group.SIMPLE && !callIndex.contains(-1)) {
            return hashAggregate("HashAggregate[groups=" + java.util.Arrays.toString(groups) + " calls=" + calls + "]",
                    columns, input, groups, calls);
        }
        return groupingSets(aggregate, input, groups, calls, callIndex, columns);
    }

    /**
     * GROUPING SETS / ROLLUP / CUBE: one hash aggregation per grouping set over the same input, each projected to
     * the full output (NULL for the columns its set does not group by, GROUPING() bit masks as constants), combined
     * by UNION ALL.
     */
    private PlanNode groupingSets(Aggregate aggregate, PlanNode input, int[] groups, List<HashAggregateOperator.Call> calls,
                                  List<Integer> callIndex, List<ResultColumn> columns) {
        int[] original = aggregate.getGroupSet().toArray();
        List<PlanNode> branches = new ArrayList<>();
        for (org.apache.calcite.util.ImmutableBitSet set : aggregate.getGroupSets()) {
            List<Integer> keep = new ArrayList<>();
            for (int k = 0; k < original.length; k++) {
                if (set.get(original[k])) {
                    keep.add(k);
                }
            }
            int[] setGroups = keep.stream().mapToInt(k -> groups[k]).toArray();
            List<ResultColumn> setColumns = new ArrayList<>();
            for (int k : keep) {
                setColumns.add(columns.get(k));
            }
            for (int j = 0; j < callIndex.size(); j++) {
                if (callIndex.get(j) >= 0) {
                    setColumns.add(columns.get(original.length + j));
                }
            }
            PlanNode agg = hashAggregate("HashAggregate[groups=" + java.util.Arrays.toString(setGroups) + " calls="
                    + calls + "]", setColumns, input, setGroups, calls);
            List<Expr> exprs = new ArrayList<>();
            for (int k = 0; k < original.length; k++) {
                int at = keep.indexOf(k);
                DataType type = columns.get(k).type();
                exprs.add(at >= 0 ? new dev.tarn.query.internal.expression.ColumnRef(at, setColumns.get(at).type())
                        : dev.tarn.query.internal.expression.Constant.literal(type, null));
            }
            for (int j = 0; j < callIndex.size(); j++) {
                ResultColumn out = columns.get(original.length + j);
                if (callIndex.get(j) >= 0) {
                    int at = keep.size() + callIndex.get(j);
                    exprs.add(new dev.tarn.query.internal.expression.ColumnRef(at, setColumns.get(at).type()));
                } else {
                    // Bit 1 for each argument the set does not group by, first argument most significant.
                    long mask = 0;
                    for (int a : aggregate.getAggCallList().get(j).getArgList()) {
                        mask = (mask << 1) | (set.get(a) ? 0 : 1);
                    }
                    exprs.add(dev.tarn.query.internal.expression.Constant.literal(out.type(), mask));
                }
            }
            List<ResultColumn> outColumns = new ArrayList<>(columns);
            branches.add(new PlanNode("Project" + exprs.stream().map(Expr::describe).toList(), outColumns, List.of(agg),
                    (ops, b) -> new ProjectOperator(ops.get(0), exprs, outColumns, b)));
        }
        if (branches.size() == 1) {
            return branches.get(0);
        }
        return new PlanNode("UnionAll[grouping sets]", columns, branches, (ops, b) -> new UnionAllOperator(ops, columns));
    }

    /** A hash aggregation, with a partial aggregation per worker when its input is a pipeline. */
    private static PlanNode hashAggregate(String description, List<ResultColumn> columns, PlanNode input, int[] groups,
                                          List<HashAggregateOperator.Call> calls) {
        if (input.isPipeline()) {
            return PlanNode.region(description, columns, input,
                    (pipeline, b) -> new ParallelAggregateOperator(pipeline, groups, calls, columns));
        }
        return new PlanNode(description, columns, List.of(input),
                (ops, b) -> new HashAggregateOperator(ops.get(0), groups, calls, columns));
    }

    private PlanNode sort(Sort sort) {
        PlanNode input = convert(sort.getInput());
        List<SortOperator.Key> keys = new ArrayList<>();
        for (RelFieldCollation fc : sort.getCollation().getFieldCollations()) {
            boolean desc = fc.getDirection().isDescending();
            boolean nullsFirst = switch (fc.nullDirection) {
                case FIRST -> true;
                case LAST -> false;
                default -> !desc; // Spark: NULLS FIRST for ASC, NULLS LAST for DESC
            };
            keys.add(new SortOperator.Key(fc.getFieldIndex(), desc, nullsFirst));
        }
        RexNode offsetNode = sort.offset;
        RexNode fetchNode = sort.fetch;
        if (keys.isEmpty()) {
            return new PlanNode("Limit[offset=" + offsetNode + " fetch=" + fetchNode + "]", input.columns(),
                    List.of(gathered(input)),
                    (ops, b) -> new LimitOperator(ops.get(0), count(offsetNode, b, 0), count(fetchNode, b, -1)));
        }
        String description = "Sort" + keys + "[offset=" + offsetNode + " fetch=" + fetchNode + "]";
        if (input.isPipeline()) {
            return PlanNode.region(description, input.columns(), input, (pipeline, b) -> new ParallelSortOperator(
                    pipeline, keys, count(offsetNode, b, 0), count(fetchNode, b, -1)));
        }
        return new PlanNode(description, input.columns(), List.of(input),
                (ops, b) -> new SortOperator(ops.get(0), keys, count(offsetNode, b, 0), count(fetchNode, b, -1)));
    }

    /** OFFSET/FETCH as a literal or a bound parameter. */
    private static long count(RexNode node, Bindings bindings, long absent) {
        if (node == null) {
            return absent;
        }
        Object v = node instanceof RexDynamicParam p ? bindings.parameters().get(p.getIndex())
                : RexCompiler.literalValue((RexLiteral) node);
        if (!(v instanceof Number n) || n.longValue() < 0) {
            throw new TarnException(ErrorCode.INVALID_VALUE, "LIMIT and OFFSET must be non-negative integers, got " + v);
        }
        return n.longValue();
    }

    private PlanNode join(Join join) {
        return join(join, null).node();
    }

    /**
     * A plan node for some of a relation's fields: field {@code f} is column {@code index[f]} of {@code node}, or
     * left out when that is -1. Each column of the node is one field's.
     */
    private record Pruned(PlanNode node, int[] index) {}

    private static int[] identity(int n) {
        int[] map = new int[n];
        for (int i = 0; i < n; i++) {
            map[i] = i;
        }
        return map;
    }

    /** Joins that return the joined row's columns (not SEMI/ANTI), which {@link #join(Join, ImmutableBitSet)} prunes. */
    private static boolean returnsBothSides(Join join) {
        return switch (join.getJoinType()) {
            case INNER, LEFT, RIGHT, FULL -> true;
            default -> false;
        };
    }

    /**
     * The plan of {@code rel} with at least the fields {@code needed}: a join (not a shared subplan) leaves the
     * others out, so it gathers no column only it or a join below it read (keys); anything else keeps all fields.
     */
    private Pruned convertPruned(RelNode rel, ImmutableBitSet needed) {
        if (rel instanceof Join join && returnsBothSides(join) && sharedKeys.get(rel) == null) {
            return join(join, needed);
        }
        PlanNode node = convert(rel);
        return new Pruned(node, identity(node.columns().size()));
    }

    /** {@code e} with each input reference to field {@code f} replaced by one to {@code index[f]}. */
    private static RexNode remap(RexNode e, int[] index) {
        return e.accept(new RexShuttle() {
            @Override
            public RexNode visitInputRef(RexInputRef ref) {
                int to = index[ref.getIndex()];
                if (to < 0) {
                    throw new IllegalStateException("field " + ref.getIndex() + " was pruned but is used");
                }
                return new RexInputRef(to, ref.getType());
            }
        });
    }

    /**
     * A join returning the fields {@code needed} (null: all of them); its inputs, when they are joins themselves,
     * return only what it and the fields above need.
     */
    private Pruned join(Join join, ImmutableBitSet needed) {
        JoinRelType type = join.getJoinType();
        JoinInfo info = join.analyzeCondition();
        RexNode residual = org.apache.calcite.rex.RexUtil.composeConjunction(rexBuilder, info.nonEquiConditions);
        boolean hasResidual = !residual.isAlwaysTrue();
        HashJoinOperator.Mode mode = switch (type) {
            case INNER -> HashJoinOperator.Mode.INNER;
            case LEFT, RIGHT -> HashJoinOperator.Mode.PROBE_OUTER;
            case FULL -> HashJoinOperator.Mode.FULL;
            case SEMI -> HashJoinOperator.Mode.SEMI;
            case ANTI -> HashJoinOperator.Mode.ANTI;
            default -> throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT,
                    type + " joins are not supported by Tarn's executor yet");
        };
        if ((type == JoinRelType.SEMI || type == JoinRelType.ANTI) && !info.leftKeys.isEmpty()
                && filtersFewAgainstMany(join)) {
            PlanNode node = markJoin(join, info, hasResidual ? residual : null);
            return new Pruned(node, identity(node.columns().size()));
        }
        // The right input is the build side, except for RIGHT joins, which probe with the right input, and outer
        // joins built on their preserved side.
        boolean buildPreserved = buildsOnPreservedSide(join, info);
        if (buildPreserved) {
            mode = HashJoinOperator.Mode.BUILD_OUTER;
        }
        boolean probeLeft = (type != JoinRelType.RIGHT) != buildPreserved;
        int leftFields = join.getLeft().getRowType().getFieldCount();
        int rightFields = join.getRight().getRowType().getFieldCount();
        boolean prune = needed != null && returnsBothSides(join);
        Pruned l;
        Pruned r;
        if (prune) {
            // Each input keeps the fields needed above, its keys and what the residual reads.
            ImmutableBitSet.Builder leftNeeded = ImmutableBitSet.builder();
            ImmutableBitSet.Builder rightNeeded = ImmutableBitSet.builder();
            ImmutableBitSet used = needed.union(org.apache.calcite.plan.RelOptUtil.InputFinder.bits(residual));
            for (int f : used) {
                if (f < leftFields) {
                    leftNeeded.set(f);
                } else {
                    rightNeeded.set(f - leftFields);
                }
            }
            info.leftKeys.forEach(leftNeeded::set);
            info.rightKeys.forEach(rightNeeded::set);
            l = convertPruned(join.getLeft(), leftNeeded.build());
            r = convertPruned(join.getRight(), rightNeeded.build());
        } else {
            PlanNode leftNode = convert(join.getLeft());
            PlanNode rightNode = convert(join.getRight());
            l = new Pruned(leftNode, identity(leftNode.columns().size()));
            r = new Pruned(rightNode, identity(rightNode.columns().size()));
        }
        PlanNode left = l.node();
        PlanNode right = r.node();
        int leftWidth = left.columns().size();
        // The joined row (the inputs' columns side by side): field f is its column joined[f], or -1 when pruned.
        int[] joined = new int[leftFields + rightFields];
        for (int f = 0; f < joined.length; f++) {
            int at = f < leftFields ? l.index()[f] : r.index()[f - leftFields];
            joined[f] = at < 0 ? -1 : f < leftFields ? at : leftWidth + at;
        }
        // The probe side streams (a pipeline goes on through the join); the build side is read whole, in parallel
        // when it is a pipeline itself. A FULL join's unmatched build rows need all probes done: not streaming.
        if (type == JoinRelType.FULL) {
            left = gathered(left);
            right = gathered(right);
        } else if (probeLeft) {
            right = gatheredWhole(right);
        } else {
            left = gatheredWhole(left);
        }
        int probeChild = probeLeft ? 0 : 1;
        boolean streaming = type != JoinRelType.FULL;
        int[] leftKeys = info.leftKeys.stream().mapToInt(k -> l.index()[k]).toArray();
        int[] rightKeys = info.rightKeys.stream().mapToInt(k -> r.index()[k]).toArray();
        List<ResultColumn> fieldColumns = columnsOf(join.getRowType());
        // The joined row's columns; for SEMI/ANTI (whose output is the left input's) the condition sees the left
        // row followed by the right row.
        List<ResultColumn> layout = new ArrayList<>(left.columns());
        layout.addAll(right.columns());
        if (returnsBothSides(join)) {
            for (int f = 0; f < joined.length; f++) {
                if (joined[f] >= 0) {
                    layout.set(joined[f], fieldColumns.get(f));
                }
            }
        }
        // The fields returned: those needed above, and for an INNER join's residual (a filter above it) its fields.
        ImmutableBitSet returned = !prune ? ImmutableBitSet.range(fieldColumns.size())
                : type == JoinRelType.INNER && hasResidual
                        ? needed.union(org.apache.calcite.plan.RelOptUtil.InputFinder.bits(residual)) : needed;
        for (int f = 0; returned.isEmpty() && f < joined.length; f++) {
            if (joined[f] >= 0) {
                returned = ImmutableBitSet.of(f); // batches need a column to carry their row count: a kept one
            }
        }
        int[] index = new int[fieldColumns.size()];
        java.util.Arrays.fill(index, -1);
        List<ResultColumn> columns = new ArrayList<>();
        int[] outputs = new int[returned.cardinality()];
        boolean all = outputs.length == layout.size() || !returnsBothSides(join);
        for (int f : returned) {
            index[f] = columns.size();
            outputs[columns.size()] = joined[f];
            all &= joined[f] == columns.size();
            columns.add(fieldColumns.get(f));
        }
        int[] kept = all ? null : outputs;
        String keptText = kept == null ? "" : " columns=" + java.util.Arrays.toString(kept);
        HashJoinOperator.Mode joinMode = mode;
        if (hasResidual && type == JoinRelType.INNER) {
            List<ResultColumn> joinColumns = List.copyOf(columns);
            PlanNode node = PlanNode.streaming("HashJoin[" + type + " left=" + info.leftKeys + " right="
                    + info.rightKeys + "]" + keptText, joinColumns, List.of(left, right), 0,
                    (ops, b) -> new HashJoinOperator(ops.get(0), ops.get(1), leftKeys, rightKeys, joinMode, true,
                            joinColumns, kept, layout, null, null));
            return new Pruned(filter(node, remap(residual, index)), index);
        }
        // An outer join's residual decides which pairs match, so it runs inside the join.
        Expr condition = hasResidual
                ? new RexCompiler(rexBuilder, types(layout)).compile(remap(residual, joined)) : null;
        String description = "HashJoin[" + type + " left=" + info.leftKeys + " right=" + info.rightKeys
                + (condition == null ? "" : " and " + condition.describe())
                + (buildPreserved ? " build=" + (probeLeft ? "right" : "left") : "") + "]" + keptText;
        List<ResultColumn> outColumns = List.copyOf(columns);
        PlanNode.Factory factory = (ops, b) -> probeLeft
                ? new HashJoinOperator(ops.get(0), ops.get(1), leftKeys, rightKeys, joinMode, true, outColumns, kept,
                        layout, condition, b)
                : new HashJoinOperator(ops.get(1), ops.get(0), rightKeys, leftKeys, joinMode, false, outColumns,
                        kept, layout, condition, b);
        PlanNode node = streaming ? PlanNode.streaming(description, outColumns, List.of(left, right), probeChild,
                factory) : new PlanNode(description, outColumns, List.of(left, right), factory);
        return new Pruned(node, index);
    }

    /**
     * Whether a LEFT/RIGHT equi-join under an aggregation builds its hash table on the preserved input: when the
     * other input is estimated at {@value #BUILD_OUTER_RATIO} times the preserved one or more (TPC-H Q13 keeps 150K
     * customers against 1.5M orders), the table holds the few rows and the many stream through it in parallel.
     */
    private boolean buildsOnPreservedSide(Join join, JoinInfo info) {
        JoinRelType type = join.getJoinType();
        if ((type != JoinRelType.LEFT && type != JoinRelType.RIGHT) || info.leftKeys.isEmpty()
                || !orderFree.contains(join)) {
            return false;
        }
        if (estimator == null) {
            estimator = new CardinalityEstimator(tables);
        }
        CardinalityEstimator.Estimate preserved = estimator.estimate(type == JoinRelType.LEFT ? join.getLeft()
                : join.getRight());
        CardinalityEstimator.Estimate other = estimator.estimate(type == JoinRelType.LEFT ? join.getRight()
                : join.getLeft());
        return preserved.known() && other.known() && other.rows() >= BUILD_OUTER_RATIO * preserved.rows();
    }

    /**
     * Whether a semi/anti join's right input is estimated at {@value #MARK_JOIN_RATIO} times its left input or more:
     * then the hash table goes on the left (the rows to filter) and the right streams, instead of a table of the
     * many rows probed by the few.
     */
    private boolean filtersFewAgainstMany(Join join) {
        if (estimator == null) {
            estimator = new CardinalityEstimator(tables);
        }
        CardinalityEstimator.Estimate left = estimator.estimate(join.getLeft());
        CardinalityEstimator.Estimate right = estimator.estimate(join.getRight());
        return left.known() && right.known() && right.rows() >= MARK_JOIN_RATIO * left.rows();
    }

    /**
     * A semi/anti join as a {@link MarkJoinOperator}: the left input (gathered) is the build side and the output,
     * the right input is the probe pipeline the region runs on every worker.
     */
    private PlanNode markJoin(Join join, JoinInfo info, RexNode residual) {
        boolean anti = join.getJoinType() == JoinRelType.ANTI;
        PlanNode left = gatheredWhole(convert(join.getLeft()));
        PlanNode right = convert(join.getRight());
        List<ResultColumn> both = new ArrayList<>(left.columns());
        both.addAll(right.columns());
        // The condition sees the left row followed by the right row, as the join defines it.
        Expr condition = residual == null ? null : new RexCompiler(rexBuilder, types(both)).compile(residual);
        int[] leftKeys = info.leftKeys.toIntArray();
        int[] rightKeys = info.rightKeys.toIntArray();
        String description = "MarkJoin[" + join.getJoinType() + " left=" + info.leftKeys + " right="
                + info.rightKeys + (condition == null ? "" : " and " + condition.describe()) + " build=left]";
        return PlanNode.region(description, left.columns(), right, List.of(left), (pipeline, others, b) ->
                new MarkJoinOperator(pipeline, others.get(0), rightKeys, leftKeys, anti, condition, b));
    }

    private PlanNode values(Values values) {
        List<ResultColumn> columns = columnsOf(values.getRowType());
        List<List<Object>> rows = new ArrayList<>();
        for (List<RexLiteral> tuple : values.getTuples()) {
            List<Object> row = new ArrayList<>();
            for (int i = 0; i < tuple.size(); i++) {
                RexLiteral lit = tuple.get(i);
                Object v = RexCompiler.literalValue(lit);
                DataType from = RexCompiler.typeOf(lit);
                if (v != null && !from.equals(columns.get(i).type())) {
                    v = dev.tarn.query.internal.expression.Casts.converter(from, columns.get(i).type(),
                            java.time.ZoneOffset.UTC).apply(v);
                }
                row.add(v);
            }
            rows.add(row);
        }
        return new PlanNode("Values[" + rows.size() + " rows]", columns, List.of(),
                (ops, b) -> new ValuesOperator(columns, rows));
    }


    /** A window operand: an input column or (index past the input) one of the window's constants. */
    private static Object constant(Window window, RexNode operand) {
        if (operand instanceof RexLiteral lit) {
            return RexCompiler.literalValue(lit);
        }
        int n = window.getInput().getRowType().getFieldCount();
        int index = ((RexInputRef) operand).getIndex();
        if (index < n) {
            throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT,
                    "Window function offsets and bucket counts must be constants");
        }
        return RexCompiler.literalValue(window.constants.get(index - n));
    }

    private WindowOperator.Bound bound(Window window, RexWindowBound b) {
        if (b.isUnboundedPreceding()) {
            return new WindowOperator.Bound(WindowOperator.BoundType.UNBOUNDED_PRECEDING, null);
        }
        if (b.isUnboundedFollowing()) {
            return new WindowOperator.Bound(WindowOperator.BoundType.UNBOUNDED_FOLLOWING, null);
        }
        if (b.isCurrentRow()) {
            return new WindowOperator.Bound(WindowOperator.BoundType.CURRENT_ROW, null);
        }
        Object offset = constant(window, b.getOffset());
        if (!(offset instanceof Number n) || isNegative(n)) {
            throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT,
                    "Window frame offsets must be non-negative numbers, got " + offset);
        }
        return new WindowOperator.Bound(b.isPreceding() ? WindowOperator.BoundType.PRECEDING
                : WindowOperator.BoundType.FOLLOWING, offset);
    }

    private static boolean isNegative(Number n) {
        return dev.tarn.query.internal.expression.Values.toBigDecimal(n).signum() < 0;
    }

    private PlanNode window(Window window) {
        PlanNode input = gathered(convert(window.getInput()));
        int width = input.columns().size();
        List<WindowOperator.Group> groups = new ArrayList<>();
        for (Window.Group g : window.groups) {
            List<SortOperator.Key> order = new ArrayList<>();
            for (RelFieldCollation fc : g.orderKeys.getFieldCollations()) {
                boolean desc = fc.getDirection().isDescending();
                boolean nullsFirst = switch (fc.nullDirection) {
                    case FIRST -> true;
                    case LAST -> false;
                    default -> !desc;
                };
                order.add(new SortOperator.Key(fc.getFieldIndex(), desc, nullsFirst));
            }
            List<WindowOperator.Call> calls = new ArrayList<>();
            for (Window.RexWinAggCall call : g.aggCalls) {
                calls.add(windowCall(window, call, input, width));
            }
            groups.add(new WindowOperator.Group(g.keys.toArray(), order, g.isRows, bound(window, g.lowerBound),
                    bound(window, g.upperBound), calls));
        }
        List<ResultColumn> columns = new ArrayList<>(input.columns());
        List<ResultColumn> all = columnsOf(window.getRowType());
        columns.addAll(all.subList(width, all.size()));
        return new PlanNode("Window" + groups, columns, List.of(input),
                (ops, b) -> new WindowOperator(ops.get(0), groups, columns));
    }

    private WindowOperator.Call windowCall(Window window, Window.RexWinAggCall call, PlanNode input, int width) {
        WindowOperator.Kind kind = switch (call.getOperator().getKind()) {
            case ROW_NUMBER -> WindowOperator.Kind.ROW_NUMBER;
            case RANK -> WindowOperator.Kind.RANK;
            case DENSE_RANK -> WindowOperator.Kind.DENSE_RANK;
            case PERCENT_RANK -> WindowOperator.Kind.PERCENT_RANK;
            case CUME_DIST -> WindowOperator.Kind.CUME_DIST;
            case NTILE -> WindowOperator.Kind.NTILE;
            case LAG -> WindowOperator.Kind.LAG;
            case LEAD -> WindowOperator.Kind.LEAD;
            case FIRST_VALUE -> WindowOperator.Kind.FIRST_VALUE;
            case LAST_VALUE -> WindowOperator.Kind.LAST_VALUE;
            case COUNT -> WindowOperator.Kind.COUNT;
            case SUM -> WindowOperator.Kind.SUM;
            case SUM0 -> WindowOperator.Kind.SUM0;
            case MIN -> WindowOperator.Kind.MIN;
            case MAX -> WindowOperator.Kind.MAX;
            case AVG -> WindowOperator.Kind.AVG;
            default -> throw new TarnException(ErrorCode.FUNCTION_NOT_FOUND,
                    "Window function " + call.getOperator().getName() + " is not supported by Tarn's executor yet");
        };
        if (call.ignoreNulls) {
            throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT, "IGNORE NULLS is not supported yet");
        }
        List<RexNode> operands = call.getOperands();
        DataType resultType = TypeMapping.toTarn(call.getType());
        int argument = -1;
        long constant = 0;
        int defaultColumn = -1;
        Object defaultValue = null;
        if (kind == WindowOperator.Kind.NTILE) {
            constant = ((Number) constant(window, operands.get(0))).longValue();
        } else if (!operands.isEmpty()) {
            argument = columnOrFail(operands.get(0), width, call);
        }
        if (kind == WindowOperator.Kind.LAG || kind == WindowOperator.Kind.LEAD) {
            constant = operands.size() > 1 ? ((Number) constant(window, operands.get(1))).longValue() : 1;
            if (operands.size() > 2) {
                RexNode d = operands.get(2);
                if (d instanceof RexInputRef ref && ref.getIndex() < width) {
                    defaultColumn = ref.getIndex();
                } else {
                    defaultValue = constant(window, d);
                    DataType from = d instanceof RexLiteral lit ? RexCompiler.typeOf(lit)
                            : RexCompiler.typeOf(window.constants.get(((RexInputRef) d).getIndex() - width));
                    if (defaultValue != null && !from.equals(resultType)) {
                        defaultValue = dev.tarn.query.internal.expression.Casts.converter(from, resultType,
                                java.time.ZoneOffset.UTC).apply(defaultValue);
                    }
                }
            }
        }
        DataType argType = argument < 0 ? null : input.columns().get(argument).type();
        return new WindowOperator.Call(kind, argument, argType, constant, defaultColumn, defaultValue, call.distinct,
                resultType);
    }

    private static int columnOrFail(RexNode operand, int width, Window.RexWinAggCall call) {
        if (operand instanceof RexInputRef ref && ref.getIndex() < width) {
            return ref.getIndex();
        }
        throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT,
                "Window function " + call.getOperator().getName() + " needs a column argument here");
    }
    /**
     * INTERSECT ALL / EXCEPT ALL: every input row gets one indicator column per input (1 for its own), the union is
     * grouped by all columns summing the indicators into per-input counts, and each distinct row is emitted
     * min(counts) times (INTERSECT) or max(first - others, 0) times (EXCEPT).
     */
    private PlanNode setOpAll(org.apache.calcite.rel.core.SetOp setOp) {
        boolean intersect = setOp instanceof org.apache.calcite.rel.core.Intersect;
        List<ResultColumn> columns = columnsOf(setOp.getRowType());
        int width = columns.size();
        int inputs = setOp.getInputs().size();
        List<ResultColumn> tagged = new ArrayList<>(columns);
        for (int j = 0; j < inputs; j++) {
            tagged.add(new ResultColumn("$in" + j, dev.tarn.txlog.types.PrimitiveType.LONG, false));
        }
        List<PlanNode> branches = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            PlanNode in = castTo(convert(setOp.getInputs().get(i)), columns);
            List<Expr> exprs = new ArrayList<>();
            for (int c = 0; c < width; c++) {
                exprs.add(new dev.tarn.query.internal.expression.ColumnRef(c, in.columns().get(c).type()));
            }
            for (int j = 0; j < inputs; j++) {
                exprs.add(dev.tarn.query.internal.expression.Constant.literal(dev.tarn.txlog.types.PrimitiveType.LONG,
                        j == i ? 1L : 0L));
            }
            branches.add(PlanNode.streaming("Project[tag input " + i + "]", tagged, List.of(in), 0,
                    (ops, b) -> new ProjectOperator(ops.get(0), exprs, tagged, b)));
        }
        PlanNode union = new PlanNode("UnionAll", tagged, branches.stream().map(RelToPhysical::gathered).toList(),
                (ops, b) -> new UnionAllOperator(ops, tagged));
        int[] groups = new int[width];
        for (int c = 0; c < width; c++) {
            groups[c] = c;
        }
        List<HashAggregateOperator.Call> calls = new ArrayList<>();
        for (int j = 0; j < inputs; j++) {
            calls.add(new HashAggregateOperator.Call(Accumulators.Function.SUM0, width + j, false, -1,
                    dev.tarn.txlog.types.PrimitiveType.LONG, dev.tarn.txlog.types.PrimitiveType.LONG, null));
        }
        PlanNode counted = new PlanNode("HashAggregate[groups=all calls=" + calls + "]", tagged, List.of(union),
                (ops, b) -> new HashAggregateOperator(ops.get(0), groups, calls, tagged));
        List<Expr> exprs = new ArrayList<>();
        for (int c = 0; c < width; c++) {
            exprs.add(new dev.tarn.query.internal.expression.ColumnRef(c, columns.get(c).type()));
        }
        exprs.add(replicationCount(intersect, width, inputs));
        List<ResultColumn> withCount = new ArrayList<>(columns);
        withCount.add(new ResultColumn("$count", dev.tarn.txlog.types.PrimitiveType.LONG, false));
        PlanNode count = new PlanNode("Project[count]", withCount, List.of(counted),
                (ops, b) -> new ProjectOperator(ops.get(0), exprs, withCount, b));
        return new PlanNode((intersect ? "IntersectAll" : "ExceptAll") + "[replicate]", columns, List.of(count),
                (ops, b) -> new dev.tarn.query.internal.operator.ReplicateRowsOperator(ops.get(0), columns));
    }

    /** The replication count of INTERSECT ALL / EXCEPT ALL over the per-input count columns. */
    private static Expr replicationCount(boolean intersect, int width, int inputs) {
        List<Expr> counts = new ArrayList<>();
        for (int j = 0; j < inputs; j++) {
            counts.add(new dev.tarn.query.internal.expression.ColumnRef(width + j, dev.tarn.txlog.types.PrimitiveType.LONG));
        }
        return dev.tarn.query.internal.expression.ScalarFunctions.strict(intersect ? "INTERSECT_COUNT" : "EXCEPT_COUNT",
                dev.tarn.txlog.types.PrimitiveType.LONG, counts, a -> {
                    long r = (Long) a[0];
                    for (int j = 1; j < a.length; j++) {
                        r = intersect ? Math.min(r, (Long) a[j]) : r - (Long) a[j];
                    }
                    return Math.max(r, 0L);
                });
    }
}
