package dev.tarn.query.internal.plan;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.execution.Pipeline;
import dev.tarn.query.internal.execution.Region;
import dev.tarn.query.internal.operator.Bindings;
import dev.tarn.query.internal.operator.Meter;
import dev.tarn.query.internal.operator.MeteredOperator;
import dev.tarn.query.internal.operator.SharedBuildSide;
import dev.tarn.query.internal.operator.SharedResult;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable node of a physical plan. Planning builds these once per statement; each execution instantiates a
 * fresh operator tree (the per-execution state) with its own parameter bindings.
 *
 * <p>Parallelism: a <em>scan</em> node and the <em>streaming</em> nodes over it (filter, project, a hash join's
 * probe side) form a pipeline that a <em>region</em> node (parallel gather, aggregate or sort) instantiates once per
 * worker: each instance's scan reads the morsels its worker claims, and the build sides of the pipeline's joins are
 * instantiated once and shared (see {@link Region}).
 *
 * <p>A <em>shared</em> node's result is computed once per execution and read by it and by each of its
 * {@linkplain #reuse reuses} elsewhere in the plan (see {@link SharedResult}).
 */
public final class PlanNode {
    /** Builds this node's operator from its children's operators. */
    @FunctionalInterface
    public interface Factory {
        Operator create(List<Operator> children, Bindings bindings);
    }

    /** Builds a region node's operator from its input pipeline. */
    @FunctionalInterface
    public interface RegionFactory {
        Operator create(Pipeline input, Bindings bindings);
    }

    /** Builds the operator of a region node with further inputs (read whole) from its pipeline and those inputs. */
    @FunctionalInterface
    public interface RegionJoinFactory {
        Operator create(Pipeline input, List<Operator> others, Bindings bindings);
    }

    private enum Kind { OTHER, SCAN, STREAMING, REGION, SHARED, REUSE }

    private final String description;
    private final List<ResultColumn> columns;
    private final List<PlanNode> children;
    private final Factory factory;
    private final Kind kind;
    private final int pipelineChild;
    private final RegionFactory regionFactory;
    private final RegionJoinFactory regionJoinFactory;
    /** For a reuse: the shared node whose result it reads. */
    private final PlanNode owner;

    public PlanNode(String description, List<ResultColumn> columns, List<PlanNode> children, Factory factory) {
        this(description, columns, children, requireNonNull(factory, "factory is null"), Kind.OTHER, -1, null);
    }

    private PlanNode(String description, List<ResultColumn> columns, List<PlanNode> children, Factory factory,
                     Kind kind, int pipelineChild, RegionFactory regionFactory) {
        this(description, columns, children, factory, kind, pipelineChild, regionFactory, null);
    }

    private PlanNode(String description, List<ResultColumn> columns, List<PlanNode> children, Factory factory,
                     Kind kind, int pipelineChild, RegionFactory regionFactory, RegionJoinFactory regionJoinFactory) {
        this(description, columns, children, factory, kind, pipelineChild, regionFactory, regionJoinFactory, null);
    }

    private PlanNode(String description, List<ResultColumn> columns, List<PlanNode> children, Factory factory,
                     Kind kind, int pipelineChild, RegionFactory regionFactory, RegionJoinFactory regionJoinFactory,
                     PlanNode owner) {
        this.description = requireNonNull(description, "description is null");
        this.columns = List.copyOf(columns);
        this.children = List.copyOf(children);
        this.factory = factory;
        this.kind = kind;
        this.pipelineChild = pipelineChild;
        this.regionFactory = regionFactory;
        this.regionJoinFactory = regionJoinFactory;
        this.owner = owner;
        if (kind == Kind.STREAMING && (pipelineChild < 0 || pipelineChild >= this.children.size())) {
            throw new IllegalArgumentException("pipelineChild out of range");
        }
    }

    /** A table scan: its factory's operator must be a {@link dev.tarn.query.internal.operator.ScanOperator}. */
    public static PlanNode scan(String description, List<ResultColumn> columns, Factory factory) {
        return new PlanNode(description, columns, List.of(), requireNonNull(factory, "factory is null"), Kind.SCAN, -1,
                null);
    }

    /**
     * A streaming operator: emits everything derived from a batch of child {@code pipelineChild} before it pulls the
     * next, and reads its other children (hash join build sides) completely before its first output.
     */
    public static PlanNode streaming(String description, List<ResultColumn> columns, List<PlanNode> children,
                                     int pipelineChild, Factory factory) {
        return new PlanNode(description, columns, children, requireNonNull(factory, "factory is null"),
                Kind.STREAMING, pipelineChild, null);
    }

    /** A parallel consumer of a pipeline (see {@link #isPipeline()}). */
    public static PlanNode region(String description, List<ResultColumn> columns, PlanNode input,
                                  RegionFactory factory) {
        return new PlanNode(description, columns, List.of(input), null, Kind.REGION, -1,
                requireNonNull(factory, "factory is null"));
    }

    /**
     * A parallel consumer of a pipeline ({@code input}) that also reads other inputs whole, instantiated once per
     * execution (not per worker), such as the small side of a join whose big side is the pipeline.
     */
    public static PlanNode region(String description, List<ResultColumn> columns, PlanNode input,
                                  List<PlanNode> others, RegionJoinFactory factory) {
        List<PlanNode> children = new ArrayList<>();
        children.add(input);
        children.addAll(others);
        return new PlanNode(description, columns, children, null, Kind.REGION, -1, null,
                requireNonNull(factory, "factory is null"));
    }

    /**
     * A node whose result ({@code input}'s rows, read whole) is computed once per execution however many times it
     * is read: here and through each {@link #reuse} of it.
     */
    public static PlanNode shared(String description, PlanNode input) {
        if (input.isPipeline()) {
            throw new IllegalArgumentException("a shared input is read whole: gather it first");
        }
        return new PlanNode(description, input.columns(), List.of(input), null, Kind.SHARED, -1, null, null, null);
    }

    /** Another read of {@code shared}'s result (its input is explained and run only under {@code shared}). */
    public static PlanNode reuse(String description, PlanNode shared) {
        if (shared.kind != Kind.SHARED) {
            throw new IllegalArgumentException("not a shared node: " + shared.description);
        }
        return new PlanNode(description, shared.columns, List.of(), null, Kind.REUSE, -1, null, null, shared);
    }

    public List<ResultColumn> columns() {
        return columns;
    }

    public List<PlanNode> children() {
        return children;
    }

    public String description() {
        return description;
    }

    /** Whether this node is a scan, or a streaming node over a pipeline: parallel workers can split it. */
    public boolean isPipeline() {
        return kind == Kind.SCAN || (kind == Kind.STREAMING && children.get(pipelineChild).isPipeline());
    }

    /** A new operator tree for one execution. */
    public Operator instantiate(Bindings bindings) {
        return instantiate(new Instantiation(this, bindings, null, 0), new int[1]);
    }

    /**
     * A new operator tree for one execution with every operator wrapped in a {@link MeteredOperator}; {@code meters}
     * receives one {@link Meter} per line of {@link #explain()}, in that order (this node before its children).
     * Parallel workers count into the same meters.
     */
    public Operator instantiateMetered(Bindings bindings, List<Meter> meters) {
        int first = meters.size();
        for (int i = 0; i < size(); i++) {
            meters.add(new Meter());
        }
        return instantiate(new Instantiation(this, bindings, meters, first), new int[] {first});
    }

    /** Nodes in this subtree (lines of its explain). */
    private int size() {
        int n = 1;
        for (PlanNode c : children) {
            n += c.size();
        }
        return n;
    }

    private static Operator metered(Operator op, Instantiation in, int slot) {
        return in.meters == null ? op : new MeteredOperator(op, in.meters.get(slot));
    }

    /**
     * One execution's instantiation of a plan: its bindings, the meters (null unless metered, indexed by line of
     * the root's explain) and the shared results made so far.
     */
    private static final class Instantiation {
        final PlanNode root;
        final Bindings bindings;
        final List<Meter> meters;
        final int firstSlot;
        private final Map<PlanNode, SharedResult> shared = new IdentityHashMap<>();

        Instantiation(PlanNode root, Bindings bindings, List<Meter> meters, int firstSlot) {
            this.root = root;
            this.bindings = bindings;
            this.meters = meters;
            this.firstSlot = firstSlot;
        }

        /** A reader of {@code owner}'s result; workers of a region may ask concurrently. */
        synchronized Operator sharedReader(PlanNode owner) {
            SharedResult result = shared.get(owner);
            Operator reader = result == null ? null : result.reader();
            if (reader == null) {
                int inputSlot = firstSlot + root.lineOf(owner) + 1;
                result = new SharedResult(owner.columns,
                        () -> owner.children.get(0).instantiate(this, new int[] {inputSlot}));
                shared.put(owner, result);
                reader = result.reader();
            }
            return reader;
        }
    }

    /** The line of {@code node} in this subtree's explain (pre-order), or -1 when it is not in it. */
    private int lineOf(PlanNode node) {
        if (this == node) {
            return 0;
        }
        int line = 1;
        for (PlanNode c : children) {
            int at = c.lineOf(node);
            if (at >= 0) {
                return line + at;
            }
            line += c.size();
        }
        return -1;
    }

    private Operator instantiate(Instantiation in, int[] cursor) {
        int slot = cursor[0]++;
        if (kind == Kind.SHARED || kind == Kind.REUSE) {
            cursor[0] += kind == Kind.SHARED ? children.get(0).size() : 0;
            return metered(in.sharedReader(kind == Kind.SHARED ? this : owner), in, slot);
        }
        if (kind == Kind.REGION) {
            int inputSlot = cursor[0];
            cursor[0] += children.get(0).size();
            Pipeline input = new NodePipeline(children.get(0), in, inputSlot);
            if (regionFactory != null) {
                return metered(regionFactory.create(input, in.bindings), in, slot);
            }
            List<Operator> others = new ArrayList<>(children.size() - 1);
            try {
                for (PlanNode child : children.subList(1, children.size())) {
                    others.add(child.instantiate(in, cursor));
                }
                return metered(regionJoinFactory.create(input, others, in.bindings), in, slot);
            } catch (RuntimeException e) {
                others.forEach(Operator::close);
                throw e;
            }
        }
        List<Operator> ops = new ArrayList<>(children.size());
        try {
            for (PlanNode child : children) {
                ops.add(child.instantiate(in, cursor));
            }
            return metered(factory.create(ops, in.bindings), in, slot);
        } catch (RuntimeException e) {
            ops.forEach(Operator::close);
            throw e;
        }
    }

    /** The instance of this pipeline for one worker of a region. */
    private Operator instantiateWorker(Instantiation in, int[] cursor, Region region, int worker) {
        int slot = cursor[0]++;
        if (kind == Kind.SCAN) {
            Operator op = factory.create(List.of(), in.bindings);
            try {
                region.attach((dev.tarn.query.internal.operator.ScanOperator) op, worker);
            } catch (RuntimeException e) {
                op.close();
                throw e;
            }
            return metered(op, in, slot);
        }
        if (kind != Kind.STREAMING) {
            throw new IllegalStateException("not a pipeline: " + description);
        }
        List<Operator> ops = new ArrayList<>(children.size());
        try {
            for (int i = 0; i < children.size(); i++) {
                PlanNode child = children.get(i);
                if (i == pipelineChild) {
                    ops.add(child.instantiateWorker(in, cursor, region, worker));
                } else {
                    int childSlot = cursor[0];
                    cursor[0] += child.size();
                    ops.add(region.shared(new SharedKey(this, i), () -> new SharedBuildSide(
                            child.instantiate(in, new int[] {childSlot}), region.workers())).side());
                }
            }
            return metered(factory.create(ops, in.bindings), in, slot);
        } catch (RuntimeException e) {
            ops.forEach(Operator::close);
            throw e;
        }
    }

    /** A build side of one streaming node (identity of the node, not its equality). */
    private record SharedKey(PlanNode node, int child) {}

    /** A pipeline subtree as a region's operator sees it. */
    private record NodePipeline(PlanNode node, Instantiation in, int slot) implements Pipeline {
        @Override
        public List<ResultColumn> columns() {
            return node.columns();
        }

        @Override
        public boolean splittable() {
            return node.isPipeline();
        }

        @Override
        public Operator instantiate() {
            return node.instantiate(in, new int[] {slot});
        }

        @Override
        public Operator instantiate(Region region, int worker) {
            return node.instantiateWorker(in, new int[] {slot}, region, worker);
        }
    }

    /** The lines of {@link #explain()}, each with its depth in the tree. */
    public List<String> explainLines() {
        List<String> lines = new ArrayList<>();
        explainLines(lines, 0);
        return lines;
    }

    private void explainLines(List<String> lines, int depth) {
        lines.add("  ".repeat(depth) + description);
        for (PlanNode c : children) {
            c.explainLines(lines, depth + 1);
        }
    }

    /** The plan as indented text, one node per line. */
    public String explain() {
        StringBuilder b = new StringBuilder();
        explain(b, 0);
        return b.toString();
    }

    private void explain(StringBuilder b, int depth) {
        b.append("  ".repeat(depth)).append(description).append('\n');
        for (PlanNode c : children) {
            c.explain(b, depth + 1);
        }
    }
}
