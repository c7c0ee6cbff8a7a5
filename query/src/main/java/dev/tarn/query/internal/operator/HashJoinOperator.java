package dev.tarn.query.internal.operator;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.expression.Column;
import dev.tarn.query.internal.expression.EvalContext;
import dev.tarn.query.internal.expression.Expr;
import dev.tarn.query.internal.expression.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Equi-join by hashing: the build input is read completely into copied batches and a hash table from key to its
 * rows; each probe batch is matched row by row into (probe row, build row) pairs, and the output is gathered from
 * those pairs column by column. NULL keys never match. No keys means every probe row matches every build row.
 * {@link Mode} says what happens to rows without a match; SEMI and ANTI return probe columns only.
 *
 * <p>FULL and BUILD_OUTER mark each build row a pair matched (in a bitset over the build rows in input order) and,
 * after the last probe batch, return the unmarked build rows with NULL probe columns. BUILD_OUTER is a LEFT or
 * RIGHT join built on its preserved side, so the hash table holds the small side: its probe streams on parallel
 * workers like an inner join's, each worker marks into its own bitset, and the worker whose probe ends last ORs
 * them all ({@link SharedBuildSide#finishProbe}) and returns the build rows no worker matched. Those rows then come
 * after that worker's last batch rather than after every probe row, so planning uses it only where the row order
 * does not matter (under an aggregation).
 */
public final class HashJoinOperator implements Operator, RowSource {
    /**
     * INNER; PROBE_OUTER keeps unmatched probe rows; BUILD_OUTER unmatched build rows; FULL both; SEMI/ANTI filter
     * the probe.
     */
    public enum Mode { INNER, PROBE_OUTER, BUILD_OUTER, FULL, SEMI, ANTI }

    private final Operator probe;
    private final Operator build;
    private final int[] probeKeys;
    private final int[] buildKeys;
    private final Mode mode;
    private final boolean probeFirst;
    /** FULL and BUILD_OUTER: this instance's marks of matched build rows, by {@link JoinTable#rowNumber}. */
    private long[] marks;
    private final boolean marking;
    private final Expr residual;
    private final Bindings bindings;
    private EvalContext eval;
    private VectorSchemaRoot scratch;
    private boolean probeDone;
    private final List<ResultColumn> columns;
    /**
     * The joined row's columns (probe then build, or build then probe; SEMI/ANTI: probe then build), which a
     * residual sees, and the ones the output keeps: {@code outputs[i]} is the joined column of output column i.
     */
    private final List<ResultColumn> layout;
    private final int[] outputs;
    private ExecutionContext context;
    private JoinTable joinTable;
    private boolean ownsTable;
    private List<VectorSchemaRoot> buildBatches;
    private Gather.Sources[] buildSources;
    private boolean built;
    private JoinProbe lookup;
    private VectorSchemaRoot probeBatch;
    private final JoinPairs pairs = new JoinPairs();
    private int pairPosition;
    private VectorSchemaRoot out;

    public HashJoinOperator(Operator probe, Operator build, int[] probeKeys, int[] buildKeys, Mode mode,
                            boolean probeFirst, List<ResultColumn> columns) {
        this(probe, build, probeKeys, buildKeys, mode, probeFirst, columns, null, null);
    }

    /**
     * @param residual a condition over the joined row (output layout; for SEMI/ANTI the probe columns followed by
     *     the build columns) that a key match must also satisfy, or null
     */
    public HashJoinOperator(Operator probe, Operator build, int[] probeKeys, int[] buildKeys, Mode mode,
                            boolean probeFirst, List<ResultColumn> columns, Expr residual, Bindings bindings) {
        this(probe, build, probeKeys, buildKeys, mode, probeFirst, columns, null, columns, residual, bindings);
    }

    /**
     * A join that returns only some of the joined row's columns: no gather copies a column nobody reads (a column
     * only the join itself or an earlier join needed, such as a key).
     *
     * @param layout the joined row's columns (for SEMI/ANTI the probe's followed by the build's)
     * @param outputs the joined columns returned, in order ({@code columns} are theirs); null: all of {@code layout}
     * @param residual as above, over {@code layout}
     */
    public HashJoinOperator(Operator probe, Operator build, int[] probeKeys, int[] buildKeys, Mode mode,
                            boolean probeFirst, List<ResultColumn> columns, int[] outputs, List<ResultColumn> layout,
                            Expr residual, Bindings bindings) {
        this.probe = requireNonNull(probe, "probe is null");
        this.build = requireNonNull(build, "build is null");
        this.probeKeys = probeKeys.clone();
        this.buildKeys = buildKeys.clone();
        if (probeKeys.length != buildKeys.length) {
            throw new IllegalArgumentException("key counts differ");
        }
        this.mode = requireNonNull(mode, "mode is null");
        this.residual = residual;
        this.bindings = bindings;
        if (residual != null && bindings == null) {
            throw new IllegalArgumentException("a residual condition needs bindings");
        }
        if (residual != null && (mode == Mode.SEMI || mode == Mode.ANTI) && !probeFirst) {
            throw new IllegalArgumentException("SEMI and ANTI joins probe with their left input");
        }
        this.probeFirst = probeFirst;
        this.columns = List.copyOf(columns);
        this.layout = List.copyOf(layout);
        this.marking = mode == Mode.FULL || mode == Mode.BUILD_OUTER;
        if (outputs == null) {
            this.outputs = identity(columns.size());
        } else {
            this.outputs = outputs.clone();
            if (outputs.length != columns.size()) {
                throw new IllegalArgumentException("outputs and columns differ in size");
            }
            int width = mode == Mode.SEMI || mode == Mode.ANTI ? probe.columns().size()
                    : probe.columns().size() + build.columns().size();
            for (int o : outputs) {
                if (o < 0 || o >= width) {
                    throw new IllegalArgumentException("output column " + o + " is not one of " + width);
                }
            }
        }
    }

    private static int[] identity(int n) {
        int[] map = new int[n];
        for (int i = 0; i < n; i++) {
            map[i] = i;
        }
        return map;
    }

    @Override
    public Operator rowInput() {
        return probe;
    }

    @Override
    public int inputColumn(int column) {
        // Probe rows come out with their columns first; FULL and BUILD_OUTER joins also emit rows no probe row made.
        int joined = outputs[column];
        return probeFirst && !marking && joined < probe.columns().size() ? joined : -1;
    }

    @Override
    public List<ResultColumn> columns() {
        return columns;
    }

    @Override
    public void open(ExecutionContext context) {
        this.context = requireNonNull(context, "context is null");
        if (residual != null) {
            eval = bindings.evalContext(context);
        }
        probe.open(context);
        build.open(context);
    }

    /** The build side's table: shared with other workers' probes, or built here from a private build input. */
    private void buildTable() {
        if (build instanceof SharedBuildSide.Side shared) {
            joinTable = shared.table(context, buildKeys);
        } else {
            joinTable = JoinTable.build(build, buildKeys, context);
            ownsTable = true;
        }
        buildBatches = joinTable.batches;
        lookup = new JoinProbe(joinTable, probeKeys);
        built = true;
        if (mode == Mode.INNER || mode == Mode.SEMI || mode == Mode.BUILD_OUTER) {
            // Before the first probe: the probe side's scan skips decoding rows whose key the build side lacks. Every
            // key column gets a filter: of a composite key, the selective one need not come first (TPC-H Q9 joins
            // partsupp on (suppkey, partkey), where only the parts filter).
            for (int k = 0; k < probeKeys.length; k++) {
                if (JoinKeyFilter.reachesScan(probe, probeKeys[k])) {
                    JoinKeyFilter keys = joinTable.keyFilter(buildKeys[k]);
                    if (keys != null) {
                        JoinKeyFilter.attach(probe, probeKeys[k], keys);
                    }
                }
            }
        }
        if (marking) {
            marks = new long[(joinTable.rowCount() + 63) >>> 6];
        }
    }

    private void mark(long ref) {
        int g = joinTable.rowNumber(ref);
        marks[g >>> 6] |= 1L << g;
    }

    static Values.Reader[] readers(VectorSchemaRoot batch, int[] keys) {
        Values.Reader[] readers = new Values.Reader[keys.length];
        for (int k = 0; k < keys.length; k++) {
            readers[k] = Values.reader(batch.getVector(keys[k]));
        }
        return readers;
    }

    /** The hash key of a row, or null when any key column is NULL (it can never match). */
    static Object key(Values.Reader[] readers, int row) {
        if (readers.length == 1) {
            Object v = readers[0].get(row);
            return v == null ? null : HashAggregateOperator.normalize(v);
        }
        List<Object> key = new ArrayList<>(readers.length);
        for (Values.Reader r : readers) {
            Object v = r.get(row);
            if (v == null) {
                return null;
            }
            key.add(HashAggregateOperator.normalize(v));
        }
        return key;
    }

    private void matchProbeBatch() {
        pairs.count = 0;
        pairPosition = 0;
        int n = probeBatch.getRowCount();
        lookup.prepare(probeBatch, n);
        for (int i = 0; i < n; i++) {
            long[] refs = lookup.find(i);
            if ((mode == Mode.SEMI || mode == Mode.ANTI) && residual != null) {
                for (int r = 1; refs != null && r <= refs[0]; r++) {
                    pairs.add(i, refs[r]);
                }
            } else if (mode == Mode.SEMI || mode == Mode.ANTI) {
                if ((refs != null) == (mode == Mode.SEMI)) {
                    pairs.add(i, -1L);
                }
            } else if (refs != null && residual != null) {
                for (int r = 1; r <= refs[0]; r++) {
                    pairs.add(i, refs[r]);
                }
            } else if (refs != null) {
                for (int r = 1; r <= refs[0]; r++) {
                    pairs.add(i, refs[r]);
                    if (marking) {
                        mark(refs[r]);
                    }
                }
            } else if ((mode == Mode.PROBE_OUTER || mode == Mode.FULL) && residual == null) {
                pairs.add(i, -1L);
            }
        }
        if (residual != null && (mode == Mode.SEMI || mode == Mode.ANTI)) {
            semiResidual(n);
        } else if (residual != null) {
            applyResidual(n);
        }
    }

    /**
     * SEMI/ANTI with a residual: evaluates it over the candidate (probe row, build row) pairs, then keeps each probe
     * row once when some pair satisfied it (SEMI) or when none did (ANTI).
     */
    private void semiResidual(int probeRows) {
        boolean[] matched = new boolean[probeRows];
        if (scratch == null) {
            List<ResultColumn> both = new ArrayList<>(probe.columns());
            both.addAll(build.columns());
            scratch = Batches.newRoot(both, context.allocator());
        }
        int[] all = identity(scratch.getFieldVectors().size());
        for (int start = 0; start < pairs.count; start += Batches.BATCH_ROWS) {
            int count = Math.min(Batches.BATCH_ROWS, pairs.count - start);
            gather(scratch, all, start, count);
            try (Column mask = residual.evaluate(scratch, eval)) {
                BitVector bits = (BitVector) mask.vector();
                for (int i = 0; i < count; i++) {
                    if (!bits.isNull(i) && bits.get(i) != 0) {
                        matched[pairs.probe[start + i]] = true;
                    }
                }
            }
        }
        pairs.count = 0;
        for (int i = 0; i < probeRows; i++) {
            if (matched[i] == (mode == Mode.SEMI)) {
                pairs.add(i, -1L);
            }
        }
    }

    /**
     * Keeps the candidate pairs whose joined row satisfies the residual condition (evaluated a chunk of pairs at a
     * time over gathered rows), then adds the probe rows left without a pair for outer joins.
     */
    private void applyResidual(int probeRows) {
        boolean[] probeMatched = new boolean[probeRows];
        int kept = 0;
        if (scratch == null) {
            scratch = Batches.newRoot(layout, context.allocator());
        }
        int[] all = identity(layout.size());
        for (int start = 0; start < pairs.count; start += Batches.BATCH_ROWS) {
            int count = Math.min(Batches.BATCH_ROWS, pairs.count - start);
            gather(scratch, all, start, count);
            try (Column mask = residual.evaluate(scratch, eval)) {
                BitVector bits = (BitVector) mask.vector();
                for (int i = 0; i < count; i++) {
                    if (!bits.isNull(i) && bits.get(i) != 0) {
                        int p = start + i;
                        probeMatched[pairs.probe[p]] = true;
                        if (marking) {
                            mark(pairs.build[p]);
                        }
                        pairs.probe[kept] = pairs.probe[p];
                        pairs.build[kept] = pairs.build[p];
                        kept++;
                    }
                }
            }
        }
        pairs.count = kept;
        if (mode == Mode.PROBE_OUTER || mode == Mode.FULL) {
            for (int i = 0; i < probeRows; i++) {
                if (!probeMatched[i]) {
                    pairs.add(i, -1L);
                }
            }
        }
    }

    @Override
    public VectorSchemaRoot next() {
        try {
            return produce();
        } catch (org.apache.arrow.memory.OutOfMemoryException e) {
            throw context.memoryLimitExceeded("HashJoin probe", e);
        }
    }

    private VectorSchemaRoot produce() {
        context.checkCancelled();
        if (!built) {
            buildTable();
        }
        while (pairPosition >= pairs.count) {
            if (probeDone) {
                return null;
            }
            probeBatch = probe.next();
            if (probeBatch == null) {
                probeDone = true;
                long[] matched = mode == Mode.FULL ? marks : mode == Mode.BUILD_OUTER ? finishProbe() : null;
                if (matched == null) {
                    return null;
                }
                unmatchedBuildRows(matched);
            } else {
                context.checkCancelled();
                matchProbeBatch();
            }
        }
        if (out == null) {
            out = Batches.newRoot(columns, context.allocator());
        }
        int count = Math.min(Batches.BATCH_ROWS, pairs.count - pairPosition);
        gather(out, outputs, pairPosition, count);
        pairPosition += count;
        return out;
    }

    /**
     * Gathers pairs {@code [start, start+count)} into {@code target}, column by column: target column {@code t} is
     * joined column {@code joined[t]} (the probe's then the build's columns when probing first, else the reverse).
     */
    private void gather(VectorSchemaRoot target, int[] joined, int start, int count) {
        int probeWidth = probe.columns().size();
        int buildWidth = build.columns().size();
        int[] probeRows = null;
        int[] buildBatchOf = null;
        int[] buildRows = null;
        // SEMI and ANTI rows are the probe's columns, followed by the build's where a residual sees both.
        boolean probeLeads = probeFirst || mode == Mode.SEMI || mode == Mode.ANTI;
        for (int t = 0; t < joined.length; t++) {
            int j = joined[t];
            boolean fromProbe = probeLeads ? j < probeWidth : j >= buildWidth;
            int c = fromProbe ? (probeLeads ? j : j - buildWidth) : (probeLeads ? j - probeWidth : j);
            FieldVector to = target.getVector(t);
            if (fromProbe) {
                if (probeRows == null) {
                    probeRows = new int[count];
                    if (probeBatch == null) {
                        // Only unmatched build rows (FULL join): every probe column is NULL.
                        Arrays.fill(probeRows, -1);
                    } else {
                        System.arraycopy(pairs.probe, start, probeRows, 0, count);
                    }
                }
                FieldVector[] sources = {probeBatch == null ? to : probeBatch.getVector(c)};
                Gather.rows(sources, null, probeRows, count, to);
                continue;
            }
            if (buildRows == null) {
                buildBatchOf = new int[count];
                buildRows = new int[count];
                for (int i = 0; i < count; i++) {
                    long ref = pairs.build[start + i];
                    buildBatchOf[i] = ref < 0 ? 0 : (int) (ref >>> 32);
                    buildRows[i] = ref < 0 ? -1 : (int) ref;
                }
                if (buildSources == null) {
                    buildSources = new Gather.Sources[buildWidth];
                }
            }
            if (buildBatches.isEmpty()) {
                // No build rows (outer join padding): every row index is -1, nothing is read.
                Gather.rows(new FieldVector[] {to}, buildBatchOf, buildRows, count, to);
                continue;
            }
            if (buildSources[c] == null) {
                FieldVector[] sources = new FieldVector[buildBatches.size()];
                for (int b = 0; b < sources.length; b++) {
                    sources[b] = buildBatches.get(b).getVector(c);
                }
                buildSources[c] = new Gather.Sources(sources);
            }
            Gather.rows(buildSources[c], buildBatchOf, buildRows, count, to);
        }
        target.setRowCount(count);
    }

    /**
     * BUILD_OUTER, after this instance's last probe batch: the marks of every probe instance when this was the last
     * of them to finish (a private build side has only this one), else null (another instance returns the rows).
     */
    private long[] finishProbe() {
        if (build instanceof SharedBuildSide.Side shared) {
            return shared.finishProbe(marks);
        }
        return marks;
    }

    /** After the last probe batch: the build rows nothing marked, with NULL probe columns. */
    private void unmatchedBuildRows(long[] matched) {
        pairs.count = 0;
        pairPosition = 0;
        for (int b = 0; b < buildBatches.size(); b++) {
            int base = joinTable.batchStart(b);
            int n = buildBatches.get(b).getRowCount();
            for (int i = 0; i < n; i++) {
                int g = base + i;
                if ((matched[g >>> 6] & (1L << g)) == 0) {
                    pairs.add(-1, ((long) b << 32) | i);
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            probe.close();
        } finally {
            try {
                build.close();
            } finally {
                if (ownsTable && joinTable != null) {
                    joinTable.close();
                }
                joinTable = null;
                if (out != null) {
                    out.close();
                    out = null;
                }
                if (scratch != null) {
                    scratch.close();
                    scratch = null;
                }
            }
        }
    }
}
