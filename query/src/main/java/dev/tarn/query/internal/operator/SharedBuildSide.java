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
    private final int probes;
    private final Side side = new Side();
    /** BUILD_OUTER joins: the OR of the marks of the probes that finished, and how many did. */
    private long[] marks;
    private int finished;
    private JoinTable table;
    private RuntimeException failure;
    private boolean opened;
    private boolean closed;

    /** @param probes the number of probe instances (workers) that read the table */
    public SharedBuildSide(Operator build, int probes) {
        this.build = requireNonNull(build, "build is null");
        if (probes < 1) {
            throw new IllegalArgumentException("probes must be at least 1");
        }
        this.probes = probes;
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

    /**
     * A probe instance's marks of the build rows it matched, handed over when its probe input is exhausted: returns
     * the OR of all instances' marks to the last of the {@code probes} instances to finish, null to the others.
     */
    synchronized long[] finishProbe(long[] probeMarks) {
        if (finished == probes) {
            throw new IllegalStateException("more probes finished than " + probes);
        }
        if (marks == null) {
            marks = probeMarks.clone();
        } else {
            for (int i = 0; i < marks.length; i++) {
                marks[i] |= probeMarks[i];
            }
        }
        finished++;
        return finished == probes ? marks : null;
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

        long[] finishProbe(long[] probeMarks) {
            return SharedBuildSide.this.finishProbe(probeMarks);
        }
    }
}
