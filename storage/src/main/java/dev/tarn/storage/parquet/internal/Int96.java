package dev.tarn.storage.parquet.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.parquet.io.api.Binary;

/**
 * Legacy INT96 timestamps (Impala, old Spark): 8 little-endian bytes of nanoseconds within the day followed by 4
 * little-endian bytes of Julian day number. Always an instant (UTC).
 */
public final class Int96 {
    /** Julian day number of 1970-01-01. */
    private static final long JULIAN_EPOCH_DAY = 2_440_588L;
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private Int96() {}

    public static long toMicros(Binary value) {
        ByteBuffer b = value.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int start = b.position();
        long nanosOfDay = b.getLong(start);
        long julianDay = Integer.toUnsignedLong(b.getInt(start + 8));
        return (julianDay - JULIAN_EPOCH_DAY) * MICROS_PER_DAY + Math.floorDiv(nanosOfDay, 1000L);
    }
}
