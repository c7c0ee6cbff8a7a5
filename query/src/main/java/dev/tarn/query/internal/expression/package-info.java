/**
 * Vectorized scalar expressions: each {@code Expr} evaluates a whole batch into a vector, its kernel looping over
 * the input vectors. {@code Values} defines the canonical Java value of each Tarn type used by generic kernels;
 * {@code Casts} holds CAST's conversion rules.
 */
package dev.tarn.query.internal.expression;
