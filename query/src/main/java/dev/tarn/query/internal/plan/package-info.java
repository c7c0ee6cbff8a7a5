/**
 * From Calcite's optimized logical plan to Tarn's physical plan: {@code RelToPhysical} builds immutable
 * {@code PlanNode}s (instantiated into fresh operators per execution), {@code RexCompiler} turns row expressions into
 * vectorized {@code expression.Expr}s, {@code FilterPushdown} extracts the conjuncts a scan can skip files with,
 * {@code TypeMapping} is the one Tarn/Delta type to Calcite type mapping, {@code KernelRexExecutor} folds constants
 * with Tarn's own kernels.
 */
package dev.tarn.query.internal.plan;
