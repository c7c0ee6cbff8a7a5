package dev.tarn.query.internal.execution;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import java.time.ZoneId;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.BufferAllocator;

/**
 * What one running statement shares with its operators: its memory budget, worker threads, time zone and
 * cancellation flag. Operators call {@link #checkCancelled()} once per batch.
 */
public final class ExecutionContext {
    private final BufferAllocator allocator;
    private final ExecutorService executor;
    private final int parallelism;
    private final ZoneId sessionZone;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    public ExecutionContext(BufferAllocator allocator, ExecutorService executor, int parallelism, ZoneId sessionZone) {
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.executor = requireNonNull(executor, "executor is null");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        this.parallelism = parallelism;
        this.sessionZone = requireNonNull(sessionZone, "sessionZone is null");
    }

    /** The statement's allocator; its limit is the per-query memory limit. */
    public BufferAllocator allocator() {
        return allocator;
    }

    public ExecutorService executor() {
        return executor;
    }

    public int parallelism() {
        return parallelism;
    }

    public ZoneId sessionZone() {
        return sessionZone;
    }

    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    public void checkCancelled() {
        if (cancelled.get()) {
            throw new TarnException(ErrorCode.QUERY_CANCELLED, "The statement was cancelled");
        }
    }
}
