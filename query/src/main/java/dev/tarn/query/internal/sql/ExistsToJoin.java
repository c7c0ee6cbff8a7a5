package dev.tarn.query.internal.sql;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;

/**
 * Turns a correlated {@code [NOT] EXISTS (SELECT ... FROM r WHERE c)} that is a conjunct of a WHERE clause into a
 * semi (anti) join of the filtered rows with {@code r} on {@code c}, the outer columns {@code c} mentions becoming
 * the join's left columns. Calcite's general decorrelation cannot pull a non-equality correlation such as TPC-H
 * Q21's {@code l2.l_suppkey <> l1.l_suppkey} out of the subquery, so it joins the subquery with every distinct outer
 * row it could be asked about, computing the outer query once more per subquery; a semi join with the condition as
 * its residual computes it once. NOT EXISTS needs no NULL care: the subquery keeps the rows where {@code c} is TRUE,
 * exactly the pairs an anti join counts as matches.
 *
 * <p>Only the simple shape is rewritten: projections over one filter that holds every correlated reference, over an
 * input without correlation or subqueries. Everything else is left to Calcite's rules.
 */
final class ExistsToJoin extends RelShuttleImpl {
    private final RexBuilder rexBuilder;

    private ExistsToJoin(RexBuilder rexBuilder) {
        this.rexBuilder = requireNonNull(rexBuilder, "rexBuilder is null");
    }

    static RelNode rewrite(RelNode rel, RexBuilder rexBuilder) {
        return rel.accept(new ExistsToJoin(rexBuilder));
    }

    @Override
    public RelNode visit(LogicalFilter filter) {
        LogicalFilter visited = (LogicalFilter) super.visit(filter);
        Set<CorrelationId> ids = visited.getVariablesSet();
        RelNode current = visited.getInput();
        List<RexNode> remaining = new ArrayList<>();
        boolean changed = false;
        for (RexNode conjunct : RelOptUtil.conjunctions(visited.getCondition())) {
            boolean negated = conjunct.getKind() == SqlKind.NOT;
            RexNode operand = negated ? ((RexCall) conjunct).getOperands().get(0) : conjunct;
            Optional<RelNode> joined = operand instanceof RexSubQuery sq && sq.getKind() == SqlKind.EXISTS
                    ? semiJoin(current, sq.rel, ids, negated ? JoinRelType.ANTI : JoinRelType.SEMI)
                    : Optional.empty();
            if (joined.isPresent()) {
                current = joined.get();
                changed = true;
            } else {
                remaining.add(conjunct);
            }
        }
        if (!changed) {
            return visited;
        }
        // Semi and anti joins keep the left row type, so the remaining conjuncts (and their correlations) still fit.
        return remaining.isEmpty() ? current
                : LogicalFilter.create(current, RexUtil.composeConjunction(rexBuilder, remaining),
                        com.google.common.collect.ImmutableSet.copyOf(ids));
    }

    /** The semi/anti join of {@code left} with the subquery, or empty when the subquery has another shape. */
    private Optional<RelNode> semiJoin(RelNode left, RelNode subQuery, Set<CorrelationId> ids, JoinRelType type) {
        RelNode rel = subQuery;
        // EXISTS ignores what the subquery selects.
        while (rel instanceof LogicalProject p) {
            rel = p.getInput();
        }
        if (!(rel instanceof LogicalFilter inner) || ids.isEmpty()
                || !RelOptUtil.getVariablesUsed(inner.getInput()).isEmpty()
                || RexUtil.SubQueryFinder.find(inner.getCondition()) != null) {
            return Optional.empty();
        }
        Set<CorrelationId> used = RelOptUtil.getVariablesUsed(inner);
        if (used.isEmpty() || !ids.containsAll(used)) {
            return Optional.empty();
        }
        // Conjuncts without outer references filter the subquery's rows before the join; the others become the
        // join condition.
        List<RexNode> correlated = new ArrayList<>();
        List<RexNode> local = new ArrayList<>();
        for (RexNode c : RelOptUtil.conjunctions(inner.getCondition())) {
            (RexUtil.containsCorrelation(c) ? correlated : local).add(c);
        }
        int leftCount = left.getRowType().getFieldCount();
        List<RelDataTypeField> leftFields = left.getRowType().getFieldList();
        boolean[] ok = {true};
        RexNode condition = RexUtil.composeConjunction(rexBuilder, correlated).accept(new RexShuttle() {
            @Override
            public RexNode visitInputRef(RexInputRef ref) {
                return rexBuilder.makeInputRef(ref.getType(), ref.getIndex() + leftCount);
            }

            @Override
            public RexNode visitFieldAccess(RexFieldAccess access) {
                if (access.getReferenceExpr() instanceof RexCorrelVariable v && used.contains(v.id)) {
                    int index = access.getField().getIndex();
                    if (index >= leftCount) {
                        ok[0] = false;
                        return access;
                    }
                    return rexBuilder.makeInputRef(leftFields.get(index).getType(), index);
                }
                return super.visitFieldAccess(access);
            }

            @Override
            public RexNode visitCorrelVariable(RexCorrelVariable variable) {
                ok[0] = false; // a whole-row reference: not a shape this rewrite handles
                return variable;
            }
        });
        if (!ok[0]) {
            return Optional.empty();
        }
        RelNode right = local.isEmpty() ? inner.getInput()
                : LogicalFilter.create(inner.getInput(), RexUtil.composeConjunction(rexBuilder, local));
        return Optional.of(LogicalJoin.create(left, right, List.of(), condition, Set.of(), type));
    }
}
