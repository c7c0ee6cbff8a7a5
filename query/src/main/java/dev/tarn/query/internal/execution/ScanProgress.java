package dev.tarn.query.internal.execution;

import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of a statement's table scans, updated by the scans' worker threads and read by progress displays
 * while the statement runs. Totals are known once a scan has planned its files.
 */
public final class ScanProgress {
    private final LongAdder filesTotal = new LongAdder();
    private final LongAdder filesRead = new LongAdder();
    private final LongAdder rowsRead = new LongAdder();
    private final LongAdder rowsTotal = new LongAdder();

    /** A scan planned {@code files} files holding about {@code rows} rows (-1 when unknown). */
    public void planned(long files, long rows) {
        filesTotal.add(files);
        if (rows > 0) {
            rowsTotal.add(rows);
        }
    }

    public void fileRead() {
        filesRead.increment();
    }

    public void rowsRead(long rows) {
        rowsRead.add(rows);
    }

    public long filesTotal() {
        return filesTotal.sum();
    }

    public long filesRead() {
        return filesRead.sum();
    }

    public long rowsRead() {
        return rowsRead.sum();
    }

    /** Rows the planned files hold according to the log's statistics, 0 when unknown. */
    public long rowsTotal() {
        return rowsTotal.sum();
    }
}
