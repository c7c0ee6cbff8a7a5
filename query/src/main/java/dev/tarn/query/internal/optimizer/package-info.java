/**
 * Cost-based rewrites of the logical plan that Calcite's heuristic rules cannot make: cardinality estimation from
 * the Delta log's statistics ({@link dev.tarn.query.internal.optimizer.CardinalityEstimator}) and join ordering
 * ({@link dev.tarn.query.internal.optimizer.JoinReorder}). Tarn's own code, so cold planning compiles no Calcite
 * metadata handlers.
 */
package dev.tarn.query.internal.optimizer;
