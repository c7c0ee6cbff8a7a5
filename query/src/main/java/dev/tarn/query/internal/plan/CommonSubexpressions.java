package dev.tarn.query.internal.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlKind;

/**
 * Computations that several expressions of one projection share, such as TPC-H Q1's
 * {@code l_extendedprice * (1 - l_discount)} inside both {@code sum_disc_price} and {@code sum_charge}: each is
 * computed once by a projection below, and the expressions refer to its column. Only arithmetic and casts reached
 * from the top of an expression through arithmetic and casts are shared: those are evaluated for every row wherever
 * they occur, so computing them once changes no result and raises no error the query would not raise anyway
 * (a subexpression under CASE, AND or OR may be skipped for some rows and is left alone).
 */
final class CommonSubexpressions {
    private static final Set<SqlKind> STRICT = EnumSet.of(SqlKind.PLUS, SqlKind.MINUS, SqlKind.TIMES, SqlKind.DIVIDE,
            SqlKind.MOD, SqlKind.MINUS_PREFIX, SqlKind.CAST);

    /** The shared computations (the new columns after the input's) and the expressions rewritten to use them. */
    record Split(List<RexNode> shared, List<RexNode> rewritten) {}

    private CommonSubexpressions() {}

    /** The split of {@code projects} over an input of {@code inputCount} columns, or null when nothing is shared. */
    static Split split(List<RexNode> projects, int inputCount) {
        Map<RexNode, Integer> counts = new HashMap<>();
        for (RexNode p : projects) {
            count(p, counts);
        }
        List<RexNode> candidates = new ArrayList<>();
        counts.forEach((node, n) -> {
            if (n > 1) {
                candidates.add(node);
            }
        });
        if (candidates.isEmpty()) {
            return null;
        }
        // Largest first, so a shared expression is taken whole rather than its parts.
        candidates.sort(Comparator.comparingInt(CommonSubexpressions::size).reversed()
                .thenComparing(RexNode::toString));
        Map<RexNode, Integer> chosen = new LinkedHashMap<>();
        for (RexNode c : candidates) {
            if (chosen.keySet().stream().noneMatch(big -> contains(big, c))) {
                chosen.put(c, inputCount + chosen.size());
            }
        }
        RexShuttle replace = new RexShuttle() {
            @Override
            public RexNode visitCall(RexCall call) {
                Integer index = chosen.get(call);
                return index != null ? new RexInputRef(index, call.getType()) : super.visitCall(call);
            }
        };
        List<RexNode> rewritten = new ArrayList<>();
        for (RexNode p : projects) {
            rewritten.add(p.accept(replace));
        }
        return new Split(List.copyOf(chosen.keySet()), rewritten);
    }

    private static void count(RexNode node, Map<RexNode, Integer> counts) {
        if (node instanceof RexCall call && STRICT.contains(call.getKind())) {
            counts.merge(call, 1, Integer::sum);
            for (RexNode operand : call.getOperands()) {
                count(operand, counts);
            }
        }
    }

    private static int size(RexNode node) {
        int n = 1;
        if (node instanceof RexCall call) {
            for (RexNode operand : call.getOperands()) {
                n += size(operand);
            }
        }
        return n;
    }

    private static boolean contains(RexNode tree, RexNode part) {
        if (tree.equals(part)) {
            return true;
        }
        if (tree instanceof RexCall call) {
            for (RexNode operand : call.getOperands()) {
                if (contains(operand, part)) {
                    return true;
                }
            }
        }
        return false;
    }
}
