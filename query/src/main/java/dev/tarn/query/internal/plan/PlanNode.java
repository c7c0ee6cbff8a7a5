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
import java.util.ArrayList;
import java.util.List;

/**
 * An immutable node of a physical plan. Planning builds these once per statement; each execution instantiates a
 * fresh operator tree (the per-execution state) with its own parameter bindings.
 *
 * <p>Parallelism: a <em>scan</em> node and the <em>streaming</em> nodes over it (filter, project, a hash join's
 * probe side) form a pipeline that a <em>region</em> node (parallel gather, aggregate or sort) instantiates once per
 * worker: each instance's scan reads the morsels its worker claims, and the build sides of the pipeline's joins are
 * instantiated once and shared (see {@link Region}).
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

    private enum Kind { OTHER, SCAN, STREAMING, REGION }

    private final String description;
    private final List<ResultColumn> columns;
    private final List<PlanNode> children;
    private final Factory factory;
    private final Kind kind;
    private final int pipelineChild;
    private final RegionFactory regionFactory;
    private final RegionJoinFactory regionJoinFactory;

    public PlanNode(String description, List<ResultColumn> columns, List<PlanNode> children, Factory factory) {
        this(description, columns, children, requireNonNull(factory, "factory is null"), Kind.OTHER, -1, null);
    }

    private PlanNode(String description, List<ResultColumn> columns, List<PlanNode> children, Factory factory,
                     Kind kind, int pipelineChild, RegionFactory regionFactory) {
        this(description, columns, children, factory, kind, pipelineChild, regionFactory, null);
    }

    private PlanNode(String description, List<ResultColumn> columns, List<PlanNode> children, Factory factory,
                     Kind kind, int pipelineChild, RegionFactory regionFactory, RegionJoinFactory regionJoinFactory) {
        this.description = requireNonNull(description, "description is null");
        this.columns = List.copyOf(columns);
        this.children = List.copyOf(children);
        this.factory = factory;
        this.kind = kind;
        this.pipelineChild = pipelineChild;
        this.regionFactory = regionFactory;
        this.regionJoinFactory = regionJoinFactory;
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
        return instantiate(bindings, null, new int[1]);
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
        return instantiate(bindings, meters, new int[] {first});
    }

    /** Nodes in this subtree (lines of its explain). */
    private int size() {
        int n = 1;
        for (PlanNode c : children) {
            n += c.size();
        }
        return n;
    }

    private Operator metered(Operator op, List<Meter> meters, int slot) {
        return meters == null ? op : new MeteredOperator(op, meters.get(slot));
    }

    private Operator instantiate(Bindings bindings, List<Meter> meters, int[] cursor) {
        int slot = cursor[0]++;
        if (kind == Kind.REGION) {
            int inputSlot = cursor[0];
            cursor[0] += children.get(0).size();
            Pipeline input = new NodePipeline(children.get(0), bindings, meters, inputSlot);
            if (regionFactory != null) {
                return metered(regionFactory.create(input, bindings), meters, slot);
            }
            List<Operator> others = new ArrayList<>(children.size() - 1);
            try {
                for (PlanNode child : children.subList(1, children.size())) {
                    others.add(child.instantiate(bindings, meters, cursor));
                }
                return metered(regionJoinFactory.create(input, others, bindings), meters, slot);
            } catch (RuntimeException e) {
                others.forEach(Operator::close);
                throw e;
            }
        }
        List<Operator> ops = new ArrayList<>(children.size());
        try {
            for (PlanNode child : children) {
                ops.add(child.instantiate(bindings, meters, cursor));
            }
            return metered(factory.create(ops, bindings), meters, slot);
        } catch (RuntimeException e) {
            ops.forEach(Operator::close);
            throw e;
        }
    }

    /** The instance of this pipeline for one worker of a region. */
    private Operator instantiateWorker(Bindings bindings, List<Meter> meters, int[] cursor, Region region,
                                       int worker) {
        int slot = cursor[0]++;
        if (kind == Kind.SCAN) {
            Operator op = factory.create(List.of(), bindings);
            try {
                region.attach((dev.tarn.query.internal.operator.ScanOperator) op, worker);
            } catch (RuntimeException e) {
                op.close();
                throw e;
            }
            return metered(op, meters, slot);
        }
        if (kind != Kind.STREAMING) {
            throw new IllegalStateException("not a pipeline: " + description);
        }
        List<Operator> ops = new ArrayList<>(children.size());
        try {
            for (int i = 0; i < children.size(); i++) {
                PlanNode child = children.get(i);
                if (i == pipelineChild) {
                    ops.add(child.instantiateWorker(bindings, meters, cursor, region, worker));
                } else {
                    int childSlot = cursor[0];
                    cursor[0] += child.size();
                    ops.add(region.shared(new SharedKey(this, i), () -> new SharedBuildSide(
                            child.instantiate(bindings, meters, new int[] {childSlot}))).side());
                }
            }
            return metered(factory.create(ops, bindings), meters, slot);
        } catch (RuntimeException e) {
            ops.forEach(Operator::close);
            throw e;
        }
    }

    /** A build side of one streaming node (identity of the node, not its equality). */
    private record SharedKey(PlanNode node, int child) {}

    /** A pipeline subtree as a region's operator sees it. */
    private record NodePipeline(PlanNode node, Bindings bindings, List<Meter> meters, int slot) implements Pipeline {
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
            return node.instantiate(bindings, meters, new int[] {slot});
        }

        @Override
        public Operator instantiate(Region region, int worker) {
            return node.instantiateWorker(bindings, meters, new int[] {slot}, region, worker);
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
