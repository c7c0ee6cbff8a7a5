package dev.tarn.query.internal.execution;

import static java.util.Objects.requireNonNull;

import org.apache.arrow.memory.AllocationReservation;

/**
 * Charges an operator's Java-heap state (hash tables, sort keys) to the statement's Arrow allocator, so the
 * per-query memory limit covers it as well as the Arrow buffers: estimated bytes are reserved from the allocator in
 * 1 MB steps, and released on {@link #close()}. Exceeding the limit raises {@code MEMORY_LIMIT_EXCEEDED} naming the
 * operator.
 */
public final class MemoryAccount implements AutoCloseable {
    private static final long STEP = 1L << 20;

    private final ExecutionContext context;
    private final String operator;
    private AllocationReservation reservation;
    private long used;
    private long reserved;

    public MemoryAccount(ExecutionContext context, String operator) {
        this.context = requireNonNull(context, "context is null");
        this.operator = requireNonNull(operator, "operator is null");
    }

    /** Charges {@code bytes} more; throws MEMORY_LIMIT_EXCEEDED when the statement's budget cannot hold them. */
    public void add(long bytes) {
        used += bytes;
        while (used > reserved) {
            if (reservation == null) {
                reservation = context.allocator().newReservation();
            }
            if (!reservation.add(STEP)) {
                throw context.memoryLimitExceeded(operator, null);
            }
            reserved += STEP;
        }
    }

    public long used() {
        return used;
    }

    @Override
    public void close() {
        if (reservation != null) {
            reservation.close();
            reservation = null;
        }
        used = 0;
        reserved = 0;
    }
}
