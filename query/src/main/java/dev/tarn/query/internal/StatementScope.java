package dev.tarn.query.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.internal.execution.ExecutionContext;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;

/**
 * What one statement owns while it runs: a child allocator capped at the per-query memory limit and the
 * {@link ExecutionContext} its operators share. Closing it unregisters it from the session and closes the allocator.
 */
final class StatementScope implements AutoCloseable {
    private final BufferAllocator allocator;
    private final ExecutionContext context;
    private final long memoryLimit;
    private final Runnable onClose;
    private boolean closed;

    StatementScope(BufferAllocator allocator, ExecutionContext context, long memoryLimit, Runnable onClose) {
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.context = requireNonNull(context, "context is null");
        this.memoryLimit = memoryLimit;
        this.onClose = requireNonNull(onClose, "onClose is null");
    }

    ExecutionContext context() {
        return context;
    }

    /**
     * Runs {@code work}, turning Arrow's out-of-memory error into {@code MEMORY_LIMIT_EXCEEDED}, also when a
     * reader or writer wrapped it in an error of its own.
     */
    <T> T translate(Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof TarnException te && te.errorCode() == ErrorCode.MEMORY_LIMIT_EXCEEDED) {
                    throw te; // already names the operator refused
                }
                if (t instanceof OutOfMemoryException) {
                    throw new TarnException(ErrorCode.MEMORY_LIMIT_EXCEEDED, "The statement needs more memory than "
                            + "the per-query limit of " + dev.tarn.query.internal.execution.MemorySize.format(memoryLimit)
                            + " allows (raise it with SET memory_limit = '...')", e);
                }
            }
            throw e;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            onClose.run();
        } finally {
            long leaked = allocator.getAllocatedMemory();
            try {
                allocator.close();
            } catch (IllegalStateException e) {
                throw new TarnException(ErrorCode.INTERNAL_ERROR,
                        "A statement did not release " + leaked + " bytes of Arrow memory", e);
            }
        }
    }
}
