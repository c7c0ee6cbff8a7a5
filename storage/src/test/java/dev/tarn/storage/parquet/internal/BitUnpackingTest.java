package dev.tarn.storage.parquet.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Bit unpacking against a bit-by-bit reference for every width, with values packed up to the very end of the data
 * (where the eight-byte windows would run past it) and at odd offsets.
 */
class BitUnpackingTest {
    @Test
    void unpacksEveryWidthUpToTheEndOfTheData() {
        SplittableRandom random = new SplittableRandom(7);
        for (int width = 0; width <= 32; width++) {
            for (int count : new int[] {1, 7, 8, 9, 63, 64, 200}) {
                for (int pad : new int[] {0, 3}) {
                    int[] values = new int[count];
                    long mask = width == 0 ? 0 : (1L << width) - 1;
                    for (int i = 0; i < count; i++) {
                        values[i] = (int) (random.nextLong() & mask);
                    }
                    int bytes = (int) (((long) count * width + 7) / 8);
                    byte[] packed = new byte[pad + bytes];
                    long bit = 0;
                    for (int v : values) {
                        for (int k = 0; k < width; k++, bit++) {
                            if (((v >>> k) & 1) != 0) {
                                packed[pad + (int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
                            }
                        }
                    }
                    int[] out = new int[count + 2];
                    BitUnpacking.unpackInts(packed, pad, packed.length, width, out, 2, count);
                    int[] got = java.util.Arrays.copyOfRange(out, 2, count + 2);
                    assertArrayEquals(values, got, "width " + width + ", " + count + " values, offset " + pad);
                }
            }
        }
    }
}
