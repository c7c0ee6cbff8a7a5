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
import java.util.PriorityQueue;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * ORDER BY on the session's worker threads: each worker sorts the morsels it claims into a run (keeping only the
 * best OFFSET+FETCH rows when there is a FETCH: top-N per worker), and the consumer merges the runs. Ties are broken
 * by each row's place in the single-threaded input order (morsel, then position), so the output is the same as a
 * single thread's stable sort. With one thread it is a plain {@link SortOperator}.
 */
public final class ParallelSortOperator implements Operator {
    private final Pipeline input;
    private final List<SortOperator.Key> keys;
    private final long offset;
    private final long limit;
    private ExecutionContext context;
    private SortOperator single;
    private Region region;
    private final List<SortOperator> runs = new ArrayList<>();
    private Gather.Sources[] sources;
    private Workers workers;
    private PriorityQueue<int[]> heads;
    private int[] positions;
    private int[] runBase;
    private long skipped;
    private long emitted;
    private VectorSchemaRoot out;
    private final int[] pickedRun = new int[Batches.BATCH_ROWS];
    private final int[] pickedRow = new int[Batches.BATCH_ROWS];

    public ParallelSortOperator(Pipeline input, List<SortOperator.Key> keys, long offset, long limit) {
        this.input = requireNonNull(input, "input is null");
        this.keys = List.copyOf(keys);
        this.offset = offset;
        this.limit = limit;
    }

    @Override
    public List<ResultColumn> columns() {
        return input.columns();
    }

    @Override
    public void open(ExecutionContext context) {
        this.context = requireNonNull(context, "context is null");
        int n = context.parallelism();
        if (n == 1 || !input.splittable()) {
            single = new SortOperator(input.instantiate(), keys, offset, limit);
            single.open(context);
            return;
        }
        region = new Region(n, null);
        Operator first = input.instantiate(region, 0);
        if (region.runsInline(context)) {
            single = new SortOperator(first, keys, offset, limit);
            single.open(context);
            return;
        }
        long keep = limit < 0 ? -1 : offset + limit;
        for (int w = 0; w < n; w++) {
            Operator instance = w == 0 ? first : input.instantiate(region, w);
            runs.add(new SortOperator(instance, keys, 0, keep, region.scan(w)));
        }
        workers = new Workers(context, n, () -> {});
        workers.start(w -> {
            try {
                SortOperator run = runs.get(w);
                run.open(context);
                run.sortRun();
            } finally {
                region.source().finish(w);
            }
        });
    }

    /** Orders run heads ({@code [run, position]}) by key, then by input sequence. */
    private int compareHeads(int[] x, int[] y) {
        SortOperator a = runs.get(x[0]);
        SortOperator b = runs.get(y[0]);
        int ra = a.order[x[1]];
        int rb = b.order[y[1]];
        int c = SortKeys.compare(a.keyColumns, ra, b.keyColumns, rb);
        return c != 0 ? c : Long.compare(a.sequenceOf[ra], b.sequenceOf[rb]);
    }

    private void startMerge() {
        workers.await();
        heads = new PriorityQueue<>(Math.max(1, runs.size()), this::compareHeads);
        positions = new int[runs.size()];
        runBase = new int[runs.size() + 1];
        for (int r = 0; r < runs.size(); r++) {
            runBase[r + 1] = runBase[r] + runs.get(r).buffered.size();
        }
        for (int r = 0; r < runs.size(); r++) {
            if (runs.get(r).sortedRows() > 0) {
                heads.add(new int[] {r, 0});
            }
        }
    }

    @Override
    public VectorSchemaRoot next() {
        context.checkCancelled();
        if (single != null) {
            return single.next();
        }
        if (heads == null) {
            startMerge();
        }
        if (out == null) {
            out = Batches.newRoot(columns(), context.allocator());
        }
        // Pick the next rows from the run heads, then gather them column by column.
        int n = 0;
        while (n < Batches.BATCH_ROWS && !heads.isEmpty() && (limit < 0 || emitted < limit)) {
            int[] head = heads.poll();
            SortOperator run = runs.get(head[0]);
            int row = run.order[head[1]];
            if (skipped < offset) {
                skipped++;
            } else {
                pickedRun[n] = head[0];
                pickedRow[n] = row;
                n++;
                emitted++;
            }
            if (head[1] + 1 < run.sortedRows()) {
                heads.add(new int[] {head[0], head[1] + 1});
            }
        }
        if (n == 0) {
            return null;
        }
        // Every run's buffered batches in one list: run r's batch b is source runBase[r] + b.
        int[] batches = new int[n];
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            SortOperator run = runs.get(pickedRun[i]);
            batches[i] = runBase[pickedRun[i]] + run.batchOf[pickedRow[i]];
            rows[i] = run.rowOf[pickedRow[i]];
        }
        if (sources == null) {
            sources = new Gather.Sources[columns().size()];
            for (int c = 0; c < sources.length; c++) {
                FieldVector[] vectors = new FieldVector[runBase[runs.size()]];
                int s = 0;
                for (SortOperator run : runs) {
                    for (VectorSchemaRoot root : run.buffered) {
                        vectors[s++] = root.getVector(c);
                    }
                }
                sources[c] = new Gather.Sources(vectors);
            }
        }
        for (int c = 0; c < sources.length; c++) {
            Gather.rows(sources[c], batches, rows, n, out.getVector(c));
        }
        out.setRowCount(n);
        return out;
    }

    @Override
    public void close() {
        try {
            if (single != null) {
                single.close();
            }
            if (workers != null) {
                workers.close();
                workers = null;
            }
        } finally {
            try {
                for (SortOperator run : runs) {
                    run.close();
                }
                runs.clear();
                if (region != null) {
                    region.close();
                    region = null;
                }
            } finally {
                if (out != null) {
                    out.close();
                    out = null;
                }
            }
        }
    }
}
