/**
 * Physical operators over Arrow batches (scan, filter, project, hash aggregate, hash join, sort with top-N,
 * limit, values, union all, NOT NULL check). Each is built per execution, pulls whole batches from its inputs,
 * allocates from the statement's allocator and checks for cancellation once per batch.
 */
package dev.tarn.query.internal.operator;
