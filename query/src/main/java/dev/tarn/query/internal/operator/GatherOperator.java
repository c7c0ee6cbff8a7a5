package dev.tarn.query.internal.operator;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.MorselSource;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.execution.Pipeline;
import dev.tarn.query.internal.execution.Region;
import dev.tarn.query.internal.execution.Workers;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

/**
 * Runs a pipeline on the session's worker threads and hands its batches to the consuming thread in the order a
 * single thread would produce them: batches are queued per morsel and released morsel by morsel, so results (and
 * their order) do not depend on the thread count. Workers copy their batches (buffer by buffer); a bounded queue holds them back when they run ahead of the consumer (the worker of the morsel
 * the consumer waits for is never held back). A consumer that keeps every row anyway (a hash join's build side, a
 * shared subplan's result) reads {@linkplain #readingWhole whole}: no worker is held back, since bounding the queue
 * would save no memory and only idle the workers ahead of the head morsel until it completes (TPC-H Q14's filtered
 * lineitem build ran on one core for about half of its scan). With one thread, or a scan of one morsel
 * ({@link Region#runsInline}), the pipeline runs in the consumer's thread.
 */
public final class GatherOperator implements Operator {
    private final Pipeline input;
    private final boolean whole;
    private final Object lock = new Object();
    private final Map<Integer, ArrayDeque<VectorSchemaRoot>> queued = new HashMap<>();
    private final Set<Integer> completed = ConcurrentHashMap.newKeySet();
    private ExecutionContext context;
    private Operator single;
    private Region region;
    private MorselSource source;
    private Workers workers;
    private Operator[] instances;
    private int buffered;
    private int maxBuffered;
    private int head;
    private VectorSchemaRoot current;

    public GatherOperator(Pipeline input) {
        this(input, false);
    }

    private GatherOperator(Pipeline input, boolean whole) {
        this.input = requireNonNull(input, "input is null");
        this.whole = whole;
    }

    /** A gather for a consumer that keeps all of its rows: workers are never held back (see the class comment). */
    public static GatherOperator readingWhole(Pipeline input) {
        return new GatherOperator(input, true);
    }

    @Override
    public List<ResultColumn> columns() {
        return input.columns();
    }

    @Override
    public void open(ExecutionContext context) {
        this.context = requireNonNull(context, "context is null");
        int n = context.parallelism();
        if (n == 1 || !input.splittable()) {
            single = input.instantiate();
            single.open(context);
            return;
        }
        region = new Region(n, morsel -> {
            completed.add(morsel);
            wake();
        });
        Operator first = input.instantiate(region, 0);
        if (region.runsInline(context)) {
            single = first;
            single.open(context);
            return;
        }
        instances = new Operator[n];
        instances[0] = first;
        for (int w = 1; w < n; w++) {
            instances[w] = input.instantiate(region, w);
        }
        source = region.source();
        maxBuffered = whole ? Integer.MAX_VALUE : 2 * n + 2;
        workers = new Workers(context, n, this::wake);
        workers.start(this::work);
    }

    private void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    private void work(int worker) {
        Operator op = instances[worker];
        boolean done = false;
        try {
            op.open(context);
            BufferAllocator allocator = context.allocator();
            while (!workers.stopped()) {
                VectorSchemaRoot batch = op.next();
                if (batch == null) {
                    break;
                }
                if (batch.getRowCount() == 0) {
                    continue;
                }
                VectorSchemaRoot copy;
                try {
                    copy = transfer(batch, allocator);
                } catch (OutOfMemoryException e) {
                    throw context.memoryLimitExceeded("Gather", e);
                }
                put(region.scan(worker).currentMorsel(), copy);
            }
            done = true;
        } finally {
            try {
                op.close();
            } finally {
                // A failed worker's morsel stays incomplete, so the consumer stops at it and reports the failure.
                if (done) {
                    source.finish(worker);
                }
            }
        }
    }

    /**
     * Copies a batch buffer by buffer into vectors the consumer owns: the worker's operators may reuse their vectors'
     * buffers in place for their next batch (and share them downstream), so moving buffers would not be safe.
     */
    static VectorSchemaRoot transfer(VectorSchemaRoot batch, BufferAllocator allocator) {
        List<ArrowBuf> copies = new ArrayList<>();
        VectorSchemaRoot target = VectorSchemaRoot.create(batch.getSchema(), allocator);
        try (ArrowRecordBatch unloaded = new VectorUnloader(batch).getRecordBatch()) {
            for (ArrowBuf buf : unloaded.getBuffers()) {
                long length = buf.readableBytes();
                ArrowBuf copy = allocator.buffer(length);
                copies.add(copy);
                copy.setBytes(0, buf, buf.readerIndex(), length);
                copy.writerIndex(length);
            }
            try (ArrowRecordBatch copied = new ArrowRecordBatch(batch.getRowCount(), unloaded.getNodes(), copies)) {
                new VectorLoader(target).load(copied);
            }
            return target;
        } catch (RuntimeException e) {
            target.close();
            throw e;
        } finally {
            copies.forEach(ArrowBuf::close);
        }
    }

    private void put(int morsel, VectorSchemaRoot batch) {
        synchronized (lock) {
            try {
                while (buffered >= maxBuffered && morsel != head && !workers.stopped()) {
                    lock.wait(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                workers.stop();
            }
            if (workers.stopped()) {
                batch.close();
                return;
            }
            queued.computeIfAbsent(morsel, m -> new ArrayDeque<>()).add(batch);
            buffered++;
            lock.notifyAll();
        }
    }

    @Override
    public VectorSchemaRoot next() {
        if (single != null) {
            return single.next();
        }
        release();
        VectorSchemaRoot batch = nextQueued();
        if (batch == null) {
            // Outside the lock: a worker that completed the last morsel may still be in its completion callback,
            // which takes the lock to wake this consumer; waiting for it while holding the lock deadlocked.
            workers.await();
        }
        return batch;
    }

    /**
     * The next batch as one the caller owns and closes ({@link Batches#nextOwned}): the workers' copies are handed
     * over as they are; only batches of a pipeline running in this thread are copied.
     */
    VectorSchemaRoot nextOwned(List<ResultColumn> columns) {
        if (single != null) {
            VectorSchemaRoot batch = single.next();
            return batch == null ? null : Batches.copy(batch, columns, context.allocator());
        }
        VectorSchemaRoot batch = next();
        current = null;
        return batch;
    }

    /** The next batch in morsel order, or null once every morsel is complete and consumed. */
    private VectorSchemaRoot nextQueued() {
        synchronized (lock) {
            while (true) {
                context.checkCancelled();
                workers.rethrowIfFailed();
                if (head >= source.size()) {
                    return null;
                }
                ArrayDeque<VectorSchemaRoot> q = queued.get(head);
                if (q != null && !q.isEmpty()) {
                    current = q.poll();
                    buffered--;
                    lock.notifyAll();
                    return current;
                }
                if (completed.contains(head)) {
                    queued.remove(head);
                    head++;
                    lock.notifyAll();
                    continue;
                }
                try {
                    lock.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    context.cancel();
                }
            }
        }
    }

    private void release() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    @Override
    public void close() {
        try {
            if (single != null) {
                single.close();
                single = null;
            }
            if (workers != null) {
                workers.close();
                workers = null;
            } else if (instances != null) {
                for (Operator op : instances) {
                    if (op != null) {
                        op.close();
                    }
                }
            }
        } finally {
            release();
            synchronized (lock) {
                queued.values().forEach(q -> q.forEach(VectorSchemaRoot::close));
                queued.clear();
                buffered = 0;
            }
            if (region != null) {
                region.close();
                region = null;
            }
        }
    }
}
