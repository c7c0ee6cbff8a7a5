package dev.tarn.query.internal.operator;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.MemoryAccount;
import dev.tarn.query.internal.execution.MorselScan;
import dev.tarn.query.internal.execution.Operator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * ORDER BY over the whole input: batches are copied, key columns extracted column by column, row indexes sorted
 * (stably), and the output gathered column by column. OFFSET/FETCH apply to the sorted order; with a FETCH the
 * buffer is periodically cut down to the best OFFSET+FETCH rows (top-N), bounding memory.
 */
public final class SortOperator implements Operator {
    /** One sort key: input column, direction and where NULLs go. */
    public record Key(int column, boolean descending, boolean nullsFirst) {
        public Key {
            if (column < 0) {
                throw new IllegalArgumentException("column is negative");
            }
        }
    }

    /** Estimated heap bytes per buffered row (order and position entries) and per sort key value. */
    private static final long BYTES_PER_ROW = 24;
    private static final long BYTES_PER_KEY = 32;

    private final Operator input;
    private final List<Key> keys;
    private final long offset;
    private final long limit;
    private final MorselScan sequenceSource;
    private ExecutionContext context;
    private MemoryAccount account;
    final List<VectorSchemaRoot> buffered = new ArrayList<>();
    /** With a sequence source: each buffered row's place in the single-threaded input order. */
    private final List<long[]> sequences = new ArrayList<>();
    private long rowsSeen;
    private VectorSchemaRoot out;
    int[] batchOf;
    int[] rowOf;
    int[] order;
    SortKeys.Column[] keyColumns;
    long[] sequenceOf;
    private int position;
    private int end;

    public SortOperator(Operator input, List<Key> keys, long offset, long limit) {
        this(input, keys, offset, limit, null);
    }

    /**
     * A sort of one parallel worker's part of the input: {@code sequenceSource} is the worker's scan, whose morsel
     * numbers give each row its place in the order a single thread would read it, so ties sort as they would there.
     */
    SortOperator(Operator input, List<Key> keys, long offset, long limit, MorselScan sequenceSource) {
        this.input = requireNonNull(input, "input is null");
        this.keys = List.copyOf(keys);
        this.offset = offset;
        this.limit = limit;
        this.sequenceSource = sequenceSource;
    }

    List<Key> keys() {
        return keys;
    }

    @Override
    public List<ResultColumn> columns() {
        return input.columns();
    }

    @Override
    public void open(ExecutionContext context) {
        this.context = requireNonNull(context, "context is null");
        this.account = new MemoryAccount(context, "Sort");
        input.open(context);
    }

    /** Reads and sorts the whole input (a parallel worker's run), then closes the input. */
    void sortRun() {
        if (order == null) {
            sortInput();
        }
        input.close();
    }

    /** Rows in sorted order after {@link #sortRun()}, before OFFSET/FETCH. */
    int sortedRows() {
        return order.length;
    }

    private void buffer(VectorSchemaRoot batch) {
        int n = batch.getRowCount();
        account.add(n * (BYTES_PER_ROW + BYTES_PER_KEY * keys.size()));
        try {
            buffered.add(Batches.copy(batch, columns(), context.allocator()));
            sources = null;
        } catch (org.apache.arrow.memory.OutOfMemoryException e) {
            throw context.memoryLimitExceeded("Sort", e);
        }
        if (sequenceSource != null) {
            long base = (long) sequenceSource.currentMorsel() << 40;
            long[] seq = new long[n];
            for (int i = 0; i < n; i++) {
                seq[i] = base | (rowsSeen + i);
            }
            sequences.add(seq);
        }
        rowsSeen += n;
    }

    private void sortInput() {
        long keep = limit < 0 ? -1 : offset + limit;
        int bufferedRows = 0;
        VectorSchemaRoot batch;
        while ((batch = input.next()) != null) {
            context.checkCancelled();
            if (batch.getRowCount() > 0) {
                buffer(batch);
                bufferedRows += batch.getRowCount();
                // Top-N: with a LIMIT, keep only the best offset+limit rows once the buffer grows well past them.
                if (keep >= 0 && bufferedRows > Math.max(4 * keep, 4L * Batches.BATCH_ROWS)) {
                    bufferedRows = compact((int) Math.min(keep, Integer.MAX_VALUE));
                }
            }
        }
        sortBuffered();
        int total = order.length;
        position = (int) Math.min(offset, total);
        end = limit < 0 ? total : (int) Math.min(total, offset + limit);
    }

    /** Sorts the buffered rows: fills batchOf/rowOf and the sorted row order. */
    private void sortBuffered() {
        int total = 0;
        for (VectorSchemaRoot root : buffered) {
            total += root.getRowCount();
        }
        batchOf = new int[total];
        rowOf = new int[total];
        sequenceOf = sequenceSource == null ? null : new long[total];
        int r = 0;
        for (int b = 0; b < buffered.size(); b++) {
            int n = buffered.get(b).getRowCount();
            Arrays.fill(batchOf, r, r + n, b);
            for (int i = 0; i < n; i++) {
                rowOf[r + i] = i;
            }
            if (sequenceOf != null) {
                System.arraycopy(sequences.get(b), 0, sequenceOf, r, n);
            }
            r += n;
        }
        keyColumns = SortKeys.extract(keys, buffered, total);
        order = new int[total];
        for (int i = 0; i < total; i++) {
            order[i] = i;
        }
        SortKeys.Column[] columns = keyColumns;
        long[] seq = sequenceOf;
        if (seq == null) {
            SortKeys.sort(order, (a, b) -> SortKeys.compare(columns, a, columns, b));
        } else {
            SortKeys.sort(order, (a, b) -> {
                int c = SortKeys.compare(columns, a, columns, b);
                return c != 0 ? c : Long.compare(seq[a], seq[b]);
            });
        }
    }

    /** Replaces the buffer by its first {@code keep} rows in sorted order; returns the rows kept. */
    private int compact(int keep) {
        sortBuffered();
        int n = Math.min(keep, order.length);
        VectorSchemaRoot kept = Batches.newRoot(columns(), context.allocator());
        try {
            gather(0, n, kept);
            kept.setRowCount(n);
        } catch (RuntimeException e) {
            kept.close();
            throw e;
        }
        if (sequenceOf != null) {
            long[] seq = new long[n];
            for (int i = 0; i < n; i++) {
                seq[i] = sequenceOf[order[i]];
            }
            sequences.clear();
            sequences.add(seq);
        }
        buffered.forEach(VectorSchemaRoot::close);
        buffered.clear();
        buffered.add(kept);
        sources = null;
        order = null;
        // The account restarts at what the kept rows hold.
        account.close();
        account.add(n * (BYTES_PER_ROW + BYTES_PER_KEY * keys.size()));
        return n;
    }

    @Override
    public VectorSchemaRoot next() {
        context.checkCancelled();
        if (order == null) {
            sortInput();
        }
        if (position >= end) {
            return null;
        }
        if (out == null) {
            out = Batches.newRoot(columns(), context.allocator());
        }
        int n = Math.min(Batches.BATCH_ROWS, end - position);
        gather(position, n, out);
        out.setRowCount(n);
        position += n;
        return out;
    }

    /** Per column, the buffered batches' vectors (rebuilt when compaction replaces them). */
    private Gather.Sources[] sources;

    /** Gathers sorted rows {@code [from, from+n)} into {@code target}, column by column. */
    private void gather(int from, int n, VectorSchemaRoot target) {
        int[] batches = new int[n];
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            int row = order[from + i];
            batches[i] = batchOf[row];
            rows[i] = rowOf[row];
        }
        if (sources == null) {
            sources = new Gather.Sources[columns().size()];
            for (int c = 0; c < sources.length; c++) {
                FieldVector[] vectors = new FieldVector[buffered.size()];
                for (int b = 0; b < vectors.length; b++) {
                    vectors[b] = buffered.get(b).getVector(c);
                }
                sources[c] = new Gather.Sources(vectors);
            }
        }
        for (int c = 0; c < sources.length; c++) {
            Gather.rows(sources[c], batches, rows, n, target.getVector(c));
        }
    }

    @Override
    public void close() {
        try {
            input.close();
        } finally {
            for (VectorSchemaRoot root : buffered) {
                root.close();
            }
            buffered.clear();
            if (out != null) {
                out.close();
                out = null;
            }
            if (account != null) {
                account.close();
            }
        }
    }
}
