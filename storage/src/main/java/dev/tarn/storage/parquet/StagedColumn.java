package dev.tarn.storage.parquet;

/**
 * One column of a batch as the Parquet reader staged it in heap arrays, before any Arrow vector exists: what a
 * {@link ParquetRowFilter} reads. Kernels loop over these arrays in place, so the rows a filter drops are never
 * written to Arrow memory (nor copied back from it). Valid only during {@link ParquetRowFilter#select}.
 */
public interface StagedColumn {
    /** How the values are laid out. */
    enum Layout {
        /**
         * Fixed-width little-endian values of {@link #width()} bytes: INT32/DATE (4), INT64/TIMESTAMP (8), FLOAT (4),
         * DOUBLE (8), and DECIMAL as its unscaled INT32 or INT64 value.
         */
        FIXED,
        /** One byte per row, 0 or 1. */
        BOOLEAN,
        /** Variable-width values: {@link #lengths()} per row and their bytes back to back in {@link #data()}. */
        BINARY
    }

    Layout layout();

    /** The number of rows staged. */
    int rows();

    /** Per row 1 when its value is defined, 0 when it is NULL; null when every row is defined. */
    byte[] definedFlags();

    /** {@link Layout#FIXED}: bytes per value, 4 or 8. */
    int width();

    /**
     * {@link Layout#FIXED}: {@link #rows()} values of {@link #width()} bytes each; {@link Layout#BOOLEAN}: one byte
     * per row. The value of a NULL row is undefined. The array may be longer than the rows staged.
     */
    byte[] values();

    /** {@link Layout#BINARY}: each row's byte length (0 for NULL). */
    int[] lengths();

    /** {@link Layout#BINARY}: the rows' bytes in row order, {@code lengths()[0] + ...} of them. */
    byte[] data();

    /**
     * {@link Layout#BINARY}: when every value of the batch comes from the column chunk's dictionary, each row's
     * index into it (undefined for NULL rows), and {@link #lengths()} and {@link #data()} are built only when asked
     * for; else null. A filter can then test each dictionary entry once.
     */
    default int[] dictionaryIds() {
        return null;
    }

    /** The dictionary's bytes (entry {@code k} is {@code [offsets[k], offsets[k + 1])}), when {@link #dictionaryIds()} is not null. */
    default byte[] dictionaryData() {
        return null;
    }

    /**
     * The dictionary's entry offsets into {@link #dictionaryData()}, one more than its entries; a new array for each
     * dictionary (a column chunk's), so a filter may cache what it computed per entry by this array's identity.
     */
    default int[] dictionaryOffsets() {
        return null;
    }

    /** Whether row {@code row} is NULL (for tests and cold paths; kernels read {@link #definedFlags()}). */
    default boolean isNull(int row) {
        byte[] defined = definedFlags();
        return defined != null && defined[row] == 0;
    }

    /** Row {@code row}'s integer value of a {@link Layout#FIXED} column, sign-extended (for tests and cold paths). */
    default long longValue(int row) {
        byte[] v = values();
        int w = width();
        long x = 0;
        for (int k = w - 1; k >= 0; k--) {
            x = x << 8 | (v[row * w + k] & 0xFF);
        }
        return w == 4 ? (int) x : x;
    }
}
