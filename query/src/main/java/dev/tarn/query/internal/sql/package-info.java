/**
 * The SQL front end of queries and INSERT: {@link dev.tarn.query.internal.sql.CalciteSqlEngine} parses with a
 * Spark-like dialect ({@code SparkDialect}), validates against the lake ({@code LakeSchemas}: one Calcite schema per
 * lake schema plus {@code delta.`path`}, each table pinned once per statement), converts to relational algebra,
 * rewrites it with a heuristic planner, and hands the result to {@code plan.RelToPhysical}. Errors from Calcite are
 * translated to Tarn's codes in {@code SqlErrors}.
 */
package dev.tarn.query.internal.sql;
