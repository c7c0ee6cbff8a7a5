package dev.tarn.maintenance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Normalization gives every column the same weight in the curve, whatever the width of its range. */
class ZOrderKeysTest {
    private static long key(long v) {
        return v ^ Long.MIN_VALUE;
    }

    @Test
    void narrowAndWideRangesBothFillTheTopBit() {
        int bits = ZOrderKeys.bitsPerColumn(2);
        // Dates: about 2,500 days (12 bits); part keys: 200,000 values (18 bits); both must reach the top bit.
        long dateMax = ZOrderKeys.normalize(key(10_500), false, key(8_000), key(10_500), bits);
        long partMax = ZOrderKeys.normalize(key(200_000), false, key(1), key(200_000), bits);
        assertEquals(bits - 1, 63 - Long.numberOfLeadingZeros(dateMax));
        assertEquals(bits - 1, 63 - Long.numberOfLeadingZeros(partMax));
        long dateMid = ZOrderKeys.normalize(key(9_250), false, key(8_000), key(10_500), bits);
        assertEquals(bits - 1, 63 - Long.numberOfLeadingZeros(dateMid) + 1, "the middle of the range is half the top");
        assertEquals(0, ZOrderKeys.normalize(key(8_000), false, key(8_000), key(10_500), bits));
        assertEquals(0, ZOrderKeys.normalize(0, true, key(8_000), key(10_500), bits), "nulls first");
    }

    @Test
    void wideRangesKeepTheirTopBitsAndOrderIsPreserved() {
        long a = ZOrderKeys.normalize(key(-5), false, key(Long.MIN_VALUE), key(Long.MAX_VALUE), 16);
        long b = ZOrderKeys.normalize(key(7), false, key(Long.MIN_VALUE), key(Long.MAX_VALUE), 16);
        assertEquals(0x7FFF, a);
        assertEquals(0x8000, b);
        long previous = -1;
        for (long v = 0; v <= 100; v++) {
            long n = ZOrderKeys.normalize(key(v), false, key(0), key(100), 32);
            assertEquals(true, n >= previous, "order kept at " + v);
            previous = n;
        }
    }

    @Test
    void theFirstInterleavedBitsComeFromEveryColumn() {
        int bits = ZOrderKeys.bitsPerColumn(2);
        long date = ZOrderKeys.normalize(key(10_500), false, key(8_000), key(10_500), bits);
        long part = ZOrderKeys.normalize(key(1), false, key(1), key(200_000), bits);
        long z = ZOrderKeys.interleave(new long[] {date, part}, bits);
        assertEquals(1, z >>> 63, "the top bit of the curve is the date's top bit");
        assertEquals(0, (z >>> 62) & 1, "the next is the part key's");
    }
}
