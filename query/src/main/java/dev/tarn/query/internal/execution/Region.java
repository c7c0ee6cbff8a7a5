package dev.tarn.query.internal.execution;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The state one parallel part of a running plan shares among its workers: the morsel source of its scan, each
 * worker's scan (to ask which morsel a batch came from), and shared objects such as hash join build sides, which
 * the region closes when it closes.
 */
public final class Region implements AutoCloseable {
    private final int workers;
    private final MorselSource.Listener listener;
    private final MorselScan[] scans;
    private final Map<Object, AutoCloseable> shared = new ConcurrentHashMap<>();
    private final List<AutoCloseable> closeOrder = new ArrayList<>();
    private MorselSource source;

    public Region(int workers, MorselSource.Listener listener) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1");
        }
        this.workers = workers;
        this.listener = listener;
        this.scans = new MorselScan[workers];
    }

    public int workers() {
        return workers;
    }

    /** Attaches a worker's scan: the first attached scan's morsels become the region's source. */
    public synchronized void attach(MorselScan scan, int worker) {
        if (scans[worker] != null) {
            throw new IllegalStateException("worker " + worker + " already has a scan");
        }
        if (source == null) {
            source = new MorselSource(scan.morsels(workers), workers, listener);
        }
        scans[worker] = scan;
        scan.readFrom(source, worker);
    }

    /**
     * Whether the part of the plan this region was made for should run in the consumer's thread instead, over the
     * instance attached as worker 0 (the region stays open until that instance is closed): the scan has at most one
     * morsel, so one worker would do all the work while the consumer waits, and handing it over would add only a
     * thread hand-off and a copy of each batch (and in a cold JVM a second thread running the operators' code for
     * the first time). {@link ExecutionContext#inlineSingleMorsel()} turns it off. A pipeline that shares objects
     * among its workers (hash join build sides, which count their probe instances) keeps its workers.
     */
    public synchronized boolean runsInline(ExecutionContext context) {
        synchronized (closeOrder) {
            if (!shared.isEmpty()) {
                return false;
            }
        }
        return context.inlineSingleMorsel() && source != null && source.size() <= 1;
    }

    /** The morsel source, or null when no scan that can be shared was attached. */
    public synchronized MorselSource source() {
        return source;
    }

    public synchronized MorselScan scan(int worker) {
        return scans[worker];
    }

    /** The object shared under {@code key}, created by the first worker that asks. */
    @SuppressWarnings("unchecked")
    public <T extends AutoCloseable> T shared(Object key, Supplier<T> create) {
        synchronized (closeOrder) {
            AutoCloseable v = shared.get(key);
            if (v == null) {
                v = create.get();
                shared.put(key, v);
                closeOrder.add(v);
            }
            return (T) v;
        }
    }

    /** Closes the shared objects (the workers' instances must be closed first). */
    @Override
    public void close() {
        RuntimeException failure = null;
        synchronized (closeOrder) {
            for (AutoCloseable c : closeOrder) {
                try {
                    c.close();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                    }
                }
            }
            closeOrder.clear();
            shared.clear();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
