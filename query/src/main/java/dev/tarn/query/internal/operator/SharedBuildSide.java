package dev.tarn.query.internal.operator;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A hash join build side shared by the probe instances of parallel workers: the first probe that needs the table
 * builds it from the one build operator (others wait), and all then read it. {@link #side()} is the operator the
 * probes see; closing it does nothing, closing this (by the region) releases the table and the build input.
 */
public final class SharedBuildSide implements AutoCloseable {
    private final Operator build;
    private final Side side = new Side();
    private JoinTable table;
    private RuntimeException failure;
    private boolean opened;
    private boolean closed;

    public SharedBuildSide(Operator build) {
        this.build = requireNonNull(build, "build is null");
    }

    public Operator side() {
        return side;
    }

    synchronized JoinTable table(ExecutionContext context, int[] keys) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (failure != null) {
            throw failure;
        }
        if (table == null) {
            try {
                opened = true;
                build.open(context);
                table = JoinTable.build(build, keys, context);
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
        return table;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (table != null) {
                table.close();
                table = null;
            }
        } finally {
            if (opened || table == null) {
                build.close();
            }
        }
    }

    /** The build side as a probe instance sees it: opened and closed with the shared table, never read directly. */
    final class Side implements Operator {
        @Override
        public List<ResultColumn> columns() {
            return build.columns();
        }

        @Override
        public void open(ExecutionContext context) {
        }

        @Override
        public VectorSchemaRoot next() {
            throw new IllegalStateException("a shared build side is read through its table");
        }

        @Override
        public void close() {
        }

        JoinTable table(ExecutionContext context, int[] keys) {
            return SharedBuildSide.this.table(context, keys);
        }
    }
}
