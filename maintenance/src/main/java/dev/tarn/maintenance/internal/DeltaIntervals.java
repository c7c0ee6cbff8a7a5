package dev.tarn.maintenance.internal;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import java.time.Duration;
import java.util.Locale;

/**
 * Parses the interval strings of Delta's duration table properties ({@code delta.deletedFileRetentionDuration},
 * {@code delta.logRetentionDuration}): {@code "interval 7 days"}, {@code "interval 1 day 12 hours"}, {@code "168
 * hours"}; units from microseconds to weeks, singular or plural. Months and years are refused, as Delta does,
 * because they have no fixed length.
 */
public final class DeltaIntervals {
    private DeltaIntervals() {}

    public static Duration parse(String property, String value) {
        String s = value.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("interval")) {
            s = s.substring("interval".length()).trim();
        }
        String[] parts = s.split("\\s+");
        if (s.isEmpty() || parts.length % 2 != 0) {
            throw invalid(property, value, null);
        }
        Duration total = Duration.ZERO;
        for (int i = 0; i < parts.length; i += 2) {
            long n;
            try {
                n = Long.parseLong(parts[i]);
            } catch (NumberFormatException e) {
                throw invalid(property, value, e);
            }
            String unit = parts[i + 1].endsWith("s") ? parts[i + 1].substring(0, parts[i + 1].length() - 1) : parts[i + 1];
            Duration d = switch (unit) {
                case "microsecond" -> Duration.ofNanos(n * 1000);
                case "millisecond" -> Duration.ofMillis(n);
                case "second" -> Duration.ofSeconds(n);
                case "minute" -> Duration.ofMinutes(n);
                case "hour" -> Duration.ofHours(n);
                case "day" -> Duration.ofDays(n);
                case "week" -> Duration.ofDays(7 * n);
                default -> throw invalid(property, value, null);
            };
            total = total.plus(d);
        }
        if (total.isNegative()) {
            throw invalid(property, value, null);
        }
        return total;
    }

    private static TarnException invalid(String property, String value, Exception cause) {
        return new TarnException(ErrorCode.INVALID_TABLE_PROPERTY, "Invalid " + property + " '" + value
                + "': expected an interval such as 'interval 7 days' (units: microseconds to weeks; no months or years)",
                cause);
    }
}
