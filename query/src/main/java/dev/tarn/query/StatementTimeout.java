package dev.tarn.query;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import java.time.Duration;
import java.util.Locale;

/**
 * Statement timeouts as users write them, following PostgreSQL's {@code statement_timeout}: a bare number is
 * milliseconds; units {@code ms}, {@code s}, {@code min}, {@code h} (and their long forms) may follow; {@code 0} or
 * {@code none} turns the timeout off ({@link Duration#ZERO}).
 */
public final class StatementTimeout {
    private StatementTimeout() {}

    public static Duration parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (s.equals("none") || s.equals("off")) {
            return Duration.ZERO;
        }
        int split = 0;
        while (split < s.length() && Character.isDigit(s.charAt(split))) {
            split++;
        }
        String unit = s.substring(split);
        try {
            if (split == 0) {
                throw new NumberFormatException();
            }
            long n = Long.parseLong(s.substring(0, split));
            Duration d = switch (unit) {
                case "", "ms", "millisecond", "milliseconds" -> Duration.ofMillis(n);
                case "s", "sec", "second", "seconds" -> Duration.ofSeconds(n);
                case "min", "minute", "minutes" -> Duration.ofMinutes(n);
                case "h", "hour", "hours" -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
            return d;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new TarnException(ErrorCode.INVALID_VALUE, "Invalid statement timeout '" + text
                    + "': expected milliseconds or a number with a unit ms, s, min or h (e.g. '30s'), or 0 / 'none'", e);
        }
    }

    /** The timeout as messages show it: {@code 30 s}, {@code 1500 ms}, {@code none}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "none";
        }
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + " h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + " min";
        }
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
