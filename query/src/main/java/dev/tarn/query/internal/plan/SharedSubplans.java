package dev.tarn.query.internal.plan;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlExplainLevel;

/**
 * Finds the subplans a statement computes more than once: Calcite expands a WITH query at each reference, so TPC-H
 * Q15's {@code revenue0} (an aggregate over lineitem) appears twice. Such a subplan is computed once per execution
 * ({@link PlanNode#shared}) and read again ({@link PlanNode#reuse}).
 *
 * <p>Only aggregates are shared: they are what repeated WITH queries compute, and their results are usually far
 * smaller than their inputs, so keeping the result costs less memory than running it again costs time. Subplans
 * with non-deterministic expressions are never shared. Two subplans are the same when their explained structure
 * (operators, expressions, tables) and row types are equal; when a shared subplan contains another, only the outer
 * one counts.
 */
final class SharedSubplans {
    private SharedSubplans() {}

    /** The key of every node of {@code root} to share: the same key for the nodes that compute the same rows. */
    static Map<RelNode, String> find(RelNode root) {
        Map<String, Integer> counts = new HashMap<>();
        Map<RelNode, String> keys = new IdentityHashMap<>();
        count(root, counts, keys);
        Map<RelNode, String> shared = new IdentityHashMap<>();
        mark(root, counts, keys, shared);
        return shared;
    }

    private static void count(RelNode rel, Map<String, Integer> counts, Map<RelNode, String> keys) {
        if (rel instanceof Aggregate && deterministic(rel)) {
            String key = RelOptUtil.toString(rel, SqlExplainLevel.DIGEST_ATTRIBUTES)
                    + rel.getRowType().getFullTypeString();
            keys.put(rel, key);
            counts.merge(key, 1, Integer::sum);
        }
        for (RelNode input : rel.getInputs()) {
            count(input, counts, keys);
        }
    }

    private static void mark(RelNode rel, Map<String, Integer> counts, Map<RelNode, String> keys,
                             Map<RelNode, String> shared) {
        String key = keys.get(rel);
        if (key != null && counts.get(key) > 1) {
            shared.put(rel, key);
            return;
        }
        for (RelNode input : rel.getInputs()) {
            mark(input, counts, keys, shared);
        }
    }

    /** Whether every expression of the subtree is deterministic (RAND() must be drawn at each reference). */
    private static boolean deterministic(RelNode rel) {
        boolean[] ok = {true};
        rel.accept(new RexShuttle() {
            @Override
            public RexNode visitCall(RexCall call) {
                if (!call.getOperator().isDeterministic()) {
                    ok[0] = false;
                }
                return super.visitCall(call);
            }
        });
        if (!ok[0]) {
            return false;
        }
        for (RelNode input : rel.getInputs()) {
            if (!deterministic(input)) {
                return false;
            }
        }
        return true;
    }
}
