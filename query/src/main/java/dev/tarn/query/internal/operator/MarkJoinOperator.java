package dev.tarn.query.internal.operator;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.execution.Pipeline;
import dev.tarn.query.internal.execution.Region;
import dev.tarn.query.internal.execution.Workers;
import dev.tarn.query.internal.expression.Column;
import dev.tarn.query.internal.expression.EvalContext;
import dev.tarn.query.internal.expression.Expr;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A semi or anti join whose preserved side is the small one (a "right semi/anti" or mark join): the hash table is
 * built on the preserved rows (the {@code build} input), the other input streams through it as the probe, and each
 * build row that some probe row matches (equal keys and, when there is one, the residual condition TRUE for that
 * pair) is marked. At the end the marked build rows (SEMI) or the unmarked ones (ANTI) are returned, each once, in
 * build input order. Planning picks it over {@link HashJoinOperator}'s SEMI/ANTI when the side to filter is much
 * smaller than the side it is tested against (TPC-H Q21 tests ~75K rows against all of lineitem), so the table
 * holds the few rows instead of the many.
 *
 * <p>Semantics are those of the join it replaces: a build row with a NULL key never matches (ANTI keeps it, as NOT
 * EXISTS does), probe rows with a NULL key are skipped, and a residual that is NULL for a pair is no match.
 *
 * <p>The build keys go to the probe side's scan as a {@link JoinKeyFilter}: probe rows without a partner are not
 * decoded, which leaves TPC-H Q21 a few hundred thousand of lineitem's six million rows to probe.
 *
 * <p>Parallel: the probe input is a pipeline; each worker probes the morsels it claims and marks into its own
 * bitset over the build rows (no sharing while rows flow), and the consumer ORs the workers' bitsets before it
 * emits. A pair whose build row this worker already marked is not evaluated again.
 */
public final class MarkJoinOperator implements Operator {
    private final Pipeline probe;
    private final Operator build;
    private final int[] probeKeys;
    private final int[] buildKeys;
    private final boolean anti;
    private final Expr residual;
    private final Bindings bindings;
    private ExecutionContext context;
    private JoinTable table;
    private long[] marks;
    private final List<Prober> probers = new ArrayList<>();
    private Region region;
    private Workers workers;
    private boolean done;
    private int emitBatch;
    private int[] selection = new int[0];
    private VectorSchemaRoot out;

    /**
     * @param probe the input tested against (the join's right input), streamed
     * @param build the preserved input (the join's left input), whose rows are the output
     * @param residual a condition over the build row followed by the probe row that a key match must also satisfy,
     *     or null
     */
    public MarkJoinOperator(Pipeline probe, Operator build, int[] probeKeys, int[] buildKeys, boolean anti,
                            Expr residual, Bindings bindings) {
        this.probe = requireNonNull(probe, "probe is null");
        this.build = requireNonNull(build, "build is null");
        this.probeKeys = probeKeys.clone();
        this.buildKeys = buildKeys.clone();
        if (probeKeys.length != buildKeys.length || probeKeys.length == 0) {
            throw new IllegalArgumentException("a mark join needs the same number of keys on both sides, at least one");
        }
        this.anti = anti;
        this.residual = residual;
        this.bindings = requireNonNull(bindings, "bindings is null");
    }

    @Override
    public List<ResultColumn> columns() {
        return build.columns();
    }

    @Override
    public void open(ExecutionContext context) {
        this.context = requireNonNull(context, "context is null");
        build.open(context);
    }

    @Override
    public VectorSchemaRoot next() {
        context.checkCancelled();
        try {
            if (!done) {
                buildAndProbe();
                done = true;
            }
            return emit();
        } catch (org.apache.arrow.memory.OutOfMemoryException e) {
            throw context.memoryLimitExceeded("MarkJoin", e);
        }
    }

    private void buildAndProbe() {
        table = JoinTable.build(build, buildKeys, context);
        int rows = table.rowCount();
        marks = new long[(rows + 63) >>> 6];
        if (rows == 0) {
            return; // nothing to mark: the probe side need not be read
        }
        int n = context.parallelism();
        if (n == 1 || !probe.splittable()) {
            Prober p = new Prober(probe.instantiate(), rows);
            probers.add(p);
            p.run();
        } else {
            region = new Region(n, null);
            Operator first = probe.instantiate(region, 0);
            probers.add(new Prober(first, rows));
            if (region.runsInline(context)) {
                probers.get(0).run();
            } else {
                for (int w = 1; w < n; w++) {
                    probers.add(new Prober(probe.instantiate(region, w), rows));
                }
                workers = new Workers(context, n, () -> {});
                workers.start(w -> {
                    try {
                        probers.get(w).run();
                    } finally {
                        region.source().finish(w);
                    }
                });
                workers.await();
            }
        }
        for (Prober p : probers) {
            for (int i = 0; i < marks.length; i++) {
                marks[i] |= p.marks[i];
            }
        }
        closeProbers();
    }

    /** The next build batch's marked (SEMI) or unmarked (ANTI) rows; a batch kept whole is returned as it is. */
    private VectorSchemaRoot emit() {
        while (emitBatch < table.batches.size()) {
            int b = emitBatch++;
            VectorSchemaRoot batch = table.batches.get(b);
            int n = batch.getRowCount();
            if (selection.length < n) {
                selection = new int[n];
            }
            int count = 0;
            int base = table.batchStart(b);
            for (int i = 0; i < n; i++) {
                int g = base + i;
                boolean marked = (marks[g >>> 6] & (1L << g)) != 0;
                if (marked != anti) {
                    selection[count++] = i;
                }
            }
            if (count == n) {
                return batch;
            }
            if (count > 0) {
                if (out == null) {
                    out = Batches.newRoot(build.columns(), context.allocator());
                }
                Batches.copyRows(batch, selection, count, out);
                return out;
            }
        }
        return null;
    }

    private void closeProbers() {
        RuntimeException failure = null;
        for (Prober p : probers) {
            try {
                p.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        probers.clear();
        if (region != null) {
            try {
                region.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
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
                closeProbers();
            } finally {
                try {
                    build.close();
                } finally {
                    if (table != null) {
                        table.close();
                        table = null;
                    }
                    if (out != null) {
                        out.close();
                        out = null;
                    }
                }
            }
        }
    }

    /** One worker's probe: reads its probe instance to the end, marking build rows into its own bitset. */
    private final class Prober implements AutoCloseable {
        private final Operator input;
        private final long[] marks;
        private final JoinProbe lookup;
        private EvalContext eval;
        private VectorSchemaRoot scratch;
        private Gather.Sources[] buildSources;
        private final JoinPairs pairs = new JoinPairs();

        Prober(Operator input, int buildRows) {
            this.input = requireNonNull(input, "input is null");
            this.marks = new long[(buildRows + 63) >>> 6];
            this.lookup = new JoinProbe(table, probeKeys);
        }

        void run() {
            input.open(context);
            // A probe row whose key no build row has marks nothing (for SEMI and ANTI alike): the probe side's
            // scan may drop it before decoding its other columns.
            for (int k = 0; k < probeKeys.length; k++) {
                JoinKeyFilter keys = JoinKeyFilter.reachesScan(input, probeKeys[k]) ? table.keyFilter(buildKeys[k])
                        : null;
                if (keys != null) {
                    JoinKeyFilter.attach(input, probeKeys[k], keys);
                }
            }
            if (residual != null) {
                eval = bindings.evalContext(context);
            }
            VectorSchemaRoot batch;
            while ((batch = input.next()) != null) {
                context.checkCancelled();
                int n = batch.getRowCount();
                if (n > 0) {
                    probeBatch(batch, n);
                }
            }
        }

        private boolean marked(long ref) {
            int g = table.rowNumber(ref);
            return (marks[g >>> 6] & (1L << g)) != 0;
        }

        private void mark(long ref) {
            int g = table.rowNumber(ref);
            marks[g >>> 6] |= 1L << g;
        }

        private void probeBatch(VectorSchemaRoot batch, int n) {
            lookup.prepare(batch, n);
            pairs.count = 0;
            for (int i = 0; i < n; i++) {
                long[] refs = lookup.find(i);
                if (refs == null) {
                    continue;
                }
                for (int r = 1; r <= refs[0]; r++) {
                    long ref = refs[r];
                    if (marked(ref)) {
                        continue;
                    }
                    if (residual == null) {
                        mark(ref);
                    } else {
                        pairs.add(i, ref);
                    }
                }
            }
            if (pairs.count > 0) {
                evaluatePairs(batch);
            }
        }

        /** Evaluates the residual over the candidate pairs a chunk at a time and marks the build rows it holds for. */
        private void evaluatePairs(VectorSchemaRoot batch) {
            List<ResultColumn> buildColumns = build.columns();
            int buildWidth = buildColumns.size();
            int probeWidth = batch.getFieldVectors().size();
            if (scratch == null) {
                List<ResultColumn> both = new ArrayList<>(buildColumns);
                both.addAll(probe.columns());
                scratch = Batches.newRoot(both, context.allocator());
                buildSources = new Gather.Sources[buildWidth];
                for (int c = 0; c < buildWidth; c++) {
                    FieldVector[] sources = new FieldVector[table.batches.size()];
                    for (int b = 0; b < sources.length; b++) {
                        sources[b] = table.batches.get(b).getVector(c);
                    }
                    buildSources[c] = new Gather.Sources(sources);
                }
            }
            int[] rows = new int[Math.min(Batches.BATCH_ROWS, pairs.count)];
            int[] batches = new int[rows.length];
            for (int start = 0; start < pairs.count; start += Batches.BATCH_ROWS) {
                int count = Math.min(Batches.BATCH_ROWS, pairs.count - start);
                for (int i = 0; i < count; i++) {
                    long ref = pairs.build[start + i];
                    batches[i] = (int) (ref >>> 32);
                    rows[i] = (int) ref;
                }
                for (int c = 0; c < buildWidth; c++) {
                    Gather.rows(buildSources[c], batches, rows, count, scratch.getVector(c));
                }
                System.arraycopy(pairs.probe, start, rows, 0, count);
                for (int c = 0; c < probeWidth; c++) {
                    Gather.rows(batch.getVector(c), rows, count, scratch.getVector(buildWidth + c));
                }
                scratch.setRowCount(count);
                try (Column mask = residual.evaluate(scratch, eval)) {
                    BitVector bits = (BitVector) mask.vector();
                    for (int i = 0; i < count; i++) {
                        if (!bits.isNull(i) && bits.get(i) != 0) {
                            mark(pairs.build[start + i]);
                        }
                    }
                }
            }
        }

        @Override
        public void close() {
            try {
                input.close();
            } finally {
                if (scratch != null) {
                    scratch.close();
                    scratch = null;
                }
            }
        }
    }
}
