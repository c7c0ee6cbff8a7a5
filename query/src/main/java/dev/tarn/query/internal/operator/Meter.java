package dev.tarn.query.internal.operator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * EXPLAIN ANALYZE's counters for one plan node, shared by all instances of its operator (one per parallel worker):
 * rows and batches produced, time spent in the operator and its inputs (summed over workers), and the summed
 * counters of the scans it wraps.
 */
public final class Meter {
    final LongAdder rows = new LongAdder();
    final LongAdder batches = new LongAdder();
    final LongAdder nanos = new LongAdder();
    private final List<ScanMetrics> scans = new ArrayList<>();
    private final LongAdder instances = new LongAdder();

    public long rows() {
        return rows.sum();
    }

    public long batches() {
        return batches.sum();
    }

    /** Time in this operator and its inputs, summed over its instances. */
    public long nanos() {
        return nanos.sum();
    }

    /** How many operator instances (parallel workers) ran this node. */
    public long instances() {
        return instances.sum();
    }

    void instantiated(Object operator) {
        instances.increment();
        if (operator instanceof ScanMetrics m) {
            synchronized (scans) {
                scans.add(m);
            }
        }
    }

    /** The scan counters summed over the instances, in the first instance's order. */
    public Map<String, Long> scanMetrics() {
        Map<String, Long> sum = new LinkedHashMap<>();
        synchronized (scans) {
            for (ScanMetrics m : scans) {
                m.scanMetrics().forEach((k, v) -> sum.merge(k, v, Long::sum));
            }
        }
        return sum;
    }
}
