package dev.tarn.storage.parquet;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Decoded dictionary pages shared by the readers of the parts of one file ({@link ParquetReadRequest#withPart}): a
 * file cut into parts for parallel workers would otherwise decompress and decode each column chunk's dictionary once
 * per part (a one-row-group file read by eight parts, eight times). A reader asks for a dictionary by file, row group
 * and column; the first to ask decodes it, readers asking meanwhile wait, and later ones take the decoded values,
 * which nobody changes. One cache serves one scan (the statement's readers of the same files) and is dropped with it.
 */
public final class DictionaryCache {
    private final ConcurrentHashMap<Key, Object> dictionaries = new ConcurrentHashMap<>();

    private record Key(String file, int rowGroup, String column) {}

    /**
     * The dictionary of column {@code column} (its dotted path) of row group {@code rowGroup} of
     * {@code file}, decoded by {@code decode} if no reader has done so; {@code decode} must return an immutable value.
     */
    public Object get(String file, int rowGroup, String column, Supplier<Object> decode) {
        requireNonNull(file, "file is null");
        requireNonNull(decode, "decode is null");
        return dictionaries.computeIfAbsent(new Key(file, rowGroup, column), k -> requireNonNull(decode.get(),
                "decoded dictionary is null"));
    }

    /** How many dictionaries are held (for tests). */
    public int size() {
        return dictionaries.size();
    }
}
