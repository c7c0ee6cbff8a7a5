package dev.tarn.query.internal.execution;

import java.util.Arrays;
import java.util.List;

/**
 * The morsels (data files or parts of them) of one parallel scan, handed out in order to the workers that ask for them. A worker's
 * morsel is complete when that worker asks for its next one or finishes: streaming operators emit everything derived
 * from a scan batch before they read the next, so by then all its rows have been handed on. Consumers that must keep
 * the single-threaded row order wait for morsels to complete in sequence ({@link #isComplete(int)}).
 */
public final class MorselSource {
    /** Told when a morsel completes (called while this source is locked; must not block). */
    public interface Listener {
        void completed(int morsel);
    }

    private final List<?> morsels;
    private final int[] current;
    private final boolean[] complete;
    private final Listener listener;
    private int next;

    public MorselSource(List<?> morsels, int workers, Listener listener) {
        this.morsels = List.copyOf(morsels);
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1");
        }
        this.current = new int[workers];
        Arrays.fill(current, -1);
        this.complete = new boolean[this.morsels.size()];
        this.listener = listener == null ? m -> {} : listener;
    }

    public int size() {
        return morsels.size();
    }

    public Object morsel(int index) {
        return morsels.get(index);
    }

    /** The next morsel's index for {@code worker}, or -1 when none is left; completes the worker's previous one. */
    public synchronized int claim(int worker) {
        completeCurrent(worker);
        if (next >= morsels.size()) {
            return -1;
        }
        current[worker] = next;
        return next++;
    }

    /** The worker is done (finished, failed or stopped): its morsel counts as complete. */
    public synchronized void finish(int worker) {
        completeCurrent(worker);
    }

    private void completeCurrent(int worker) {
        int m = current[worker];
        if (m >= 0) {
            current[worker] = -1;
            complete[m] = true;
            listener.completed(m);
        }
    }

    public synchronized boolean isComplete(int morsel) {
        return complete[morsel];
    }

    /** Morsels handed out so far. */
    public synchronized int claimed() {
        return next;
    }
}
