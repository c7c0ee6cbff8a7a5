package dev.tarn.shell.internal;

/**
 * How results are shown: at most {@code maxRows} rows ({@code 0}: all), tables fitted into {@code maxWidth} terminal
 * columns ({@code 0}: no limit; wider cells are cut with an ellipsis), and an elapsed-time note in table footers
 * ({@code startNanos} of the statement, or -1 for none).
 */
public record RenderOptions(long maxRows, int maxWidth, long startNanos) {
    /** What {@code tarn sql} uses: everything, unfitted, no timing in the output. */
    public static final RenderOptions PLAIN = new RenderOptions(0, 0, -1);

    public RenderOptions {
        if (maxRows < 0) {
            throw new IllegalArgumentException("maxRows must be >= 0, got " + maxRows);
        }
        if (maxWidth < 0) {
            throw new IllegalArgumentException("maxWidth must be >= 0, got " + maxWidth);
        }
    }

    boolean limited(long rows) {
        return maxRows > 0 && rows >= maxRows;
    }
}
