package dev.tarn.query.internal.sql;

import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.rel.rules.AggregateProjectMergeRule;
import org.apache.calcite.rel.rules.FilterAggregateTransposeRule;
import org.apache.calcite.rel.rules.FilterJoinRule;
import org.apache.calcite.rel.rules.FilterMergeRule;
import org.apache.calcite.rel.rules.FilterProjectTransposeRule;
import org.apache.calcite.rel.rules.FilterSetOpTransposeRule;
import org.apache.calcite.rel.rules.IntersectToDistinctRule;
import org.apache.calcite.rel.rules.JoinPushExpressionsRule;
import org.apache.calcite.rel.rules.MinusToDistinctRule;
import org.apache.calcite.rel.rules.ProjectMergeRule;
import org.apache.calcite.rel.rules.ProjectRemoveRule;
import org.apache.calcite.rel.rules.ProjectToWindowRule;
import org.apache.calcite.rel.rules.ReduceExpressionsRule;
import org.apache.calcite.rel.rules.SubQueryRemoveRule;
import org.apache.calcite.rel.rules.UnionMergeRule;
import org.apache.calcite.rel.rules.UnionToDistinctRule;

/**
 * The Calcite rules Tarn's heuristic programs use, each made from its own default config. Equal to the same-named
 * {@code CoreRules} constants, but touching {@code CoreRules} initializes all of its ~150 rules (about 540 classes,
 * a fifth of a cold first query's planning time); this class initializes only these.
 */
final class CalciteRules {
    static final RelOptRule FILTER_SUB_QUERY_TO_CORRELATE = SubQueryRemoveRule.Config.FILTER.toRule();
    static final RelOptRule PROJECT_SUB_QUERY_TO_CORRELATE = SubQueryRemoveRule.Config.PROJECT.toRule();
    static final RelOptRule JOIN_SUB_QUERY_TO_CORRELATE = SubQueryRemoveRule.Config.JOIN.toRule();
    static final RelOptRule PROJECT_TO_LOGICAL_PROJECT_AND_WINDOW =
            ProjectToWindowRule.ProjectToLogicalProjectAndWindowRule.ProjectToLogicalProjectAndWindowRuleConfig.DEFAULT
                    .toRule();
    static final RelOptRule UNION_TO_DISTINCT = UnionToDistinctRule.Config.DEFAULT.toRule();
    static final RelOptRule INTERSECT_TO_DISTINCT = IntersectToDistinctRule.Config.DEFAULT.toRule();
    static final RelOptRule MINUS_TO_DISTINCT = MinusToDistinctRule.Config.DEFAULT.toRule();
    static final RelOptRule UNION_MERGE = UnionMergeRule.Config.DEFAULT.toRule();
    static final RelOptRule FILTER_MERGE = FilterMergeRule.Config.DEFAULT.toRule();
    static final RelOptRule FILTER_INTO_JOIN =
            FilterJoinRule.FilterIntoJoinRule.FilterIntoJoinRuleConfig.DEFAULT.toRule();
    static final RelOptRule JOIN_CONDITION_PUSH =
            FilterJoinRule.JoinConditionPushRule.JoinConditionPushRuleConfig.DEFAULT.toRule();
    static final RelOptRule JOIN_PUSH_EXPRESSIONS = JoinPushExpressionsRule.Config.DEFAULT.toRule();
    static final RelOptRule FILTER_PROJECT_TRANSPOSE = FilterProjectTransposeRule.Config.DEFAULT.toRule();
    static final RelOptRule FILTER_AGGREGATE_TRANSPOSE = FilterAggregateTransposeRule.Config.DEFAULT.toRule();
    static final RelOptRule FILTER_SET_OP_TRANSPOSE = FilterSetOpTransposeRule.Config.DEFAULT.toRule();
    static final RelOptRule FILTER_REDUCE_EXPRESSIONS =
            ReduceExpressionsRule.FilterReduceExpressionsRule.FilterReduceExpressionsRuleConfig.DEFAULT.toRule();
    static final RelOptRule PROJECT_REDUCE_EXPRESSIONS =
            ReduceExpressionsRule.ProjectReduceExpressionsRule.ProjectReduceExpressionsRuleConfig.DEFAULT.toRule();
    static final RelOptRule PROJECT_MERGE = ProjectMergeRule.Config.DEFAULT.toRule();
    static final RelOptRule PROJECT_REMOVE = ProjectRemoveRule.Config.DEFAULT.toRule();
    static final RelOptRule AGGREGATE_PROJECT_MERGE = AggregateProjectMergeRule.Config.DEFAULT.toRule();

    private CalciteRules() {}
}
