package dev.tarn.txlog.internal.json;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Spark's text forms for timestamp statistics (PROTOCOL.md "Per-file Statistics"): milliseconds, floored; UTC with
 * {@code Z} for timestamp, no zone for timestamp_ntz.
 */
public final class StatsFormat {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
    private static final DateTimeFormatter TIMESTAMP_NTZ = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

    private StatsFormat() {}

    public static String timestamp(Instant value) {
        return TIMESTAMP.format(value.truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC));
    }

    public static String timestampNtz(LocalDateTime value) {
        return TIMESTAMP_NTZ.format(value.truncatedTo(ChronoUnit.MILLIS));
    }
}
