package dev.tarn.query.internal.execution;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The worker tasks of one parallel part of a plan, run on the statement's executor. The first failure stops the
 * others and is rethrown to the consumer; {@link #close()} stops them and waits until every one has returned, so
 * no worker touches memory after the statement releases it.
 */
public final class Workers implements AutoCloseable {
    /** One worker's work; it should return soon after {@link Workers#stopped()} turns true. */
    @FunctionalInterface
    public interface Body {
        void run(int worker);
    }

    private final ExecutionContext context;
    private final CountDownLatch finished;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Runnable onChange;
    private volatile boolean stopped;

    private final int count;
    private boolean started;

    /**
     * {@code count} workers, not yet started; {@code onChange} runs when one finishes or fails and when they are
     * told to stop (to wake a consumer waiting for their output).
     */
    public Workers(ExecutionContext context, int count, Runnable onChange) {
        this.context = requireNonNull(context, "context is null");
        this.count = count;
        this.finished = new CountDownLatch(count);
        this.onChange = requireNonNull(onChange, "onChange is null");
    }

    /** Starts the workers running {@code body} (once). */
    public void start(Body body) {
        requireNonNull(body, "body is null");
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        for (int i = 0; i < count; i++) {
            int worker = i;
            try {
                context.executor().execute(() -> run(body, worker));
            } catch (RejectedExecutionException e) {
                fail(new TarnException(ErrorCode.QUERY_CANCELLED, "The database is closing", e));
                finished.countDown();
            }
        }
    }

    private void run(Body body, int worker) {
        try {
            body.run(worker);
        } catch (Throwable t) {
            fail(t);
        } finally {
            finished.countDown();
            onChange.run();
        }
    }

    private void fail(Throwable t) {
        failure.compareAndSet(null, t);
        stopped = true;
    }

    /** Whether workers should stop: a worker failed, the consumer is done, or the statement was cancelled. */
    public boolean stopped() {
        return stopped || context.isCancelled();
    }

    public void stop() {
        stopped = true;
        onChange.run();
    }

    public boolean allFinished() {
        return finished.getCount() == 0;
    }

    /** Rethrows the first worker failure, if any, in the calling thread. */
    public void rethrowIfFailed() {
        Throwable t = failure.get();
        if (t == null) {
            return;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new TarnException(ErrorCode.INTERNAL_ERROR, "A query worker failed: " + t, t);
    }

    /** Waits for every worker to return, then rethrows the first failure. */
    public void await() {
        awaitQuietly();
        context.checkCancelled();
        rethrowIfFailed();
    }

    private void awaitQuietly() {
        if (!started) {
            return;
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (finished.await(100, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    stop();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops the workers and waits for them (failures are not rethrown: the consumer is already done or failing). */
    @Override
    public void close() {
        stop();
        awaitQuietly();
    }
}
