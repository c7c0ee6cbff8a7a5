package dev.tarn.query.internal.operator;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The result of a subplan that a statement reads more than once (a WITH query referenced twice, as TPC-H Q15's
 * {@code revenue0}), computed once per execution and replayed to each {@link #reader()}.
 *
 * <p>The first reader to need a row runs the subplan to its end and keeps copies of its batches (charged to the
 * statement's allocator, so the memory limit covers them); readers in other threads wait for it. Readers hand out
 * zero-copy slices, so a consumer that takes ownership of a batch's buffers cannot disturb another reader. The
 * copies are released when the last reader made so far closes; a reader made after that (an input instantiated
 * lazily once the others finished) runs the subplan again, which is correct, only slower.
 */
public final class SharedResult {
    private final List<ResultColumn> columns;
    private final Supplier<Operator> input;
    private List<VectorSchemaRoot> batches;
    private RuntimeException failure;
    private int openReaders;
    private boolean released;

    /** @param input makes the subplan's operator tree; called at most once */
    public SharedResult(List<ResultColumn> columns, Supplier<Operator> input) {
        this.columns = List.copyOf(columns);
        this.input = requireNonNull(input, "input is null");
    }

    /** A new reader of the result, or null when this result was already released (make a new one). */
    public synchronized Operator reader() {
        if (released) {
            return null;
        }
        openReaders++;
        return new Reader();
    }

    private synchronized List<VectorSchemaRoot> batches(ExecutionContext context) {
        if (failure != null) {
            throw failure;
        }
        if (batches == null) {
            List<VectorSchemaRoot> kept = new ArrayList<>();
            try (Operator source = input.get()) {
                source.open(context);
                VectorSchemaRoot batch;
                while ((batch = Batches.nextOwned(source, columns, context.allocator())) != null) {
                    if (batch.getRowCount() > 0) {
                        kept.add(batch);
                    } else {
                        batch.close();
                    }
                    context.checkCancelled();
                }
            } catch (RuntimeException e) {
                kept.forEach(VectorSchemaRoot::close);
                failure = e;
                throw e;
            }
            batches = kept;
        }
        return batches;
    }

    private synchronized void readerClosed() {
        if (--openReaders == 0) {
            released = true;
            if (batches != null) {
                batches.forEach(VectorSchemaRoot::close);
                batches = null;
            }
        }
    }

    private final class Reader implements Operator {
        private ExecutionContext context;
        private List<VectorSchemaRoot> source;
        private VectorSchemaRoot out;
        private int position;
        private boolean closed;

        @Override
        public List<ResultColumn> columns() {
            return columns;
        }

        @Override
        public void open(ExecutionContext context) {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public VectorSchemaRoot next() {
            context.checkCancelled();
            if (source == null) {
                source = batches(context);
            }
            if (position >= source.size()) {
                return null;
            }
            if (out == null) {
                out = Batches.newRoot(columns, context.allocator());
            }
            VectorSchemaRoot batch = source.get(position++);
            Batches.slice(batch, 0, batch.getRowCount(), out);
            return out;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (out != null) {
                out.close();
                out = null;
            }
            source = null;
            readerClosed();
        }
    }
}
