package dev.tarn.query.internal.plan;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.operator.Bindings;
import dev.tarn.query.internal.operator.MeteredOperator;
import java.util.ArrayList;
import java.util.List;

/**
 * An immutable node of a physical plan. Planning builds these once per statement; each execution instantiates a
 * fresh operator tree (the per-execution state) with its own parameter bindings.
 */
public final class PlanNode {
    /** Builds this node's operator from its children's operators. */
    @FunctionalInterface
    public interface Factory {
        Operator create(List<Operator> children, Bindings bindings);
    }

    private final String description;
    private final List<ResultColumn> columns;
    private final List<PlanNode> children;
    private final Factory factory;

    public PlanNode(String description, List<ResultColumn> columns, List<PlanNode> children, Factory factory) {
        this.description = requireNonNull(description, "description is null");
        this.columns = List.copyOf(columns);
        this.children = List.copyOf(children);
        this.factory = requireNonNull(factory, "factory is null");
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

    /** A new operator tree for one execution. */
    public Operator instantiate(Bindings bindings) {
        List<Operator> ops = new ArrayList<>(children.size());
        try {
            for (PlanNode child : children) {
                ops.add(child.instantiate(bindings));
            }
            return factory.create(ops, bindings);
        } catch (RuntimeException e) {
            ops.forEach(Operator::close);
            throw e;
        }
    }

    /**
     * A new operator tree for one execution with every operator wrapped in a {@link MeteredOperator}; the wrappers
     * are added to {@code metered} in the order of {@link #explain()}'s lines (this node before its children).
     */
    public Operator instantiateMetered(Bindings bindings, List<MeteredOperator> metered) {
        int slot = metered.size();
        metered.add(null);
        List<Operator> ops = new ArrayList<>(children.size());
        try {
            for (PlanNode child : children) {
                ops.add(child.instantiateMetered(bindings, metered));
            }
            MeteredOperator op = new MeteredOperator(factory.create(ops, bindings));
            metered.set(slot, op);
            return op;
        } catch (RuntimeException e) {
            ops.forEach(Operator::close);
            throw e;
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
