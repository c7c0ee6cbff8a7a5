package dev.tarn.txlog.internal.replay;

import static java.util.Objects.requireNonNull;

import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Function;

/**
 * The files of a table keyed for reconciliation, in the order of their newest add, built for loading and
 * refreshing in time proportional to what changed:
 * <ul>
 *   <li>a base list of files with unique keys (a checkpoint's rows, PROTOCOL.md "Checkpoints": each logical file
 *       appears once, or the files of an earlier snapshot), kept as a plain list with no hash index;</li>
 *   <li>the files added on top of it (by commits), keyed, in add order;</li>
 *   <li>the keys hidden in the base because a later action removed or re-added them.</li>
 * </ul>
 * Base entries are matched against the hidden keys only when the values are read, and only when something was
 * hidden, so loading a checkpoint costs no hashing per file and continuing a snapshot by a few commits (refresh)
 * shares the base instead of copying it. Mutable until {@link #freeze()}; a frozen map is immutable and shareable.
 * Snapshots keep their tombstones in one; active files, a million in a large checkpoint, are kept by column
 * ({@link ActiveFiles}).
 *
 * @param <V> the action kept per key (add or remove)
 */
public final class FileMap<V> {
    /** Share the base while the changes stay below this fraction of it; past it, flatten into a new base. */
    private static final int FLATTEN_DIVISOR = 4;
    private static final int MIN_FLATTEN = 4096;

    private final Function<V, FileKey> keyOf;
    private final List<V> base;
    private final boolean baseShared;
    private final Set<FileKey> hidden;
    private final LinkedHashMap<FileKey, V> added;
    private boolean frozen;
    private int size = -1;

    /** An empty map; {@code keyOf} gives the reconciliation key of a value. */
    public FileMap(Function<V, FileKey> keyOf) {
        this(keyOf, new ArrayList<>(), false, new HashSet<>(), new LinkedHashMap<>());
    }

    private FileMap(Function<V, FileKey> keyOf, List<V> base, boolean baseShared, Set<FileKey> hidden,
                    LinkedHashMap<FileKey, V> added) {
        this.keyOf = requireNonNull(keyOf, "keyOf is null");
        this.base = base;
        this.baseShared = baseShared;
        this.hidden = hidden;
        this.added = added;
    }

    /** Sets the value of a key and moves it to the end of the order (the newest add comes last). */
    public void put(FileKey key, V value) {
        checkMutable();
        requireNonNull(value, "value is null");
        added.remove(key);
        added.put(key, value);
        if (!base.isEmpty()) {
            hidden.add(key);
        }
    }

    /**
     * Appends a value whose key no earlier or later value of the same batch has, such as a checkpoint row: no hash
     * lookup is made. Once the map shares a base or has other changes, this is an ordinary {@link #put}.
     */
    public void putUnique(V value) {
        checkMutable();
        requireNonNull(value, "value is null");
        if (baseShared || !added.isEmpty() || !hidden.isEmpty()) {
            put(keyOf.apply(value), value);
        } else {
            base.add(value);
        }
    }

    /** Removes a key (a no-op when absent). */
    public void remove(FileKey key) {
        checkMutable();
        added.remove(key);
        if (!base.isEmpty()) {
            hidden.add(key);
        }
    }

    /** The number of values; the first call after changes to a base costs a pass over the base. */
    public int size() {
        int n = size;
        if (n < 0) {
            n = added.size();
            if (hidden.isEmpty()) {
                n += base.size();
            } else {
                for (V v : base) {
                    if (!hidden.contains(keyOf.apply(v))) {
                        n++;
                    }
                }
            }
            if (frozen) {
                size = n;
            }
        }
        return n;
    }

    /** Makes this map immutable so it can be shared by snapshots and overlays. */
    public FileMap<V> freeze() {
        frozen = true;
        return this;
    }

    /**
     * A new mutable map with the contents of this frozen one, sharing its data: cost proportional to this map's own
     * changes, or to its size once the changes have grown past a quarter of the base.
     */
    public FileMap<V> overlay() {
        if (!frozen) {
            throw new IllegalStateException("only a frozen map can be overlaid");
        }
        if (added.isEmpty() && hidden.isEmpty()) {
            return new FileMap<>(keyOf, Collections.unmodifiableList(base), true, new HashSet<>(),
                    new LinkedHashMap<>());
        }
        if (hidden.size() + added.size() > Math.max(MIN_FLATTEN, base.size() / FLATTEN_DIVISOR)) {
            List<V> flat = new ArrayList<>(values());
            return new FileMap<>(keyOf, Collections.unmodifiableList(flat), true, new HashSet<>(),
                    new LinkedHashMap<>());
        }
        return new FileMap<>(keyOf, base, true, new HashSet<>(hidden), new LinkedHashMap<>(added));
    }

    /**
     * The values as a new list, in {@link #values()} order, built in one pass (the view's {@code size()} and
     * iteration would each match every base value against the hidden keys). Fixes the size of a frozen map.
     */
    public List<V> toList() {
        List<V> out = new ArrayList<>(hidden.isEmpty() ? base.size() + added.size() : Math.max(size, 0));
        if (hidden.isEmpty()) {
            out.addAll(base);
        } else {
            for (V v : base) {
                if (!hidden.contains(keyOf.apply(v))) {
                    out.add(v);
                }
            }
        }
        out.addAll(added.values());
        if (frozen) {
            size = out.size();
        }
        return out;
    }

    /** A read-only view of the values: the base's visible values in order, then the added ones. */
    public Collection<V> values() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<V> iterator() {
                return new ValueIterator();
            }

            @Override
            public int size() {
                return FileMap.this.size();
            }
        };
    }

    private void checkMutable() {
        if (frozen) {
            throw new IllegalStateException("file map is frozen");
        }
        size = -1;
    }

    private final class ValueIterator implements Iterator<V> {
        private final Iterator<V> baseIt = base.iterator();
        private final Iterator<V> addedIt = added.values().iterator();
        private final boolean filter = !hidden.isEmpty();
        private V next;

        @Override
        public boolean hasNext() {
            while (next == null && baseIt.hasNext()) {
                V v = baseIt.next();
                if (!filter || !hidden.contains(keyOf.apply(v))) {
                    next = v;
                }
            }
            if (next == null && addedIt.hasNext()) {
                next = addedIt.next();
            }
            return next != null;
        }

        @Override
        public V next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            V v = next;
            next = null;
            return v;
        }
    }
}
