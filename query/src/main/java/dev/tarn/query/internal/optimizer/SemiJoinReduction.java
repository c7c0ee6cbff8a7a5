package dev.tarn.query.internal.optimizer;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.internal.catalog.TableHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;

/**
 * Semi-join reduction of aggregations that an inner join filters by their group key, the shape decorrelated
 * subqueries take (TPC-H Q2, Q17, Q20: an aggregate per part key joined with a few hundred selected parts). Only
 * groups whose key the join finds survive, so the aggregation's input may first be semi-joined with any set of keys
 * that contains the join's keys. That set is taken from the smallest join-free input (a filtered scan) that
 * provides the key on the other side, following the inner joins' key equalities, and the semi join is placed on the
 * join-free input of the aggregation that provides the group key, before the joins above it. Done only when the
 * estimates say the keys are few against the rows they filter; the other side's small input is then read twice.
 */
public final class SemiJoinReduction {
    /** The estimated fraction of rows the semi join may keep at most. */
    static final double MAX_SELECTIVITY = 0.25;
    /** Inputs below this many estimated rows are not worth a semi join. */
    static final double MIN_ROWS = 10_000;

    private final CardinalityEstimator estimator;
    private final RexBuilder rexBuilder;

    private SemiJoinReduction(CardinalityEstimator estimator, RexBuilder rexBuilder) {
        this.estimator = estimator;
        this.rexBuilder = rexBuilder;
    }

    /** {@code rel} with every aggregation an inner join filters by its key reduced first, where it pays. */
    public static RelNode apply(RelNode rel, Function<TableScan, TableHandle> tables) {
        requireNonNull(rel, "rel is null");
        return new SemiJoinReduction(new CardinalityEstimator(tables), rel.getCluster().getRexBuilder())
                .rewrite(rel);
    }

    private RelNode rewrite(RelNode rel) {
        List<RelNode> inputs = new ArrayList<>();
        boolean changed = false;
        for (RelNode input : rel.getInputs()) {
            RelNode r = rewrite(input);
            changed |= r != input;
            inputs.add(r);
        }
        if (changed) {
            rel = rel.copy(rel.getTraitSet(), inputs);
        }
        if (rel instanceof LogicalJoin join && join.getJoinType() == JoinRelType.INNER) {
            RelNode reduced = reduce(join);
            if (reduced != null) {
                return reduced;
            }
        }
        return rel;
    }

    private RelNode reduce(LogicalJoin join) {
        int leftCount = join.getLeft().getRowType().getFieldCount();
        for (int[] pair : keyPairs(join.getCondition(), leftCount)) {
            RelNode left = reduceSide(join.getLeft(), pair[0], join.getRight(), pair[1]);
            if (left != null) {
                return join.copy(join.getTraitSet(), join.getCondition(), left, join.getRight(), join.getJoinType(),
                        join.isSemiJoinDone());
            }
            RelNode right = reduceSide(join.getRight(), pair[1], join.getLeft(), pair[0]);
            if (right != null) {
                return join.copy(join.getTraitSet(), join.getCondition(), join.getLeft(), right, join.getJoinType(),
                        join.isSemiJoinDone());
            }
        }
        return null;
    }

    /**
     * {@code side} with its aggregation (under projections and a HAVING filter) reduced by the keys of column
     * {@code otherKey} of {@code other}, or null when there is no such aggregation or it would not pay.
     */
    private RelNode reduceSide(RelNode side, int key, RelNode other, int otherKey) {
        if (side instanceof Project project) {
            if (!(project.getProjects().get(key) instanceof RexInputRef ref)) {
                return null;
            }
            RelNode input = reduceSide(project.getInput(), ref.getIndex(), other, otherKey);
            return input == null ? null : project.copy(project.getTraitSet(), List.of(input));
        }
        if (side instanceof Filter filter) {
            RelNode input = reduceSide(filter.getInput(), key, other, otherKey);
            return input == null ? null : filter.copy(filter.getTraitSet(), List.of(input));
        }
        if (!(side instanceof Aggregate aggregate) || aggregate.getGroupType() != Aggregate.Group.SIMPLE
                || key >= aggregate.getGroupCount()) {
            return null;
        }
        Source keys = smallestSource(other, otherKey, null);
        if (keys == null) {
            return null;
        }
        RelNode input = withSemiJoin(aggregate.getInput(), aggregate.getGroupSet().nth(key), keys);
        return input == null ? null : aggregate.copy(aggregate.getTraitSet(), List.of(input));
    }

    /** A join-free input and its column that holds (a superset of) the keys. */
    private record Source(RelNode rel, int column) {}

    /**
     * The join-free input with the fewest estimated rows among those that hold every key of {@code column} of
     * {@code rel}: through projections, filters and the group keys of aggregations, into either input of inner
     * joins (across their key equalities) and into the left input of semi joins, whose rows can only be fewer
     * than their inputs'.
     */
    private Source smallestSource(RelNode rel, int column, Source best) {
        if (joinFree(rel)) {
            if (best == null || estimator.estimate(rel).rows() < estimator.estimate(best.rel()).rows()) {
                return new Source(rel, column);
            }
            return best;
        }
        if (rel instanceof Project project) {
            return project.getProjects().get(column) instanceof RexInputRef ref
                    ? smallestSource(project.getInput(), ref.getIndex(), best) : best;
        }
        if (rel instanceof Filter filter) {
            return smallestSource(filter.getInput(), column, best);
        }
        if (rel instanceof Aggregate aggregate && column < aggregate.getGroupCount()) {
            // A group key holds the values of its input column (IN subqueries arrive as DISTINCT aggregations).
            return smallestSource(aggregate.getInput(), aggregate.getGroupSet().nth(column), best);
        }
        if (rel instanceof Join join
                && (join.getJoinType() == JoinRelType.INNER || join.getJoinType() == JoinRelType.SEMI)) {
            int leftCount = join.getLeft().getRowType().getFieldCount();
            List<int[]> pairs = keyPairs(join.getCondition(), leftCount);
            if (column < leftCount) {
                best = smallestSource(join.getLeft(), column, best);
                for (int[] p : pairs) {
                    if (p[0] == column) {
                        best = smallestSource(join.getRight(), p[1], best);
                    }
                }
            } else {
                best = smallestSource(join.getRight(), column - leftCount, best);
                for (int[] p : pairs) {
                    if (p[1] == column - leftCount) {
                        best = smallestSource(join.getLeft(), p[0], best);
                    }
                }
            }
        }
        return best;
    }

    /**
     * {@code rel} with the join-free input providing {@code column} semi-joined with the keys, through
     * projections, filters, inner joins and the preserved side of left joins; null when the keys would not filter
     * enough rows to pay for the semi join or the types differ.
     */
    private RelNode withSemiJoin(RelNode rel, int column, Source keys) {
        if (joinFree(rel)) {
            return semiJoin(rel, column, keys);
        }
        if (rel instanceof Project project) {
            if (!(project.getProjects().get(column) instanceof RexInputRef ref)) {
                return null;
            }
            RelNode input = withSemiJoin(project.getInput(), ref.getIndex(), keys);
            return input == null ? null : project.copy(project.getTraitSet(), List.of(input));
        }
        if (rel instanceof Filter filter) {
            RelNode input = withSemiJoin(filter.getInput(), column, keys);
            return input == null ? null : filter.copy(filter.getTraitSet(), List.of(input));
        }
        if (rel instanceof Join join) {
            int leftCount = join.getLeft().getRowType().getFieldCount();
            JoinRelType type = join.getJoinType();
            if (column < leftCount && (type == JoinRelType.INNER || type == JoinRelType.LEFT
                    || type == JoinRelType.SEMI || type == JoinRelType.ANTI)) {
                RelNode left = withSemiJoin(join.getLeft(), column, keys);
                return left == null ? null : join.copy(join.getTraitSet(), List.of(left, join.getRight()));
            }
            if (column >= leftCount && type == JoinRelType.INNER) {
                RelNode right = withSemiJoin(join.getRight(), column - leftCount, keys);
                return right == null ? null : join.copy(join.getTraitSet(), List.of(join.getLeft(), right));
            }
        }
        return null;
    }

    private RelNode semiJoin(RelNode rel, int column, Source keys) {
        CardinalityEstimator.Estimate filtered = estimator.estimate(rel);
        CardinalityEstimator.Estimate source = estimator.estimate(keys.rel());
        double selectivity = source.ndv(keys.column()) / filtered.ndv(column);
        if (!filtered.known() || !source.known() || filtered.rows() < MIN_ROWS || selectivity > MAX_SELECTIVITY
                || source.rows() > filtered.rows() * MAX_SELECTIVITY) {
            return null;
        }
        RelDataType a = rel.getRowType().getFieldList().get(column).getType();
        RelDataType b = keys.rel().getRowType().getFieldList().get(keys.column()).getType();
        if (a.getSqlTypeName() != b.getSqlTypeName()) {
            return null;
        }
        int count = rel.getRowType().getFieldCount();
        RexNode condition = rexBuilder.makeCall(SqlStdOperatorTable.EQUALS,
                rexBuilder.makeInputRef(a, column), rexBuilder.makeInputRef(b, count + keys.column()));
        return LogicalJoin.create(rel, keys.rel(), List.of(), condition, Set.of(), JoinRelType.SEMI);
    }

    /** A scan under projections and filters only. */
    private static boolean joinFree(RelNode rel) {
        while (rel instanceof Project || rel instanceof Filter) {
            rel = rel.getInput(0);
        }
        return rel instanceof TableScan;
    }

    /** The {@code left = right} column pairs among the conjuncts of a join condition (right relative to its input). */
    private static List<int[]> keyPairs(RexNode condition, int leftCount) {
        List<int[]> pairs = new ArrayList<>();
        for (RexNode c : RelOptUtil.conjunctions(condition)) {
            if (c.getKind() == SqlKind.EQUALS && c instanceof RexCall call
                    && call.getOperands().get(0) instanceof RexInputRef a
                    && call.getOperands().get(1) instanceof RexInputRef b) {
                int x = Math.min(a.getIndex(), b.getIndex());
                int y = Math.max(a.getIndex(), b.getIndex());
                if (x < leftCount && y >= leftCount) {
                    pairs.add(new int[] {x, y - leftCount});
                }
            }
        }
        return pairs;
    }
}
