package dev.tarn.query.internal.optimizer;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.internal.catalog.TableHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;

/**
 * Orders inner joins by estimated cost. Each maximal tree of inner joins (seen through the column-pruning
 * projections and filters between them) is flattened into its inputs and its conjuncts; the order is chosen by
 * dynamic programming over connected subsets of inputs for up to {@value #EXHAUSTIVE_LIMIT} inputs and greedily
 * (cheapest join first) beyond, minimizing the sum of estimated intermediate rows plus hash-table rows. Two sets
 * are joined only when an equality conjunct connects them, so no cross product appears when a connected order
 * exists; disconnected parts are crossed last, smallest first. The hash join builds on its right input, so each
 * join puts its smaller estimated input on the right. Other joins (outer, semi, anti) keep their place and
 * inputs; the inner joins inside their inputs are ordered on their own. Regions with an input of unknown size
 * keep their order.
 */
public final class JoinReorder {
    static final int EXHAUSTIVE_LIMIT = 10;
    /** Above this many inputs a region keeps its order (sets are bit masks). */
    private static final int MAX_INPUTS = 62;

    private final CardinalityEstimator estimator;

    private JoinReorder(CardinalityEstimator estimator) {
        this.estimator = estimator;
    }

    /** {@code rel} with every region of inner joins reordered. */
    public static RelNode reorder(RelNode rel, Function<TableScan, TableHandle> tables) {
        requireNonNull(rel, "rel is null");
        return new JoinReorder(new CardinalityEstimator(tables)).rewrite(rel);
    }

    private RelNode rewrite(RelNode rel) {
        if (isRegionJoin(rel)) {
            return reorderRegion(rel);
        }
        return rewriteInputs(rel);
    }

    private RelNode rewriteInputs(RelNode rel) {
        List<RelNode> inputs = rel.getInputs();
        if (inputs.isEmpty()) {
            return rel;
        }
        List<RelNode> rewritten = new ArrayList<>();
        boolean changed = false;
        for (RelNode in : inputs) {
            RelNode r = rewrite(in);
            changed |= r != in;
            rewritten.add(r);
        }
        return changed ? rel.copy(rel.getTraitSet(), rewritten) : rel;
    }

    private static boolean isRegionJoin(RelNode rel) {
        return rel instanceof LogicalJoin j && j.getJoinType() == JoinRelType.INNER && j.getVariablesSet().isEmpty();
    }

    /** A flattened region: its inputs side by side (global field numbers) and the conjuncts over them. */
    private static final class Region {
        final List<RelNode> leaves = new ArrayList<>();
        final List<Integer> offsets = new ArrayList<>();
        final List<RelDataType> types = new ArrayList<>();
        final List<RexNode> conjuncts = new ArrayList<>();

        int leafOf(int global) {
            int i = 0;
            while (i + 1 < offsets.size() && offsets.get(i + 1) <= global) {
                i++;
            }
            return i;
        }
    }

    /** Flattens {@code rel} into {@code region}; returns the global field of each of its output fields. */
    private int[] flatten(RelNode rel, Region region, RexBuilder rexBuilder) {
        if (isRegionJoin(rel)) {
            LogicalJoin join = (LogicalJoin) rel;
            int[] left = flatten(join.getLeft(), region, rexBuilder);
            int[] right = flatten(join.getRight(), region, rexBuilder);
            int[] out = Arrays.copyOf(left, left.length + right.length);
            System.arraycopy(right, 0, out, left.length, right.length);
            addConjuncts(join.getCondition(), out, region, rexBuilder);
            return out;
        }
        if (rel instanceof LogicalProject project && isRegionJoin(project.getInput())
                && project.getProjects().stream().allMatch(e -> e instanceof RexInputRef)) {
            int[] in = flatten(project.getInput(), region, rexBuilder);
            return project.getProjects().stream().mapToInt(e -> in[((RexInputRef) e).getIndex()]).toArray();
        }
        if (rel instanceof LogicalFilter filter && isRegionJoin(filter.getInput()) && filter.getVariablesSet().isEmpty()) {
            int[] in = flatten(filter.getInput(), region, rexBuilder);
            addConjuncts(filter.getCondition(), in, region, rexBuilder);
            return in;
        }
        RelNode leaf = rewrite(rel);
        int offset = region.types.size();
        region.leaves.add(leaf);
        region.offsets.add(offset);
        int[] out = new int[leaf.getRowType().getFieldCount()];
        for (RelDataTypeField f : leaf.getRowType().getFieldList()) {
            out[f.getIndex()] = offset + f.getIndex();
            region.types.add(f.getType());
        }
        return out;
    }

    private static void addConjuncts(RexNode condition, int[] fields, Region region, RexBuilder rexBuilder) {
        RexNode global = condition.accept(new RexShuttle() {
            @Override
            public RexNode visitInputRef(RexInputRef ref) {
                int g = fields[ref.getIndex()];
                return new RexInputRef(g, region.types.get(g));
            }
        });
        for (RexNode c : RelOptUtil.conjunctions(global)) {
            if (!c.isAlwaysTrue()) {
                region.conjuncts.add(c);
            }
        }
    }

    private RelNode reorderRegion(RelNode root) {
        RexBuilder rexBuilder = root.getCluster().getRexBuilder();
        Region region = new Region();
        int[] output = flatten(root, region, rexBuilder);
        int n = region.leaves.size();
        if (n > MAX_INPUTS) {
            return rewriteInputs(root);
        }
        Graph graph = new Graph(region, estimator, rexBuilder);
        if (!graph.known) {
            return rewriteInputs(root);
        }
        JoinPlan plan = n <= EXHAUSTIVE_LIMIT ? graph.dynamicProgramming() : graph.greedy();
        Builder builder = new Builder(graph, rexBuilder, output);
        Builder.Built built = builder.build(plan);
        List<RexNode> projects = new ArrayList<>();
        for (int g : output) {
            int at = built.position(g);
            projects.add(new RexInputRef(at, built.rel().getRowType().getFieldList().get(at).getType()));
        }
        RelNode result = LogicalProject.create(built.rel(), List.of(), projects,
                root.getRowType().getFieldNames(), Set.of());
        if (!RelOptUtil.areRowTypesEqual(result.getRowType(), root.getRowType(), false)) {
            return rewriteInputs(root); // a type the flattening could not keep (never expected): keep the order
        }
        return result;
    }

    /** A join tree over region inputs: a leaf (left and right null) or a join of two disjoint sets. */
    record JoinPlan(long set, int leaf, double rows, double cost, JoinPlan left, JoinPlan right) {
        boolean isLeaf() {
            return left == null;
        }
    }

    /** Rebuilds the chosen tree as logical joins, dropping columns no later conjunct or the output needs. */
    private static final class Builder {
        private final Graph graph;
        private final RexBuilder rexBuilder;
        private final int[] output;
        private final boolean[] applied;

        Builder(Graph graph, RexBuilder rexBuilder, int[] output) {
            this.graph = graph;
            this.rexBuilder = rexBuilder;
            this.output = output;
            this.applied = new boolean[graph.conjuncts.size()];
        }

        record Built(RelNode rel, int[] globals) {
            int position(int global) {
                for (int i = 0; i < globals.length; i++) {
                    if (globals[i] == global) {
                        return i;
                    }
                }
                throw new IllegalStateException("Column " + global + " was pruned but is needed");
            }
        }

        Built build(JoinPlan plan) {
            Built built;
            if (plan.isLeaf()) {
                RelNode leaf = graph.leafRel(plan.leaf());
                int offset = graph.region.offsets.get(plan.leaf());
                int[] globals = new int[leaf.getRowType().getFieldCount()];
                for (int i = 0; i < globals.length; i++) {
                    globals[i] = offset + i;
                }
                built = new Built(leaf, globals);
            } else {
                JoinPlan probe = plan.left();
                JoinPlan buildSide = plan.right();
                if (probe.rows() < buildSide.rows()) {
                    probe = plan.right();
                    buildSide = plan.left();
                }
                Built l = build(probe);
                Built r = build(buildSide);
                int[] globals = Arrays.copyOf(l.globals(), l.globals().length + r.globals().length);
                System.arraycopy(r.globals(), 0, globals, l.globals().length, r.globals().length);
                List<RexNode> conditions = new ArrayList<>();
                for (int c = 0; c < applied.length; c++) {
                    if (!applied[c] && (graph.conjunctLeaves[c] & ~plan.set()) == 0) {
                        applied[c] = true;
                        conditions.add(localize(graph.conjuncts.get(c), globals, l.rel(), r.rel()));
                    }
                }
                RexNode condition = RexUtil.composeConjunction(rexBuilder, conditions);
                built = new Built(LogicalJoin.create(l.rel(), r.rel(), List.of(), condition, Set.of(),
                        JoinRelType.INNER), globals);
            }
            return prune(built, plan.set());
        }

        private RexNode localize(RexNode conjunct, int[] globals, RelNode left, RelNode right) {
            int leftWidth = left.getRowType().getFieldCount();
            return conjunct.accept(new RexShuttle() {
                @Override
                public RexNode visitInputRef(RexInputRef ref) {
                    int at = new Built(null, globals).position(ref.getIndex());
                    RelDataType type = at < leftWidth ? left.getRowType().getFieldList().get(at).getType()
                            : right.getRowType().getFieldList().get(at - leftWidth).getType();
                    return new RexInputRef(at, type);
                }
            });
        }

        /** Keeps the columns that the region's output or a conjunct not yet applied needs. */
        private Built prune(Built built, long set) {
            boolean[] needed = new boolean[graph.region.types.size()];
            for (int g : output) {
                needed[g] = true;
            }
            for (int c = 0; c < applied.length; c++) {
                if (!applied[c] && (graph.conjunctLeaves[c] & ~set) != 0) {
                    for (int g : graph.conjunctFields[c]) {
                        needed[g] = true;
                    }
                }
            }
            List<Integer> keep = new ArrayList<>();
            for (int i = 0; i < built.globals().length; i++) {
                if (needed[built.globals()[i]]) {
                    keep.add(i);
                }
            }
            if (keep.isEmpty()) {
                keep.add(0); // a row needs a column to carry its count
            }
            if (keep.size() == built.globals().length) {
                return built;
            }
            RelNode rel = built.rel();
            List<RexNode> projects = new ArrayList<>();
            List<String> names = new ArrayList<>();
            RelNode input = rel;
            List<RexNode> source = null;
            if (rel instanceof LogicalProject p) {
                input = p.getInput();
                source = p.getProjects();
            }
            for (int i : keep) {
                RelDataTypeField f = rel.getRowType().getFieldList().get(i);
                projects.add(source != null ? source.get(i) : new RexInputRef(i, f.getType()));
                names.add(f.getName());
            }
            int[] globals = keep.stream().mapToInt(i -> built.globals()[i]).toArray();
            return new Built(LogicalProject.create(input, List.of(), projects, names, Set.of()), globals);
        }
    }

    /** The join graph of a region: input estimates, conjuncts with the inputs they reference, equality edges. */
    private static final class Graph {
        final Region region;
        final CardinalityEstimator estimator;
        final int n;
        final List<RexNode> conjuncts = new ArrayList<>();
        long[] conjunctLeaves;
        int[][] conjunctFields;
        /** Per conjunct: true when it is {@code column = column} across two inputs (a hash-join key). */
        boolean[] equi;
        final long[] neighbors;
        final RelNode[] leafRels;
        final CardinalityEstimator.Estimate[] leafEstimates;
        /** Per global field: distinct values (within its input) and value domain, after foreign-key capping. */
        final double[] ndv;
        final double[] domain;
        final int[] equivalenceClass;
        final boolean known;
        final Map<Long, Double> rowsMemo = new HashMap<>();
        final CardinalityEstimator.Estimate all;

        Graph(Region region, CardinalityEstimator estimator, RexBuilder rexBuilder) {
            this.region = region;
            this.estimator = estimator;
            this.n = region.leaves.size();
            this.neighbors = new long[n];
            this.leafRels = new RelNode[n];
            this.leafEstimates = new CardinalityEstimator.Estimate[n];
            // Conjuncts over one input filter it; the rest join.
            List<List<RexNode>> leafFilters = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                leafFilters.add(new ArrayList<>());
            }
            for (RexNode c : region.conjuncts) {
                int[] fields = RelOptUtil.InputFinder.bits(c).toArray();
                long leaves = 0;
                for (int g : fields) {
                    leaves |= 1L << region.leafOf(g);
                }
                if (Long.bitCount(leaves) == 1 && !RexUtil.containsCorrelation(c)) {
                    leafFilters.get(Long.numberOfTrailingZeros(leaves)).add(c);
                } else {
                    conjuncts.add(c);
                    if (c.getKind() == SqlKind.OR && !RexUtil.containsCorrelation(c)) {
                        for (long l = leaves; l != 0; l &= l - 1) {
                            int leaf = Long.numberOfTrailingZeros(l);
                            RexNode derived = impliedFilter(c, leaf, region, rexBuilder);
                            if (derived != null) {
                                leafFilters.get(leaf).add(derived);
                            }
                        }
                    }
                }
            }
            boolean allKnown = true;
            for (int i = 0; i < n; i++) {
                RelNode leaf = region.leaves.get(i);
                if (!leafFilters.get(i).isEmpty()) {
                    int offset = region.offsets.get(i);
                    RexNode local = RexUtil.composeConjunction(rexBuilder, leafFilters.get(i)).accept(new RexShuttle() {
                        @Override
                        public RexNode visitInputRef(RexInputRef ref) {
                            return new RexInputRef(ref.getIndex() - offset, ref.getType());
                        }
                    });
                    leaf = LogicalFilter.create(leaf, local);
                }
                leafRels[i] = leaf;
                leafEstimates[i] = estimator.estimate(leaf);
                allKnown &= leafEstimates[i].known();
            }
            this.known = allKnown;
            int m = conjuncts.size();
            conjunctLeaves = new long[m];
            conjunctFields = new int[m][];
            equi = new boolean[m];
            int width = region.types.size();
            ndv = new double[width];
            domain = new double[width];
            List<CardinalityEstimator.Column> columns = new ArrayList<>();
            for (int g = 0; g < width; g++) {
                int leaf = region.leafOf(g);
                CardinalityEstimator.Estimate e = leafEstimates[leaf];
                int local = g - region.offsets.get(leaf);
                CardinalityEstimator.Column column = e.column(local);
                columns.add(column);
                ndv[g] = e.ndv(local);
                domain[g] = Double.isNaN(column.domain()) ? Math.max(ndv[g], e.rows()) : Math.max(column.domain(), ndv[g]);
            }
            double product = 1;
            for (CardinalityEstimator.Estimate e : leafEstimates) {
                product = Math.min(1e300, product * e.rows());
            }
            this.all = new CardinalityEstimator.Estimate(product, columns, true);
            equivalenceClass = new int[width];
            for (int g = 0; g < width; g++) {
                equivalenceClass[g] = g;
            }
            for (int c = 0; c < m; c++) {
                RexNode conjunct = conjuncts.get(c);
                conjunctFields[c] = RelOptUtil.InputFinder.bits(conjunct).toArray();
                for (int g : conjunctFields[c]) {
                    conjunctLeaves[c] |= 1L << region.leafOf(g);
                }
                if (conjunct.getKind() == SqlKind.EQUALS && conjunct instanceof RexCall call
                        && call.getOperands().get(0) instanceof RexInputRef a
                        && call.getOperands().get(1) instanceof RexInputRef b
                        && Long.bitCount(conjunctLeaves[c]) == 2) {
                    equi[c] = true;
                    int la = region.leafOf(a.getIndex());
                    int lb = region.leafOf(b.getIndex());
                    neighbors[la] |= 1L << lb;
                    neighbors[lb] |= 1L << la;
                    union(a.getIndex(), b.getIndex());
                    capForeignKey(a.getIndex(), b.getIndex());
                    capForeignKey(b.getIndex(), a.getIndex());
                }
            }
        }

        /**
         * A filter on one input implied by a disjunction over several (TPC-H Q7's nation pairs, Q19's part and
         * lineitem conditions): the OR, over the disjuncts, of each disjunct's conjuncts on that input alone; null
         * when some disjunct says nothing about it. The disjunction itself still applies at the join.
         */
        private static RexNode impliedFilter(RexNode disjunction, int leaf, Region region, RexBuilder rexBuilder) {
            List<RexNode> alternatives = new ArrayList<>();
            for (RexNode disjunct : RelOptUtil.disjunctions(disjunction)) {
                List<RexNode> own = new ArrayList<>();
                for (RexNode c : RelOptUtil.conjunctions(disjunct)) {
                    int[] fields = RelOptUtil.InputFinder.bits(c).toArray();
                    boolean only = fields.length > 0;
                    for (int g : fields) {
                        only &= region.leafOf(g) == leaf;
                    }
                    if (only) {
                        own.add(c);
                    }
                }
                if (own.isEmpty()) {
                    return null;
                }
                alternatives.add(RexUtil.composeConjunction(rexBuilder, own));
            }
            return RexUtil.composeDisjunction(rexBuilder, alternatives);
        }

        private int find(int g) {
            while (equivalenceClass[g] != g) {
                equivalenceClass[g] = equivalenceClass[equivalenceClass[g]];
                g = equivalenceClass[g];
            }
            return g;
        }

        private void union(int a, int b) {
            equivalenceClass[find(a)] = find(b);
        }

        /**
         * When {@code key} is unique within its input (a primary key), the values of {@code other} that can match
         * lie in the key's domain (foreign-key containment): {@code other} has at most that many distinct values.
         */
        private void capForeignKey(int key, int other) {
            double keyRows = leafEstimates[region.leafOf(key)].rows();
            if (ndv[key] >= 0.9 * keyRows) {
                ndv[other] = Math.min(ndv[other], domain[key]);
                domain[other] = Math.min(domain[other], domain[key]);
            }
        }

        RelNode leafRel(int leaf) {
            return leafRels[leaf];
        }

        private long neighborsOf(long set) {
            long out = 0;
            for (long s = set; s != 0; s &= s - 1) {
                out |= neighbors[Long.numberOfTrailingZeros(s)];
            }
            return out & ~set;
        }

        /** Estimated rows of joining {@code a} and {@code b} (memoized per union, so independent of the split). */
        double rows(JoinPlan a, JoinPlan b) {
            long set = a.set() | b.set();
            Double memo = rowsMemo.get(set);
            if (memo != null) {
                return memo;
            }
            // Per equivalence class of keys crossing the split, the distinct values on each side.
            Map<Integer, double[]> classes = new HashMap<>();
            double residual = 1;
            for (int c = 0; c < conjuncts.size(); c++) {
                long leaves = conjunctLeaves[c];
                if ((leaves & ~set) != 0 || (leaves & ~a.set()) == 0 || (leaves & ~b.set()) == 0) {
                    continue; // not applied at this join
                }
                if (!equi[c]) {
                    residual *= estimator.selectivity(conjuncts.get(c), all);
                    continue;
                }
                RexCall call = (RexCall) conjuncts.get(c);
                int x = ((RexInputRef) call.getOperands().get(0)).getIndex();
                int y = ((RexInputRef) call.getOperands().get(1)).getIndex();
                if ((a.set() & (1L << region.leafOf(x))) == 0) {
                    int t = x;
                    x = y;
                    y = t;
                }
                double[] sides = classes.computeIfAbsent(find(x), k -> new double[] {Double.MAX_VALUE, Double.MAX_VALUE});
                sides[0] = Math.min(sides[0], Math.min(ndv[x], a.rows()));
                sides[1] = Math.min(sides[1], Math.min(ndv[y], b.rows()));
            }
            double denominator = 1;
            if (!classes.isEmpty()) {
                double left = composite(classes.values(), 0, a.rows());
                double right = composite(classes.values(), 1, b.rows());
                denominator = Math.max(left, right);
            }
            double rows = Math.max(1, a.rows() * b.rows() / denominator * residual);
            rowsMemo.put(set, rows);
            return rows;
        }

        /**
         * Distinct values of several key columns of one side together: the most distinct column in full, each
         * further one damped (square root, fourth root, ...) since composite keys are correlated; at most the rows.
         */
        private static double composite(java.util.Collection<double[]> classes, int side, double rows) {
            double[] values = classes.stream().mapToDouble(s -> s[side]).sorted().toArray();
            double result = 1;
            double exponent = 1;
            for (int i = values.length - 1; i >= 0; i--) {
                result *= Math.pow(Math.max(1, values[i]), exponent);
                exponent /= 2;
            }
            return Math.min(result, rows);
        }

        private JoinPlan leaf(int i) {
            return new JoinPlan(1L << i, i, leafEstimates[i].rows(), 0, null, null);
        }

        private JoinPlan join(JoinPlan a, JoinPlan b) {
            double rows = rows(a, b);
            return new JoinPlan(a.set() | b.set(), -1, rows, a.cost() + b.cost() + rows + Math.min(a.rows(), b.rows()),
                    a, b);
        }

        /** Exhaustive search over connected subsets (bushy trees), then the parts crossed smallest first. */
        JoinPlan dynamicProgramming() {
            int size = 1 << n;
            JoinPlan[] best = new JoinPlan[size];
            for (int i = 0; i < n; i++) {
                best[1 << i] = leaf(i);
            }
            for (int set = 1; set < size; set++) {
                if (Integer.bitCount(set) < 2) {
                    continue;
                }
                int lowest = set & -set;
                for (int sub = (set - 1) & set; sub > 0; sub = (sub - 1) & set) {
                    if ((sub & lowest) == 0) {
                        continue; // each split once
                    }
                    int rest = set ^ sub;
                    JoinPlan a = best[sub];
                    JoinPlan b = best[rest];
                    if (a == null || b == null || (neighborsOf(sub) & rest) == 0) {
                        continue;
                    }
                    JoinPlan candidate = join(a, b);
                    if (best[set] == null || candidate.cost() < best[set].cost()) {
                        best[set] = candidate;
                    }
                }
            }
            if (best[size - 1] != null) {
                return best[size - 1];
            }
            // Disconnected: the largest connected parts, then crossed.
            List<JoinPlan> parts = new ArrayList<>();
            long covered = 0;
            for (int set = size - 1; set > 0; set--) {
                if (best[set] != null && (set & covered) == 0 && isComponent(set)) {
                    parts.add(best[set]);
                    covered |= set;
                }
            }
            return cross(parts);
        }

        private boolean isComponent(long set) {
            return (neighborsOf(set) & ~set) == 0;
        }

        /** Greedy: repeatedly the connected pair whose join is cheapest, then the parts crossed. */
        JoinPlan greedy() {
            List<JoinPlan> parts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                parts.add(leaf(i));
            }
            while (parts.size() > 1) {
                JoinPlan bestJoin = null;
                int bi = -1;
                int bj = -1;
                for (int i = 0; i < parts.size(); i++) {
                    for (int j = i + 1; j < parts.size(); j++) {
                        if ((neighborsOf(parts.get(i).set()) & parts.get(j).set()) == 0) {
                            continue;
                        }
                        JoinPlan candidate = join(parts.get(i), parts.get(j));
                        if (bestJoin == null || candidate.rows() < bestJoin.rows()
                                || (candidate.rows() == bestJoin.rows() && candidate.cost() < bestJoin.cost())) {
                            bestJoin = candidate;
                            bi = i;
                            bj = j;
                        }
                    }
                }
                if (bestJoin == null) {
                    break;
                }
                parts.remove(bj);
                parts.set(bi, bestJoin);
            }
            return cross(parts);
        }

        private JoinPlan cross(List<JoinPlan> parts) {
            List<JoinPlan> rest = new ArrayList<>(parts);
            while (rest.size() > 1) {
                rest.sort(java.util.Comparator.comparingDouble(JoinPlan::rows));
                JoinPlan joined = join(rest.get(0), rest.get(1));
                rest.remove(1);
                rest.set(0, joined);
            }
            return rest.get(0);
        }
    }
}
