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
 * partial {@link HashAggregateOperator} (no locks while rows flow), then the consumer merges the partial states
 * group by group ({@code Accumulators.Accumulator#merge}) and returns the groups. With one thread it is a plain
 * hash aggregation in the consumer's thread.
 */
public final class ParallelAggregateOperator implements Operator {
    private final Pipeline input;
    private final int[] groupColumns;
    private final List<HashAggregateOperator.Call> calls;
    private final List<ResultColumn> columns;
    private ExecutionContext context;
    private Region region;
    private final List<HashAggregateOperator> partials = new ArrayList<>();
    private Workers workers;
    private HashAggregateOperator result;

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
        for (int w = 0; w < n; w++) {
            partials.add(new HashAggregateOperator(input.instantiate(region, w), groupColumns, calls, columns));
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
            result = HashAggregateOperator.merged(partials, context);
            closePartials();
        }
        return result.next();
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
                if (result != null) {
                    result.close();
                    result = null;
                }
            }
        }
    }
}
