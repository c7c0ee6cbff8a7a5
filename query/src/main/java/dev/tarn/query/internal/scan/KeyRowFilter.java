package dev.tarn.query.internal.scan;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.internal.operator.JoinKeyFilter;
import dev.tarn.storage.parquet.ParquetRowFilter;
import dev.tarn.storage.parquet.StagedColumn;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A scan's row filter with the keys of the hash joins its rows go to ({@link JoinKeyFilter}): the pushed filters'
 * selection, if any, narrowed to rows whose join key the build side has. It stops narrowing when the keys turn out
 * to keep most rows ({@link #KEEP_LIMIT} of the first {@link #SAMPLE_ROWS} it tested; each key on its own), so a join
 * that filters nothing costs one key test per row for a few batches only. The keys are tested in bulk on the reader's staged integers
 * ({@link JoinKeyFilter#retain}). Not thread-safe: one per scan instance.
 */
final class KeyRowFilter implements ParquetRowFilter {
    static final long SAMPLE_ROWS = 1 << 16;
    static final double KEEP_LIMIT = 0.8;

    /** A join's keys for stored column {@code column}. */
    record Key(int column, JoinKeyFilter keys) {
        Key {
            requireNonNull(keys, "keys is null");
        }
    }

    private final ParquetRowFilter base;
    private final List<Key> keys;
    private final int[] columns;
    /** Per key: the rows it tested and kept, so a key that keeps most rows stops being tested on its own. */
    private final long[] tested;
    private final long[] kept;
    private boolean off;

    /** @param base the pushed filters' row filter, or null */
    KeyRowFilter(ParquetRowFilter base, List<Key> keys) {
        this.base = base;
        this.keys = List.copyOf(keys);
        this.tested = new long[this.keys.size()];
        this.kept = new long[this.keys.size()];
        IntStream own = this.keys.stream().mapToInt(Key::column);
        this.columns = (base == null ? own : IntStream.concat(Arrays.stream(base.columns()), own))
                .distinct().sorted().toArray();
    }

    @Override
    public int[] columns() {
        return columns.clone();
    }

    /**
     * The pushed filters' selection first, then each key's column, asked for with the rows still kept (so the reader
     * looks values up only for them).
     */
    @Override
    public int select(Columns source, int rows, int[] selection) {
        int n;
        if (base != null) {
            n = base.select(source, rows, selection);
        } else {
            for (int i = 0; i < rows; i++) {
                selection[i] = i;
            }
            n = rows;
        }
        if (off || n == 0) {
            return n;
        }
        boolean anyOn = false;
        for (int k = 0; k < keys.size(); k++) {
            if (tested[k] >= SAMPLE_ROWS && kept[k] > tested[k] * KEEP_LIMIT) {
                continue; // this key keeps most rows: testing it costs more than it saves
            }
            anyOn = true;
            Key key = keys.get(k);
            int before = n;
            n = narrow(source.column(key.column(), n == rows ? null : selection, n), key.keys(), selection, n);
            tested[k] += before;
            kept[k] += n;
            if (n == 0) {
                break;
            }
        }
        off = !anyOn;
        return n;
    }

    @Override
    public int select(StagedColumn[] batch, int rows, int[] selection) {
        return select((c, sel, count) -> batch[c], rows, selection);
    }

    /** Keeps the selected rows whose value the keys contain; a NULL key never joins. */
    private static int narrow(StagedColumn v, JoinKeyFilter keys, int[] selection, int n) {
        if (v.layout() != StagedColumn.Layout.FIXED || (v.width() != 4 && v.width() != 8)) {
            return n; // another physical type: the join decides
        }
        return keys.retain(v.values(), v.width(), v.definedFlags(), selection, n);
    }
}
