package dev.tarn.query.internal.execution;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import java.time.ZoneId;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.BufferAllocator;

/**
 * What one running statement shares with its operators: its memory budget, worker threads, time zone, scan
 * progress and cancellation flag. Operators call {@link #checkCancelled()} once per batch; every worker thread of
 * the statement sees the same context, so one {@link #cancel()} stops them all.
 */
public final class ExecutionContext {
    /**
     * The system property that, set to {@code false}, makes parallel parts of a plan hand a scan of a single morsel
     * to a worker thread as they do larger ones ({@link Region#runsInline}); tests of the parallel operators over
     * small tables set it.
     */
    public static final String INLINE_SINGLE_MORSEL_PROPERTY = "tarn.inline_single_morsel";

    private final BufferAllocator allocator;
    private final ExecutorService executor;
    private final int parallelism;
    private final ZoneId sessionZone;
    private final boolean inlineSingleMorsel =
            !"false".equalsIgnoreCase(System.getProperty(INLINE_SINGLE_MORSEL_PROPERTY));
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile String cancelReason;
    private final ScanProgress progress = new ScanProgress();

    /**
     * @param executor runs the statement's parallel workers; it must not bound its threads below what concurrently
     *     running statements ask for (workers of one statement may wait for each other)
     * @param parallelism how many workers a parallel part of a plan uses (the session's thread count)
     */
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

    /** Whether a parallel part whose scan has one morsel runs in the consumer's thread ({@link Region#runsInline}). */
    public boolean inlineSingleMorsel() {
        return inlineSingleMorsel;
    }

    public ZoneId sessionZone() {
        return sessionZone;
    }

    /** Files and rows the statement's scans have read so far (for progress displays). */
    public ScanProgress progress() {
        return progress;
    }

    public void cancel() {
        cancelled.set(true);
    }

    /** Cancels with a reason that the error names (e.g. an expired statement timeout); the first reason wins. */
    public void cancel(String reason) {
        requireNonNull(reason, "reason is null");
        if (cancelReason == null) {
            cancelReason = reason;
        }
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    public void checkCancelled() {
        if (cancelled.get()) {
            String reason = cancelReason;
            throw new TarnException(ErrorCode.QUERY_CANCELLED,
                    reason == null ? "The statement was cancelled" : "The statement was cancelled: " + reason);
        }
    }

    /** The per-query memory limit in bytes ({@code Long.MAX_VALUE} for none). */
    public long memoryLimit() {
        return allocator.getLimit();
    }

    /** The error for {@code operator} running out of the per-query memory budget. */
    public TarnException memoryLimitExceeded(String operator, Throwable cause) {
        return new TarnException(ErrorCode.MEMORY_LIMIT_EXCEEDED, operator + " needs more memory than the per-query "
                + "limit of " + MemorySize.format(memoryLimit()) + " allows (raise it with SET memory_limit = '...')",
                cause);
    }
}
