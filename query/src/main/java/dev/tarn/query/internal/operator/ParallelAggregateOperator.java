package dev.tarn.query.internal.operator;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.execution.Pipeline;
import dev.tarn.query.internal.execution.Region;
import dev.tarn.query.internal.execution.Workers;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Hash aggregation on the session's worker threads: each worker aggregates the morsels it claims into its own
 * partial {@link HashAggregateOperator} (no locks while rows flow), then the partial states are merged group by
 * group ({@code Accumulators.Accumulator#merge}) and the groups returned. Few groups are merged by the consumer;
 * many (a GROUP BY on an order key) are split by key hash into one partition per worker, merged side by side, and
 * returned partition after partition. With one thread, or an input scan of one morsel ({@link Region#runsInline}), it
 * is a plain hash aggregation in the consumer's thread.
 */
public final class ParallelAggregateOperator implements Operator {
    /** From this many partial groups on, the merge runs partitioned on the workers. */
    static final int PARALLEL_MERGE_GROUPS = 16_384;

    private final Pipeline input;
    private final int[] groupColumns;
    private final List<HashAggregateOperator.Call> calls;
    private final List<ResultColumn> columns;
    private ExecutionContext context;
    private Region region;
    /** The region of a one-morsel input aggregated in the consumer's thread ({@link Region#runsInline}). */
    private Region inlineRegion;
    private final List<HashAggregateOperator> partials = new ArrayList<>();
    private Workers workers;
    private HashAggregateOperator result;
    /** The merged partitions, returned in order; {@link #result} is the current one. */
    private final List<HashAggregateOperator> merged = new ArrayList<>();
    private int current;

    public ParallelAggregateOperator(Pipeline input, int[] groupColumns, List<HashAggregateOperator.Call> calls,
                                     List<ResultColumn> columns) {
        this.input = requireNonNull(input, "input is null");
        this.groupColumns = groupColumns.clone();
        this.calls = List.copyOf(calls);
        this.columns = List.copyOf(columns);
    }

    @Override
    public List<ResultColumn> columns() {
        return columns;
    }

    @Override
    public void open(ExecutionContext context) {
        this.context = requireNonNull(context, "context is null");
        int n = context.parallelism();
        if (n == 1 || !input.splittable()) {
            result = new HashAggregateOperator(input.instantiate(), groupColumns, calls, columns);
            result.open(context);
            return;
        }
        region = new Region(n, null);
        Operator first = input.instantiate(region, 0);
        if (region.runsInline(context)) {
            // The plain aggregation in this thread; the region (the pipeline's shared build sides) closes after it.
            inlineRegion = region;
            region = null;
            result = new HashAggregateOperator(first, groupColumns, calls, columns);
            result.open(context);
            return;
        }
        for (int w = 0; w < n; w++) {
            partials.add(new HashAggregateOperator(w == 0 ? first : input.instantiate(region, w), groupColumns,
                    calls, columns));
        }
        workers = new Workers(context, n, () -> {});
        workers.start(w -> {
            try {
                HashAggregateOperator p = partials.get(w);
                p.open(context);
                p.consumeInput();
            } finally {
                region.source().finish(w);
            }
        });
    }

    @Override
    public VectorSchemaRoot next() {
        context.checkCancelled();
        if (result == null) {
            workers.await();
            merge();
            closePartials();
            result = merged.get(0);
        }
        while (true) {
            VectorSchemaRoot batch = result.next();
            if (batch != null || current + 1 >= merged.size()) {
                return batch;
            }
            result = merged.get(++current);
        }
    }

    private void merge() {
        long groups = 0;
        for (HashAggregateOperator p : partials) {
            groups += p.groupCount();
        }
        int parts = partials.size();
        if (groupColumns.length == 0 || groups < PARALLEL_MERGE_GROUPS) {
            merged.add(HashAggregateOperator.merged(partials, context));
            return;
        }
        HashAggregateOperator[] byPartition = new HashAggregateOperator[parts];
        try (Workers mergers = new Workers(context, parts, () -> {})) {
            mergers.start(p -> byPartition[p] = HashAggregateOperator.merged(partials, context, p, parts));
            mergers.await();
        } finally {
            // Kept for close() even when a merge failed.
            for (HashAggregateOperator m : byPartition) {
                if (m != null) {
                    merged.add(m);
                }
            }
        }
    }

    private void closePartials() {
        RuntimeException failure = null;
        for (HashAggregateOperator p : partials) {
            try {
                p.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        partials.clear();
        if (region != null) {
            region.close();
            region = null;
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void closeMerged() {
        if (merged.isEmpty() && result != null) {
            // One thread: the plain aggregation.
            merged.add(result);
        }
        result = null;
        RuntimeException failure = null;
        for (HashAggregateOperator m : merged) {
            try {
                m.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        merged.clear();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        try {
            if (workers != null) {
                workers.close();
                workers = null;
            }
        } finally {
            try {
                closePartials();
            } finally {
                try {
                    closeMerged();
                } finally {
                    if (inlineRegion != null) {
                        inlineRegion.close();
                        inlineRegion = null;
                    }
                }
            }
        }
    }
}
